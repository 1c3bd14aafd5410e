#include "model_config.h"

#include "errors.h"
#include "input_file.h"

#include <algorithm>
#include <cmath>
#include <fstream>

namespace anatomist::core {

using nlohmann::json;

const char* activationName(Activation act) {
    switch (act) {
    case Activation::Silu:
        return "silu";
    case Activation::GeluTanh:
        return "gelu_pytorch_tanh";
    case Activation::GeluErf:
        return "gelu";
    case Activation::Relu:
        return "relu";
    }
    return "?";
}

double ModelConfig::attentionScale(int layer) const {
    double scale = query_pre_attn_scalar ? 1.0 / std::sqrt(*query_pre_attn_scalar)
                                         : 1.0 / std::sqrt(static_cast<double>(head_dim));
    if (scale_attn_by_inverse_layer_idx)
        scale /= static_cast<double>(layer + 1); // ref: modeling_gpt2.py GPT2Attention._attn
    return scale;
}

bool ModelConfig::uniformIntermediateSize() const {
    for (int64_t size : layer_intermediate_sizes)
        if (size != intermediate_size)
            return false;
    return true;
}

bool ModelConfig::uniformLayerShapes() const {
    auto all = [](const std::vector<int64_t>& list, int64_t value) {
        return std::all_of(list.begin(), list.end(), [&](int64_t v) { return v == value; });
    };
    return all(layer_intermediate_sizes, intermediate_size) &&
           all(layer_num_attention_heads, num_attention_heads) &&
           all(layer_num_key_value_heads, num_key_value_heads);
}

namespace {

std::vector<int64_t> readIntList(const ConfigReader& r, const char* key, std::size_t layers) {
    const json& list = r.document()[key];
    if (!list.is_array() || list.size() != layers)
        r.fail(key, "must be a list of " + std::to_string(layers) + " integers (one per layer)");
    std::vector<int64_t> out;
    for (const auto& e : list) {
        if (!e.is_number_integer() || e.get<int64_t>() <= 0)
            r.fail(key, "must hold positive integers, got " + e.dump());
        out.push_back(e.get<int64_t>());
    }
    return out;
}

} // namespace

void readLayerLists(const ConfigReader& r, ModelConfig& c) {
    const auto layers = static_cast<std::size_t>(c.num_hidden_layers);
    if (c.layer_intermediate_sizes.empty())
        c.layer_intermediate_sizes.assign(layers, c.intermediate_size);
    if (c.layer_num_attention_heads.empty())
        c.layer_num_attention_heads.assign(layers, c.num_attention_heads);
    if (c.layer_num_key_value_heads.empty())
        c.layer_num_key_value_heads.assign(layers, c.num_key_value_heads);
    if (c.layer_attention_bypassed.empty())
        c.layer_attention_bypassed.assign(layers, false);
    if (r.has(kLayerIntermediateSizesKey))
        c.layer_intermediate_sizes = readIntList(r, kLayerIntermediateSizesKey, layers);
    if (r.has(kLayerAttentionHeadsKey))
        c.layer_num_attention_heads = readIntList(r, kLayerAttentionHeadsKey, layers);
    if (r.has(kLayerKeyValueHeadsKey))
        c.layer_num_key_value_heads = readIntList(r, kLayerKeyValueHeadsKey, layers);
    if (r.has(kAttentionBypassKey)) {
        const json& list = r.document()[kAttentionBypassKey];
        if (!list.is_array() || list.size() != layers)
            r.fail(kAttentionBypassKey,
                   "must be a list of " + std::to_string(layers) + " booleans (one per layer)");
        for (std::size_t i = 0; i < layers; ++i) {
            if (!list[i].is_boolean())
                r.fail(kAttentionBypassKey, "must hold true or false, got " + list[i].dump());
            c.layer_attention_bypassed[i] = list[i].get<bool>();
        }
    }
}

void writeLayerLists(const ModelConfig& c, json& out) {
    auto put = [&](const char* key, const std::vector<int64_t>& list, int64_t global) {
        if (std::all_of(list.begin(), list.end(), [&](int64_t v) { return v == global; }))
            out.erase(key);
        else
            out[key] = list;
    };
    put(kLayerIntermediateSizesKey, c.layer_intermediate_sizes, c.intermediate_size);
    put(kLayerAttentionHeadsKey, c.layer_num_attention_heads, c.num_attention_heads);
    put(kLayerKeyValueHeadsKey, c.layer_num_key_value_heads, c.num_key_value_heads);
    const auto& bypass = c.layer_attention_bypassed;
    if (std::find(bypass.begin(), bypass.end(), true) == bypass.end()) {
        out.erase(kAttentionBypassKey);
    } else {
        json list = json::array();
        for (bool b : bypass)
            list.push_back(b);
        out[kAttentionBypassKey] = list;
    }
}

ConfigReader::ConfigReader(const json& j, std::string source)
    : m_json(j)
    , m_source(std::move(source)) {
    if (!m_json.is_object())
        throw ConfigError(m_source + ": expected a JSON object");
}

void ConfigReader::fail(const std::string& key, const std::string& problem) const {
    throw ConfigError(m_source + ": '" + key + "' " + problem);
}

const json* ConfigReader::find(const char* key) const {
    auto it = m_json.find(key);
    if (it == m_json.end() || it->is_null())
        return nullptr;
    return &*it;
}

bool ConfigReader::has(const char* key) const {
    return find(key) != nullptr;
}

std::optional<int64_t> ConfigReader::optionalInt(const char* key) const {
    const json* v = find(key);
    if (!v)
        return std::nullopt;
    // Values beyond int64 are refused rather than converted: a float such as 2.56e115 cast to int64
    // is undefined behaviour (found by fuzz_config), a large unsigned one would wrap negative.
    if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX))
        fail(key, "is out of range, got " + v->dump());
    if (v->is_number_integer())
        return v->get<int64_t>();
    if (v->is_number_float() && std::floor(v->get<double>()) == v->get<double>()) {
        const double d = v->get<double>();
        if (!(d >= -9.2e18 && d <= 9.2e18))
            fail(key, "is out of range, got " + v->dump());
        return static_cast<int64_t>(d);
    }
    fail(key, "must be an integer, got " + v->dump());
}

int64_t ConfigReader::requireInt(const char* key) const {
    auto v = optionalInt(key);
    if (!v)
        fail(key, "is missing");
    return *v;
}

int64_t ConfigReader::requirePositiveInt(const char* key) const {
    const int64_t v = requireInt(key);
    if (v <= 0)
        fail(key, "must be positive, got " + std::to_string(v));
    return v;
}

int64_t ConfigReader::requireLayerCount(const char* key) const {
    const int64_t v = requirePositiveInt(key);
    // Per-layer settings are resolved into vectors right after this; a count no model has must
    // not become a multi-gigabyte allocation before the weights are even looked at.
    if (v > kMaxLayerCount)
        fail(key, "is " + std::to_string(v) + ", more layers than Anatomist accepts (" +
                      std::to_string(kMaxLayerCount) + ")");
    return v;
}

std::optional<double> ConfigReader::optionalNumber(const char* key) const {
    const json* v = find(key);
    if (!v)
        return std::nullopt;
    if (!v->is_number())
        fail(key, "must be a number, got " + v->dump());
    return v->get<double>();
}

double ConfigReader::requireNumber(const char* key) const {
    auto v = optionalNumber(key);
    if (!v)
        fail(key, "is missing");
    return *v;
}

bool ConfigReader::optionalBool(const char* key, bool fallback) const {
    const json* v = find(key);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        fail(key, "must be true or false, got " + v->dump());
    return v->get<bool>();
}

std::optional<std::string> ConfigReader::optionalString(const char* key) const {
    const json* v = find(key);
    if (!v)
        return std::nullopt;
    if (!v->is_string())
        fail(key, "must be a string, got " + v->dump());
    return v->get<std::string>();
}

std::vector<int64_t> ConfigReader::intOrIntList(const char* key) const {
    const json* v = find(key);
    if (!v)
        return {};
    if (v->is_number_integer())
        return {v->get<int64_t>()};
    if (v->is_array()) {
        std::vector<int64_t> out;
        for (const auto& e : *v) {
            if (!e.is_number_integer())
                fail(key, "must hold integers, got " + e.dump());
            out.push_back(e.get<int64_t>());
        }
        return out;
    }
    fail(key, "must be an integer or a list of integers, got " + v->dump());
}

json readJsonFile(const std::filesystem::path& path) {
    auto in = openInputFile(path);
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw FormatError(path.string() + ": not valid JSON (" + e.what() + ")");
    }
}

Activation parseActivation(const ConfigReader& reader, const char* key, const std::string& name) {
    if (name == "silu" || name == "swish")
        return Activation::Silu;
    // gelu_new, gelu_pytorch_tanh and gelu_fast are all the tanh approximation (ref:
    // activations.py)
    if (name == "gelu_pytorch_tanh" || name == "gelu_new" || name == "gelu_fast")
        return Activation::GeluTanh;
    if (name == "gelu")
        return Activation::GeluErf;
    if (name == "relu")
        return Activation::Relu;
    reader.fail(key, "names an unsupported activation '" + name +
                         "' (supported: silu, gelu_pytorch_tanh, gelu_new, gelu, relu)");
}

std::optional<RopeScaling> parseRopeScaling(const ConfigReader& reader) {
    if (!reader.has("rope_scaling"))
        return std::nullopt;
    const json& block = reader.document()["rope_scaling"];
    if (!block.is_object())
        reader.fail("rope_scaling", "must be an object or null");
    ConfigReader sub(block, reader.source() + ": rope_scaling");
    RopeScaling scaling;
    // Older configs say "type", newer "rope_type" (ref: modeling_rope_utils.py).
    auto type = sub.optionalString("rope_type");
    if (!type)
        type = sub.optionalString("type");
    scaling.rope_type = type.value_or("default");
    if (scaling.rope_type == "default")
        return std::nullopt;
    if (scaling.rope_type == "linear") {
        scaling.factor = sub.requireNumber("factor");
    } else if (scaling.rope_type == "llama3") {
        scaling.factor = sub.requireNumber("factor");
        scaling.low_freq_factor = sub.requireNumber("low_freq_factor");
        scaling.high_freq_factor = sub.requireNumber("high_freq_factor");
        scaling.original_max_position_embeddings =
            sub.requirePositiveInt("original_max_position_embeddings");
        if (scaling.high_freq_factor <= scaling.low_freq_factor)
            sub.fail("high_freq_factor", "must exceed low_freq_factor");
    } else {
        reader.fail("rope_scaling", "has rope_type '" + scaling.rope_type +
                                        "', which Anatomist does not support (supported: default, "
                                        "linear, llama3)");
    }
    if (scaling.factor <= 0)
        sub.fail("factor", "must be positive");
    return scaling;
}

void validateConfig(const ModelConfig& c, const std::string& source) {
    auto fail = [&](const std::string& key, const std::string& problem) {
        throw ConfigError(source + ": '" + key + "' " + problem);
    };
    if (c.num_attention_heads <= 0)
        fail("num_attention_heads", "must be positive");
    if (c.num_key_value_heads <= 0 || c.num_attention_heads % c.num_key_value_heads != 0)
        fail("num_key_value_heads", "(" + std::to_string(c.num_key_value_heads) +
                                        ") must divide num_attention_heads (" +
                                        std::to_string(c.num_attention_heads) + ")");
    if (c.head_dim <= 0 || c.head_dim % 2 != 0)
        fail("head_dim", "must be a positive even number, got " + std::to_string(c.head_dim));
    if (c.sliding_window && *c.sliding_window <= 0)
        fail("sliding_window", "must be positive");
    const auto layers = static_cast<std::size_t>(c.num_hidden_layers);
    if (c.layer_types.size() != layers)
        fail("layer_types", "has " + std::to_string(c.layer_types.size()) + " entries for " +
                                std::to_string(layers) + " layers");
    if (c.layer_rope.size() != layers || c.layer_intermediate_sizes.size() != layers ||
        c.layer_num_attention_heads.size() != layers ||
        c.layer_num_key_value_heads.size() != layers || c.layer_attention_bypassed.size() != layers)
        throw std::logic_error("per-layer config vectors not resolved");
    for (std::size_t i = 0; i < layers; ++i) {
        if (c.layer_types[i] == AttentionKind::Sliding && !c.sliding_window)
            fail("layer_types", "has sliding_attention at layer " + std::to_string(i) +
                                    " but sliding_window is not set");
        const std::string at = " at layer " + std::to_string(i);
        if (c.layer_intermediate_sizes[i] <= 0)
            fail("intermediate_size", "must be positive" + at);
        const int64_t heads = c.layer_num_attention_heads[i], kv = c.layer_num_key_value_heads[i];
        if (heads <= 0)
            fail(kLayerAttentionHeadsKey, "must be positive" + at);
        if (kv <= 0 || heads % kv != 0)
            fail(kLayerKeyValueHeadsKey, "(" + std::to_string(kv) + ") must divide the " +
                                             std::to_string(heads) + " query heads" + at);
    }
    if (c.query_pre_attn_scalar && *c.query_pre_attn_scalar <= 0)
        fail("query_pre_attn_scalar", "must be positive");
    if (c.final_logit_softcapping && *c.final_logit_softcapping <= 0)
        fail("final_logit_softcapping", "must be positive");
    if (!(c.norm_eps > 0))
        fail("rms_norm_eps", "must be positive");
}

} // namespace anatomist::core
