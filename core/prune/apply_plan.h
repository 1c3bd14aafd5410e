#pragma once
// Applies a PrunePlan to a base model: the variant is a new CausalLM built from an edited config
// and a MemoryTensorSource of sliced copies through loadWeights (so the usual missing / unexpected
// / shape checks hold). The base is never modified and shares no storage with the variant.
//
// Bad plans throw InvalidArgument with a message naming the operation: a plan for another model,
// a layer or neuron out of range, removing every layer, 100 % width, heads that break GQA, the
// activation method without texts, fairness without pairs.

#include "model/causal_lm.h"
#include "prune/prune_plan.h"
#include "tokenizer/tokenizer.h"

#include <memory>
#include <utility>
#include <vector>

namespace anatomist::core {

class JobContext;

// Data for the data-driven operations (already tokenised; see datasets.h promptIds / eval's
// tokenizeDocuments). Only needed by prune_mlp "activation" and fairness_neurons.
struct PruneInputs {
    std::vector<std::vector<TokenId>> documents;
    std::vector<std::pair<std::vector<TokenId>, std::vector<TokenId>>> pairs;
    int64_t tokenBudget = 8192; // positions read for activation norms
};

// What each kept layer became, in variant order.
struct VariantLayer {
    int baseIndex = 0;
    int64_t intermediateSize = 0;
    int64_t heads = 0;
    int64_t kvHeads = 0;
    bool attentionBypassed = false;
    std::vector<int64_t> keptNeurons;    // base neuron indices, ascending
    std::vector<int64_t> keptQueryHeads; // base query head indices, ascending
    std::vector<int64_t> keptKvHeads;    // base KV head indices, ascending
};

struct PruneResult {
    std::shared_ptr<CausalLM> model; // the variant (eval mode)
    std::vector<VariantLayer> layers;
    std::vector<int> keptLayers; // base index of every kept layer
    int64_t parametersBefore = 0;
    int64_t parametersAfter = 0;
    // Stock transformers can load the export (no per-layer widths or head counts).
    bool stockCompatible = true;
};

PruneResult applyPlan(CausalLM& base, const PrunePlan& plan, const PruneInputs& inputs,
                      JobContext& job);

// Number of parameters (tied weights counted once).
int64_t countParameters(CausalLM& model);

// §5 sizes. Kept neurons for removing `percent` % of `width` (InvalidArgument unless 0 <= p < 100):
// k = I − min(floor(p/100·I), I − 1), then rounded to a multiple of `divisor` and clamped to [1,
// I].
int64_t keptWidthForPercent(int64_t width, double percent, std::optional<int64_t> divisor = {});
// k rounded to a multiple of divisor (32/64/128/256 for hardware-friendly shapes), clamped to
// [1, width]; k unchanged without a divisor. InvalidArgument for a divisor < 1.
int64_t roundToDivisor(int64_t kept, int64_t width, std::optional<int64_t> divisor);
// percent that gives a kept width of expansion % of hidden (InvalidArgument when it would grow).
double percentForExpansion(int64_t width, int64_t hidden, double expansion);

} // namespace anatomist::core
