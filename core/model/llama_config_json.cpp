#include "llama_config_json.h"

#include <nlohmann/json.hpp>

namespace anatomist::core {

nlohmann::json llamaConfigJson(const LlamaConfigFields& f) {
    nlohmann::json c = {
        {"model_type", f.model_type},
        {"vocab_size", f.vocab_size},
        {"hidden_size", f.hidden_size},
        {"intermediate_size", f.intermediate_size},
        {"num_hidden_layers", f.num_hidden_layers},
        {"num_attention_heads", f.num_attention_heads},
        {"num_key_value_heads", f.num_key_value_heads},
        {"max_position_embeddings", f.max_position_embeddings},
        {"rms_norm_eps", f.rms_norm_eps},
        {"rope_theta", f.rope_theta},
        {"hidden_act", "silu"},
        {"tie_word_embeddings", f.tie_word_embeddings},
    };
    if (f.model_type == "llama")
        c["architectures"] = {"LlamaForCausalLM"};
    if (f.head_dim)
        c["head_dim"] = *f.head_dim;
    if (f.writeBiasFlags) {
        c["attention_bias"] = false;
        c["mlp_bias"] = false;
    }
    if (f.bos_token_id)
        c["bos_token_id"] = *f.bos_token_id;
    if (f.eos_token_id)
        c["eos_token_id"] = *f.eos_token_id;
    if (f.torch_dtype)
        c["torch_dtype"] = *f.torch_dtype;
    return c;
}

} // namespace anatomist::core
