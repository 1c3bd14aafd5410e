// Llama 2 / 3 / 3.2 (LlamaForCausalLM). The reference family: pre-norm RMSNorm blocks, rotary
// embeddings in rotate-half layout, grouped-query attention, SwiGLU MLP.
// ref: transformers/models/llama/modeling_llama.py, configuration_llama.py
#include "model/arch/decoder_config.h"
#include "model/arch/families.h"

namespace anatomist::core::arch {

namespace {

void readLlama(const ConfigReader& r, ModelConfig& c) {
    // ref: configuration_llama.py defaults (rms_norm_eps 1e-6, tie_word_embeddings False)
    readDecoderConfig(r, c, {.normEps = 1e-6, .tieWordEmbeddings = false});
}

} // namespace

const ArchSpec& llamaSpec() {
    static const ArchSpec spec{
        .family = "Llama",
        .modelTypes = {"llama"},
        .architectures = {"LlamaForCausalLM"},
        .readConfig = readLlama,
        .writeConfig = writeDecoderConfig,
    };
    return spec;
}

} // namespace anatomist::core::arch
