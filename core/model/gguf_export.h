#pragma once
// Writing a model as a llama.cpp GGUF file: hyper-parameters as llama.cpp's keys, tensors under
// GGUF names with llama.cpp's layout changes applied (see gguf_names.h), the vocabulary of the
// source model (a folder's tokenizer.model or byte-level BPE tokenizer.json, or a GGUF's
// tokenizer.ggml.* keys), written atomically.

#include "io/gguf_types.h"

#include <filesystem>
#include <string>

namespace anatomist::core {

class CausalLM;
class GgufWriter;
class JobContext;

struct GgufExportOptions {
    // Matrices are stored as this type; vectors (norms, biases) and matrices whose rows are not
    // whole blocks stay F32 / fall back to F16, as llama.cpp's converter does.
    GgmlType type = GgmlType::F32;
    std::filesystem::path
        tokenizerSource; // folder or .gguf whose vocabulary is written ("" = none)
    std::string name;    // general.name
};

// Throws InvalidArgument (see ggufExportRefusal) for models llama.cpp cannot express.
void exportGguf(CausalLM& model, const std::filesystem::path& out, const GgufExportOptions& options,
                JobContext& job);

// Why exportGguf refuses `model` (the message it would throw: a family with per-layer head counts
// other than Llama-style, settings llama.cpp has no key for, a parameter without a GGUF name), or
// "" when it can be written. Cheap: checks the configuration and names, writes nothing.
std::string ggufExportRefusal(const CausalLM& model);

// The tokenizer.ggml.* keys for the vocabulary of a folder (tokenizer.model, or a byte-level BPE
// tokenizer.json: gguf_bpe_vocab.h, padded to `vocabSize` tokens) or a GGUF file.
// Returns false when the source has no vocabulary Anatomist can write.
bool writeGgufVocabulary(const std::filesystem::path& source, GgufWriter& writer,
                         int64_t vocabSize = 0);

} // namespace anatomist::core
