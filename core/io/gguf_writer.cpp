#include "gguf_writer.h"

#include "atomic_file.h"
#include "errors.h"
#include "gguf_dequant.h"

#include <algorithm>
#include <cstring>
#include <set>

namespace anatomist::core {

namespace {

class Out {
public:
    explicit Out(std::ostream& out)
        : m_out(out) {}
    void bytes(const void* p, std::size_t n) {
        m_out.write(static_cast<const char*>(p), static_cast<std::streamsize>(n));
        m_written += n;
    }
    template <typename T> void put(T value) { bytes(&value, sizeof(T)); }
    void string(const std::string& s) {
        put<uint64_t>(s.size());
        bytes(s.data(), s.size());
    }
    void pad(uint64_t alignment) {
        static const char zeros[64] = {};
        while (m_written % alignment != 0)
            bytes(zeros, std::min<uint64_t>(64, alignment - m_written % alignment));
    }

private:
    std::ostream& m_out;
    uint64_t m_written = 0;
};

void putScalar(Out& out, const GgufValue& v, GgufType type) {
    switch (type) {
    case GgufType::U8:
        out.put<uint8_t>(uint8_t(v.i));
        break;
    case GgufType::I8:
        out.put<int8_t>(int8_t(v.i));
        break;
    case GgufType::U16:
        out.put<uint16_t>(uint16_t(v.i));
        break;
    case GgufType::I16:
        out.put<int16_t>(int16_t(v.i));
        break;
    case GgufType::U32:
        out.put<uint32_t>(uint32_t(v.i));
        break;
    case GgufType::I32:
        out.put<int32_t>(int32_t(v.i));
        break;
    case GgufType::U64:
        out.put<uint64_t>(v.u);
        break;
    case GgufType::I64:
        out.put<int64_t>(v.i);
        break;
    case GgufType::F32:
        out.put<float>(float(v.f));
        break;
    case GgufType::F64:
        out.put<double>(v.f);
        break;
    case GgufType::Bool:
        out.put<uint8_t>(v.b ? 1 : 0);
        break;
    case GgufType::String:
        out.string(v.s);
        break;
    case GgufType::Array:
        throw InvalidArgument("GGUF: nested arrays cannot be written");
    }
}

GgufValue intValue(GgufType type, int64_t value) {
    GgufValue v;
    v.type = type;
    v.i = value;
    v.u = uint64_t(value);
    return v;
}

} // namespace

GgufWriter::GgufWriter(uint32_t alignment)
    : m_alignment(alignment) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        throw InvalidArgument("GGUF alignment " + std::to_string(alignment) +
                              " is not a power of two");
    if (alignment != GgufFile::kDefaultAlignment)
        setU32("general.alignment", alignment);
}

void GgufWriter::set(const std::string& key, GgufValue value) {
    for (auto& [k, v] : m_metadata)
        if (k == key) {
            v = std::move(value);
            return;
        }
    m_metadata.emplace_back(key, std::move(value));
}

void GgufWriter::setU32(const std::string& key, uint32_t value) {
    set(key, intValue(GgufType::U32, value));
}
void GgufWriter::setI32(const std::string& key, int32_t value) {
    set(key, intValue(GgufType::I32, value));
}

void GgufWriter::setF32(const std::string& key, float value) {
    GgufValue v;
    v.type = GgufType::F32;
    v.f = value;
    set(key, v);
}

void GgufWriter::setBool(const std::string& key, bool value) {
    GgufValue v;
    v.type = GgufType::Bool;
    v.b = value;
    set(key, v);
}

void GgufWriter::setString(const std::string& key, const std::string& value) {
    GgufValue v;
    v.type = GgufType::String;
    v.s = value;
    set(key, v);
}

void GgufWriter::setStringArray(const std::string& key, const std::vector<std::string>& values) {
    GgufValue v;
    v.type = GgufType::Array;
    v.elementType = GgufType::String;
    for (const auto& s : values) {
        GgufValue e;
        e.type = GgufType::String;
        e.s = s;
        v.array.push_back(std::move(e));
    }
    set(key, std::move(v));
}

void GgufWriter::setF32Array(const std::string& key, const std::vector<float>& values) {
    GgufValue v;
    v.type = GgufType::Array;
    v.elementType = GgufType::F32;
    for (float f : values) {
        GgufValue e;
        e.type = GgufType::F32;
        e.f = f;
        v.array.push_back(e);
    }
    set(key, std::move(v));
}

void GgufWriter::setI32Array(const std::string& key, const std::vector<int32_t>& values) {
    GgufValue v;
    v.type = GgufType::Array;
    v.elementType = GgufType::I32;
    for (int32_t i : values)
        v.array.push_back(intValue(GgufType::I32, i));
    set(key, std::move(v));
}

void GgufWriter::setU32Array(const std::string& key, const std::vector<uint32_t>& values) {
    GgufValue v;
    v.type = GgufType::Array;
    v.elementType = GgufType::U32;
    for (uint32_t u : values)
        v.array.push_back(intValue(GgufType::U32, u));
    set(key, std::move(v));
}

void GgufWriter::setBoolArray(const std::string& key, const std::vector<bool>& values) {
    GgufValue v;
    v.type = GgufType::Array;
    v.elementType = GgufType::Bool;
    for (bool b : values) {
        GgufValue e;
        e.type = GgufType::Bool;
        e.b = b;
        v.array.push_back(e);
    }
    set(key, std::move(v));
}

void GgufWriter::addTensor(const std::string& name, GgmlType type, std::vector<int64_t> dims,
                           std::vector<uint8_t> bytes) {
    const auto& traits = ggmlTraits(type);
    int64_t count = 1;
    for (auto d : dims)
        count *= d;
    if (dims.empty() || dims.size() > 4 || dims[0] % traits.blockSize != 0 ||
        uint64_t(count / traits.blockSize * traits.blockBytes) != bytes.size())
        throw InvalidArgument("GGUF tensor '" + name + "': " + std::to_string(bytes.size()) +
                              " bytes do not fit its dims as " + traits.name);
    for (const auto& t : m_tensors)
        if (t.name == name)
            throw InvalidArgument("GGUF tensor '" + name + "' added twice");
    m_tensors.push_back({name, type, std::move(dims), std::move(bytes)});
}

void GgufWriter::write(const std::filesystem::path& path) const {
    writeFileAtomically(path, [&](std::ostream& stream) {
        Out out(stream);
        out.bytes("GGUF", 4);
        out.put<uint32_t>(3);
        out.put<uint64_t>(m_tensors.size());
        out.put<uint64_t>(m_metadata.size());
        for (const auto& [key, value] : m_metadata) {
            out.string(key);
            out.put<uint32_t>(static_cast<uint32_t>(value.type));
            if (value.type == GgufType::Array) {
                out.put<uint32_t>(static_cast<uint32_t>(value.elementType));
                out.put<uint64_t>(value.array.size());
                for (const auto& e : value.array)
                    putScalar(out, e, value.elementType);
            } else {
                putScalar(out, value, value.type);
            }
        }
        uint64_t offset = 0;
        for (const auto& t : m_tensors) {
            out.string(t.name);
            out.put<uint32_t>(uint32_t(t.dims.size()));
            for (auto d : t.dims)
                out.put<int64_t>(d);
            out.put<uint32_t>(static_cast<uint32_t>(t.type));
            out.put<uint64_t>(offset);
            offset += (t.bytes.size() + m_alignment - 1) / m_alignment * m_alignment;
        }
        out.pad(m_alignment);
        for (const auto& t : m_tensors) {
            out.bytes(t.bytes.data(), t.bytes.size());
            out.pad(m_alignment);
        }
    });
}

std::vector<uint8_t> encodeTensorData(const float* values, int64_t count, GgmlType type) {
    std::vector<uint8_t> out;
    switch (type) {
    case GgmlType::F32:
        out.resize(std::size_t(count) * 4);
        std::memcpy(out.data(), values, out.size());
        return out;
    case GgmlType::F16:
    case GgmlType::BF16:
        out.resize(std::size_t(count) * 2);
        for (int64_t k = 0; k < count; ++k) {
            const uint16_t h =
                type == GgmlType::F16 ? floatToHalf(values[k]) : floatToBf16(values[k]);
            out[2 * k] = uint8_t(h & 0xFF);
            out[2 * k + 1] = uint8_t(h >> 8);
        }
        return out;
    case GgmlType::Q8_0:
        out.resize(std::size_t(count / 32 * 34));
        quantizeQ8_0(values, out.data(), count);
        return out;
    default:
        break;
    }
    throw InvalidArgument(
        std::string("Anatomist writes GGUF tensors as F32, F16, BF16 or Q8_0, not ") +
        ggmlTraits(type).name);
}

} // namespace anatomist::core
