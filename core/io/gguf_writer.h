#pragma once
// Writing a GGUF v3 file atomically: key/values in insertion order, tensor infos, then each
// tensor's data padded to the alignment, offsets laid out as llama.cpp's gguf_write does.

#include "io/gguf_reader.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace anatomist::core {

class GgufWriter {
public:
    explicit GgufWriter(uint32_t alignment = GgufFile::kDefaultAlignment);

    void set(const std::string& key, GgufValue value); // replaces an earlier value of the key
    void setU32(const std::string& key, uint32_t value);
    void setI32(const std::string& key, int32_t value);
    void setF32(const std::string& key, float value);
    void setBool(const std::string& key, bool value);
    void setString(const std::string& key, const std::string& value);
    void setStringArray(const std::string& key, const std::vector<std::string>& values);
    void setF32Array(const std::string& key, const std::vector<float>& values);
    void setI32Array(const std::string& key, const std::vector<int32_t>& values);
    void setU32Array(const std::string& key, const std::vector<uint32_t>& values);
    void setBoolArray(const std::string& key, const std::vector<bool>& values);

    // `dims` in ggml order (dims[0] = row length); `bytes` must match type and dims.
    void addTensor(const std::string& name, GgmlType type, std::vector<int64_t> dims,
                   std::vector<uint8_t> bytes);

    void write(const std::filesystem::path& path) const;

private:
    struct Tensor {
        std::string name;
        GgmlType type;
        std::vector<int64_t> dims;
        std::vector<uint8_t> bytes;
    };
    uint32_t m_alignment;
    std::vector<std::pair<std::string, GgufValue>> m_metadata;
    std::vector<Tensor> m_tensors;
};

// float32 values → the bytes of `type` (F32, F16, BF16 or Q8_0; count whole blocks).
std::vector<uint8_t> encodeTensorData(const float* values, int64_t count, GgmlType type);

} // namespace anatomist::core
