#pragma once
// A whole distillation run (teacher = base model, student = its pruned variant) described by one
// JSON document, stored in every checkpoint so that resuming needs only the output folder:
//
//   {"kind": "distill",
//    "teacher": "base-folder", "student": "variant-folder",
//    (or "plan": "PLAN.json": the student is the teacher pruned in memory by this anatomist-plan;
//     its kept layers are the layer map unless distill.layer_map is given, and the output's
//     variant.json is the record the pruning export would write, plus "distillation")
//    "data": "corpus.txt", "eval_data": "heldout.txt" (optional),
//    "epochs": 2 (optional: sets train.steps from the data size),
//    "distill": {DistillOptions as in distill_objective.h},
//    "train": {TrainOptions; defaults here are ALGORITHMS.md §8's: lr 4e-5, grad_accum 4, clip 1,
//              5 % warm-up from 1 %, cosine to 5 %; eval_every and checkpoint_every 50},
//    "out": "DIR",
//    "teacher_cache": "DIR" (optional: teacher logits from DIR/teacher_topk.bin, made on first use;
//                     only with gamma = delta = 0; see distill/teacher_cache.h),
//    "teacher_top_k": 64 (optional, with teacher_cache: logits kept per position; clamped to the
//                     vocabulary, where the KL is exact),
//    "device": "cpu" | "cuda" | "cuda:N" (optional, default cpu; teacher and student both),
//    "dtype": "float32" | "float64" (optional, default float32; see train/device_choice.h)}
//
// Text is tokenized with the teacher's tokenizer; a student folder with a tokenizer must have the
// same vocabulary. The layer map is distill.layer_map when given, else the student's variant.json
// "kept_layers", else one to one / uniform (layer_map.h). Teacher logits are computed on the fly
// unless teacher_cache is set. Output in DIR: the healed student as a model folder plus
// variant.json (the student's, or a new one) with a "distillation" object; train_state.safetensors
// while running.

#include "distill/distill_objective.h"
#include "model/model_loader.h"

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace anatomist::core {

class Communicator;
class JobContext;

constexpr int64_t kDefaultTeacherTopK = 64;

// Loads the teacher (run["teacher"] is not read: teacherDir is) and builds the objective of
// run["distill"] for this student, with every check of runDistillation: same vocabulary and
// tokenizer, a layer map when the hidden-state terms are on (given, from variant.json, or default).
struct DistillSetup {
    LoadedModel teacher;
    std::shared_ptr<DistillObjective> objective;
};
DistillSetup prepareDistillation(const nlohmann::json& run, const std::filesystem::path& teacherDir,
                                 const LoadedModel& student, JobContext& job);

// Makes relative paths of the document absolute against baseDir.
nlohmann::json resolveDistillRunPaths(nlohmann::json run, const std::filesystem::path& baseDir);

// Every check that needs no training step happens before the first one (vocabularies, tokenizers,
// layer map, data). Emits {"type": "teacher_logits", "step", "source": "on the fly" | "cache",
// "cache": {"file", "top_k", "vocab", "windows", "bytes", "built"}} at every start (resumed runs
// too; after train_reference in a fresh run), train_reference ({"teacher_logits": the source}, plus
// the teacher's and the student's perplexity on eval_data when there is one) and the trainer's
// events. pause (optional) holds the run between steps while true. Returns
// {"steps", "final_loss", "final_terms", "teacher_perplexity", "student_perplexity_before",
//  "student_perplexity_after", "layer_map", "seconds", "out", "teacher_logits": the source}.
//
// With a communicator (train/communicator.h) the run is data-parallel: every rank calls this with
// the same document; rank 0 alone emits events and writes checkpoints, the model and variant.json.
nlohmann::json runDistillation(const nlohmann::json& run, JobContext& job,
                               const std::atomic<bool>* pause = nullptr,
                               std::shared_ptr<Communicator> communicator = nullptr);

// Continues the run whose checkpoint lies in outDir on the same loss curve. InvalidArgument when
// the checkpoint belongs to another kind of run. deviceOverride ("" keeps the run's) moves a
// resumed run to another device.
nlohmann::json resumeDistillation(const std::filesystem::path& outDir, JobContext& job,
                                  const std::atomic<bool>* pause = nullptr,
                                  std::shared_ptr<Communicator> communicator = nullptr,
                                  const std::string& deviceOverride = {});

} // namespace anatomist::core
