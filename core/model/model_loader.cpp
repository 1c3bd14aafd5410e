#include "model_loader.h"

#include "errors.h"
#include "io/input_file.h"
#include "job.h"
#include "model/config_check.h"
#include "model/gguf_import.h"

#include <map>
#include <torch/types.h>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

bool endsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

torch::ScalarType parseDtype(const std::string& name) {
    if (name == "f32" || name == "float32" || name == "fp32" || name == "float")
        return torch::kFloat32;
    if (name == "bf16" || name == "bfloat16")
        return torch::kBFloat16;
    if (name == "f16" || name == "float16" || name == "fp16" || name == "half")
        return torch::kFloat16;
    throw InvalidArgument("unknown dtype '" + name + "' (use f32, bf16 or f16)");
}

const char* dtypeName(torch::ScalarType type) {
    switch (type) {
    case torch::kFloat32:
        return "float32";
    case torch::kBFloat16:
        return "bfloat16";
    case torch::kFloat16:
        return "float16";
    case torch::kFloat64:
        return "float64";
    default:
        return "other";
    }
}

namespace {

// A part of a FusedRows buffer (q/k/v, gate/up): its storage holds more than the parameter.
bool sharesABuffer(const torch::Tensor& param) {
    return param.storage_offset() != 0 ||
           param.storage().nbytes() > static_cast<std::size_t>(param.nbytes());
}

} // namespace

StoredTensors loadWeights(CausalLM& model, const TensorSource& checkpoint, JobContext& job) {
    const ArchSpec& spec = model.spec();
    auto params = model.named_parameters(/*recurse=*/true);
    std::map<std::string, std::string> sourceOf; // parameter name → checkpoint key
    std::vector<std::string> unexpected;
    const std::string tiedHead = spec.names.lmHead + ".weight";
    for (const auto& key : checkpoint.names()) {
        const std::string name = spec.checkpointKey ? spec.checkpointKey(key) : key;
        if (name.empty() || endsWith(name, "rotary_emb.inv_freq"))
            continue; // buffers Hugging Face recomputes
        if (model.config().tie_word_embeddings && name == tiedHead)
            continue; // ref: PreTrainedModel.tie_weights: the head is the embedding
        if (!params.contains(name)) {
            unexpected.push_back(key);
            continue;
        }
        sourceOf[name] = key;
    }
    if (!unexpected.empty()) {
        std::string msg = checkpoint.origin(unexpected.front()) + ": tensor '" +
                          unexpected.front() + "' is not part of a " + spec.family +
                          " model with this config.json";
        if (unexpected.size() > 1)
            msg += " (and " + std::to_string(unexpected.size() - 1) + " more)";
        throw UnexpectedTensor(msg);
    }
    const std::string where = checkpoint.description();
    for (const auto& item : params) {
        if (!sourceOf.count(item.key()))
            throw MissingTensor(where + ": tensor '" + item.key() + "' is missing (a " +
                                spec.family + " model with this config.json needs it)");
    }
    torch::NoGradGuard noGrad;
    std::size_t done = 0;
    StoredTensors stored;
    for (auto& item : params) {
        const std::string& key = sourceOf[item.key()];
        stored.emplace(item.key(), checkpoint.stored(key));
        const auto shape = checkpoint.shape(key);
        auto& param = item.value();
        if (c10::IntArrayRef(shape) != param.sizes())
            throw ShapeMismatch(checkpoint.origin(key) + ": tensor '" + key + "' has shape " +
                                formatShape(shape) + ", config.json says " +
                                formatShape(param.sizes()));
        auto value = checkpoint.load(key, param.scalar_type());
        if (value.device() != param.device())
            value = value.to(param.device());
        // Filled in place, so the buffer stays one and fuseProjections has nothing to redo.
        const bool fusedPart = sharesABuffer(param);
        if (fusedPart) {
            c10::InferenceMode sameKind(param.is_inference()); // (false) turns grad mode on
            torch::NoGradGuard againNoGrad;
            param.copy_(value);
        } else {
            param.set_data(value);
        }
        const bool inPlace = !fusedPart && checkpoint.sharesMemory(key, param);
        value = torch::Tensor();
        if (!inPlace)
            checkpoint.release(key);
        job.setProgress(static_cast<double>(++done) / static_cast<double>(params.size()),
                        "weights");
        job.throwIfCancelled();
    }
    model.fuseProjections();
    return stored;
}

LoadedModel loadModel(const fs::path& folder, const LoadOptions& options, JobContext& job) {
    if (isGgufPath(folder))
        return loadGgufModel(folder, options, job);
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw IoError(folder.string() + ": not a folder");
    const fs::path configFile = folder / "config.json";
    if (!entryExists(configFile))
        throw IoError(configFile.string() +
                      ": missing (a Hugging Face model folder needs config.json)");

    job.setProgress(0.0, "config");
    auto resolved = readModelConfig(configFile);
    LoadedModel loaded;
    loaded.folder = folder;
    loaded.config = resolved.config;
    loaded.spec = resolved.spec;

    const auto checkpoint = SafetensorsCheckpoint::open(folder);
    job.throwIfCancelled();
    const auto tensorOptions = torch::TensorOptions().dtype(options.dtype).device(options.device);
    checkConfigFitsWeights(loaded.config, *loaded.spec, checkpoint, configFile.string(),
                           tensorOptions);
    loaded.model = std::make_shared<CausalLM>(loaded.config, *loaded.spec, tensorOptions);
    SubJobContext weightsJob(job, 0.05, 0.9);
    loaded.stored = loadWeights(*loaded.model, checkpoint, weightsJob);
    loaded.model->eval();

    if (options.loadTokenizer && hasTokenizer(folder)) {
        job.setProgress(0.9, "tokenizer");
        loaded.tokenizer = loadTokenizer(folder);
    }
    job.setProgress(1.0, "done");
    return loaded;
}

} // namespace anatomist::core
