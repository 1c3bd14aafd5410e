#include "model/gguf_import.h"

#include "errors.h"
#include "io/gguf_dequant.h"
#include "io/mapped_file.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/config_check.h"
#include "model/gguf_config.h"
#include "model/gguf_names.h"
#include "tokenizer/gguf_vocab.h"

#include <algorithm>
#include <cctype>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

// Tensors llama.cpp's converter adds that are not parameters (the RoPE factors are read from the
// metadata instead).
bool isDerivedTensor(const std::string& name) {
    return name == "rope_freqs.weight";
}

// ref: convert_hf_to_gguf.py LlamaModel.permute, inverted: rows of each head go from llama.cpp's
// interleaved pairs back to the halves of Hugging Face's rotate_half.
torch::Tensor unpermuteRows(const torch::Tensor& w, int64_t heads) {
    auto sizes = w.sizes().vec();
    std::vector<int64_t> view{heads, w.size(0) / heads / 2, 2};
    view.insert(view.end(), sizes.begin() + 1, sizes.end());
    return w.reshape(view).transpose(1, 2).reshape(sizes);
}

} // namespace

bool isGgufPath(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::error_code ec;
    return ext == ".gguf" && !fs::is_directory(path, ec);
}

torch::Tensor dequantizeTensor(const GgufFile& file, const GgufTensorInfo& info) {
    const auto& traits = ggmlTraits(info.type);
    if (!traits.dequantizable)
        throw FormatError(file.path().string() + ": tensor '" + info.name + "' is stored as " +
                          traits.name +
                          ", which Anatomist cannot read (supported: F32, F16, BF16, Q8_0, Q4_0, "
                          "Q4_K, Q5_K, Q6_K)");
    auto out = torch::empty(info.shape(), torch::kFloat32);
    if (info.numel() > 0)
        dequantize(info.type, file.data(info).data(), out.data_ptr<float>(), info.numel());
    return out;
}

GgufTensorSource::GgufTensorSource(std::shared_ptr<const GgufFile> file, const ArchSpec& spec,
                                   const ModelConfig& config)
    : m_file(std::move(file))
    , m_spec(spec)
    , m_headDim(config.head_dim) {
    for (const auto& t : m_file->tensors()) {
        if (isDerivedTensor(t.name))
            continue;
        std::string name = parameterNameForGguf(spec, t.name);
        if (name.empty())
            name = t.name; // loadWeights reports it as unexpected, under its GGUF name
        m_byName.emplace(std::move(name), &t);
    }
}

std::vector<std::string> GgufTensorSource::names() const {
    std::vector<std::string> out;
    for (const auto& [name, info] : m_byName)
        out.push_back(name);
    return out;
}

bool GgufTensorSource::contains(std::string_view name) const {
    return m_byName.count(name) > 0;
}

const GgufTensorInfo& GgufTensorSource::info(std::string_view name) const {
    const auto it = m_byName.find(name);
    if (it == m_byName.end())
        throw MissingTensor(m_file->path().string() + ": no tensor for '" + std::string(name) +
                            "'");
    return *it->second;
}

std::vector<int64_t> GgufTensorSource::shape(std::string_view name) const {
    auto shape = info(name).shape();
    if (ggufValueChange(m_spec, name) == GgufValueChange::Transpose && shape.size() == 2)
        std::swap(shape[0], shape[1]);
    return shape;
}

torch::Tensor GgufTensorSource::load(std::string_view name, torch::ScalarType as) const {
    const auto& t = info(name);
    const auto bytes = m_file->data(t);
    if (t.type == GgmlType::F32 && as == torch::kFloat32 && t.numel() > 0 &&
        ggufValueChange(m_spec, name) == GgufValueChange::None &&
        reinterpret_cast<uintptr_t>(bytes.data()) % sizeof(float) == 0) {
        // Stored as computed: the tensor is the file's (copy-on-write, guarded) memory in place.
        auto keepAlive = m_file;
        return torch::from_blob(
            const_cast<uint8_t*>(bytes.data()), t.shape(),
            [keepAlive](void*) mutable { keepAlive.reset(); }, torch::kFloat32);
    }
    auto value = dequantizeTensor(*m_file, t);
    switch (ggufValueChange(m_spec, name)) {
    case GgufValueChange::RopePermuteQ:
    case GgufValueChange::RopePermuteK:
        value = unpermuteRows(value, value.size(0) / m_headDim);
        break;
    case GgufValueChange::Transpose:
        value = value.t().contiguous();
        break;
    case GgufValueChange::PlusOne:
        value = value - 1.0f;
        break;
    case GgufValueChange::None:
        break;
    }
    return value.to(as);
}

bool GgufTensorSource::sharesMemory(std::string_view name, const torch::Tensor& tensor) const {
    if (!tensor.defined() || tensor.numel() == 0)
        return false;
    const auto bytes = m_file->data(info(name));
    const auto* p = static_cast<const uint8_t*>(tensor.data_ptr());
    return p >= bytes.data() && p < bytes.data() + bytes.size();
}

void GgufTensorSource::release(std::string_view name) const {
    const auto bytes = m_file->data(info(name));
    m_file->mapping()->release(bytes.data(), bytes.size());
}

StoredTensor GgufTensorSource::stored(std::string_view name) const {
    const auto& t = info(name);
    return {ggmlTraits(t.type).name, t.bytes};
}

std::string GgufTensorSource::origin(std::string_view name) const {
    const auto it = m_byName.find(name);
    return m_file->path().string() + (it != m_byName.end() && it->second->name != name
                                          ? " (GGUF tensor '" + it->second->name + "')"
                                          : std::string());
}

std::string GgufTensorSource::description() const {
    return m_file->path().string();
}

LoadedModel loadGgufModel(const fs::path& path, const LoadOptions& options, JobContext& job) {
    job.setProgress(0.0, "config");
    std::shared_ptr<const GgufFile> file = GgufFile::open(path);
    const auto gguf = configFromGguf(*file);
    auto resolved = resolveConfig(gguf.document, path.string());
    LoadedModel loaded;
    loaded.folder = path;
    loaded.config = resolved.config;
    loaded.spec = resolved.spec;
    job.throwIfCancelled();

    const GgufTensorSource source(file, *loaded.spec, loaded.config);
    const auto tensorOptions = torch::TensorOptions().dtype(options.dtype).device(options.device);
    checkConfigFitsWeights(loaded.config, *loaded.spec, source, path.string(), tensorOptions);
    loaded.model = std::make_shared<CausalLM>(loaded.config, *loaded.spec, tensorOptions);
    SubJobContext weightsJob(job, 0.05, 0.9);
    loaded.stored = loadWeights(*loaded.model, source, weightsJob);
    loaded.model->eval();

    if (options.loadTokenizer && hasGgufVocabulary(*file)) {
        job.setProgress(0.9, "tokenizer");
        loaded.tokenizer = tokenizerFromGguf(*file);
    }
    job.setProgress(1.0, "done");
    return loaded;
}

} // namespace anatomist::core
