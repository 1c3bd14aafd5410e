#include "gguf_types.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace anatomist::core {

namespace {

// ref: ggml/src/ggml.c type_traits (blck_size, type_size); sizes checked against ggml-common.h.
constexpr GgmlTypeTraits kTypes[] = {
    {GgmlType::F32, "F32", 1, 4, true},
    {GgmlType::F16, "F16", 1, 2, true},
    {GgmlType::Q4_0, "Q4_0", 32, 18, true},
    {GgmlType::Q4_1, "Q4_1", 32, 20, false},
    {GgmlType::Q5_0, "Q5_0", 32, 22, false},
    {GgmlType::Q5_1, "Q5_1", 32, 24, false},
    {GgmlType::Q8_0, "Q8_0", 32, 34, true},
    {GgmlType::Q8_1, "Q8_1", 32, 36, false},
    {GgmlType::Q2_K, "Q2_K", 256, 84, false},
    {GgmlType::Q3_K, "Q3_K", 256, 110, false},
    {GgmlType::Q4_K, "Q4_K", 256, 144, true},
    {GgmlType::Q5_K, "Q5_K", 256, 176, true},
    {GgmlType::Q6_K, "Q6_K", 256, 210, true},
    {GgmlType::Q8_K, "Q8_K", 256, 292, false},
    {GgmlType::IQ2_XXS, "IQ2_XXS", 256, 66, false},
    {GgmlType::IQ2_XS, "IQ2_XS", 256, 74, false},
    {GgmlType::IQ3_XXS, "IQ3_XXS", 256, 98, false},
    {GgmlType::IQ1_S, "IQ1_S", 256, 50, false},
    {GgmlType::IQ4_NL, "IQ4_NL", 32, 18, false},
    {GgmlType::IQ3_S, "IQ3_S", 256, 110, false},
    {GgmlType::IQ2_S, "IQ2_S", 256, 82, false},
    {GgmlType::IQ4_XS, "IQ4_XS", 256, 136, false},
    {GgmlType::I8, "I8", 1, 1, false},
    {GgmlType::I16, "I16", 1, 2, false},
    {GgmlType::I32, "I32", 1, 4, false},
    {GgmlType::I64, "I64", 1, 8, false},
    {GgmlType::F64, "F64", 1, 8, false},
    {GgmlType::IQ1_M, "IQ1_M", 256, 56, false},
    {GgmlType::BF16, "BF16", 1, 2, true},
    {GgmlType::TQ1_0, "TQ1_0", 256, 54, false},
    {GgmlType::TQ2_0, "TQ2_0", 256, 66, false},
    {GgmlType::MXFP4, "MXFP4", 32, 17, false},
};

} // namespace

const char* ggufTypeName(GgufType type) {
    switch (type) {
    case GgufType::U8:
        return "uint8";
    case GgufType::I8:
        return "int8";
    case GgufType::U16:
        return "uint16";
    case GgufType::I16:
        return "int16";
    case GgufType::U32:
        return "uint32";
    case GgufType::I32:
        return "int32";
    case GgufType::F32:
        return "float32";
    case GgufType::Bool:
        return "bool";
    case GgufType::String:
        return "string";
    case GgufType::Array:
        return "array";
    case GgufType::U64:
        return "uint64";
    case GgufType::I64:
        return "int64";
    case GgufType::F64:
        return "float64";
    }
    return "unknown";
}

bool isKnownGgufType(uint32_t raw) {
    return raw <= static_cast<uint32_t>(GgufType::F64);
}

std::optional<GgmlTypeTraits> ggmlTypeTraits(uint32_t raw) {
    for (const auto& t : kTypes)
        if (static_cast<uint32_t>(t.type) == raw)
            return t;
    return std::nullopt;
}

const GgmlTypeTraits& ggmlTraits(GgmlType type) {
    for (const auto& t : kTypes)
        if (t.type == type)
            return t;
    throw std::logic_error("unknown GgmlType");
}

std::optional<GgmlType> parseGgmlType(const std::string& name) {
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    for (const auto& t : kTypes)
        if (upper == t.name)
            return t.type;
    return std::nullopt;
}

} // namespace anatomist::core
