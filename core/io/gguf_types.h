#pragma once
// GGUF's value types and ggml's tensor types, as numbered in the file format.
// ref: llama.cpp ggml/include/gguf.h (gguf_type), ggml/include/ggml.h (ggml_type),
//      ggml/src/ggml-common.h (block layouts and sizes)

#include <cstdint>
#include <optional>
#include <string>

namespace anatomist::core {

enum class GgufType : uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};
const char* ggufTypeName(GgufType type);
bool isKnownGgufType(uint32_t raw);

enum class GgmlType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
};

struct GgmlTypeTraits {
    GgmlType type;
    const char* name;   // "Q4_K"
    int64_t blockSize;  // elements per block (1 for plain types)
    int64_t blockBytes; // bytes per block
    bool dequantizable; // Anatomist can turn it into float32
};

// nullopt for a number ggml does not define.
std::optional<GgmlTypeTraits> ggmlTypeTraits(uint32_t raw);
const GgmlTypeTraits& ggmlTraits(GgmlType type);
// "f32", "q8_0" ... → type; nullopt otherwise (case-insensitive).
std::optional<GgmlType> parseGgmlType(const std::string& name);

} // namespace anatomist::core
