// Qwen 3 (Qwen3ForCausalLM): Llama with a per-head RMSNorm on q and k before RoPE and no qkv bias
// by default. ref: transformers/models/qwen3/modeling_qwen3.py, configuration_qwen3.py
#include "model/arch/decoder_config.h"
#include "model/arch/families.h"

namespace anatomist::core::arch {

namespace {

void readQwen3(const ConfigReader& r, ModelConfig& c) {
    // ref: configuration_qwen3.py: head_dim defaults to 128, not hidden_size / heads
    readDecoderConfig(r, c, {.headDim = 128, .normEps = 1e-6, .tieWordEmbeddings = false});
    readQwenSlidingWindow(r, c);
}

} // namespace

const ArchSpec& qwen3Spec() {
    static const ArchSpec spec{
        .family = "Qwen 3",
        .modelTypes = {"qwen3"},
        .architectures = {"Qwen3ForCausalLM"},
        .qkNorm =
            true, // ref: Qwen3Attention: q_norm/k_norm over head_dim, then apply_rotary_pos_emb
        .readConfig = readQwen3,
        .writeConfig = writeDecoderConfig,
    };
    return spec;
}

} // namespace anatomist::core::arch
