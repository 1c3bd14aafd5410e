#include "model/config_check.h"

#include "errors.h"
#include "model/causal_lm.h"

#include <charconv>
#include <map>
#include <unistd.h>
#include <vector>

namespace anatomist::core {

namespace {

// The number of decoder layers the checkpoint holds: one past the highest index found under the
// family's layer prefix ("model.layers.N.", GPT-2's "h.N." after its key mapping).
int64_t checkpointLayerCount(const ArchSpec& spec,
                             const std::map<std::string, std::string>& params) {
    const std::string prefix =
        (spec.names.backbone.empty() ? "" : spec.names.backbone + ".") + spec.names.layers + ".";
    int64_t count = 0;
    for (const auto& [name, key] : params) {
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        int64_t index = -1;
        const char* first = name.data() + prefix.size();
        const char* last = name.data() + name.size();
        const auto [end, ec] = std::from_chars(first, last, index);
        if (ec == std::errc() && end != first && end < last && *end == '.' && index >= 0)
            count = std::max(count, index + 1);
    }
    return count;
}

// The config.json key whose value is `dim` (for a message that names what to fix).
std::string keyForDimension(const ModelConfig& c, int64_t dim, int layer) {
    const std::pair<const char*, int64_t> candidates[] = {
        {"vocab_size", c.vocab_size},
        {"hidden_size", c.hidden_size},
        {"intermediate_size",
         layer >= 0 && layer < static_cast<int>(c.layer_intermediate_sizes.size())
             ? c.layer_intermediate_sizes[layer]
             : c.intermediate_size},
        {"max_position_embeddings", c.max_position_embeddings},
        {"num_attention_heads", c.num_attention_heads * c.head_dim},
        {"num_key_value_heads", c.num_key_value_heads * c.head_dim},
        {"head_dim", c.head_dim},
    };
    for (const auto& [key, value] : candidates)
        if (value == dim)
            return key;
    return {};
}

int layerOf(const std::string& name, const ArchSpec& spec) {
    const std::string marker = "." + spec.names.layers + ".";
    const auto at = name.find(marker);
    if (at == std::string::npos)
        return -1;
    int index = -1;
    const char* first = name.data() + at + marker.size();
    std::from_chars(first, name.data() + name.size(), index);
    return index;
}

} // namespace

uint64_t physicalMemoryBytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0
               ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize)
               : 0;
}

void checkConfigFitsWeights(const ModelConfig& config, const ArchSpec& spec,
                            const TensorSource& weights, const std::string& configLabel,
                            const torch::TensorOptions& options) {
    const torch::ScalarType dtype = options.dtype().toScalarType();
    // Parameter name → checkpoint key, as loadWeights maps them.
    std::map<std::string, std::string> params;
    for (const auto& key : weights.names()) {
        const std::string name = spec.checkpointKey ? spec.checkpointKey(key) : key;
        if (!name.empty())
            params.emplace(name, key);
    }

    // Layers first: the model below has one module per layer, so a huge count must stop here.
    const int64_t layers = checkpointLayerCount(spec, params);
    if (config.num_hidden_layers > layers)
        throw ConfigError(configLabel +
                          ": num_hidden_layers = " + std::to_string(config.num_hidden_layers) +
                          ", but " + weights.description() + " holds " + std::to_string(layers) +
                          " layer" + (layers == 1 ? "" : "s"));

    // Every width the config names is some tensor's dimension; one larger than all of them cannot
    // be right, and refusing it here keeps the shape products below far from overflow.
    int64_t widest = 0;
    for (const auto& [name, key] : params)
        for (const int64_t d : weights.shape(key))
            widest = std::max(widest, d);
    const auto product = [](int64_t a, int64_t b) {
        return static_cast<double>(a) * static_cast<double>(b);
    };
    // Per-layer values (every family resolves them) rather than the global keys, which a pruned
    // variant may keep at the original width.
    std::vector<std::pair<const char*, double>> widths = {
        {"vocab_size", double(config.vocab_size)},
        {"hidden_size", double(config.hidden_size)},
    };
    if (spec.positions == PositionKind::Learned)
        widths.emplace_back("max_position_embeddings", double(config.max_position_embeddings));
    for (const int64_t w : config.layer_intermediate_sizes)
        widths.emplace_back("intermediate_size", double(w));
    for (const int64_t h : config.layer_num_attention_heads)
        widths.emplace_back("num_attention_heads", product(h, config.head_dim));
    for (const int64_t h : config.layer_num_key_value_heads)
        widths.emplace_back("num_key_value_heads", product(h, config.head_dim));
    for (const auto& [key, value] : widths)
        if (value > static_cast<double>(widest))
            throw ConfigError(configLabel + ": '" + key + "' asks for a width of " +
                              std::to_string(static_cast<long long>(value)) +
                              ", but no tensor in " + weights.description() + " is wider than " +
                              std::to_string(widest));

    // The model on the meta device: every parameter's shape, no storage.
    const CausalLM shapes(config, spec, torch::TensorOptions().dtype(dtype).device(torch::kMeta));
    uint64_t bytes = 0;
    for (const auto& item : shapes.named_parameters(/*recurse=*/true)) {
        const auto& name = item.key();
        const auto expected = item.value().sizes();
        const auto it = params.find(name);
        if (it == params.end())
            throw MissingTensor(weights.description() + ": tensor '" + name + "' is missing (a " +
                                spec.family + " model with this configuration needs it)");
        const auto actual = weights.shape(it->second);
        if (c10::IntArrayRef(actual) != expected) {
            std::string key;
            if (actual.size() == expected.size())
                for (std::size_t d = 0; d < actual.size() && key.empty(); ++d)
                    if (actual[d] != expected[d])
                        key = keyForDimension(config, expected[d], layerOf(name, spec));
            const std::string shapeText =
                "tensor '" + it->second + "' has shape " + formatShape(actual) + " in " +
                weights.origin(it->second) + ", the configuration says " + formatShape(expected);
            // A shape mismatch (as loadWeights reports it), with the key to fix when one explains
            // it.
            if (!key.empty())
                throw ShapeMismatch(configLabel + ": '" + key + "' does not match the weights (" +
                                    shapeText + ")");
            throw ShapeMismatch(weights.origin(it->second) + ": " + shapeText);
        }
        bytes += static_cast<uint64_t>(item.value().numel()) * c10::elementSize(dtype);
    }

    // Host memory bounds a model loaded on the CPU (an accelerator has its own, checked by its
    // allocator).
    const uint64_t memory = options.device().is_cpu() ? physicalMemoryBytes() : 0;
    if (memory > 0 && bytes > memory) {
        const auto gib = [](uint64_t b) {
            return std::to_string((b + (1ULL << 29)) >> 30) + " GiB";
        };
        throw InvalidArgument(configLabel + ": the model needs " + gib(bytes) + " as " +
                              std::string(c10::toString(dtype)) + ", more than this machine's " +
                              gib(memory) + " of memory");
    }
}

} // namespace anatomist::core
