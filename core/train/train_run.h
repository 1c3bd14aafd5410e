#pragma once
// A whole training run described by one JSON document (what `anatomist-cli train --config` reads
// and what every checkpoint carries, so that `--resume DIR` needs nothing else):
//
//   {"data": "corpus.txt",          // plain text, documents separated by blank lines ...
//    "ids": "ids.json",             // ... or a JSON array of arrays of token ids (no tokenizer)
//    "tokenizer": "dir | tokenizer.model | tokenizer.json",
//    "eval_data": "heldout.txt",    // optional; else every round(1/eval_fraction)-th document
//    "eval_fraction": 0.05,
//    "model": {"arch": "llama", "layers": 4, "hidden": 128, "heads": 4, "kv_heads": 4,
//              "intermediate": 0 (≈ 8/3·hidden, multiple of 32), "max_positions": 0 (seq_len),
//              "vocab": 0 (the tokenizer's), "tie_embeddings": false, "rope_theta": 10000},
//    "model_config": {...},         // alternatively a complete config.json document
//    "init_from": "model-folder",   // alternatively start from a saved model
//    "init_seed": null (train.seed), "init_std": 0.02,
//    "train": {TrainOptions as in trainer.h toJson},
//    "out": "DIR",
//    "device": "cpu" | "cuda" | "cuda:N" (optional, default cpu)}
//
// Documents get BOS first (when the tokenizer has one) and EOS last. Output in DIR: the model
// folder (config.json, model.safetensors, tokenizer files) when training finishes, and
// train_state.safetensors (the checkpoint) every train.checkpoint_every steps.

#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

class Communicator;
class JobContext;

inline constexpr const char* kTrainCheckpointName = "train_state.safetensors";

// A text file's documents (split on blank lines) as token ids: BOS first when the tokenizer has
// one, EOS last. InvalidArgument naming the file when it holds no document.
std::vector<std::vector<TokenId>> tokenizeTrainText(const std::filesystem::path& file,
                                                    const Tokenizer& tokenizer);

// Makes relative paths of the document absolute against baseDir; returns the new document.
nlohmann::json resolveTrainRunPaths(nlohmann::json run, const std::filesystem::path& baseDir);

// What the run documents of train, distill and lora share. A string field ("" when absent or
// null); InvalidArgument naming `what` ("training run", ...) and the key when it is required and
// missing, or not a string.
std::string runStringField(const nlohmann::json& run, const char* key, bool required,
                           const std::string& what);
// The run with every path field among `keys` that is set made absolute against baseDir.
nlohmann::json absoluteRunPaths(nlohmann::json run, std::initializer_list<const char*> keys,
                                const std::filesystem::path& baseDir, const std::string& what);

// A run's JSONL event log on resume: lines past the checkpoint's step are dropped (atomically) so
// that the log shows one curve. Returns the kept events, in order (lines that are not JSON are
// kept in the file but not returned). A missing log is no error: nothing is kept.
std::vector<nlohmann::json> trimTrainLog(const std::filesystem::path& log, int64_t keepUpToStep);

// Trains from scratch (or from init_from) and saves the model folder. Returns a summary:
// {"steps", "final_loss", "held_out_perplexity" (when there is held-out data),
//  "uniform_perplexity" (= vocabulary size), "vocab_size", "parameters", "seconds", "out"}.
// Throws the errors of errors.h; Cancelled leaves the last checkpoint in place. With a communicator
// (train/communicator.h) the run is data-parallel and rank 0 alone logs and writes files.
nlohmann::json runTraining(const nlohmann::json& run, JobContext& job,
                           std::shared_ptr<Communicator> communicator = nullptr);

// Continues the run whose checkpoint lies in outDir (the run document stored in it), on the same
// loss curve as an uninterrupted run; same summary as runTraining.
// deviceOverride ("" keeps the run's) moves it to another device.
nlohmann::json resumeTraining(const std::filesystem::path& outDir, JobContext& job,
                              std::shared_ptr<Communicator> communicator = nullptr,
                              const std::string& deviceOverride = {});

} // namespace anatomist::core
