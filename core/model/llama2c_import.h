#pragma once
// Converting a llama2.c v0 checkpoint (`model.bin`: 7 int32 header, then float32 tensors) and its
// SentencePiece model into a Hugging Face Llama folder that loadModel and transformers both read.

#include <filesystem>

namespace anatomist::core {

class JobContext;

struct Llama2cHeader {
    int32_t dim = 0, hidden_dim = 0, n_layers = 0, n_heads = 0, n_kv_heads = 0;
    int32_t vocab_size = 0; // negative in the file when the classifier is not shared
    int32_t seq_len = 0;
    bool shared_classifier = true;
};

// Reads and validates the header (sizes positive, heads dividing dim, file long enough).
Llama2cHeader readLlama2cHeader(const std::filesystem::path& binFile);

// Writes config.json, model.safetensors, tokenizer.model and tokenizer_config.json into outDir.
// q/k rows are permuted from llama2.c's interleaved-pair rotary order to Hugging Face's
// rotate-half.
void importLlama2c(const std::filesystem::path& binFile,
                   const std::filesystem::path& tokenizerModel, const std::filesystem::path& outDir,
                   JobContext& job);

} // namespace anatomist::core
