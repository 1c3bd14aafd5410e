#pragma once
// GGUF (llama.cpp's model file, versions 2 and 3): "GGUF", version, tensor and key/value counts,
// typed key/values (arrays included), tensor infos (name, dims, ggml type, offset), padding to
// general.alignment, then the data section. The reader maps the file and checks every count,
// length and offset against the file size before anything is allocated or touched, so a
// malformed file fails with a FormatError naming the file, the key or tensor and the problem.
// ref: llama.cpp ggml/src/gguf.cpp (gguf_init_from_file_impl), docs/gguf.md

#include "io/gguf_types.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

class MappedFile;

// One metadata value. Scalars of the integer types live in `i` (uint64 values above INT64_MAX
// in `u`), floats in `f`; arrays hold their elements (all of `elementType`).
struct GgufValue {
    GgufType type = GgufType::U32;
    GgufType elementType = GgufType::U8; // arrays only
    int64_t i = 0;
    uint64_t u = 0;
    double f = 0;
    bool b = false;
    std::string s;
    std::vector<GgufValue> array;

    bool isInteger() const;
    bool isFloat() const { return type == GgufType::F32 || type == GgufType::F64; }
};

struct GgufTensorInfo {
    std::string name;
    std::vector<int64_t> dims; // ggml order: dims[0] varies fastest (the row length)
    GgmlType type = GgmlType::F32;
    uint64_t offset = 0; // relative to the data section
    uint64_t bytes = 0;
    std::vector<int64_t> shape() const; // torch order (reversed dims)
    int64_t numel() const;
};

class GgufFile {
public:
    static constexpr uint32_t kDefaultAlignment = 32;

    // Throws IoError / FormatError naming the file and the problem.
    static std::shared_ptr<GgufFile> open(const std::filesystem::path& path);

    const std::filesystem::path& path() const;
    uint32_t version() const { return m_version; }
    uint32_t alignment() const { return m_alignment; }
    uint64_t dataOffset() const { return m_dataOffset; }

    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return m_metadata; }
    const GgufValue* find(std::string_view key) const;

    // Typed access; a missing key (require*) or a value of the wrong type throws FormatError
    // naming the file and the key.
    std::optional<int64_t> optionalInt(std::string_view key) const;
    int64_t requireInt(std::string_view key) const;
    std::optional<double> optionalNumber(std::string_view key) const;
    double requireNumber(std::string_view key) const;
    std::optional<std::string> optionalString(std::string_view key) const;
    std::string requireString(std::string_view key) const;
    std::optional<bool> optionalBool(std::string_view key) const;
    // An array of `elementType`-compatible values (ints for any integer type, floats for
    // float32/64, strings); nullopt when absent.
    std::optional<std::vector<int64_t>> optionalIntArray(std::string_view key) const;
    std::optional<std::vector<double>> optionalNumberArray(std::string_view key) const;
    std::optional<std::vector<std::string>> optionalStringArray(std::string_view key) const;
    // A value that may be one integer or a per-layer array (llama.cpp's head_count etc.).
    std::optional<std::vector<int64_t>> optionalIntOrArray(std::string_view key) const;

    const std::vector<GgufTensorInfo>& tensors() const { return m_tensors; } // file order
    const GgufTensorInfo* findTensor(std::string_view name) const;
    std::span<const uint8_t> data(const GgufTensorInfo& info) const;
    const std::shared_ptr<MappedFile>& mapping() const { return m_file; }

    [[noreturn]] void failKey(std::string_view key, const std::string& problem) const;

private:
    std::shared_ptr<MappedFile> m_file;
    uint32_t m_version = 0;
    uint32_t m_alignment = kDefaultAlignment;
    uint64_t m_dataOffset = 0;
    std::vector<std::pair<std::string, GgufValue>> m_metadata;
    std::map<std::string, std::size_t, std::less<>> m_keyIndex;
    std::vector<GgufTensorInfo> m_tensors;
    std::map<std::string, std::size_t, std::less<>> m_tensorIndex;
};

} // namespace anatomist::core
