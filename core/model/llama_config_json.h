#pragma once
// The config.json of the Llama-shaped models Anatomist makes itself (llama2.c import, training from
// scratch, the bench shapes): one writer, so that they agree on keys and defaults.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace anatomist::core {

// Field names are config.json's keys.
struct LlamaConfigFields {
    std::string model_type = "llama"; // "architectures" is written for "llama" only
    int64_t vocab_size = 0, hidden_size = 0, intermediate_size = 0, num_hidden_layers = 0;
    int64_t num_attention_heads = 0, num_key_value_heads = 0, max_position_embeddings = 0;
    std::optional<int64_t> head_dim; // absent: hidden_size / num_attention_heads
    double rope_theta = 10000.0;
    double rms_norm_eps = 1e-5;
    bool tie_word_embeddings = false;
    bool writeBiasFlags = false; // "attention_bias" and "mlp_bias" false, spelled out
    std::optional<int64_t> bos_token_id, eos_token_id;
    std::optional<std::string> torch_dtype = "float32";
};

nlohmann::json llamaConfigJson(const LlamaConfigFields& fields);

} // namespace anatomist::core
