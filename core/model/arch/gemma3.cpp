// Gemma 3 text models (Gemma3ForCausalLM, model_type gemma3_text).
// ref: transformers/models/gemma3/modeling_gemma3.py, configuration_gemma3.py
#include "model/arch/decoder_config.h"
#include "model/arch/families.h"

#include <nlohmann/json.hpp>

namespace anatomist::core::arch {

namespace {

void readGemma3(const ConfigReader& r, ModelConfig& c) {
    // ref: Gemma3TextConfig defaults: head_dim 256, rms_norm_eps 1e-6, tied, gelu_pytorch_tanh
    readDecoderConfig(r, c,
                      {.headDim = 256,
                       .normEps = 1e-6,
                       .tieWordEmbeddings = true,
                       .activationKey = "hidden_activation",
                       .activation = "gelu_pytorch_tanh"});
    c.query_pre_attn_scalar = r.optionalNumber("query_pre_attn_scalar").value_or(256.0);
    c.sliding_window = r.optionalInt("sliding_window").value_or(4096);
    c.final_logit_softcapping = r.optionalNumber("final_logit_softcapping");
    c.rope_local_base_freq = r.optionalNumber("rope_local_base_freq").value_or(10000.0);

    // transformers v5 stores rope per layer type under rope_parameters.
    std::optional<RopeParams> fullRope, slidingRope;
    if (r.has("rope_parameters") && r.document()["rope_parameters"].contains("full_attention")) {
        for (const char* type : {"full_attention", "sliding_attention"}) {
            const auto& block = r.document()["rope_parameters"][type];
            ConfigReader sub(block, r.source() + ": rope_parameters." + type);
            RopeParams p{sub.requireNumber("rope_theta"),
                         parseRopeScaling(
                             ConfigReader(nlohmann::json{{"rope_scaling", block}}, sub.source()))};
            (std::string(type) == "full_attention" ? fullRope : slidingRope) = p;
        }
    }
    if (!readLayerTypes(r, c)) {
        // ref: configuration_gemma3.py: sliding unless (i + 1) % sliding_window_pattern == 0
        const int64_t pattern = r.optionalInt("sliding_window_pattern").value_or(6);
        if (pattern <= 0)
            r.fail("sliding_window_pattern", "must be positive");
        for (int64_t i = 0; i < c.num_hidden_layers; ++i)
            c.layer_types[static_cast<std::size_t>(i)] =
                (i + 1) % pattern ? AttentionKind::Sliding : AttentionKind::Full;
    }
    // ref: Gemma3TextModel: rotary_emb_local uses rope_local_base_freq with default rope;
    // global rotary_emb uses rope_theta and rope_scaling.
    for (std::size_t i = 0; i < c.layer_types.size(); ++i) {
        if (c.layer_types[i] == AttentionKind::Sliding)
            c.layer_rope[i] =
                slidingRope.value_or(RopeParams{*c.rope_local_base_freq, std::nullopt});
        else
            c.layer_rope[i] = fullRope.value_or(RopeParams{c.rope_theta, c.rope_scaling});
    }
}

void writeGemma3(const ModelConfig& c, nlohmann::json& out) {
    writeDecoderConfig(c, out);
    // Pruned layer lists no longer follow sliding_window_pattern: always spell them out.
    nlohmann::json types = nlohmann::json::array();
    for (auto t : c.layer_types)
        types.push_back(t == AttentionKind::Sliding ? "sliding_attention" : "full_attention");
    out["layer_types"] = types;
}

} // namespace

const ArchSpec& gemma3Spec() {
    static const ArchSpec spec{
        .family = "Gemma 3",
        .modelTypes = {"gemma3_text"},
        .architectures = {"Gemma3ForCausalLM"},
        .norm = NormKind::RmsOffsetOne, // ref: Gemma3RMSNorm: x_normed * (1.0 + weight)
        .qkNorm = true,                 // ref: Gemma3Attention q_norm/k_norm before RoPE
        .scaleEmbedding = true,         // ref: Gemma3TextScaledWordEmbedding (× sqrt(hidden))
        .names = {.postAttentionNorm = "post_attention_layernorm",
                  .mlpNorm = "pre_feedforward_layernorm",
                  .postFeedforwardNorm = "post_feedforward_layernorm"},
        .readConfig = readGemma3,
        .writeConfig = writeGemma3,
    };
    return spec;
}

} // namespace anatomist::core::arch
