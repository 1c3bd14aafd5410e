#pragma once
// Layer similarity and importance (ALGORITHMS.md §2). Per token t, cos_t = <a_t, b_t> /
// (|a_t||b_t|) along the hidden dimension; a layer's score is the token-weighted mean over every
// real (non-padding) position of every document, each position counted once when long documents are
// windowed as in `eval` (stride C/2). Block: (x_in, x_out); attention: (x_in, x_mid); MLP:
// (x_mid, x_out). Importance = 1 - block cosine (ShortGPT's Block Influence).
//
// The cosines are reduced inside the tap callbacks of one forward pass per batch, so memory is
// O(layers) in the number of tokens (plus the activations of the batch in flight).

#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;

struct SimilarityOptions {
    int64_t context = 0;        // 0: the model's max_position_embeddings
    int64_t stride = 0;         // 0: context / 2
    int64_t tokenBudget = 8192; // tokens per batch (B × T)
    // Angular distance d(l, n) = arccos(cos(x_in^l, x_in^(l+n))) / pi (Gromov et al. 2024) for
    // n = 1 .. angularMaxSpan; 0 computes none. x_in^L is the last block's output.
    int angularMaxSpan = 0;
    std::string dataset; // copied into the result (a file name, for display)
    // Measured with these layers skipped / attentions bypassed in the forward (ForwardOptions):
    // skipped layers are left out of `layers` and `removalOrder` (the rest keep their base
    // indices). Angular distances are not computed with skipped layers.
    std::vector<bool> skipLayers;
    std::vector<bool> bypassAttention;
};

struct LayerSimilarity {
    int layer = 0;
    double block = 0, attention = 0, mlp = 0; // mean cosines
    double importance = 0;                    // 1 - block
};

// d(l, n) for one span n: distance[l] for l = 0 .. L - n; best = argmin_l.
struct AngularDistances {
    int span = 1;
    std::vector<double> distance;
    int best = 0;
};

struct SimilarityResult {
    std::string dataset;
    int64_t documents = 0, tokens = 0; // tokens = positions averaged over
    std::vector<LayerSimilarity> layers;
    std::vector<int> removalOrder;         // layer indices, lowest importance first
    std::vector<AngularDistances> angular; // one per span 1 .. angularMaxSpan
    double seconds = 0;
};

// Throws InvalidArgument when no document has a token, Cancelled when the job is cancelled
// (checked between batches; one batch takes well under a second at the default budget).
SimilarityResult measureLayerSimilarity(CausalLM& model,
                                        const std::vector<std::vector<TokenId>>& documents,
                                        const SimilarityOptions& options, JobContext& job);

// Stable JSON field names: dataset, documents, tokens, seconds, layers [{index, block, attention,
// mlp, importance}], removal_order, angular [{span, distance, best}].
nlohmann::json toJson(const SimilarityResult& result);
SimilarityResult similarityFromJson(const nlohmann::json& json); // FormatError when malformed

// Benchmark (not a test): the same batches run as a plain forward (no listener) and as the
// similarity pass, interleaved `repeats` times; the fastest of each is kept (least disturbed by
// other load). ratio = similarity / forward.
struct SimilarityBench {
    int64_t tokens = 0, batches = 0;
    int repeats = 0;
    double forwardSeconds = 0, similaritySeconds = 0, ratio = 0;
    double forwardMedian = 0, similarityMedian = 0;
};
SimilarityBench benchLayerSimilarity(CausalLM& model,
                                     const std::vector<std::vector<TokenId>>& documents,
                                     const SimilarityOptions& options, int repeats,
                                     JobContext& job);
nlohmann::json toJson(const SimilarityBench& bench);

// ---- selection helpers --------------------------------------------------------------------------

struct LayerSelectionOptions {
    int count = 1;            // layers to pick
    int protectFirst = 0;     // never pick layers 0 .. protectFirst - 1
    bool protectLast = false; // never pick the last layer
    bool noAdjacent = false;  // never pick a layer next to one already picked
};

// Layer indices sorted by importance, lowest first (ties: lower index first).
std::vector<int> removalOrder(const std::vector<double>& importance);

// One-shot: the `count` lowest-importance layers allowed by the options, in pick order. Fewer are
// returned when the constraints leave fewer candidates.
std::vector<int> selectLayers(const std::vector<double>& importance,
                              const LayerSelectionOptions& options);

// Iterative: pick one layer, remove it, re-measure, pick the next (the seed notebooks claim this
// but run one-shot). `measure(removed)` returns the importance of every ORIGINAL layer index for a
// model with `removed` taken out (entries of removed layers are ignored). Returns original indices
// in pick order.
using ImportanceMeasure = std::function<std::vector<double>(const std::vector<int>& removed)>;
std::vector<int> selectLayersIterative(int numLayers, const LayerSelectionOptions& options,
                                       const ImportanceMeasure& measure, JobContext& job);

} // namespace anatomist::core
