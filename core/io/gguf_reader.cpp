#include "gguf_reader.h"

#include "errors.h"
#include "mapped_file.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

constexpr uint32_t kMaxDims = 4; // ref: ggml.h GGML_MAX_DIMS

// Reads little-endian values from the mapping; every read is checked against the end, and the
// messages say what was being read.
class Cursor {
public:
    Cursor(const uint8_t* data, uint64_t size, std::string file)
        : m_data(data)
        , m_size(size)
        , m_file(std::move(file)) {}

    uint64_t pos() const { return m_pos; }
    uint64_t remaining() const { return m_size - m_pos; }
    const std::string& file() const { return m_file; }

    [[noreturn]] void fail(const std::string& what, const std::string& problem) const {
        throw FormatError(m_file + ": " + what + ": " + problem);
    }

    const uint8_t* take(uint64_t n, const std::string& what) {
        if (n > remaining())
            fail(what, "needs " + std::to_string(n) + " bytes at offset " + std::to_string(m_pos) +
                           " but the file ends after " + std::to_string(remaining()) +
                           " (truncated?)");
        const uint8_t* p = m_data + m_pos;
        m_pos += n;
        return p;
    }

    template <typename T> T read(const std::string& what) {
        T value;
        std::memcpy(&value, take(sizeof(T), what), sizeof(T)); // GGUF is little-endian, as are we
        return value;
    }

    std::string readString(const std::string& what) {
        const auto length = read<uint64_t>(what + " (string length)");
        if (length > remaining())
            fail(what, "string length " + std::to_string(length) +
                           " runs past the end of the file (" + std::to_string(remaining()) +
                           " bytes left)");
        const auto* p = take(length, what);
        return std::string(reinterpret_cast<const char*>(p), length);
    }

private:
    const uint8_t* m_data;
    uint64_t m_size;
    uint64_t m_pos = 0;
    std::string m_file;
};

// The smallest number of bytes one value of `type` occupies (a string: its 8-byte length).
uint64_t minimumBytes(GgufType type) {
    switch (type) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::Bool:
        return 1;
    case GgufType::U16:
    case GgufType::I16:
        return 2;
    case GgufType::U32:
    case GgufType::I32:
    case GgufType::F32:
        return 4;
    case GgufType::U64:
    case GgufType::I64:
    case GgufType::F64:
    case GgufType::String:
        return 8;
    case GgufType::Array:
        return 12;
    }
    return 1;
}

GgufValue readScalar(Cursor& in, GgufType type, const std::string& what) {
    GgufValue v;
    v.type = type;
    switch (type) {
    case GgufType::U8:
        v.i = in.read<uint8_t>(what);
        break;
    case GgufType::I8:
        v.i = in.read<int8_t>(what);
        break;
    case GgufType::U16:
        v.i = in.read<uint16_t>(what);
        break;
    case GgufType::I16:
        v.i = in.read<int16_t>(what);
        break;
    case GgufType::U32:
        v.i = in.read<uint32_t>(what);
        break;
    case GgufType::I32:
        v.i = in.read<int32_t>(what);
        break;
    case GgufType::U64:
        v.u = in.read<uint64_t>(what);
        v.i = static_cast<int64_t>(std::min<uint64_t>(v.u, std::numeric_limits<int64_t>::max()));
        break;
    case GgufType::I64:
        v.i = in.read<int64_t>(what);
        break;
    case GgufType::F32:
        v.f = in.read<float>(what);
        break;
    case GgufType::F64:
        v.f = in.read<double>(what);
        break;
    case GgufType::Bool: {
        const auto raw = in.read<uint8_t>(what);
        if (raw > 1)
            in.fail(what, "bool value " + std::to_string(raw) + " is neither 0 nor 1");
        v.b = raw != 0;
        break;
    }
    case GgufType::String:
        v.s = in.readString(what);
        break;
    case GgufType::Array:
        break; // handled by the caller
    }
    if (type != GgufType::U64 && v.i >= 0)
        v.u = static_cast<uint64_t>(v.i);
    return v;
}

GgufType readType(Cursor& in, const std::string& what) {
    const auto raw = in.read<uint32_t>(what + " (value type)");
    if (!isKnownGgufType(raw))
        in.fail(what, "unknown value type " + std::to_string(raw) + " (GGUF defines 0 to 12)");
    return static_cast<GgufType>(raw);
}

GgufValue readValue(Cursor& in, GgufType type, const std::string& what) {
    if (type != GgufType::Array)
        return readScalar(in, type, what);
    GgufValue v;
    v.type = GgufType::Array;
    v.elementType = readType(in, what + " (array element type)");
    if (v.elementType == GgufType::Array)
        in.fail(what, "arrays of arrays are not supported");
    const auto count = in.read<uint64_t>(what + " (array length)");
    if (count > in.remaining() / minimumBytes(v.elementType))
        in.fail(what, "array length " + std::to_string(count) + " of " +
                          ggufTypeName(v.elementType) + " runs past the end of the file (" +
                          std::to_string(in.remaining()) + " bytes left)");
    v.array.reserve(count);
    for (uint64_t k = 0; k < count; ++k)
        v.array.push_back(readScalar(in, v.elementType, what + "[" + std::to_string(k) + "]"));
    return v;
}

std::string typeText(const GgufValue& v) {
    if (v.type == GgufType::Array)
        return std::string("array of ") + ggufTypeName(v.elementType);
    return ggufTypeName(v.type);
}

bool isIntegerType(GgufType t) {
    switch (t) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::U16:
    case GgufType::I16:
    case GgufType::U32:
    case GgufType::I32:
    case GgufType::U64:
    case GgufType::I64:
        return true;
    default:
        return false;
    }
}

} // namespace

bool GgufValue::isInteger() const {
    return isIntegerType(type);
}

std::vector<int64_t> GgufTensorInfo::shape() const {
    return {dims.rbegin(), dims.rend()};
}

int64_t GgufTensorInfo::numel() const {
    int64_t n = 1;
    for (auto d : dims)
        n *= d;
    return n;
}

std::shared_ptr<GgufFile> GgufFile::open(const fs::path& path) {
    auto file = std::make_shared<GgufFile>();
    file->m_file = MappedFile::open(path);
    const auto& mapped = *file->m_file;
    Cursor in(mapped.data(), mapped.size(), path.string());

    if (mapped.size() < 4 || std::memcmp(mapped.data(), "GGUF", 4) != 0)
        throw FormatError(path.string() + ": not a GGUF file (it does not start with 'GGUF')");
    in.take(4, "magic");
    file->m_version = in.read<uint32_t>("header (version)");
    if (file->m_version == 1)
        throw FormatError(path.string() + ": GGUF version 1 is not supported (re-convert the model "
                                          "with a current llama.cpp)");
    if (file->m_version == 0 || file->m_version > 3)
        throw FormatError(path.string() + ": unsupported GGUF version " +
                          std::to_string(file->m_version) +
                          ((file->m_version & 0xFFFF) == 0 ? " (a big-endian file?)" : "") +
                          "; Anatomist reads versions 2 and 3");
    const auto tensorCount = in.read<uint64_t>("header (tensor count)");
    const auto kvCount = in.read<uint64_t>("header (key/value count)");
    // A key/value takes at least 8 + 4 + 1 bytes, a tensor info 8 + 4 + 4 + 8.
    if (kvCount > in.remaining() / 13)
        throw FormatError(path.string() + ": key/value count " + std::to_string(kvCount) +
                          " is more than the file can hold (truncated or corrupt header)");
    if (tensorCount > in.remaining() / 24)
        throw FormatError(path.string() + ": tensor count " + std::to_string(tensorCount) +
                          " is more than the file can hold (truncated or corrupt header)");

    for (uint64_t n = 0; n < kvCount; ++n) {
        std::string key = in.readString("key " + std::to_string(n));
        if (key.empty())
            throw FormatError(path.string() + ": key " + std::to_string(n) + " is empty");
        const std::string what = "key '" + key + "'";
        const GgufType type = readType(in, what);
        GgufValue value = readValue(in, type, what);
        if (!file->m_keyIndex.emplace(key, file->m_metadata.size()).second)
            throw FormatError(path.string() + ": duplicate key '" + key + "'");
        file->m_metadata.emplace_back(std::move(key), std::move(value));
    }

    if (const auto* a = file->find("general.alignment")) {
        if (a->type != GgufType::U32)
            file->failKey("general.alignment",
                          std::string("must be uint32 but is ") + typeText(*a));
        if (a->i == 0 || (a->i & (a->i - 1)) != 0)
            file->failKey("general.alignment", std::to_string(a->i) + " is not a power of two");
        file->m_alignment = static_cast<uint32_t>(a->i);
    }

    file->m_tensors.reserve(tensorCount);
    for (uint64_t n = 0; n < tensorCount; ++n) {
        GgufTensorInfo info;
        info.name = in.readString("tensor " + std::to_string(n) + " (name)");
        const std::string what = "tensor '" + info.name + "'";
        if (info.name.empty())
            in.fail("tensor " + std::to_string(n), "has an empty name");
        const auto nDims = in.read<uint32_t>(what + " (dimension count)");
        if (nDims > kMaxDims)
            in.fail(what, std::to_string(nDims) + " dimensions (at most " +
                              std::to_string(kMaxDims) + ")");
        uint64_t elements = 1;
        bool overflow = false;
        for (uint32_t d = 0; d < nDims; ++d) {
            const auto dim = in.read<int64_t>(what + " (dimension " + std::to_string(d) + ")");
            if (dim < 0)
                in.fail(what, "dimension " + std::to_string(d) + " is negative (" +
                                  std::to_string(dim) + ")");
            info.dims.push_back(dim);
            if (dim != 0 &&
                elements > uint64_t(std::numeric_limits<int64_t>::max()) / uint64_t(dim))
                overflow = true;
            elements *= uint64_t(dim);
        }
        if (overflow)
            in.fail(what, "has too many elements");
        const auto rawType = in.read<uint32_t>(what + " (type)");
        const auto traits = ggmlTypeTraits(rawType);
        if (!traits)
            in.fail(what, "unknown ggml tensor type " + std::to_string(rawType));
        info.type = traits->type;
        info.offset = in.read<uint64_t>(what + " (offset)");
        const int64_t rowLength = info.dims.empty() ? 1 : info.dims[0];
        if (rowLength % traits->blockSize != 0)
            in.fail(what, std::string("rows of ") + std::to_string(rowLength) +
                              " elements are not a "
                              "whole number of " +
                              traits->name + " blocks (" + std::to_string(traits->blockSize) + ")");
        info.bytes = elements / uint64_t(traits->blockSize) * uint64_t(traits->blockBytes);
        if (info.offset % file->m_alignment != 0)
            in.fail(what, "data offset " + std::to_string(info.offset) +
                              " is not a multiple of the "
                              "alignment " +
                              std::to_string(file->m_alignment) + " (misaligned data)");
        if (!file->m_tensorIndex.emplace(info.name, file->m_tensors.size()).second)
            in.fail(what, "appears twice (duplicate tensor name)");
        file->m_tensors.push_back(std::move(info));
    }

    const uint64_t infoEnd = in.pos();
    file->m_dataOffset = (infoEnd + file->m_alignment - 1) / file->m_alignment * file->m_alignment;
    if (!file->m_tensors.empty() && file->m_dataOffset > mapped.size())
        throw FormatError(path.string() + ": the data section would start at offset " +
                          std::to_string(file->m_dataOffset) + ", past the end of the file (" +
                          std::to_string(mapped.size()) + " bytes; truncated?)");
    const uint64_t dataSize = file->m_tensors.empty() ? 0 : mapped.size() - file->m_dataOffset;
    std::vector<const GgufTensorInfo*> byOffset;
    for (const auto& t : file->m_tensors) {
        if (t.offset > dataSize || t.bytes > dataSize - t.offset)
            throw FormatError(path.string() + ": tensor '" + t.name + "': data [" +
                              std::to_string(t.offset) + ", " + std::to_string(t.offset + t.bytes) +
                              ") lies beyond the data section (" + std::to_string(dataSize) +
                              " bytes; truncated?)");
        byOffset.push_back(&t);
    }
    std::sort(byOffset.begin(), byOffset.end(),
              [](auto* a, auto* b) { return a->offset < b->offset; });
    for (std::size_t k = 1; k < byOffset.size(); ++k)
        if (byOffset[k]->offset < byOffset[k - 1]->offset + byOffset[k - 1]->bytes)
            throw FormatError(path.string() + ": tensors '" + byOffset[k - 1]->name + "' and '" +
                              byOffset[k]->name + "' overlap");
    return file;
}

const fs::path& GgufFile::path() const {
    return m_file->path();
}

void GgufFile::failKey(std::string_view key, const std::string& problem) const {
    throw FormatError(path().string() + ": key '" + std::string(key) + "' " + problem);
}

const GgufValue* GgufFile::find(std::string_view key) const {
    const auto it = m_keyIndex.find(key);
    return it == m_keyIndex.end() ? nullptr : &m_metadata[it->second].second;
}

std::optional<int64_t> GgufFile::optionalInt(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (!v->isInteger())
        failKey(key, "must be an integer but is " + typeText(*v));
    if (v->type == GgufType::U64 && v->u > uint64_t(std::numeric_limits<int64_t>::max()))
        failKey(key, "value " + std::to_string(v->u) + " is too large");
    return v->i;
}

int64_t GgufFile::requireInt(std::string_view key) const {
    if (auto v = optionalInt(key))
        return *v;
    failKey(key, "is missing");
}

std::optional<double> GgufFile::optionalNumber(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (v->isFloat())
        return v->f;
    if (v->isInteger())
        return double(v->i);
    failKey(key, "must be a number but is " + typeText(*v));
}

double GgufFile::requireNumber(std::string_view key) const {
    if (auto v = optionalNumber(key))
        return *v;
    failKey(key, "is missing");
}

std::optional<std::string> GgufFile::optionalString(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (v->type != GgufType::String)
        failKey(key, "must be a string but is " + typeText(*v));
    return v->s;
}

std::string GgufFile::requireString(std::string_view key) const {
    if (auto v = optionalString(key))
        return *v;
    failKey(key, "is missing");
}

std::optional<bool> GgufFile::optionalBool(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (v->type != GgufType::Bool)
        failKey(key, "must be a bool but is " + typeText(*v));
    return v->b;
}

std::optional<std::vector<int64_t>> GgufFile::optionalIntArray(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (v->type != GgufType::Array || !isIntegerType(v->elementType))
        failKey(key, "must be an array of integers but is " + typeText(*v));
    std::vector<int64_t> out;
    out.reserve(v->array.size());
    for (const auto& e : v->array)
        out.push_back(e.i);
    return out;
}

std::optional<std::vector<double>> GgufFile::optionalNumberArray(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (v->type != GgufType::Array ||
        (v->elementType != GgufType::F32 && v->elementType != GgufType::F64))
        failKey(key, "must be an array of floats but is " + typeText(*v));
    std::vector<double> out;
    out.reserve(v->array.size());
    for (const auto& e : v->array)
        out.push_back(e.f);
    return out;
}

std::optional<std::vector<std::string>> GgufFile::optionalStringArray(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (v->type != GgufType::Array || v->elementType != GgufType::String)
        failKey(key, "must be an array of strings but is " + typeText(*v));
    std::vector<std::string> out;
    out.reserve(v->array.size());
    for (const auto& e : v->array)
        out.push_back(e.s);
    return out;
}

std::optional<std::vector<int64_t>> GgufFile::optionalIntOrArray(std::string_view key) const {
    const auto* v = find(key);
    if (!v)
        return std::nullopt;
    if (v->type == GgufType::Array)
        return optionalIntArray(key);
    return std::vector<int64_t>{*optionalInt(key)};
}

const GgufTensorInfo* GgufFile::findTensor(std::string_view name) const {
    const auto it = m_tensorIndex.find(name);
    return it == m_tensorIndex.end() ? nullptr : &m_tensors[it->second];
}

std::span<const uint8_t> GgufFile::data(const GgufTensorInfo& info) const {
    return {m_file->data() + m_dataOffset + info.offset, info.bytes};
}

} // namespace anatomist::core
