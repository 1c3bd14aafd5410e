#pragma once
// The before/after compression comparison of the fairness audit (issue 15): the same audit run on
// a base model and on its variants (a pruned or distilled folder, or a pruning plan applied in
// memory), compared per category on the ranking component (x_out). Variant layers are aligned with
// the base layers they came from: a variant folder's variant.json "kept_layers", the plan's kept
// layers, or one to one when the depths are equal. A base layer the variant removed has no value.
//
// Per metric (cosine distance, mean |A − B|) and aligned base layer l:
//   difference[l] = variant[l] − base[l],  ratio[l] = variant[l] / base[l]
// and over the base layers the variant kept (the same layers on both sides):
//   mean_ratio = mean(variant) / mean(base);  change = "widened" when mean_ratio > 1 + 1e-3,
//   "narrowed" when < 1 − 1e-3, else "unchanged".

#include "analysis/fairness_audit.h"
#include "model/model_loader.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {

inline constexpr double kAuditChangeTolerance = 1e-3;

// A variant ready to audit: its model and the base layer of each of its layers.
struct AuditVariantModel {
    std::string name;        // the folder or plan file as given
    std::string origin;      // "folder" or "plan"
    std::string layerMap;    // "variant.json", "plan" or "identity"
    std::string planSummary; // "remove_layers=[2] width=20" ("" when unknown)
    std::vector<int> keptLayers;
    LoadedModel loaded;
};

// `spec` is a model folder or .gguf file (a variant.json beside it gives the layer map; without
// one the depths must be equal), or a pruning-plan JSON file (docs/plan-format.md) applied to
// `base` in memory; plans whose operations need data (prune_mlp "activation", fairness_neurons)
// are refused: prune and export them first. The variant must tokenise like the base (same
// vocabulary size); the audit checks the ids pair by pair. Errors name `spec`.
AuditVariantModel loadAuditVariant(const std::string& spec, const LoadedModel& base,
                                   const LoadOptions& options, JobContext& job);

struct AuditMetricComparison {
    std::string metric;                         // "cosine_distance" or "mean_abs_diff"
    std::vector<double> base;                   // per base layer
    std::vector<std::optional<double>> variant; // per base layer; nullopt where removed
    double baseMean = 0, variantMean = 0;       // over the kept base layers
    double meanRatio = 0;                       // variantMean / baseMean (NaN when baseMean is 0)
    std::string change;                         // widened | narrowed | unchanged
    std::optional<double> difference(std::size_t layer) const;
    std::optional<double> ratio(std::size_t layer) const; // nullopt also when base[layer] is 0
};

struct AuditCategoryComparison {
    std::string name;
    std::size_t pairs = 0;
    std::vector<AuditMetricComparison> metrics; // cosine_distance, mean_abs_diff
};

struct AuditVariantComparison {
    std::string name, origin, layerMap, planSummary;
    std::vector<int> keptLayers;
    FairnessAuditResult audit;                       // the variant's own audit
    AuditCategoryComparison overall;                 // "all pairs"
    std::vector<AuditCategoryComparison> categories; // in the base audit's order
};

// Compares two audits of the same pairs. InvalidArgument when the pairs or their token ids differ,
// or keptLayers does not give one increasing base layer per variant layer.
AuditVariantComparison compareAudits(const FairnessAuditResult& base, FairnessAuditResult variant,
                                     const AuditVariantModel& model);

// {path, origin, layer_map, plan, kept_layers, parameters, layers,
//  comparison: [{category, pairs, metrics: [{metric, base [..], variant [..|null],
//  difference [..|null], ratio [..|null], base_mean, variant_mean, mean_ratio, change}]}]
//  (the first entry is "all pairs"), audit {the variant's anatomist-fairness-audit document}}
nlohmann::json toJson(const AuditVariantComparison& comparison);

} // namespace anatomist::core
