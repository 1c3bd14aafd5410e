#pragma once
// Architectures as data: the shared blocks implement the union of the families' features and the
// spec switches them (as llama.cpp does with its norm / FFN enums). Adding a family = one file in
// arch/ plus one line in arch_registry.cpp. Module names are Hugging Face's, so parameter names
// equal safetensors keys.

#include "io/model_config.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

enum class NormKind {
    Rms,          // w * x / rms(x)
    RmsOffsetOne, // (1 + w) * x / rms(x)        ref: modeling_gemma3.py Gemma3RMSNorm
    LayerNorm,    // w * (x - mean) / std + b     ref: modeling_gpt2.py (nn.LayerNorm)
};
enum class MlpKind {
    Gated, // down(act(gate(x)) * up(x))
    Plain, // down(act(up(x)))             (GPT-2: c_fc, c_proj)
};
enum class PositionKind { Rotary, Learned };
enum class LinearLayout {
    OutIn, // nn.Linear: weight [out, in], y = x W^T + b
    InOut, // GPT-2 Conv1D: weight [in, out], y = x W + b
};

// Module names relative to their parent. An empty name means the module does not exist in the
// family. Layer-level names are relative to the layer, attention/MLP leaves to their block.
struct ModuleNames {
    std::string backbone = "model";
    std::string embed = "embed_tokens";
    std::string positions; // learned position table (GPT-2: "wpe")
    std::string layers = "layers";
    std::string finalNorm = "norm";
    std::string lmHead = "lm_head"; // only registered when embeddings are not tied

    std::string inputNorm = "input_layernorm";
    std::string attention = "self_attn";
    std::string q = "q_proj", k = "k_proj", v = "v_proj";
    std::string qkv; // fused projection (GPT-2: "c_attn")
    std::string o = "o_proj";
    std::string qNorm = "q_norm", kNorm = "k_norm";
    std::string postAttentionNorm; // Gemma 3: "post_attention_layernorm" (sandwich)
    std::string mlpNorm = "post_attention_layernorm";
    std::string postFeedforwardNorm; // Gemma 3: "post_feedforward_layernorm"
    std::string mlp = "mlp";
    std::string gate = "gate_proj", up = "up_proj", down = "down_proj";
};

struct ArchSpec {
    std::string family;                     // display name, e.g. "Qwen 3"
    std::vector<std::string> modelTypes;    // config.json "model_type" values
    std::vector<std::string> architectures; // config.json "architectures" values
    NormKind norm = NormKind::Rms;
    MlpKind mlp = MlpKind::Gated;
    PositionKind positions = PositionKind::Rotary;
    LinearLayout linearLayout = LinearLayout::OutIn;
    bool qkNorm = false;         // per-head norm on q and k before RoPE
    bool scaleEmbedding = false; // embeddings × sqrt(hidden_size)
    ModuleNames names;

    // Fills `config` from config.json; must resolve every per-layer vector.
    void (*readConfig)(const ConfigReader& reader, ModelConfig& config) = nullptr;
    // Writes `config` back over its raw document for export (sizes, layer lists, dtype).
    void (*writeConfig)(const ModelConfig& config, nlohmann::json& out) = nullptr;
    // Maps a checkpoint key to a parameter name; "" means "known, ignore" (mask buffers).
    // nullptr means keys are parameter names as they are.
    std::string (*checkpointKey)(std::string_view key) = nullptr;

    bool fusedQkv() const { return !names.qkv.empty(); }
};

} // namespace anatomist::core
