#include "safetensors.h"

#include "atomic_file.h"
#include "errors.h"
#include "mapped_file.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

namespace anatomist::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct DtypeRow {
    StDtype dtype;
    const char* name;
    std::size_t size;
    torch::ScalarType torchType;
};

constexpr DtypeRow kDtypes[] = {
    {StDtype::F64, "F64", 8, torch::kFloat64},  {StDtype::F32, "F32", 4, torch::kFloat32},
    {StDtype::F16, "F16", 2, torch::kFloat16},  {StDtype::BF16, "BF16", 2, torch::kBFloat16},
    {StDtype::I64, "I64", 8, torch::kInt64},    {StDtype::I32, "I32", 4, torch::kInt32},
    {StDtype::I16, "I16", 2, torch::kInt16},    {StDtype::I8, "I8", 1, torch::kInt8},
    {StDtype::U8, "U8", 1, torch::kUInt8},      {StDtype::Bool, "BOOL", 1, torch::kBool},
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

const char* stDtypeName(StDtype dtype) { return row(dtype).name; }
std::size_t stDtypeSize(StDtype dtype) { return row(dtype).size; }
torch::ScalarType toTorch(StDtype dtype) { return row(dtype).torchType; }

StDtype fromTorch(torch::ScalarType type) {
    for (const auto& r : kDtypes)
        if (r.torchType == type)
            return r.dtype;
    throw InvalidArgument(std::string("safetensors cannot store torch dtype ") +
                          c10::toString(type));
}

int64_t StTensorInfo::numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const fs::path& path) {
    auto file = std::make_shared<SafetensorsFile>();
    file->m_file = MappedFile::open(path);
    const auto& mapped = *file->m_file;
    if (mapped.size() < 8)
        throw FormatError(path.string() + ": too short for a safetensors file (" +
                          std::to_string(mapped.size()) + " bytes)");
    const uint64_t headerSize = readLe64(mapped.data());
    if (headerSize > kMaxHeaderBytes)
        throw FormatError(path.string() + ": header length " + std::to_string(headerSize) +
                          " exceeds the " + std::to_string(kMaxHeaderBytes) + "-byte limit");
    if (headerSize > mapped.size() - 8)
        throw FormatError(path.string() + ": header length " + std::to_string(headerSize) +
                          " runs past the end of the file (" + std::to_string(mapped.size()) +
                          " bytes; truncated?)");
    file->m_dataOffset = 8 + headerSize;
    const uint64_t dataSize = mapped.size() - file->m_dataOffset;

    json header;
    try {
        const char* begin = reinterpret_cast<const char*>(mapped.data() + 8);
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
                    file->m_metadata[k] = v.get<std::string>();
            continue;
        }
        file->m_tensors.push_back(parseEntry(path, name, value, dataSize));
    }

    std::vector<const StTensorInfo*> byOffset;
    for (const auto& t : file->m_tensors)
        byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](auto* a, auto* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    for (std::size_t i = 1; i < byOffset.size(); ++i) {
        if (byOffset[i]->begin < byOffset[i - 1]->end)
            throw FormatError(path.string() + ": tensors '" + byOffset[i - 1]->name + "' and '" +
                              byOffset[i]->name + "' overlap");
    }
    std::sort(file->m_tensors.begin(), file->m_tensors.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return file;
}

const fs::path& SafetensorsFile::path() const { return m_file->path(); }

const StTensorInfo* SafetensorsFile::find(std::string_view name) const {
    auto it = std::lower_bound(m_tensors.begin(), m_tensors.end(), name,
                               [](const StTensorInfo& t, std::string_view n) { return t.name < n; });
    return it != m_tensors.end() && it->name == name ? &*it : nullptr;
}

torch::Tensor SafetensorsFile::load(const StTensorInfo& info,
                                    std::optional<torch::ScalarType> as) const {
    const torch::ScalarType stored = toTorch(info.dtype);
    const std::size_t elementSize = stDtypeSize(info.dtype);
    uint8_t* ptr = m_file->mutableData() + m_dataOffset + info.begin;
    const auto options = torch::TensorOptions().dtype(stored);
    torch::Tensor view;
    if (reinterpret_cast<uintptr_t>(ptr) % elementSize == 0 && info.numel() > 0) {
        auto keepAlive = m_file;
        view = torch::from_blob(
            ptr, info.shape, [keepAlive](void*) mutable { keepAlive.reset(); }, options);
    } else {
        view = torch::empty(info.shape, options);
        if (info.numel() > 0)
            std::memcpy(view.data_ptr(), ptr, info.end - info.begin);
    }
    if (as && *as != stored)
        return view.to(*as);
    return view;
}

// ---------------------------------------------------------------------------------------------

SafetensorsCheckpoint SafetensorsCheckpoint::open(const fs::path& path) {
    std::error_code ec;
    fs::path indexFile;
    std::vector<fs::path> files;
    if (fs::is_directory(path, ec)) {
        if (fs::exists(path / "model.safetensors"))
            files.push_back(path / "model.safetensors");
        else if (fs::exists(path / "model.safetensors.index.json"))
            indexFile = path / "model.safetensors.index.json";
        else {
            for (const char* pickled : {"pytorch_model.bin", "pytorch_model.bin.index.json",
                                        "model.pt", "model.pth", "consolidated.00.pth"}) {
                if (fs::exists(path / pickled))
                    throw UnsafeFormat(
                        (path / pickled).string() +
                        ": pickled PyTorch checkpoints can run arbitrary code when loaded, so "
                        "Anatomist does not open them. Convert the model to safetensors "
                        "(e.g. save_pretrained(..., safe_serialization=True)) and try again");
            }
            throw IoError(path.string() +
                          ": no model.safetensors or model.safetensors.index.json in this folder");
        }
    } else if (path.extension() == ".json") {
        indexFile = path;
    } else if (path.extension() == ".bin" || path.extension() == ".pt" ||
               path.extension() == ".pth" || path.extension() == ".ckpt") {
        throw UnsafeFormat(path.string() +
                           ": pickled checkpoints can run arbitrary code when loaded, so Anatomist "
                           "does not open them. Convert the model to safetensors and try again");
    } else {
        files.push_back(path);
    }

    SafetensorsCheckpoint checkpoint;
    std::map<std::string, std::string> weightMap;
    if (!indexFile.empty()) {
        std::ifstream in(indexFile, std::ios::binary);
        if (!in)
            throw IoError(indexFile.string() + ": cannot open");
        json index;
        try {
            index = json::parse(in);
        } catch (const json::exception& e) {
            throw FormatError(indexFile.string() + ": not valid JSON (" + e.what() + ")");
        }
        if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
            throw FormatError(indexFile.string() + ": missing object 'weight_map'");
        std::set<std::string> shardNames;
        for (const auto& [name, shard] : index["weight_map"].items()) {
            if (!shard.is_string())
                throw FormatError(indexFile.string() + ": weight_map['" + name +
                                  "'] is not a file name");
            const auto shardName = shard.get<std::string>();
            if (shardName.find('/') != std::string::npos || shardName.find('\\') != std::string::npos ||
                shardName == ".." || shardName.empty())
                throw FormatError(indexFile.string() + ": weight_map['" + name +
                                  "'] names '" + shardName + "', which is not a plain file name");
            weightMap[name] = shardName;
            shardNames.insert(shardName);
        }
        for (const auto& shard : shardNames)
            files.push_back(indexFile.parent_path() / shard);
    }

    for (const auto& file : files) {
        if (!fs::exists(file, ec))
            throw IoError(file.string() + ": missing checkpoint file");
        checkpoint.m_files.push_back(SafetensorsFile::open(file));
    }
    for (const auto& file : checkpoint.m_files) {
        for (const auto& info : file->tensors()) {
            const auto [it, inserted] = checkpoint.m_entries.emplace(info.name, Entry{file.get(), &info});
            if (!inserted)
                throw FormatError(file->path().string() + ": tensor '" + info.name +
                                  "' also appears in " + it->second.file->path().string());
            if (!weightMap.empty()) {
                auto w = weightMap.find(info.name);
                if (w == weightMap.end() || w->second != file->path().filename().string())
                    throw FormatError(indexFile.string() + ": tensor '" + info.name + "' is in " +
                                      file->path().filename().string() +
                                      " but the index does not list it there");
            }
        }
    }
    for (const auto& [name, shard] : weightMap) {
        if (!checkpoint.m_entries.count(name))
            throw MissingTensor((indexFile.parent_path() / shard).string() + ": tensor '" + name +
                                "' listed in the index is not in the file");
    }
    return checkpoint;
}

std::vector<std::string> SafetensorsCheckpoint::names() const {
    std::vector<std::string> out;
    out.reserve(m_entries.size());
    for (const auto& [name, entry] : m_entries)
        out.push_back(name);
    return out;
}

bool SafetensorsCheckpoint::contains(std::string_view name) const {
    return m_entries.find(name) != m_entries.end();
}

const SafetensorsCheckpoint::Entry& SafetensorsCheckpoint::entry(std::string_view name) const {
    auto it = m_entries.find(name);
    if (it == m_entries.end()) {
        const std::string where = m_files.empty() ? std::string("checkpoint")
                                                  : m_files.front()->path().string();
        throw MissingTensor(where + ": tensor '" + std::string(name) + "' is missing");
    }
    return it->second;
}

const StTensorInfo& SafetensorsCheckpoint::info(std::string_view name) const {
    return *entry(name).info;
}

const fs::path& SafetensorsCheckpoint::fileOf(std::string_view name) const {
    return entry(name).file->path();
}

torch::Tensor SafetensorsCheckpoint::load(std::string_view name,
                                          std::optional<torch::ScalarType> as) const {
    const auto& e = entry(name);
    return e.file->load(*e.info, as);
}

std::string SafetensorsCheckpoint::description() const {
    return m_files.empty() ? std::string("checkpoint") : m_files.front()->path().string();
}

uint64_t SafetensorsCheckpoint::totalBytes() const {
    uint64_t total = 0;
    for (const auto& [name, e] : m_entries)
        total += e.info->end - e.info->begin;
    return total;
}

// ---------------------------------------------------------------------------------------------

void writeSafetensors(const fs::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<std::pair<std::string, torch::Tensor>> sorted;
    sorted.reserve(tensors.size());
    std::set<std::string> seen;
    for (const auto& [name, tensor] : tensors) {
        if (!seen.insert(name).second)
            throw InvalidArgument(path.string() + ": tensor '" + name + "' given twice");
        sorted.emplace_back(name, tensor.detach().to(torch::kCPU).contiguous());
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });

    json header = json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const auto& [name, tensor] : sorted) {
        const StDtype dtype = fromTorch(tensor.scalar_type());
        const uint64_t bytes = static_cast<uint64_t>(tensor.numel()) * stDtypeSize(dtype);
        header[name] = {{"dtype", stDtypeName(dtype)},
                        {"shape", tensor.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string headerText = header.dump();
    while ((8 + headerText.size()) % 8 != 0)
        headerText.push_back(' ');

    writeFileAtomically(path, [&](std::ostream& out) {
        uint8_t length[8];
        uint64_t n = headerText.size();
        for (int i = 0; i < 8; ++i, n >>= 8)
            length[i] = static_cast<uint8_t>(n & 0xff);
        out.write(reinterpret_cast<const char*>(length), 8);
        out.write(headerText.data(), static_cast<std::streamsize>(headerText.size()));
        for (const auto& [name, tensor] : sorted)
            out.write(static_cast<const char*>(tensor.data_ptr()),
                      static_cast<std::streamsize>(tensor.nbytes()));
    });
}

} // namespace anatomist::core
