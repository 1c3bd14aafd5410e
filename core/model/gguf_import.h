#pragma once
// Opening a llama.cpp GGUF file as a model: the metadata becomes a config.json document (see
// gguf_config.h), the tensors a TensorSource under Hugging Face parameter names, dequantised to
// float32 and with llama.cpp's layout changes undone (see gguf_names.h), and the vocabulary a
// Tokenizer (see tokenizer/gguf_vocab.h).

#include "io/gguf_reader.h"
#include "io/tensor_source.h"
#include "model/model_loader.h"

#include <filesystem>
#include <map>
#include <memory>

namespace anatomist::core {

class JobContext;

// True for a regular file whose name ends in .gguf (any case).
bool isGgufPath(const std::filesystem::path& path);

class GgufTensorSource : public TensorSource {
public:
    GgufTensorSource(std::shared_ptr<const GgufFile> file, const ArchSpec& spec,
                     const ModelConfig& config);

    std::vector<std::string> names() const override;
    bool contains(std::string_view name) const override;
    std::vector<int64_t> shape(std::string_view name) const override;
    torch::Tensor load(std::string_view name, torch::ScalarType as) const override;
    // ggml's type name ("Q4_K") and the tensor's bytes in the file.
    StoredTensor stored(std::string_view name) const override;
    std::string origin(std::string_view name) const override;
    std::string description() const override;
    bool sharesMemory(std::string_view name, const torch::Tensor& tensor) const override;
    void release(std::string_view name) const override;

    // The GGUF tensor behind a parameter name (MissingTensor when absent).
    const GgufTensorInfo& info(std::string_view name) const;

private:
    std::shared_ptr<const GgufFile> m_file;
    const ArchSpec& m_spec;
    int64_t m_headDim; // q/k rows over it = that layer's head count (per-layer after pruning)
    std::map<std::string, const GgufTensorInfo*, std::less<>> m_byName;
};

// The tensor dequantised to float32 in torch order (GGUF names, no layout change).
torch::Tensor dequantizeTensor(const GgufFile& file, const GgufTensorInfo& info);

LoadedModel loadGgufModel(const std::filesystem::path& file, const LoadOptions& options,
                          JobContext& job);

} // namespace anatomist::core
