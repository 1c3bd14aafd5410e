#pragma once
// LoRA (Hu et al. 2021) on a CausalLM: low-rank adapters on chosen projections of chosen layers,
// y = W x + (alpha / r) · B A dropout(x), with A [r, in] initialised as PEFT does
// (kaiming-uniform, a = √5) and B [out, r] zero, so an attached adapter starts as the identity.
// Adapters are submodules "lora_A" / "lora_B" of the projection, so their parameters are named
// "<module path>.lora_A.weight" and travel in training checkpoints like any other parameter.
// Saved in PEFT's format: adapter_model.safetensors with keys
// "base_model.model.<module path>.lora_A.weight" and adapter_config.json.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;

struct LoraOptions {
    int64_t rank = 8;
    double alpha = 16;
    double dropout = 0.05;
    std::vector<std::string> targets = {"q", "v"}; // q k v o gate up down, or module names (q_proj)
    std::vector<int> layers;                       // empty: every layer
    uint64_t seed = 0;                             // initialisation of A
};

nlohmann::json toJson(const LoraOptions& options);
LoraOptions loraOptionsFromJson(const nlohmann::json& document);

// Module paths ("model.layers.0.self_attn.q_proj") the options select. InvalidArgument naming a
// target that does not exist in this model (or a fused projection that cannot take it), or a layer
// out of range.
std::vector<std::string> loraTargetModules(const CausalLM& model, const LoraOptions& options);

// Attaches fresh adapters; returns the module paths. The base parameters are left as they are
// (the trainer freezes them through TrainOptions::trainable = {".lora_"}).
std::vector<std::string> attachLora(CausalLM& model, const LoraOptions& options);

// W ← W + scaling · B A for every adapter, then removes the adapters: a plain model again.
void mergeLora(CausalLM& model);

// Writes adapter_model.safetensors and adapter_config.json (atomically) into dir.
void saveLoraAdapters(CausalLM& model, const LoraOptions& options, const std::filesystem::path& dir,
                      const std::string& baseModelPath);

} // namespace anatomist::core
