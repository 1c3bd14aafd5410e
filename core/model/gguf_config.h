#pragma once
// llama.cpp's hyper-parameter keys ({arch}.block_count, {arch}.attention.head_count, ...) to and
// from the Hugging Face config.json document the rest of Anatomist reads, so that a GGUF model is
// validated and built exactly like a folder. Values GGUF has no key for are written under
// "anatomist." keys (llama.cpp ignores them) so that Anatomist's own exports load back unchanged.
// ref: llama.cpp src/llama-model.cpp (load_hparams), src/models/{llama,gemma3,gpt2}.cpp,
//      gguf-py/gguf/constants.py (Keys)

#include "model/arch_spec.h"

#include <nlohmann/json.hpp>
#include <string>

namespace anatomist::core {

class GgufFile;
class GgufWriter;

struct GgufModelConfig {
    nlohmann::json document; // a config.json document for resolveConfig
    const ArchSpec* spec = nullptr;
};

// Throws UnsupportedArchitecture / FormatError naming the file and the key.
GgufModelConfig configFromGguf(const GgufFile& file);

// Writes general.architecture and the {arch}.* keys for `config`. Throws InvalidArgument for
// settings llama.cpp cannot express for the family.
void writeGgufConfig(const ModelConfig& config, const ArchSpec& spec, GgufWriter& writer);

} // namespace anatomist::core
