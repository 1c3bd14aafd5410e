#pragma once
// Config reading shared by the Llama-style families: each family file calls these and then applies
// its own defaults and quirks.

#include "io/model_config.h"

#include <optional>

namespace anatomist::core::arch {

struct DecoderDefaults {
    std::optional<int64_t> headDim; // default head_dim when the key is absent (else hidden/heads)
    double normEps = 1e-6;
    bool tieWordEmbeddings = false;
    const char* activationKey = "hidden_act";
    const char* activation = "silu";
};

// Sizes, norms, rope, biases, special ids; every layer full attention with the global rope.
void readDecoderConfig(const ConfigReader& reader, ModelConfig& c, const DecoderDefaults& defaults);

// Keys every family reads alike: bos/pad/eos token ids and the stored dtype.
void readSpecialIdsAndDtype(const ConfigReader& reader, ModelConfig& c);

// Every layer full attention with one rope and the config's MLP width (families override after).
void assignUniformLayers(ModelConfig& c, const RopeParams& rope);

// Reads an explicit "layer_types" list; returns false when the key is absent.
bool readLayerTypes(const ConfigReader& reader, ModelConfig& c);

// Qwen 2/3 rule: sliding from layer max_window_layers on, when use_sliding_window is true.
// ref: configuration_qwen2.py (layer_types default)
void readQwenSlidingWindow(const ConfigReader& reader, ModelConfig& c);

// Writes "torch_dtype" when the config has one (every family's writer).
void writeDtype(const ModelConfig& c, nlohmann::json& out);

// Writes the keys readDecoderConfig reads (sizes, layer_types when non-uniform or present).
void writeDecoderConfig(const ModelConfig& c, nlohmann::json& out);

} // namespace anatomist::core::arch
