#pragma once
// Checks a model configuration against the weights it will be filled from, before anything of the
// model's size is allocated: a config.json claiming a billion layers or a million-wide hidden size
// must be refused with a message naming the file and the key, not attempted until the allocator
// gives up (or the machine swaps for minutes).
#include "io/tensor_source.h"
#include "model/arch_spec.h"

#include <string>
#include <torch/types.h>

namespace anatomist::core {

struct ModelConfig;

// Throws ConfigError naming `configLabel` (e.g. ".../config.json") and the key when the config
// asks for more layers than the weights hold or a width wider than any tensor; ShapeMismatch
// (naming the key that explains it, when one does) when a tensor's shape differs from the config's;
// MissingTensor when a tensor the config needs is absent; InvalidArgument when the model in
// `options`' dtype would need more memory than a CPU load can have. Allocates only metadata.
void checkConfigFitsWeights(const ModelConfig& config, const ArchSpec& spec,
                            const TensorSource& weights, const std::string& configLabel,
                            const torch::TensorOptions& options);

// Physical memory of this machine in bytes (0 when unknown).
uint64_t physicalMemoryBytes();

} // namespace anatomist::core
