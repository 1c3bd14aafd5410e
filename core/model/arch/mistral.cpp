// Mistral (MistralForCausalLM): Llama with sliding-window attention on every layer when
// sliding_window is set. ref: transformers/models/mistral/modeling_mistral.py
#include "model/arch/decoder_config.h"
#include "model/arch/families.h"

namespace anatomist::core::arch {

namespace {

void readMistral(const ConfigReader& r, ModelConfig& c) {
    readDecoderConfig(r, c, {.normEps = 1e-6, .tieWordEmbeddings = false});
    // ref: modeling_mistral.py MistralModel.forward: create_sliding_window_causal_mask when set
    c.sliding_window = r.optionalInt("sliding_window");
    if (c.sliding_window)
        c.layer_types.assign(c.layer_types.size(), AttentionKind::Sliding);
}

} // namespace

const ArchSpec& mistralSpec() {
    static const ArchSpec spec{
        .family = "Mistral",
        .modelTypes = {"mistral"},
        .architectures = {"MistralForCausalLM"},
        .readConfig = readMistral,
        .writeConfig = writeDecoderConfig,
    };
    return spec;
}

} // namespace anatomist::core::arch
