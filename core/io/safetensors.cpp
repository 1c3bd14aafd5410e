#include "safetensors.h"

#include "atomic_file.h"
#include "errors.h"
#include "input_file.h"
#include "mapped_file.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <torch/types.h>

namespace anatomist::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct TorchDtype {
    StDtype dtype;
    torch::ScalarType torchType;
};

constexpr TorchDtype kTorchDtypes[] = {
    {StDtype::F64, torch::kFloat64}, {StDtype::F32, torch::kFloat32},
    {StDtype::F16, torch::kFloat16}, {StDtype::BF16, torch::kBFloat16},
    {StDtype::I64, torch::kInt64},   {StDtype::I32, torch::kInt32},
    {StDtype::I16, torch::kInt16},   {StDtype::I8, torch::kInt8},
    {StDtype::U8, torch::kUInt8},    {StDtype::Bool, torch::kBool},
};

} // namespace

torch::ScalarType toTorch(StDtype dtype) {
    for (const auto& r : kTorchDtypes)
        if (r.dtype == dtype)
            return r.torchType;
    throw std::logic_error("unknown StDtype");
}

StDtype fromTorch(torch::ScalarType type) {
    for (const auto& r : kTorchDtypes)
        if (r.torchType == type)
            return r.dtype;
    throw InvalidArgument(std::string("safetensors cannot store torch dtype ") +
                          c10::toString(type));
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const fs::path& path) {
    auto file = std::make_shared<SafetensorsFile>();
    file->m_file = MappedFile::open(path);
    auto header = parseSafetensorsHeader(file->m_file->data(), file->m_file->size(), path);
    file->m_dataOffset = header.dataOffset;
    file->m_tensors = std::move(header.tensors);
    file->m_metadata = std::move(header.metadata);
    return file;
}

const MappedFile& SafetensorsFile::memory() const {
    return *m_file;
}

const fs::path& SafetensorsFile::path() const {
    return m_file->path();
}

const StTensorInfo* SafetensorsFile::find(std::string_view name) const {
    auto it =
        std::lower_bound(m_tensors.begin(), m_tensors.end(), name,
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

bool SafetensorsFile::holds(const StTensorInfo& info, const torch::Tensor& tensor) const {
    if (!tensor.defined() || tensor.numel() == 0)
        return false;
    const auto* begin = m_file->data() + m_dataOffset + info.begin;
    const auto* p = static_cast<const uint8_t*>(tensor.data_ptr());
    return p >= begin && p < begin + (info.end - info.begin);
}

void SafetensorsFile::release(const StTensorInfo& info) const {
    m_file->release(m_file->data() + m_dataOffset + info.begin, info.end - info.begin);
}

// ---------------------------------------------------------------------------------------------

namespace {

[[noreturn]] void refusePickled(const fs::path& file, const std::string& advice) {
    throw UnsafeFormat(file.string() +
                       ": pickled PyTorch checkpoints can run arbitrary code when loaded, so "
                       "Anatomist does not open them. Convert the model to safetensors" +
                       advice + " and try again");
}

// What `path` names: one .safetensors file, or the index of a sharded checkpoint. Pickled
// checkpoints are refused.
struct CheckpointLocation {
    fs::path indexFile; // empty: not sharded
    std::vector<fs::path> files;
};

CheckpointLocation locateCheckpoint(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (entryExists(path / "model.safetensors"))
            return {{}, {path / "model.safetensors"}};
        if (entryExists(path / "model.safetensors.index.json"))
            return {path / "model.safetensors.index.json", {}};
        for (const char* pickled : {"pytorch_model.bin", "pytorch_model.bin.index.json", "model.pt",
                                    "model.pth", "consolidated.00.pth"})
            if (entryExists(path / pickled))
                refusePickled(path / pickled,
                              " (e.g. save_pretrained(..., safe_serialization=True))");
        throw IoError(path.string() +
                      ": no model.safetensors or model.safetensors.index.json in this folder");
    }
    if (path.extension() == ".json")
        return {path, {}};
    if (path.extension() == ".bin" || path.extension() == ".pt" || path.extension() == ".pth" ||
        path.extension() == ".ckpt")
        refusePickled(path, "");
    return {{}, {path}};
}

// The index's weight_map (tensor → shard file name); the shards are appended to `files`.
std::map<std::string, std::string> readShardIndex(const fs::path& indexFile,
                                                  std::vector<fs::path>& files) {
    auto in = openInputFile(indexFile);
    json index;
    try {
        index = json::parse(in);
    } catch (const json::exception& e) {
        throw FormatError(indexFile.string() + ": not valid JSON (" + e.what() + ")");
    }
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
        throw FormatError(indexFile.string() + ": missing object 'weight_map'");
    std::map<std::string, std::string> weightMap;
    std::set<std::string> shardNames;
    for (const auto& [name, shard] : index["weight_map"].items()) {
        if (!shard.is_string())
            throw FormatError(indexFile.string() + ": weight_map['" + name +
                              "'] is not a file name");
        const auto shardName = shard.get<std::string>();
        if (shardName.find('/') != std::string::npos || shardName.find('\\') != std::string::npos ||
            shardName == ".." || shardName.empty())
            throw FormatError(indexFile.string() + ": weight_map['" + name + "'] names '" +
                              shardName + "', which is not a plain file name");
        weightMap[name] = shardName;
        shardNames.insert(shardName);
    }
    for (const auto& shard : shardNames)
        files.push_back(indexFile.parent_path() / shard);
    return weightMap;
}

} // namespace

SafetensorsCheckpoint SafetensorsCheckpoint::open(const fs::path& path) {
    auto [indexFile, files] = locateCheckpoint(path);
    const auto weightMap =
        indexFile.empty() ? std::map<std::string, std::string>{} : readShardIndex(indexFile, files);
    SafetensorsCheckpoint checkpoint;
    for (const auto& file : files) {
        if (!entryExists(file))
            throw IoError(file.string() + ": missing checkpoint file");
        checkpoint.m_files.push_back(SafetensorsFile::open(file));
    }
    for (const auto& file : checkpoint.m_files) {
        for (const auto& info : file->tensors()) {
            const auto [it, inserted] =
                checkpoint.m_entries.emplace(info.name, Entry{file.get(), &info});
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
        const std::string where =
            m_files.empty() ? std::string("checkpoint") : m_files.front()->path().string();
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

StoredTensor SafetensorsCheckpoint::stored(std::string_view name) const {
    const auto& i = info(name);
    return {stDtypeName(i.dtype), i.end - i.begin};
}

bool SafetensorsCheckpoint::sharesMemory(std::string_view name, const torch::Tensor& tensor) const {
    const auto& e = entry(name);
    return e.file->holds(*e.info, tensor);
}

void SafetensorsCheckpoint::release(std::string_view name) const {
    const auto& e = entry(name);
    e.file->release(*e.info);
}

std::string SafetensorsCheckpoint::description() const {
    return m_files.empty() ? std::string("checkpoint") : m_files.front()->path().string();
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
