#pragma once
// Adaptive attention bypass (ALGORITHMS.md §7): a prompt's complexity decides, at prefill, how many
// attention blocks run; the least important ones (by a calibration over prompts) are bypassed for
// that prompt's whole generation. The decision is a ForwardOptions::bypassAttention set; the model
// is not modified.

#include "tokenizer/tokenizer.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;

struct ComplexityWeights {
    double tokens = 0.75, variance = 0.25;
};

struct ComplexityScore {
    double sizeFactor = 0, referenceLength = 0, varianceSaturation = 0;
    double tokenTerm = 0, varianceTerm = 0, meanCosine = 0;
    double score = 0;
};

// The §7 formula for n tokens whose mean pairwise cosine (i != j) of input embeddings is
// meanCosine, in a model of `billions` parameters:
// size_factor = clamp(1 + (2 - P)·0.1, 0.5, 2); L_ref = 2000/size_factor; var_sat = L_ref/15;
// tok = min(log1p(n)/log1p(L_ref)·size_factor, 1), × (n/4)² if n < 4;
// var = 0 if n < 3 else (1 - meanCosine)·min(n/var_sat, 1); score = clamp(w_t·tok + w_v·var, 0, 1).
ComplexityScore complexityScore(int64_t tokens, double meanCosine, double billions,
                                const ComplexityWeights& weights = {});

// Mean of cos(e_i, e_j) over ordered pairs i != j of the prompt's token embeddings (rows of the
// embedding matrix); 0 for fewer than two tokens.
double meanPairwiseEmbeddingCosine(const CausalLM& model, const std::vector<TokenId>& ids);

// complexityScore of a prompt's ids ([BOS] + tokens, as prefill sees them) in this model.
ComplexityScore promptComplexity(const CausalLM& model, const std::vector<TokenId>& ids,
                                 const ComplexityWeights& weights = {});

struct ComplexityThreshold {
    double maxScore = 1; // scores up to this keep `keep` attention layers
    int keep = 0;
};

struct AdaptiveBypassConfig {
    std::string model; // the calibrated folder, for display
    int64_t parameters = 0;
    int layers = 0;
    std::vector<int> layersByImportance;         // attention layers, most important first
    std::vector<double> attentionImportance;     // 1 - cos(x_in, x_mid) per layer, on the prompts
    std::vector<ComplexityThreshold> thresholds; // ascending maxScore; the last is 1
    ComplexityWeights weights;
    std::vector<double> calibrationScores; // of the calibration prompts, in file order
};

// Ranks attention layers by importance over the prompts and places the thresholds at quantiles of
// the prompts' complexity: with B = maxBypass, the prompts split into B + 1 equal-count bands; the
// simplest band bypasses B attention layers, the next B - 1, ..., the most complex none.
// InvalidArgument for no prompts or maxBypass outside 0..layers - 1.
AdaptiveBypassConfig calibrateAdaptiveBypass(CausalLM& model,
                                             const std::vector<std::vector<TokenId>>& prompts,
                                             int maxBypass, JobContext& job);

// The attention layers to bypass for a prompt of this complexity score: the least important ones
// beyond the `keep` of the first threshold that covers the score. Sized to the layer count.
std::vector<bool> chooseBypass(const AdaptiveBypassConfig& config, double score);

// {format: "anatomist-adaptive-bypass", version: 1, model: {path, parameters, layers},
//  layers_by_importance, attention_importance, complexity_thresholds: [{max_score, keep}],
//  complexity_weights: {tokens, variance}, calibration: {prompts, scores}}
nlohmann::json toJson(const AdaptiveBypassConfig& config);
AdaptiveBypassConfig adaptiveBypassFromJson(const nlohmann::json& json, const std::string& source);

} // namespace anatomist::core
