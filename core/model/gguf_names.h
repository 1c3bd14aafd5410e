#pragma once
// How each family's parameters are named and laid out in llama.cpp's GGUF files: the GGUF
// architecture name, tensor names (token_embd.weight, blk.N.attn_q.weight, ...) and the changes
// llama.cpp's convert_hf_to_gguf.py applies to the values (undone on import, applied on export).
// ref: llama.cpp gguf-py/gguf/constants.py (MODEL_TENSOR names), conversion/llama.py (permute),
//      conversion/gpt2.py (Conv1D transpose), conversion/gemma.py (norm_shift)

#include "model/arch_spec.h"

#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

enum class GgufValueChange {
    None,
    RopePermuteQ, // Llama-style RoPE: rows of each query head interleaved (llama.cpp's permute)
    RopePermuteK, // the same over the key/value heads
    Transpose,    // GPT-2 Conv1D [in, out] ↔ GGUF's [out, in]
    PlusOne,      // Gemma norms: GGUF stores 1 + w
};

struct GgufFamily {
    const ArchSpec* spec = nullptr;
    std::string arch; // general.architecture
};

// Every family that has a GGUF counterpart (Mistral is written as llama).
const std::vector<GgufFamily>& ggufFamilies();
// The GGUF architecture of a family; throws UnsupportedArchitecture when it has none.
const std::string& ggufArchitectureOf(const ArchSpec& spec);

// "token_embd.weight" for "model.embed_tokens.weight"; "" when the parameter has no GGUF name.
std::string ggufTensorName(const ArchSpec& spec, std::string_view parameter);
// The inverse; "" when the GGUF tensor is not a parameter of the family.
std::string parameterNameForGguf(const ArchSpec& spec, std::string_view ggufName);
GgufValueChange ggufValueChange(const ArchSpec& spec, std::string_view parameter);

} // namespace anatomist::core
