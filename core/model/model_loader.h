#pragma once
// Opening a Hugging Face model folder: config.json → ArchSpec + ModelConfig, weights key by key
// from safetensors (a missing or left-over key is an error), and the tokenizer when there is one.

#include "io/safetensors.h"
#include "model/arch_registry.h"
#include "model/causal_lm.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>

namespace anatomist::core {

class JobContext;

struct LoadOptions {
    torch::ScalarType dtype = torch::kFloat32; // compute dtype; weights are converted on load
    torch::Device device = torch::kCPU;
    bool loadTokenizer = true; // a folder without one still loads; tokenizer stays null
};

struct LoadedModel {
    std::filesystem::path folder;
    ModelConfig config;
    const ArchSpec* spec = nullptr;
    std::shared_ptr<CausalLM> model;
    std::shared_ptr<Tokenizer> tokenizer; // null when the folder has none
    // Each parameter as the source stores it (header dtype / ggml type and bytes); the model
    // itself holds the compute dtype.
    StoredTensors stored;
};

// A folder, or a llama.cpp .gguf file (see gguf_import.h). Throws the typed errors of errors.h;
// every message names the file and the problem.
LoadedModel loadModel(const std::filesystem::path& folder, const LoadOptions& options,
                      JobContext& job);

// Sets every parameter from the source (names mapped through spec.checkpointKey), checking
// shapes against the configuration; a missing or left-over tensor is an error. A tensor the source
// holds in the compute dtype becomes the parameter in place (a safetensors or GGUF file's
// copy-on-write mapping); the parts of a FusedRows buffer (q/k/v, gate/up) are copied into it and
// the source's memory for them given back (TensorSource::release). Returns how each parameter was
// stored in the source.
StoredTensors loadWeights(CausalLM& model, const TensorSource& source, JobContext& job);

torch::ScalarType parseDtype(const std::string& name); // "f32", "float32", "bf16", ...
const char* dtypeName(torch::ScalarType type);         // "float32", "bfloat16", "float16"

} // namespace anatomist::core
