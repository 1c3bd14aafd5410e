#pragma once
// The typed view of a Hugging Face config.json. Field names are the Hugging Face key names so that
// parsing is 1:1 and greppable; families whose keys differ (GPT-2's n_embd ...) translate in their
// architecture file. Per-layer values are resolved into vectors so that pruning can drop or edit a
// layer's entry without knowing how the family derives it.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {

enum class AttentionKind { Full, Sliding };

// The rope_scaling block; only the types below are accepted (others fail with ConfigError).
struct RopeScaling {
    std::string rope_type = "default"; // "linear", "llama3"
    double factor = 1.0;
    double low_freq_factor = 1.0;                    // llama3
    double high_freq_factor = 4.0;                   // llama3
    int64_t original_max_position_embeddings = 8192; // llama3
    bool operator==(const RopeScaling&) const = default;
};

struct RopeParams {
    double theta = 10000.0;
    std::optional<RopeScaling> scaling;
    bool operator==(const RopeParams&) const = default;
};

enum class Activation { Silu, GeluTanh, GeluErf, Relu };
const char* activationName(Activation act);

struct ModelConfig {
    std::string model_type;
    std::vector<std::string> architectures;

    int64_t vocab_size = 0;
    int64_t hidden_size = 0;
    int64_t intermediate_size = 0;
    int64_t num_hidden_layers = 0;
    int64_t num_attention_heads = 0;
    int64_t num_key_value_heads = 0;
    int64_t head_dim = 0;
    int64_t max_position_embeddings = 0;
    double norm_eps = 1e-5; // rms_norm_eps, or layer_norm_epsilon (GPT-2)
    Activation hidden_act = Activation::Silu;

    double rope_theta = 10000.0;
    std::optional<RopeScaling> rope_scaling;
    std::optional<double> rope_local_base_freq; // Gemma 3 sliding layers

    bool tie_word_embeddings = false;
    bool qkv_bias = false; // biases on q/k/v projections (attention_bias, or Qwen 2's fixed true)
    bool o_bias = false;
    bool mlp_bias = false;

    std::optional<int64_t> sliding_window;
    std::optional<double> query_pre_attn_scalar;   // attention scale = this^-0.5 when set
    std::optional<double> final_logit_softcapping; // logits = tanh(z / c) * c
    bool scale_attn_by_inverse_layer_idx = false;  // GPT-2 option

    std::optional<int64_t> bos_token_id;
    std::optional<int64_t> pad_token_id;
    std::vector<int64_t> eos_token_ids;
    std::string torch_dtype; // as stored: "float32", "bfloat16", ...

    // Resolved per layer (size num_hidden_layers).
    std::vector<AttentionKind> layer_types;
    std::vector<RopeParams> layer_rope;
    std::vector<int64_t> layer_intermediate_sizes;
    std::vector<int64_t> layer_num_attention_heads; // query heads of each layer
    std::vector<int64_t> layer_num_key_value_heads; // KV heads of each layer (divides the above)
    std::vector<bool> layer_attention_bypassed;     // x_mid = x_in, no attention computed

    nlohmann::json raw; // the original document, kept so that export preserves unknown keys

    int64_t kvGroupSize() const { return num_attention_heads / num_key_value_heads; }
    double attentionScale(int layer) const;
    bool uniformIntermediateSize() const;
    // True when every per-layer width and head count equals the global value, so a stock
    // Hugging Face config describes the weights (a bypass alone keeps a stock layout).
    bool uniformLayerShapes() const;
};

// Typed access to config.json keys; every failure is a ConfigError naming the file and the key.
class ConfigReader {
public:
    ConfigReader(const nlohmann::json& json, std::string source);

    bool has(const char* key) const; // present and not null
    int64_t requireInt(const char* key) const;
    int64_t requirePositiveInt(const char* key) const;
    // A positive layer count no larger than kMaxLayerCount.
    int64_t requireLayerCount(const char* key) const;
    static constexpr int64_t kMaxLayerCount = 65536;
    std::optional<int64_t> optionalInt(const char* key) const;
    double requireNumber(const char* key) const;
    std::optional<double> optionalNumber(const char* key) const;
    bool optionalBool(const char* key, bool fallback) const;
    std::optional<std::string> optionalString(const char* key) const;
    std::vector<int64_t> intOrIntList(const char* key) const; // eos_token_id may be either
    const nlohmann::json& document() const { return m_json; }
    const std::string& source() const { return m_source; }
    [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

private:
    const nlohmann::json* find(const char* key) const;
    const nlohmann::json& m_json;
    std::string m_source;
};

// Reads and parses config.json into JSON (FormatError / IoError naming the file).
nlohmann::json readJsonFile(const std::filesystem::path& path);

// Parses an activation name as used by hidden_act / hidden_activation / activation_function.
Activation parseActivation(const ConfigReader& reader, const char* key, const std::string& name);

// Parses a rope_scaling object (null → nullopt).
std::optional<RopeScaling> parseRopeScaling(const ConfigReader& reader);

// Checks the invariants every family relies on (positive sizes, heads divisible, per-layer vectors
// sized); throws ConfigError naming the key.
void validateConfig(const ModelConfig& config, const std::string& source);

// Per-layer lists in config.json (Anatomist's own keys; stock transformers ignores them). Written
// only when a value differs from the global key; a reader takes the list over the global key.
inline constexpr const char* kLayerIntermediateSizesKey = "anatomist_layer_intermediate_sizes";
inline constexpr const char* kLayerAttentionHeadsKey = "anatomist_layer_num_attention_heads";
inline constexpr const char* kLayerKeyValueHeadsKey = "anatomist_layer_num_key_value_heads";
inline constexpr const char* kAttentionBypassKey = "anatomist_attention_bypass"; // list of bools

// Fills the per-layer lists a family left empty from the global values, then applies the
// anatomist_* lists above when present (ConfigError naming the key on a wrong length or type).
// Called once for every family after its readConfig.
void readLayerLists(const ConfigReader& reader, ModelConfig& config);
// Writes or removes the anatomist_* keys of `out` to match `config`.
void writeLayerLists(const ModelConfig& config, nlohmann::json& out);

} // namespace anatomist::core
