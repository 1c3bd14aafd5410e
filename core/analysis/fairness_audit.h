#pragma once
// The fairness audit (issue 15): the contrastive analysis of ALGORITHMS.md §3 run over one or more
// pair sets, summarised per bias category and per layer, with the layers where the two prompts of
// a pair diverge most, the PCA of an example pair at the most divergent layer and the MLP neurons
// whose pooled activation differs most between the prompts (bias_k, with the fairness pruning
// score F_k where the MLP is gated). The HTML report (audit_report.h) and the CLI's JSON are
// written from this one result.

#include "analysis/contrastive.h"

#include <string>
#include <vector>

namespace anatomist::core {

struct LoadedModel;

// The pairs audited and where they came from (a set's name or file, how many pairs it gave).
struct AuditPairs {
    std::vector<PromptPair> pairs;
    std::vector<std::pair<std::string, std::size_t>> sources;
};
// Names of default sets (pair_sets.h) or pair files, read in order; a pair without a category
// takes the set's name (the file stem for a file). InvalidArgument when the list is empty; the
// readers' errors (file and line) otherwise.
AuditPairs readAuditPairs(const std::vector<std::string>& setsOrFiles);

struct FairnessAuditOptions {
    int topLayers = 3;   // per category, by cosine distance of the ranking component
    int topNeurons = 20; // over all layers, by bias_k
    double fairnessWeight = 0.5;
};

struct AuditModelInfo {
    std::string path, architecture, dtype;
    std::string configSha256; // of config.json ("" for a .gguf file)
    int64_t parameters = 0, layers = 0, hiddenSize = 0, intermediateSize = 0, vocabSize = 0;
};

// Per component, per layer, over a group of pairs: the mean across pairs of each pair's statistic
// (meanAbs = DiffStats::mean, l2 = DiffStats::l2, cosine = ContrastiveLayer::cosineDistance) and
// the max across pairs of DiffStats::mean.
struct AuditSeries {
    std::string component;
    std::vector<double> meanAbs, maxAbs, l2, cosine;
};

struct AuditNeuron {
    int layer = 0, neuron = 0;
    double bias = 0;      // mean over the group's pairs of |pooled_k(a) - pooled_k(b)|
    double fairness = -1; // F_k of the whole set (-1 when the MLP is not gated: no PPM)
};

struct AuditGroup {
    std::string name;                // category; "all pairs" for the whole set
    std::vector<std::size_t> pairs;  // indices into FairnessAuditResult::contrastive.pairs
    std::vector<AuditSeries> series; // one per component, as contrastive
    std::vector<int> topLayers;      // by cosine of the ranking component, largest first
    std::size_t examplePair = 0;     // the pair with the largest cosine at topLayers[0]
    PairPca examplePca;              // of examplePair, ranking component, layer topLayers[0]
    std::vector<AuditNeuron> topNeurons;
};

struct FairnessAuditResult {
    static constexpr const char* kRankingComponent = "out"; // the residual stream x_out
    AuditModelInfo model;
    std::vector<std::pair<std::string, std::size_t>> sources; // AuditPairs::sources
    double fairnessWeight = 0.5;
    ContrastiveSetResult contrastive; // every pair, no details
    AuditGroup overall;
    std::vector<AuditGroup> categories; // in order of first appearance
    double seconds = 0;
};

// InvalidArgument when there is no pair, the model has no tokenizer or a prompt is longer than the
// model's context (never cut). A pair without a category is put in "uncategorised". Progress:
// pairs, then neuron bias.
FairnessAuditResult runFairnessAudit(LoadedModel& model, const AuditPairs& pairs,
                                     const FairnessAuditOptions& options, JobContext& job);

// {format: "anatomist-fairness-audit", version: 1, model {...}, pair_sets, ranking, components,
//  overall {...group}, categories [{name, pairs, series [{component, mean_abs_diff, max_abs_diff,
//  l2, cosine_distance}], top_layers, example {pair, layer, a, b, tokens_a, tokens_b, pca},
//  top_neurons [{layer, neuron, bias, fairness}]}], contrastive {analyze contrastive's document},
//  fairness_weight, seconds}
nlohmann::json toJson(const FairnessAuditResult& result);

} // namespace anatomist::core
