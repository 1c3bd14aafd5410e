#include "model/gguf_config.h"

#include "errors.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "io/model_config.h"
#include "model/arch/families.h"
#include "model/gguf_names.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace anatomist::core {

namespace {

// GGUF stores floats as float32: 1e-5 comes back as 9.99999974738e-06. The shortest decimal that
// reads back as the same float32 is what the Hugging Face config held.
double cleanFloat(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer - 1, float(value));
    *result.ptr = '\0';
    return std::strtod(buffer, nullptr);
}

// One value for every layer, or the layers' own values when they differ (an error until the
// per-layer configuration lands: the message says which key).
int64_t uniformValue(const GgufFile& f, const std::string& key, int64_t layers,
                     std::optional<int64_t> fallback) {
    const auto values = f.optionalIntOrArray(key);
    if (!values) {
        if (fallback)
            return *fallback;
        f.failKey(key, "is missing");
    }
    if (values->empty())
        f.failKey(key, "is an empty array");
    if (values->size() > 1 && int64_t(values->size()) != layers)
        f.failKey(key, "has " + std::to_string(values->size()) + " entries for " +
                           std::to_string(layers) + " layers");
    for (auto v : *values)
        if (v != values->front())
            f.failKey(key, "differs between layers; per-layer sizes are not supported yet");
    return values->front();
}

// One value per layer from a scalar or a per-layer array (llama.cpp's get_key_or_arr).
std::vector<int64_t> layerValues(const GgufFile& f, const std::string& key, int64_t layers,
                                 std::optional<int64_t> fallback) {
    auto values = f.optionalIntOrArray(key);
    if (!values) {
        if (!fallback)
            f.failKey(key, "is missing");
        values = std::vector<int64_t>{*fallback};
    }
    if (values->empty())
        f.failKey(key, "is an empty array");
    if (values->size() > 1 && int64_t(values->size()) != layers)
        f.failKey(key, "has " + std::to_string(values->size()) + " entries for " +
                           std::to_string(layers) + " layers");
    if (values->size() == 1)
        values->assign(std::size_t(std::max<int64_t>(layers, 1)), values->front());
    return *values;
}

bool allEqual(const std::vector<int64_t>& v) {
    return std::all_of(v.begin(), v.end(), [&](int64_t x) { return x == v.front(); });
}

const ArchSpec& specForArchitecture(const GgufFile& f, const std::string& arch) {
    if (arch == "deci")
        return arch::llamaSpec();
    if (arch == "llama")
        return f.find("llama.attention.sliding_window") ? arch::mistralSpec() : arch::llamaSpec();
    for (const auto& family : ggufFamilies())
        if (family.arch == arch)
            return *family.spec;
    std::string supported;
    for (const auto& family : ggufFamilies())
        if (supported.find(family.arch) == std::string::npos)
            supported += (supported.empty() ? "" : ", ") + family.arch;
    throw UnsupportedArchitecture(f.path().string() + ": GGUF architecture '" + arch +
                                  "' is not supported (supported: " + supported + ")");
}

void readTokenIds(const GgufFile& f, nlohmann::json& doc) {
    if (auto bos = f.optionalInt("tokenizer.ggml.bos_token_id"))
        doc["bos_token_id"] = *bos;
    if (auto eos = f.optionalInt("tokenizer.ggml.eos_token_id"))
        doc["eos_token_id"] = *eos;
    if (auto pad = f.optionalInt("tokenizer.ggml.padding_token_id"))
        doc["pad_token_id"] = *pad;
}

nlohmann::json ropeScalingFrom(const GgufFile& f, const std::string& arch) {
    if (auto stored = f.optionalString("anatomist.rope_scaling")) {
        try {
            return nlohmann::json::parse(*stored);
        } catch (const nlohmann::json::exception& e) {
            f.failKey("anatomist.rope_scaling",
                      std::string("is not valid JSON (") + e.what() + ")");
        }
    }
    if (f.findTensor("rope_freqs.weight"))
        throw FormatError(f.path().string() +
                          ": tensor 'rope_freqs.weight' (per-frequency RoPE factors, Llama 3 "
                          "scaling) is not supported without the anatomist.rope_scaling key");
    const auto type = f.optionalString(arch + ".rope.scaling.type").value_or("none");
    const auto factor = f.optionalNumber(arch + ".rope.scaling.factor");
    if (type == "none" || (type == "linear" && (!factor || *factor == 0.0 || *factor == 1.0)))
        return nullptr;
    if (type == "linear")
        return {{"rope_type", "linear"}, {"factor", cleanFloat(*factor)}};
    f.failKey(arch + ".rope.scaling.type",
              "is '" + type + "'; only linear RoPE scaling is supported");
}

// No output.weight means a tied head; so does one that is a byte-for-byte copy of the embedding
// (llama.cpp's llama2.c converter writes the shared classifier twice).
bool tiedEmbeddings(const GgufFile& f) {
    const auto* output = f.findTensor("output.weight");
    const auto* embed = f.findTensor("token_embd.weight");
    if (!output)
        return true;
    if (!embed || embed->type != output->type || embed->dims != output->dims)
        return false;
    const auto a = f.data(*embed), b = f.data(*output);
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

} // namespace

GgufModelConfig configFromGguf(const GgufFile& f) {
    const std::string arch = f.requireString("general.architecture");
    GgufModelConfig out;
    out.spec = &specForArchitecture(f, arch);
    const ArchSpec& spec = *out.spec;
    auto key = [&](const char* name) { return arch + "." + name; };

    const int64_t layers = f.requireInt(key("block_count"));
    // Per-layer keys are expanded into vectors of this length right below: a count no model has
    // must be refused before it becomes a multi-gigabyte allocation (found by fuzz_gguf).
    if (layers <= 0 || layers > ConfigReader::kMaxLayerCount)
        f.failKey(key("block_count"), "is " + std::to_string(layers) +
                                          ", not a layer count between 1 and " +
                                          std::to_string(ConfigReader::kMaxLayerCount));
    const int64_t hidden = f.requireInt(key("embedding_length"));
    // Per-layer head counts (llama.cpp reads both keys as arrays; the export writes them for a
    // head-pruned variant) become Anatomist's per-layer keys, the largest count the global one.
    const auto headList = layerValues(f, key("attention.head_count"), layers, std::nullopt);
    const auto kvList = layerValues(f, key("attention.head_count_kv"), layers, headList.front());
    const auto widest =
        std::size_t(std::max_element(headList.begin(), headList.end()) - headList.begin());
    const int64_t heads = headList[widest];
    const int64_t kvHeads = kvList[widest];
    const bool perLayerHeads = !allEqual(headList) || !allEqual(kvList);
    if (perLayerHeads && &spec == &arch::gpt2Spec())
        f.failKey(key("attention.head_count"), "differs between layers; GPT-2 has one head count");
    // Per-layer MLP widths (llama.cpp's deci architecture, as the export writes them) become
    // Anatomist's per-layer key.
    std::vector<int64_t> ffnPerLayer;
    if (auto widths = f.optionalIntOrArray(key("feed_forward_length"));
        widths && int64_t(widths->size()) == layers && layers > 1 && &spec != &arch::gpt2Spec() &&
        std::any_of(widths->begin(), widths->end(),
                    [&](int64_t w) { return w != widths->front(); }))
        ffnPerLayer = *widths;
    const int64_t ffn = ffnPerLayer.empty()
                            ? uniformValue(f, key("feed_forward_length"), layers, std::nullopt)
                            : ffnPerLayer.front();
    const int64_t context = f.requireInt(key("context_length"));
    int64_t vocab = f.optionalInt(key("vocab_size")).value_or(0);
    if (vocab == 0) {
        if (const auto* embed = f.findTensor("token_embd.weight"); embed && embed->dims.size() == 2)
            vocab = embed->dims[1];
        else if (auto tokens = f.optionalStringArray("tokenizer.ggml.tokens"))
            vocab = int64_t(tokens->size());
    }

    nlohmann::json& d = out.document;
    d["model_type"] = spec.modelTypes.front();
    d["architectures"] = {spec.architectures.front()};
    d["vocab_size"] = vocab;
    d["torch_dtype"] = "float32";
    d["tie_word_embeddings"] = tiedEmbeddings(f);
    readTokenIds(f, d);

    if (&spec == &arch::gpt2Spec()) {
        d["n_embd"] = hidden;
        d["n_layer"] = layers;
        d["n_head"] = heads;
        d["n_inner"] = ffn;
        d["n_positions"] = context;
        d["layer_norm_epsilon"] = cleanFloat(f.requireNumber(key("attention.layer_norm_epsilon")));
        d["activation_function"] = "gelu_new";
        return out;
    }

    d["hidden_size"] = hidden;
    d["num_hidden_layers"] = layers;
    d["num_attention_heads"] = heads;
    d["num_key_value_heads"] = kvHeads;
    d["intermediate_size"] = ffn;
    if (!ffnPerLayer.empty())
        d[kLayerIntermediateSizesKey] = ffnPerLayer;
    if (perLayerHeads) {
        d[kLayerAttentionHeadsKey] = headList;
        d[kLayerKeyValueHeadsKey] = kvList;
    }
    d["max_position_embeddings"] = context;
    if (heads <= 0)
        f.failKey(key("attention.head_count"), "must be positive");
    d["head_dim"] = f.optionalInt(key("attention.key_length")).value_or(hidden / heads);
    d["rms_norm_eps"] = cleanFloat(f.requireNumber(key("attention.layer_norm_rms_epsilon")));
    d["rope_theta"] = cleanFloat(f.optionalNumber(key("rope.freq_base")).value_or(10000.0));
    d["rope_scaling"] = ropeScalingFrom(f, arch);
    // ref: llama.cpp llm_build_llama / qwen2: biases are optional tensors
    d["attention_bias"] = f.findTensor("blk.0.attn_q.bias") != nullptr;

    if (&spec == &arch::mistralSpec()) {
        d["sliding_window"] = f.requireInt("llama.attention.sliding_window");
    } else if (&spec == &arch::qwen2Spec() || &spec == &arch::qwen3Spec()) {
        d["use_sliding_window"] = false;
    } else if (&spec == &arch::gemma3Spec()) {
        d["hidden_activation"] = "gelu_pytorch_tanh";
        const auto window = f.optionalInt(key("attention.sliding_window")).value_or(0);
        nlohmann::json types = nlohmann::json::array();
        if (window > 0) {
            d["sliding_window"] = window;
            // ref: llama_model_base::load_swa_pattern: a bool per layer, or a period (default 6)
            std::vector<bool> sliding(std::size_t(layers), false);
            const auto* pattern = f.find(key("attention.sliding_window_pattern"));
            if (pattern && pattern->type == GgufType::Array) {
                if (int64_t(pattern->array.size()) != layers)
                    f.failKey(key("attention.sliding_window_pattern"),
                              "has " + std::to_string(pattern->array.size()) + " entries for " +
                                  std::to_string(layers) + " layers");
                for (std::size_t i = 0; i < sliding.size(); ++i)
                    sliding[i] = pattern->array[i].b || pattern->array[i].i != 0;
            } else {
                const int64_t period =
                    f.optionalInt(key("attention.sliding_window_pattern")).value_or(6);
                if (period <= 0)
                    f.failKey(key("attention.sliding_window_pattern"), "must be positive");
                // ref: llama_hparams::set_swa_pattern: il % n_pattern < n_pattern - 1
                for (std::size_t i = 0; i < sliding.size(); ++i)
                    sliding[i] = int64_t(i) % period < period - 1;
            }
            for (bool s : sliding)
                types.push_back(s ? "sliding_attention" : "full_attention");
        } else {
            for (int64_t i = 0; i < layers; ++i)
                types.push_back("full_attention");
        }
        d["layer_types"] = types;
        d["rope_local_base_freq"] =
            cleanFloat(f.optionalNumber(key("rope.freq_base_swa")).value_or(10000.0));
        if (auto cap = f.optionalNumber(key("final_logit_softcapping")); cap && *cap > 0)
            d["final_logit_softcapping"] = cleanFloat(*cap);
        // ref: llama_model_gemma3::load_arch_hparams: 1/sqrt(head_dim), or hidden/heads for 27B
        const double scalar =
            layers == 62 ? double(hidden / heads) : double(d["head_dim"].get<int64_t>());
        d["query_pre_attn_scalar"] =
            cleanFloat(f.optionalNumber("anatomist.query_pre_attn_scalar").value_or(scalar));
    }
    return out;
}

void writeGgufConfig(const ModelConfig& c, const ArchSpec& spec, GgufWriter& w) {
    std::string arch = ggufArchitectureOf(spec);
    // llama.cpp's llama graph takes layer 0's MLP width for every layer; its deci architecture
    // (same tensors, same RoPE layout) reads them per layer. ref: src/models/deci.cpp
    // Per-layer head counts likewise (llama.cpp's llama graph uses layer 0's for every layer).
    const bool uniformHeads =
        allEqual(c.layer_num_attention_heads) && allEqual(c.layer_num_key_value_heads);
    if (arch == "llama" && (!c.uniformIntermediateSize() || !uniformHeads))
        arch = "deci";
    if (!uniformHeads && arch != "deci")
        throw InvalidArgument("per-layer head counts can be written to GGUF only for Llama-style "
                              "models (llama.cpp's deci graph); this model is " +
                              spec.family);
    auto key = [&](const char* name) { return arch + "." + name; };
    auto u32 = [](int64_t v) { return static_cast<uint32_t>(v); };
    w.setString("general.architecture", arch);
    w.setU32(key("context_length"), u32(c.max_position_embeddings));
    w.setU32(key("embedding_length"), u32(c.hidden_size));
    w.setU32(key("block_count"), u32(c.num_hidden_layers));
    if (c.uniformIntermediateSize()) {
        w.setU32(key("feed_forward_length"), u32(c.intermediate_size));
    } else {
        std::vector<uint32_t> sizes;
        for (auto s : c.layer_intermediate_sizes)
            sizes.push_back(u32(s));
        w.setU32Array(key("feed_forward_length"), sizes);
    }
    auto setPerLayer = [&](const std::string& k, const std::vector<int64_t>& values,
                           int64_t global) {
        if (values.empty() || allEqual(values)) {
            w.setU32(k, u32(values.empty() ? global : values.front()));
        } else {
            std::vector<uint32_t> list;
            for (auto v : values)
                list.push_back(u32(v));
            w.setU32Array(k, list);
        }
    };
    setPerLayer(key("attention.head_count"), c.layer_num_attention_heads, c.num_attention_heads);
    w.setU32(key("vocab_size"), u32(c.vocab_size));

    if (&spec == &arch::gpt2Spec()) {
        if (c.scale_attn_by_inverse_layer_idx || c.query_pre_attn_scalar)
            throw InvalidArgument("GPT-2 attention scaling options have no llama.cpp equivalent");
        w.setF32(key("attention.layer_norm_epsilon"), float(c.norm_eps));
        return;
    }
    setPerLayer(key("attention.head_count_kv"), c.layer_num_key_value_heads, c.num_key_value_heads);
    w.setU32(key("attention.key_length"), u32(c.head_dim));
    w.setU32(key("attention.value_length"), u32(c.head_dim));
    w.setU32(key("rope.dimension_count"), u32(c.head_dim));
    w.setF32(key("attention.layer_norm_rms_epsilon"), float(c.norm_eps));
    w.setF32(key("rope.freq_base"), float(c.rope_theta));
    if (c.rope_scaling) {
        const auto& s = *c.rope_scaling;
        if (s.rope_type == "linear") {
            w.setString(key("rope.scaling.type"), "linear");
            w.setF32(key("rope.scaling.factor"), float(s.factor));
        } else if (s.rope_type == "llama3") {
            // llama.cpp reads the factors from the rope_freqs tensor (written with the tensors);
            // the parameters are kept for Anatomist.
            w.setString("anatomist.rope_scaling",
                        nlohmann::json{{"rope_type", "llama3"},
                                       {"factor", s.factor},
                                       {"low_freq_factor", s.low_freq_factor},
                                       {"high_freq_factor", s.high_freq_factor},
                                       {"original_max_position_embeddings",
                                        s.original_max_position_embeddings}}
                            .dump());
        } else if (s.rope_type != "default") {
            throw InvalidArgument("RoPE scaling '" + s.rope_type + "' cannot be written to GGUF");
        }
    }
    if (&spec == &arch::mistralSpec() && c.sliding_window)
        w.setU32("llama.attention.sliding_window", u32(*c.sliding_window));
    if (&spec == &arch::gemma3Spec()) {
        if (c.sliding_window) {
            w.setU32(key("attention.sliding_window"), u32(*c.sliding_window));
            std::vector<bool> sliding;
            for (auto t : c.layer_types)
                sliding.push_back(t == AttentionKind::Sliding);
            w.setBoolArray(key("attention.sliding_window_pattern"), sliding);
        }
        if (c.rope_local_base_freq)
            w.setF32(key("rope.freq_base_swa"), float(*c.rope_local_base_freq));
        if (c.final_logit_softcapping)
            w.setF32(key("final_logit_softcapping"), float(*c.final_logit_softcapping));
        const double implied = c.num_hidden_layers == 62
                                   ? double(c.hidden_size / c.num_attention_heads)
                                   : double(c.head_dim);
        if (c.query_pre_attn_scalar && *c.query_pre_attn_scalar != implied)
            w.setF32("anatomist.query_pre_attn_scalar", float(*c.query_pre_attn_scalar));
    }
}

} // namespace anatomist::core
