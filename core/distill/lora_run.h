#pragma once
// A LoRA specialisation run described by one JSON document (stored in every checkpoint, so that
// resuming needs only the output folder):
//
//   {"kind": "lora", "model": "model-folder", "data": "corpus.txt", "eval_data": "heldout.txt",
//    "lora": {LoraOptions as in lora.h},
//    "teacher": "base-folder" (optional: train with the distillation objective of "distill"),
//    "distill": {DistillOptions},
//    "train": {TrainOptions; defaults here: lr 2e-4, eval_every and checkpoint_every 50},
//    "merge": false,
//    "out": "DIR"}
//
// The base weights stay frozen (only ".lora_A." / ".lora_B." parameters train). Output in DIR:
// adapter_model.safetensors + adapter_config.json (PEFT), and with "merge" a plain model folder
// DIR/merged whose weights are W + (alpha/r)·B·A.

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace anatomist::core {

class JobContext;

nlohmann::json resolveLoraRunPaths(nlohmann::json run, const std::filesystem::path& baseDir);

// Returns {"steps", "final_loss", "final_terms", "adapters" (module paths), "trainable_parameters",
// "perplexity_before", "perplexity_after" (with eval_data), "merged" (folder or null), "out",
// "seconds"}.
nlohmann::json runLora(const nlohmann::json& run, JobContext& job,
                       const std::atomic<bool>* pause = nullptr);
nlohmann::json resumeLora(const std::filesystem::path& outDir, JobContext& job,
                          const std::atomic<bool>* pause = nullptr);

} // namespace anatomist::core
