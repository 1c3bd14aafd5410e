#pragma once
// Models that training can update. A model loaded by a job running under torch::InferenceMode
// holds inference tensors, which autograd refuses; the trainer rejects them with a clear error.
// These two functions give trainable models whatever mode the caller is in.

#include "model/model_loader.h"

namespace anatomist::core {

// loadModel with InferenceMode switched off for the duration of the load.
LoadedModel loadModelForTraining(const std::filesystem::path& folder, const LoadOptions& options,
                                 JobContext& job);

// A new model with the same configuration and a copy of every parameter as ordinary tensors; the
// source (which may hold inference tensors and may be shared) is only read.
std::shared_ptr<CausalLM> trainableCopy(const CausalLM& model);

} // namespace anatomist::core
