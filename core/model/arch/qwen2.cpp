// Qwen 2 / 2.5 (Qwen2ForCausalLM): Llama with biases on q, k and v (never on o), and sliding
// windows only from layer max_window_layers on when use_sliding_window is true.
// ref: transformers/models/qwen2/modeling_qwen2.py, configuration_qwen2.py
#include "model/arch/decoder_config.h"
#include "model/arch/families.h"

namespace anatomist::core::arch {

namespace {

void readQwen2(const ConfigReader& r, ModelConfig& c) {
    readDecoderConfig(r, c, {.normEps = 1e-6, .tieWordEmbeddings = false});
    // ref: modeling_qwen2.py Qwen2Attention: q/k/v Linear(bias=True), o_proj bias=False
    c.qkv_bias = true;
    c.o_bias = false;
    readQwenSlidingWindow(r, c);
}

} // namespace

const ArchSpec& qwen2Spec() {
    static const ArchSpec spec{
        .family = "Qwen 2",
        .modelTypes = {"qwen2"},
        .architectures = {"Qwen2ForCausalLM"},
        .readConfig = readQwen2,
        .writeConfig = writeDecoderConfig,
    };
    return spec;
}

} // namespace anatomist::core::arch
