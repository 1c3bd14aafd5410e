#pragma once
// Choosing decoder layers (or attention sub-blocks) to remove by importance (ALGORITHMS.md §2, §7).
// One-shot: the lowest importances of one similarity run. Iterative: pick one, measure again with
// the picks taken out, pick the next. Taking out is done in the forward pass (ForwardOptions skip /
// bypass sets), which equals the model with those layers removed or attentions bypassed; the model
// itself is not modified.

#include "analysis/layer_similarity.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

enum class SelectionTarget {
    Block,     // whole decoder layers, importance 1 - cos(x_in, x_out)
    Attention, // attention sub-blocks to bypass, importance 1 - cos(x_in, x_mid)
};
const char* selectionTargetName(SelectionTarget target); // "block", "attention"

struct LayerSelectionRequest {
    LayerSelectionOptions selection;
    SelectionTarget target = SelectionTarget::Block;
    bool iterative = false;
    SimilarityOptions similarity; // context, budget, dataset; skip / bypass sets are set here
};

struct LayerPick {
    int layer = 0;         // base index
    double importance = 0; // when it was picked
};

// One measurement: which layers were taken out before it, and every measured layer's cosines.
struct SelectionStep {
    std::vector<int> removed;
    SimilarityResult similarity;
};

struct LayerSelectionResult {
    SelectionTarget target = SelectionTarget::Block;
    bool iterative = false;
    std::vector<LayerPick> picks;     // in pick order
    std::vector<SelectionStep> steps; // one-shot: one; iterative: one before each pick
    double seconds = 0;
};

// The importance that `target` ranks by, for one measured layer.
double targetImportance(const LayerSimilarity& layer, SelectionTarget target);

// Fewer picks than requested when the constraints leave fewer candidates. Throws InvalidArgument
// for a count below 1, Cancelled when cancelled.
LayerSelectionResult selectLayersByImportance(CausalLM& model,
                                              const std::vector<std::vector<TokenId>>& documents,
                                              const LayerSelectionRequest& request,
                                              JobContext& job);

// {target, mode: "one-shot"|"iterative", seconds, picks [{layer, importance}],
//  steps [{removed, tokens, layers [{index, block, attention, mlp, importance}]}]} where a layer's
// importance is the target's (block or attention).
nlohmann::json toJson(const LayerSelectionResult& result);

} // namespace anatomist::core
