#pragma once
// Contrastive prompt pairs for bias audits (ALGORITHMS.md §3): per pair and per component,
// diff = |a(p1) - a(p2)| at every layer, with the alignment used recorded in the result:
//  - "tokens": same token count, row t of p1 against row t of p2;
//  - "prefix_suffix": different counts; the common prefix and suffix tokens are compared row by
//    row and the differing spans by their means (one row);
//  - "mean_pooled": mean over tokens of each prompt (asked for, or when a differing span is empty).
// No layer is ever skipped. Metrics per layer / component / overall; aggregation over a pair set
// (mean and max across pairs, overall and by category).

#include "analysis/activations.h"
#include "analysis/datasets.h"
#include "analysis/diff_metrics.h"

#include <map>

namespace anatomist::core {

enum class PairAlignment { Tokens, PrefixSuffix, MeanPooled };
const char* pairAlignmentName(PairAlignment alignment); // "tokens", "prefix_suffix", "mean_pooled"

struct AlignedDiff {
    PairAlignment alignment = PairAlignment::Tokens;
    int64_t prefix = 0, suffix = 0; // common prefix / suffix tokens (prefix_suffix only)
    torch::Tensor diff;             // float32 [rows, features], |a - b|
    // Mean over the compared rows of 1 - cos(a_row, b_row) (float64; the rows as aligned above).
    // Unlike |a - b| it ignores the scale of the activations, which grows with depth.
    double cosineDistance = 0;
};
// a [Ta, F], b [Tb, F] activations of the two prompts, ids their tokens.
AlignedDiff alignedDifference(const torch::Tensor& a, const torch::Tensor& b,
                              const std::vector<TokenId>& idsA, const std::vector<TokenId>& idsB,
                              bool preferMeanPooling = false);

struct ContrastiveOptions {
    std::vector<TapPoint> components{TapPoint::AttnOut, TapPoint::MlpOut, TapPoint::Out};
    bool preferMeanPooling = false; // unequal lengths: mean-pool rather than prefix/suffix
    bool details = false; // keep the difference matrix and PCA(2) of every (component, layer)
};

struct PairPca {
    FloatMatrix pointsA, pointsB;  // [Ta, 2], [Tb, 2]: token coordinates of p1 and p2
    std::vector<double> explained; // explained variance ratio of the two axes
};

struct ContrastiveLayer {
    int layer = 0;
    DiffStats stats;
    double cosineDistance = 0; // AlignedDiff::cosineDistance
    FloatMatrix diff;          // details only: rows × neurons
    PairPca pca;               // details only
};

struct ContrastiveComponent {
    std::string component;
    std::vector<ContrastiveLayer> layers;
    DiffStats overall; // over every layer's differences
    DiffProgression progression;
    std::vector<double> meanPerLayer() const;
    std::vector<double> cosinePerLayer() const;
};

struct ContrastivePairResult {
    std::string category, a, b;
    std::vector<TokenId> idsA, idsB;
    std::vector<std::string> tokensA, tokensB;
    PairAlignment alignment = PairAlignment::Tokens;
    int64_t prefix = 0, suffix = 0;
    std::vector<int> differingA, differingB; // token indices that differ (span for unequal pairs)
    std::vector<ContrastiveComponent> components;
    DiffStats overall; // over every component and layer
};

// Per component, per layer: the mean difference aggregated across pairs.
struct ContrastiveAggregate {
    std::string component;
    std::vector<double> meanAcrossPairs, maxAcrossPairs;
};

struct ContrastiveSetResult {
    std::vector<ContrastivePairResult> pairs;
    std::vector<ContrastiveAggregate> aggregate;
    std::map<std::string, std::vector<ContrastiveAggregate>> byCategory;
    double seconds = 0;
};

ContrastivePairResult compareContrastivePair(CausalLM& model, const std::vector<TokenId>& idsA,
                                             const std::vector<TokenId>& idsB,
                                             const ContrastiveOptions& options, JobContext& job);

// Tokenizes every pair ([BOS] + tokens), compares, aggregates; progress per pair.
ContrastiveSetResult compareContrastivePairs(CausalLM& model, const Tokenizer& tokenizer,
                                             const std::vector<PromptPair>& pairs,
                                             const ContrastiveOptions& options, JobContext& job);

struct CaptureBench;

// compareContrastivePairs against the same forward passes (one padded pair each) without taps
// (issue 19: ≤ 1.2×).
CaptureBench benchContrastive(CausalLM& model, const Tokenizer& tokenizer,
                              const std::vector<PromptPair>& pairs,
                              const ContrastiveOptions& options, int repeats, JobContext& job);

std::vector<ContrastiveAggregate>
aggregateContrastive(const std::vector<const ContrastivePairResult*>& pairs);

nlohmann::json toJson(const ContrastivePairResult& pair);
nlohmann::json toJson(const ContrastiveSetResult& result);

} // namespace anatomist::core
