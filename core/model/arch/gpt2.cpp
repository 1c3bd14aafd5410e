// GPT-2 and distilGPT2 (GPT2LMHeadModel): learned positions, LayerNorm with bias, fused c_attn,
// Conv1D weights stored [in, out], gelu_new MLP (not gated), head tied to wte.
// ref: transformers/models/gpt2/modeling_gpt2.py, configuration_gpt2.py
#include "model/arch/decoder_config.h"
#include "model/arch/families.h"

#include <nlohmann/json.hpp>

namespace anatomist::core::arch {

namespace {

void readGpt2(const ConfigReader& r, ModelConfig& c) {
    c.vocab_size = r.requirePositiveInt("vocab_size");
    c.hidden_size = r.requirePositiveInt("n_embd");
    c.num_hidden_layers = r.requireLayerCount("n_layer");
    c.num_attention_heads = r.requirePositiveInt("n_head");
    c.num_key_value_heads = c.num_attention_heads;
    if (c.hidden_size % c.num_attention_heads != 0)
        r.fail("n_embd", "is not divisible by n_head");
    c.head_dim = c.hidden_size / c.num_attention_heads;
    c.intermediate_size = r.optionalInt("n_inner").value_or(4 * c.hidden_size); // ref: GPT2MLP
    c.max_position_embeddings = r.requirePositiveInt("n_positions");
    c.norm_eps = r.optionalNumber("layer_norm_epsilon").value_or(1e-5);
    c.hidden_act = parseActivation(r, "activation_function",
                                   r.optionalString("activation_function").value_or("gelu_new"));
    c.tie_word_embeddings = r.optionalBool("tie_word_embeddings", true);
    if (!c.tie_word_embeddings)
        r.fail("tie_word_embeddings", "is false, but GPT2LMHeadModel always ties lm_head to wte");
    c.qkv_bias = c.o_bias = c.mlp_bias = true;
    // ref: GPT2Attention._attn: scores / sqrt(head_dim) only when scale_attn_weights
    if (!r.optionalBool("scale_attn_weights", true))
        c.query_pre_attn_scalar = 1.0;
    c.scale_attn_by_inverse_layer_idx = r.optionalBool("scale_attn_by_inverse_layer_idx", false);
    readSpecialIdsAndDtype(r, c);
    assignUniformLayers(c, RopeParams{}); // learned positions: no rope
}

void writeGpt2(const ModelConfig& c, nlohmann::json& out) {
    out["vocab_size"] = c.vocab_size;
    out["n_embd"] = c.hidden_size;
    out["n_layer"] = c.num_hidden_layers;
    out["n_head"] = c.num_attention_heads;
    out["n_inner"] = c.intermediate_size;
    out["n_positions"] = c.max_position_embeddings;
    writeDtype(c, out);
}

// Hub checkpoints name keys without the "transformer." prefix and carry causal-mask buffers.
std::string gpt2CheckpointKey(std::string_view key) {
    auto endsWith = [&](std::string_view suffix) {
        return key.size() >= suffix.size() && key.substr(key.size() - suffix.size()) == suffix;
    };
    if (endsWith(".attn.bias") || endsWith(".attn.masked_bias") || key == "lm_head.weight")
        return {};
    if (key.rfind("transformer.", 0) == 0)
        return std::string(key);
    return "transformer." + std::string(key);
}

} // namespace

const ArchSpec& gpt2Spec() {
    static const ArchSpec spec{
        .family = "GPT-2",
        .modelTypes = {"gpt2"},
        .architectures = {"GPT2LMHeadModel"},
        .norm = NormKind::LayerNorm,
        .mlp = MlpKind::Plain,
        .positions = PositionKind::Learned,
        .linearLayout = LinearLayout::InOut, // ref: pytorch_utils.Conv1D: x @ weight + bias
        .names = {.backbone = "transformer",
                  .embed = "wte",
                  .positions = "wpe",
                  .layers = "h",
                  .finalNorm = "ln_f",
                  .lmHead = "lm_head",
                  .inputNorm = "ln_1",
                  .attention = "attn",
                  .q = "",
                  .k = "",
                  .v = "",
                  .qkv = "c_attn",
                  .o = "c_proj",
                  .qNorm = "",
                  .kNorm = "",
                  .mlpNorm = "ln_2",
                  .mlp = "mlp",
                  .gate = "",
                  .up = "c_fc",
                  .down = "c_proj"},
        .readConfig = readGpt2,
        .writeConfig = writeGpt2,
        .checkpointKey = gpt2CheckpointKey,
    };
    return spec;
}

} // namespace anatomist::core::arch
