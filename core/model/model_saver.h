#pragma once
// Writing a model folder that loads again in Hugging Face tools: config.json (raw keys preserved),
// model.safetensors with Hugging Face names, and the tokenizer files copied from the source folder.
// Every file is written atomically; the source folder is never modified.

#include <filesystem>
#include <optional>
#include <torch/types.h>

namespace anatomist::core {

class CausalLM;
class JobContext;

struct SaveOptions {
    std::optional<torch::ScalarType> dtype; // default: the model's dtype
    std::filesystem::path tokenizerSource;  // folder whose tokenizer files are copied ("" = none)
};

void saveModel(CausalLM& model, const std::filesystem::path& outDir, const SaveOptions& options,
               JobContext& job);

// Copies the tokenizer and generation files a model folder carries (tokenizer.json,
// tokenizer.model, tokenizer_config.json, special_tokens_map.json, generation_config.json).
void copyTokenizerFiles(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace anatomist::core
