#include "decoder_config.h"

#include <nlohmann/json.hpp>

namespace anatomist::core::arch {

void readDecoderConfig(const ConfigReader& r, ModelConfig& c, const DecoderDefaults& d) {
    c.vocab_size = r.requirePositiveInt("vocab_size");
    c.hidden_size = r.requirePositiveInt("hidden_size");
    c.intermediate_size = r.requirePositiveInt("intermediate_size");
    c.num_hidden_layers = r.requireLayerCount("num_hidden_layers");
    c.num_attention_heads = r.requirePositiveInt("num_attention_heads");
    c.num_key_value_heads = r.optionalInt("num_key_value_heads").value_or(c.num_attention_heads);
    if (auto headDim = r.optionalInt("head_dim")) {
        c.head_dim = *headDim;
    } else if (d.headDim) {
        c.head_dim = *d.headDim;
    } else {
        if (c.hidden_size % c.num_attention_heads != 0)
            r.fail("hidden_size", "(" + std::to_string(c.hidden_size) +
                                      ") is not divisible by num_attention_heads and head_dim "
                                      "is not given");
        c.head_dim = c.hidden_size / c.num_attention_heads;
    }
    c.max_position_embeddings = r.requirePositiveInt("max_position_embeddings");
    c.norm_eps = r.optionalNumber("rms_norm_eps").value_or(d.normEps);
    c.hidden_act = parseActivation(r, d.activationKey,
                                   r.optionalString(d.activationKey).value_or(d.activation));
    c.rope_theta = r.optionalNumber("rope_theta").value_or(10000.0);
    c.rope_scaling = parseRopeScaling(r);
    // transformers v5 writes rope settings under rope_parameters instead.
    if (r.has("rope_parameters") && r.document()["rope_parameters"].is_object() &&
        r.document()["rope_parameters"].contains("rope_theta")) {
        ConfigReader sub(r.document()["rope_parameters"], r.source() + ": rope_parameters");
        c.rope_theta = sub.requireNumber("rope_theta");
        c.rope_scaling = parseRopeScaling(ConfigReader(
            nlohmann::json{{"rope_scaling", r.document()["rope_parameters"]}}, sub.source()));
    }
    c.tie_word_embeddings = r.optionalBool("tie_word_embeddings", d.tieWordEmbeddings);
    c.qkv_bias = c.o_bias = r.optionalBool("attention_bias", false);
    c.mlp_bias = r.optionalBool("mlp_bias", false);
    readSpecialIdsAndDtype(r, c);
    assignUniformLayers(c, RopeParams{c.rope_theta, c.rope_scaling});
}

void readSpecialIdsAndDtype(const ConfigReader& r, ModelConfig& c) {
    c.bos_token_id = r.optionalInt("bos_token_id");
    c.pad_token_id = r.optionalInt("pad_token_id");
    c.eos_token_ids = r.intOrIntList("eos_token_id");
    c.torch_dtype =
        r.optionalString("torch_dtype").value_or(r.optionalString("dtype").value_or(""));
}

void assignUniformLayers(ModelConfig& c, const RopeParams& rope) {
    const auto layers = static_cast<std::size_t>(c.num_hidden_layers);
    c.layer_types.assign(layers, AttentionKind::Full);
    c.layer_rope.assign(layers, rope);
    c.layer_intermediate_sizes.assign(layers, c.intermediate_size);
}

void writeDtype(const ModelConfig& c, nlohmann::json& out) {
    if (!c.torch_dtype.empty())
        out["torch_dtype"] = c.torch_dtype;
}

bool readLayerTypes(const ConfigReader& r, ModelConfig& c) {
    if (!r.has("layer_types"))
        return false;
    const auto& list = r.document()["layer_types"];
    if (!list.is_array())
        r.fail("layer_types", "must be a list");
    if (list.size() != static_cast<std::size_t>(c.num_hidden_layers))
        r.fail("layer_types", "has " + std::to_string(list.size()) + " entries for " +
                                  std::to_string(c.num_hidden_layers) + " layers");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& t = list[i];
        if (t == "full_attention")
            c.layer_types[i] = AttentionKind::Full;
        else if (t == "sliding_attention")
            c.layer_types[i] = AttentionKind::Sliding;
        else
            r.fail("layer_types", "entry " + std::to_string(i) + " is " + t.dump() +
                                      " (expected full_attention or sliding_attention)");
    }
    return true;
}

void readQwenSlidingWindow(const ConfigReader& r, ModelConfig& c) {
    const bool use = r.optionalBool("use_sliding_window", false);
    if (use) {
        c.sliding_window = r.optionalInt("sliding_window");
        if (!c.sliding_window)
            r.fail("sliding_window", "must be set when use_sliding_window is true");
    }
    if (readLayerTypes(r, c))
        return;
    const int64_t firstSliding = r.optionalInt("max_window_layers").value_or(28);
    for (int64_t i = 0; i < c.num_hidden_layers; ++i)
        if (c.sliding_window && i >= firstSliding)
            c.layer_types[static_cast<std::size_t>(i)] = AttentionKind::Sliding;
}

void writeDecoderConfig(const ModelConfig& c, nlohmann::json& out) {
    out["vocab_size"] = c.vocab_size;
    out["hidden_size"] = c.hidden_size;
    out["intermediate_size"] = c.intermediate_size;
    out["num_hidden_layers"] = c.num_hidden_layers;
    out["num_attention_heads"] = c.num_attention_heads;
    out["num_key_value_heads"] = c.num_key_value_heads;
    out["head_dim"] = c.head_dim;
    out["tie_word_embeddings"] = c.tie_word_embeddings;
    writeDtype(c, out);
    bool uniform = true;
    for (auto t : c.layer_types)
        uniform = uniform && t == c.layer_types.front();
    if (out.contains("layer_types") || !uniform) {
        nlohmann::json types = nlohmann::json::array();
        for (auto t : c.layer_types)
            types.push_back(t == AttentionKind::Sliding ? "sliding_attention" : "full_attention");
        out["layer_types"] = types;
    }
}

} // namespace anatomist::core::arch
