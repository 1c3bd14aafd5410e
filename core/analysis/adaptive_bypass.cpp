#include "analysis/adaptive_bypass.h"

#include "analysis/layer_similarity.h"
#include "errors.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/model_info.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <torch/types.h>

namespace anatomist::core {

ComplexityScore complexityScore(int64_t tokens, double meanCosine, double billions,
                                const ComplexityWeights& weights) {
    ComplexityScore s;
    const double n = static_cast<double>(tokens);
    s.sizeFactor = std::clamp(1.0 + (2.0 - billions) * 0.1, 0.5, 2.0);
    s.referenceLength = 2000.0 / s.sizeFactor;
    s.varianceSaturation = s.referenceLength / 15.0;
    s.tokenTerm = std::min(std::log1p(n) / std::log1p(s.referenceLength) * s.sizeFactor, 1.0);
    if (n < 4)
        s.tokenTerm *= (n / 4.0) * (n / 4.0);
    s.meanCosine = meanCosine;
    s.varianceTerm = n < 3 ? 0.0 : (1.0 - meanCosine) * std::min(n / s.varianceSaturation, 1.0);
    s.score =
        std::clamp(weights.tokens * s.tokenTerm + weights.variance * s.varianceTerm, 0.0, 1.0);
    return s;
}

double meanPairwiseEmbeddingCosine(const CausalLM& model, const std::vector<TokenId>& ids) {
    const auto n = static_cast<int64_t>(ids.size());
    if (n < 2)
        return 0;
    torch::InferenceMode inference;
    const auto& weight = model.embedding().weight;
    for (TokenId id : ids)
        if (id < 0 || id >= weight.size(0))
            throw InvalidArgument("adaptive bypass: token id " + std::to_string(id) +
                                  " outside the vocabulary");
    const auto index =
        torch::tensor(std::vector<int64_t>(ids.begin(), ids.end())).to(weight.device());
    const auto e = weight.index_select(0, index).to(torch::kFloat64);
    const auto norms = e.norm(2, 1, true).clamp_min(1e-12);
    const auto u = e / norms;
    // sum over i != j of u_i·u_j = |sum u|² - sum |u_i|²
    const auto total = u.sum(0);
    const double all = total.dot(total).item<double>();
    const double self = (u * u).sum().item<double>();
    return (all - self) / (static_cast<double>(n) * static_cast<double>(n - 1));
}

ComplexityScore promptComplexity(const CausalLM& model, const std::vector<TokenId>& ids,
                                 const ComplexityWeights& weights) {
    int64_t parameters = 0;
    for (const auto& p : model.parameters())
        parameters += p.numel();
    return complexityScore(static_cast<int64_t>(ids.size()),
                           meanPairwiseEmbeddingCosine(model, ids),
                           static_cast<double>(parameters) / 1e9, weights);
}

AdaptiveBypassConfig calibrateAdaptiveBypass(CausalLM& model,
                                             const std::vector<std::vector<TokenId>>& prompts,
                                             int maxBypass, JobContext& job) {
    const int L = model.numLayers();
    if (prompts.empty())
        throw InvalidArgument("adaptive bypass: no calibration prompts");
    if (maxBypass < 0 || maxBypass >= L)
        throw InvalidArgument(
            "adaptive bypass: the number of bypassed attention layers must lie in 0.." +
            std::to_string(L - 1));
    AdaptiveBypassConfig config;
    config.layers = L;
    for (const auto& p : model.parameters())
        config.parameters += p.numel();

    SubJobContext measureJob(job, 0, 0.9);
    const auto similarity = measureLayerSimilarity(model, prompts, {}, measureJob);
    for (const auto& l : similarity.layers)
        config.attentionImportance.push_back(1.0 - l.attention);
    config.layersByImportance.resize(static_cast<std::size_t>(L));
    std::iota(config.layersByImportance.begin(), config.layersByImportance.end(), 0);
    std::stable_sort(config.layersByImportance.begin(), config.layersByImportance.end(),
                     [&](int a, int b) {
                         return config.attentionImportance[std::size_t(a)] >
                                config.attentionImportance[std::size_t(b)];
                     });

    for (const auto& ids : prompts)
        config.calibrationScores.push_back(promptComplexity(model, ids, config.weights).score);
    auto sorted = config.calibrationScores;
    std::sort(sorted.begin(), sorted.end());
    // Band b (0 = simplest) of B + 1 ends at the (b + 1)/(B + 1) quantile and bypasses B - b
    // layers.
    for (int b = 0; b < maxBypass; ++b) {
        const double q = double(b + 1) / double(maxBypass + 1);
        const auto at = static_cast<std::size_t>(
            std::clamp(std::ceil(q * double(sorted.size())) - 1.0, 0.0, double(sorted.size() - 1)));
        config.thresholds.push_back({sorted[at], L - (maxBypass - b)});
    }
    config.thresholds.push_back({1.0, L});
    job.setProgress(1, "calibrate");
    return config;
}

std::vector<bool> chooseBypass(const AdaptiveBypassConfig& config, double score) {
    int keep = config.layers;
    for (const auto& t : config.thresholds)
        if (score <= t.maxScore) {
            keep = t.keep;
            break;
        }
    std::vector<bool> bypass(static_cast<std::size_t>(config.layers), false);
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0));
         i < config.layersByImportance.size(); ++i)
        bypass[static_cast<std::size_t>(config.layersByImportance[i])] = true;
    return bypass;
}

nlohmann::json toJson(const AdaptiveBypassConfig& c) {
    nlohmann::json thresholds = nlohmann::json::array();
    for (const auto& t : c.thresholds)
        thresholds.push_back({{"max_score", t.maxScore}, {"keep", t.keep}});
    return {
        {"format", "anatomist-adaptive-bypass"},
        {"version", 1},
        {"model", {{"path", c.model}, {"parameters", c.parameters}, {"layers", c.layers}}},
        {"layers_by_importance", c.layersByImportance},
        {"attention_importance", c.attentionImportance},
        {"complexity_thresholds", thresholds},
        {"complexity_weights", {{"tokens", c.weights.tokens}, {"variance", c.weights.variance}}},
        {"calibration",
         {{"prompts", c.calibrationScores.size()}, {"scores", c.calibrationScores}}}};
}

AdaptiveBypassConfig adaptiveBypassFromJson(const nlohmann::json& j, const std::string& source) {
    try {
        if (j.value("format", std::string()) != "anatomist-adaptive-bypass" ||
            j.value("version", 0) != 1)
            throw FormatError(
                source + ": not an adaptive bypass file (format \"anatomist-adaptive-bypass\", "
                         "version 1)");
        AdaptiveBypassConfig c;
        c.model = j.at("model").value("path", std::string());
        c.parameters = j.at("model").value("parameters", int64_t{0});
        c.layers = j.at("model").at("layers").get<int>();
        c.layersByImportance = j.at("layers_by_importance").get<std::vector<int>>();
        c.attentionImportance = j.value("attention_importance", std::vector<double>{});
        for (const auto& t : j.at("complexity_thresholds"))
            c.thresholds.push_back({t.at("max_score").get<double>(), t.at("keep").get<int>()});
        c.weights.tokens = j.at("complexity_weights").at("tokens").get<double>();
        c.weights.variance = j.at("complexity_weights").at("variance").get<double>();
        if (j.contains("calibration"))
            c.calibrationScores = j["calibration"].value("scores", std::vector<double>{});
        auto sortedLayers = c.layersByImportance;
        std::sort(sortedLayers.begin(), sortedLayers.end());
        for (std::size_t i = 0; i < sortedLayers.size(); ++i)
            if (sortedLayers[i] != static_cast<int>(i))
                throw FormatError(source + ": layers_by_importance must list each layer 0.." +
                                  std::to_string(c.layers - 1) + " once");
        if (static_cast<int>(sortedLayers.size()) != c.layers)
            throw FormatError(source + ": layers_by_importance has " +
                              std::to_string(sortedLayers.size()) + " entries, the model " +
                              std::to_string(c.layers) + " layers");
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(source + ": malformed adaptive bypass file (" + e.what() + ")");
    }
}

} // namespace anatomist::core
