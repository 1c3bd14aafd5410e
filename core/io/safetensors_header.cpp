#include "safetensors_header.h"

#include "errors.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace anatomist::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct DtypeRow {
    StDtype dtype;
    const char* name;
    std::size_t size;
};

constexpr DtypeRow kDtypes[] = {
    {StDtype::F64, "F64", 8},   {StDtype::F32, "F32", 4}, {StDtype::F16, "F16", 2},
    {StDtype::BF16, "BF16", 2}, {StDtype::I64, "I64", 8}, {StDtype::I32, "I32", 4},
    {StDtype::I16, "I16", 2},   {StDtype::I8, "I8", 1},   {StDtype::U8, "U8", 1},
    {StDtype::Bool, "BOOL", 1},
};

const DtypeRow& row(StDtype dtype) {
    for (const auto& r : kDtypes)
        if (r.dtype == dtype)
            return r;
    throw std::logic_error("unknown StDtype");
}

std::optional<StDtype> parseDtype(std::string_view name) {
    for (const auto& r : kDtypes)
        if (name == r.name)
            return r.dtype;
    return std::nullopt;
}

uint64_t readLe64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

// Multiplies non-negative dims, failing on overflow instead of wrapping.
std::optional<uint64_t> checkedBytes(const std::vector<int64_t>& shape, std::size_t elementSize) {
    uint64_t n = elementSize;
    for (int64_t d : shape) {
        if (d < 0)
            return std::nullopt;
        if (d != 0 && n > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
            return std::nullopt;
        n *= static_cast<uint64_t>(d);
    }
    return n;
}

StTensorInfo parseEntry(const fs::path& path, const std::string& name, const json& value,
                        uint64_t dataSize) {
    const std::string where = path.string() + ": tensor '" + name + "'";
    if (!value.is_object())
        throw FormatError(where + ": header entry is not an object");
    StTensorInfo info;
    info.name = name;

    const auto dtypeIt = value.find("dtype");
    if (dtypeIt == value.end() || !dtypeIt->is_string())
        throw FormatError(where + ": missing or non-string 'dtype'");
    const auto dtype = parseDtype(dtypeIt->get<std::string>());
    if (!dtype)
        throw FormatError(where + ": unsupported dtype '" + dtypeIt->get<std::string>() +
                          "' (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
    info.dtype = *dtype;

    const auto shapeIt = value.find("shape");
    if (shapeIt == value.end() || !shapeIt->is_array())
        throw FormatError(where + ": missing or non-array 'shape'");
    for (const auto& d : *shapeIt) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0)
            throw FormatError(where + ": shape entries must be non-negative integers");
        info.shape.push_back(d.get<int64_t>());
    }

    const auto offIt = value.find("data_offsets");
    if (offIt == value.end() || !offIt->is_array() || offIt->size() != 2 ||
        !(*offIt)[0].is_number_unsigned() || !(*offIt)[1].is_number_unsigned())
        throw FormatError(where + ": 'data_offsets' must be two non-negative integers");
    info.begin = (*offIt)[0].get<uint64_t>();
    info.end = (*offIt)[1].get<uint64_t>();
    if (info.begin > info.end)
        throw FormatError(where + ": data_offsets [" + std::to_string(info.begin) + ", " +
                          std::to_string(info.end) + "] are reversed");
    if (info.end > dataSize)
        throw FormatError(where + ": data_offsets end " + std::to_string(info.end) +
                          " lies beyond the data section (" + std::to_string(dataSize) +
                          " bytes; file truncated?)");
    const auto bytes = checkedBytes(info.shape, row(info.dtype).size);
    if (!bytes)
        throw FormatError(where + ": shape " + formatShape(info.shape) + " is too large");
    if (*bytes != info.end - info.begin)
        throw FormatError(where + ": shape " + formatShape(info.shape) + " of " +
                          row(info.dtype).name + " needs " + std::to_string(*bytes) +
                          " bytes but data_offsets span " + std::to_string(info.end - info.begin));
    return info;
}

} // namespace

const char* stDtypeName(StDtype dtype) {
    return row(dtype).name;
}
std::size_t stDtypeSize(StDtype dtype) {
    return row(dtype).size;
}

int64_t StTensorInfo::numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

SafetensorsHeader parseSafetensorsHeader(const uint8_t* data, std::size_t size,
                                         const fs::path& path) {
    SafetensorsHeader out;
    if (size < 8)
        throw FormatError(path.string() + ": too short for a safetensors file (" +
                          std::to_string(size) + " bytes)");
    const uint64_t headerSize = readLe64(data);
    if (headerSize > kSafetensorsMaxHeaderBytes)
        throw FormatError(path.string() + ": header length " + std::to_string(headerSize) +
                          " exceeds the " + std::to_string(kSafetensorsMaxHeaderBytes) +
                          "-byte limit");
    if (headerSize > size - 8)
        throw FormatError(path.string() + ": header length " + std::to_string(headerSize) +
                          " runs past the end of the file (" + std::to_string(size) +
                          " bytes; truncated?)");
    out.dataOffset = 8 + headerSize;
    const uint64_t dataSize = size - out.dataOffset;

    json header;
    try {
        const char* begin = reinterpret_cast<const char*>(data + 8);
        header = json::parse(begin, begin + headerSize);
    } catch (const json::exception& e) {
        throw FormatError(path.string() + ": header is not valid JSON (" + e.what() + ")");
    }
    if (!header.is_object())
        throw FormatError(path.string() + ": header is not a JSON object");

    for (const auto& [name, value] : header.items()) {
        if (name == "__metadata__") {
            if (!value.is_object())
                throw FormatError(path.string() + ": '__metadata__' is not an object");
            for (const auto& [k, v] : value.items())
                if (v.is_string())
                    out.metadata[k] = v.get<std::string>();
            continue;
        }
        out.tensors.push_back(parseEntry(path, name, value, dataSize));
    }

    std::vector<const StTensorInfo*> byOffset;
    for (const auto& t : out.tensors)
        byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](auto* a, auto* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    for (std::size_t i = 1; i < byOffset.size(); ++i) {
        if (byOffset[i]->begin < byOffset[i - 1]->end)
            throw FormatError(path.string() + ": tensors '" + byOffset[i - 1]->name + "' and '" +
                              byOffset[i]->name + "' overlap");
    }
    std::sort(out.tensors.begin(), out.tensors.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

} // namespace anatomist::core
