#pragma once
// safetensors (https://github.com/huggingface/safetensors): an 8-byte little-endian header length,
// a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then raw tensor bytes.
// The reader maps the file and validates every offset, length and dtype against the file size
// before anything touches the data. Tensors are returned zero-copy where alignment and dtype allow.

#include "io/safetensors_header.h"
#include "io/tensor_source.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <torch/types.h>
#include <utility>
#include <vector>

namespace anatomist::core {

class MappedFile;

torch::ScalarType toTorch(StDtype dtype);
// Throws InvalidArgument for torch dtypes safetensors (as we write it) does not carry.
StDtype fromTorch(torch::ScalarType type);

class SafetensorsFile {
public:
    static constexpr uint64_t kMaxHeaderBytes = kSafetensorsMaxHeaderBytes;

    // Throws IoError / FormatError naming the file and the problem.
    static std::shared_ptr<SafetensorsFile> open(const std::filesystem::path& path);

    const std::filesystem::path& path() const;
    const std::vector<StTensorInfo>& tensors() const { return m_tensors; } // sorted by name
    const StTensorInfo* find(std::string_view name) const;
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

    // The tensor's data, converted to `as` when given. Shares the mapping (copy-on-write) when the
    // dtype already matches and the data is aligned; otherwise a converted copy.
    torch::Tensor load(const StTensorInfo& info,
                       std::optional<torch::ScalarType> as = std::nullopt) const;
    // Whether `tensor`'s data lies in this tensor's bytes of the file's memory (loaded in place).
    bool holds(const StTensorInfo& info, const torch::Tensor& tensor) const;
    // Gives back the memory of the tensor's bytes once the caller copied them
    // (MappedFile::release).
    void release(const StTensorInfo& info) const;
    // The file in memory: mapped and guarded by a lease, or read (see mapped_file.h).
    const MappedFile& memory() const;

private:
    std::shared_ptr<MappedFile> m_file;
    uint64_t m_dataOffset = 0;
    std::vector<StTensorInfo> m_tensors;
    std::map<std::string, std::string> m_metadata;
};

// A checkpoint: one model.safetensors, or shards listed in model.safetensors.index.json.
class SafetensorsCheckpoint : public TensorSource {
public:
    // A folder (model.safetensors or model.safetensors.index.json inside), an index file, or a
    // single .safetensors file. Refuses pickled checkpoints (pytorch_model.bin, *.pt) with
    // UnsafeFormat rather than ignoring them.
    static SafetensorsCheckpoint open(const std::filesystem::path& path);

    std::vector<std::string> names() const override; // sorted
    bool contains(std::string_view name) const override;
    // Throws MissingTensor when absent.
    const StTensorInfo& info(std::string_view name) const;
    const std::filesystem::path& fileOf(std::string_view name) const;
    torch::Tensor load(std::string_view name,
                       std::optional<torch::ScalarType> as = std::nullopt) const;
    torch::Tensor load(std::string_view name, torch::ScalarType as) const override {
        return load(name, std::optional<torch::ScalarType>(as));
    }
    std::vector<int64_t> shape(std::string_view name) const override { return info(name).shape; }
    // The header's dtype and the tensor's byte range.
    StoredTensor stored(std::string_view name) const override;
    std::string origin(std::string_view name) const override { return fileOf(name).string(); }
    std::string description() const override;
    bool sharesMemory(std::string_view name, const torch::Tensor& tensor) const override;
    void release(std::string_view name) const override;
    const std::vector<std::shared_ptr<SafetensorsFile>>& files() const { return m_files; }

private:
    struct Entry {
        const SafetensorsFile* file;
        const StTensorInfo* info;
    };
    const Entry& entry(std::string_view name) const;

    std::vector<std::shared_ptr<SafetensorsFile>> m_files;
    std::map<std::string, Entry, std::less<>> m_entries;
};

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Writes one .safetensors file atomically, tensors in sorted-name order, header padded so data
// starts 8-byte aligned. Tensors may live anywhere and be non-contiguous; they are copied to CPU.
void writeSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

} // namespace anatomist::core
