#pragma once
// A pruning plan: a list of operations on a base model, as plain data with one JSON schema
// (docs/plan-format.md; "format": "anatomist-plan", "version": 1). Layer, neuron, head and group
// indices always refer to the base model, whatever other operations remove.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {

struct ModelConfig;

enum class PruneOpKind {
    RemoveLayers,    // depth: drop whole decoder blocks
    BypassAttention, // x_mid = x_in in the listed layers (o_proj zeroed on export)
    PruneMlp,        // width: keep the best-scored neurons (ALGORITHMS.md §4–5)
    RemoveNeurons,   // an explicit neuron list for one layer
    PruneHeads,      // GQA-safe head removal: whole KV groups or n query heads per group
    FairnessNeurons, // remove the top-count neurons by the fairness score F_k (§3)
};
const char* pruneOpName(PruneOpKind kind); // "remove_layers", ...
std::optional<PruneOpKind> parsePruneOpName(const std::string& name);

// One operation. Only the fields of its kind are meaningful; `layers` empty = every layer
// (RemoveLayers and BypassAttention need an explicit list).
struct PruneOperation {
    PruneOpKind op = PruneOpKind::RemoveLayers;
    std::vector<int> layers;

    // PruneMlp: method ppm | vow | pon | l2 | activation (needs texts) | l1 (plain MLPs, GPT-2);
    // PruneHeads with query_heads_per_group: l2. Empty = the default (ppm; l1 for plain MLPs; l2).
    // Exactly one of percent (of neurons removed), expansion (kept width as % of hidden_size) or
    // keep (neurons kept); divisor rounds the kept count (§5).
    std::string method;
    std::optional<double> percent;
    std::optional<double> expansion;
    std::optional<int64_t> keep;
    std::optional<int64_t> divisor;

    // RemoveNeurons (single layer: layers = {layer}).
    std::vector<int64_t> neurons;

    // PruneHeads: kv_groups removes those KV heads with their query heads; query_heads_per_group
    // removes that many query heads from every group (the lowest by `method`: "l2"); query_heads
    // removes an explicit list (the same number from every group).
    std::vector<int64_t> kv_groups;
    std::optional<int64_t> query_heads_per_group;
    std::vector<int64_t> query_heads;

    // FairnessNeurons: pairs file (JSONL/CSV, resolved by the caller), neurons removed per layer,
    // weight w of the bias term in F_k.
    std::string pairs;
    int64_t count = 0;
    double weight = 0.5;
};

// What the plan was written for; applyPlan refuses a plan whose base differs from the model.
struct PlanBase {
    std::string model_type;
    int64_t num_hidden_layers = 0;
    int64_t hidden_size = 0;
    int64_t intermediate_size = 0;
    int64_t num_attention_heads = 0;
    int64_t num_key_value_heads = 0;
};
PlanBase planBaseOf(const ModelConfig& config);

struct PrunePlan {
    std::optional<PlanBase> base; // absent: not checked
    std::vector<PruneOperation> operations;
};

nlohmann::json toJson(const PrunePlan& plan);
// FormatError naming `source` and the operation index on a malformed document.
PrunePlan prunePlanFromJson(const nlohmann::json& json, const std::string& source = "plan");
PrunePlan readPrunePlan(const std::string& file);

} // namespace anatomist::core
