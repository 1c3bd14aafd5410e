#include "analysis/layer_selection.h"

#include "errors.h"
#include "job.h"
#include "model/causal_lm.h"

#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>

namespace anatomist::core {

const char* selectionTargetName(SelectionTarget target) {
    return target == SelectionTarget::Attention ? "attention" : "block";
}

double targetImportance(const LayerSimilarity& layer, SelectionTarget target) {
    return target == SelectionTarget::Attention ? 1.0 - layer.attention : layer.importance;
}

namespace {

// Importance per base index; layers not measured (skipped) get +inf, so they are never preferred.
std::vector<double> importanceByIndex(const SimilarityResult& r, int numLayers,
                                      SelectionTarget target) {
    std::vector<double> importance(static_cast<std::size_t>(numLayers),
                                   std::numeric_limits<double>::infinity());
    for (const auto& l : r.layers)
        importance[static_cast<std::size_t>(l.layer)] = targetImportance(l, target);
    return importance;
}

} // namespace

LayerSelectionResult selectLayersByImportance(CausalLM& model,
                                              const std::vector<std::vector<TokenId>>& documents,
                                              const LayerSelectionRequest& request,
                                              JobContext& job) {
    if (request.selection.count < 1)
        throw InvalidArgument("layer selection: the count must be 1 or more");
    const auto start = std::chrono::steady_clock::now();
    const int L = model.numLayers();
    LayerSelectionResult result;
    result.target = request.target;
    result.iterative = request.iterative;

    auto measure = [&](const std::vector<int>& removed, JobContext& stepJob) {
        SimilarityOptions options = request.similarity;
        auto& set =
            request.target == SelectionTarget::Block ? options.skipLayers : options.bypassAttention;
        set.resize(static_cast<std::size_t>(L), false);
        for (int layer : removed)
            set[static_cast<std::size_t>(layer)] = true;
        result.steps.push_back(
            {removed, measureLayerSimilarity(model, documents, options, stepJob)});
        return importanceByIndex(result.steps.back().similarity, L, request.target);
    };

    std::vector<int> picked;
    if (request.iterative) {
        const double steps = request.selection.count;
        picked = selectLayersIterative(
            L, request.selection,
            [&](const std::vector<int>& removed) {
                const double k = static_cast<double>(removed.size());
                SubJobContext stepJob(job, k / steps, (k + 1) / steps);
                return measure(removed, stepJob);
            },
            job);
        for (std::size_t i = 0; i < picked.size(); ++i) {
            const auto importance =
                importanceByIndex(result.steps[i].similarity, L, request.target);
            result.picks.push_back({picked[i], importance[static_cast<std::size_t>(picked[i])]});
        }
    } else {
        const auto importance = measure({}, job);
        for (int layer : selectLayers(importance, request.selection))
            result.picks.push_back({layer, importance[static_cast<std::size_t>(layer)]});
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    job.setProgress(1, "select");
    return result;
}

nlohmann::json toJson(const LayerSelectionResult& r) {
    nlohmann::json picks = nlohmann::json::array();
    for (const auto& p : r.picks)
        picks.push_back({{"layer", p.layer}, {"importance", p.importance}});
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : r.steps) {
        nlohmann::json layers = nlohmann::json::array();
        for (const auto& l : s.similarity.layers)
            layers.push_back({{"index", l.layer},
                              {"block", l.block},
                              {"attention", l.attention},
                              {"mlp", l.mlp},
                              {"importance", targetImportance(l, r.target)}});
        steps.push_back(
            {{"removed", s.removed}, {"tokens", s.similarity.tokens}, {"layers", layers}});
    }
    return {{"target", selectionTargetName(r.target)},
            {"mode", r.iterative ? "iterative" : "one-shot"},
            {"seconds", r.seconds},
            {"picks", picks},
            {"steps", steps}};
}

} // namespace anatomist::core
