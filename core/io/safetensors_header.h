#pragma once
// The safetensors header, parsed and checked without torch: the 8-byte length, the JSON header
// (dtype, shape, data_offsets of every tensor, "__metadata__"), each tensor's byte range against
// the data section and against the others. safetensors.h builds the mapped reader on it; the fuzz
// targets call it directly.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace anatomist::core {

enum class StDtype { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

const char* stDtypeName(StDtype dtype);
std::size_t stDtypeSize(StDtype dtype);

struct StTensorInfo {
    std::string name;
    StDtype dtype = StDtype::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0; // byte offsets relative to the start of the data section
    uint64_t end = 0;
    int64_t numel() const;
};

struct SafetensorsHeader {
    uint64_t dataOffset = 0;           // 8 + header length
    std::vector<StTensorInfo> tensors; // sorted by name
    std::map<std::string, std::string> metadata;
};

// Same cap as the reference Rust implementation: a larger header is refused before parsing.
inline constexpr uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;

// Parses the `size` bytes of a whole safetensors file; FormatError naming `path` and the problem.
SafetensorsHeader parseSafetensorsHeader(const uint8_t* data, std::size_t size,
                                         const std::filesystem::path& path);

} // namespace anatomist::core
