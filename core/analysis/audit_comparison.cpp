#include "analysis/audit_comparison.h"

#include "errors.h"
#include "eval/compare.h"
#include "job.h"
#include "prune/apply_plan.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

namespace anatomist::core {

namespace {

// "remove_layers(layers=[2]) prune_mlp(percent=20)": the operations of a plan document.
std::string planText(const nlohmann::json& plan) {
    return summarizePlan(plan.is_object() && plan.contains("operations") ? plan["operations"]
                                                                         : plan);
}

bool isPlanFile(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) && path.extension() == ".json";
}

AuditVariantModel planVariant(const std::string& spec, const LoadedModel& base, JobContext& job) {
    const auto plan = readPrunePlan(spec);
    for (const auto& op : plan.operations)
        if (op.op == PruneOpKind::FairnessNeurons ||
            (op.op == PruneOpKind::PruneMlp && op.method == "activation"))
            throw InvalidArgument(
                spec + ": operation " + pruneOpName(op.op) +
                " needs data; prune and export the variant first "
                "(anatomist-cli prune --plan ... --out DIR) and audit the folder");
    PruneResult pruned;
    try {
        pruned = applyPlan(*base.model, plan, {}, job);
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(spec + ": " + e.what());
    }
    AuditVariantModel v;
    v.name = spec;
    v.origin = "plan";
    v.layerMap = "plan";
    v.planSummary = planText(toJson(plan));
    v.keptLayers = pruned.keptLayers;
    v.loaded.folder = spec;
    v.loaded.config = pruned.model->config();
    v.loaded.spec = base.spec;
    v.loaded.model = pruned.model;
    v.loaded.tokenizer = base.tokenizer;
    return v;
}

AuditVariantModel folderVariant(const std::string& spec, const LoadedModel& base,
                                const LoadOptions& options, JobContext& job) {
    AuditVariantModel v;
    v.name = spec;
    v.origin = "folder";
    v.loaded = loadModel(spec, options, job);
    const auto layers = int(v.loaded.config.num_hidden_layers);
    const auto baseLayers = int(base.config.num_hidden_layers);
    if (auto manifest = readVariantManifest(v.loaded.folder)) {
        v.layerMap = "variant.json";
        v.planSummary = planText(nlohmann::json::parse(manifest->planJson));
        v.keptLayers = manifest->keptLayers;
    } else if (layers == baseLayers) {
        v.layerMap = "identity";
        for (int l = 0; l < layers; ++l)
            v.keptLayers.push_back(l);
    } else {
        throw InvalidArgument(spec + ": has " + std::to_string(layers) + " layers, the base " +
                              std::to_string(baseLayers) +
                              ", and no variant.json to say which base layers it kept");
    }
    if (!v.loaded.tokenizer)
        throw InvalidArgument(spec + ": the fairness audit needs a tokenizer");
    if (v.loaded.config.vocab_size != base.config.vocab_size)
        throw InvalidArgument(spec + ": vocabulary of " +
                              std::to_string(v.loaded.config.vocab_size) +
                              " tokens, the base has " + std::to_string(base.config.vocab_size) +
                              "; a variant must tokenise like its base");
    return v;
}

void checkKeptLayers(const AuditVariantModel& m, int variantLayers, int baseLayers) {
    const auto& kept = m.keptLayers;
    bool ok = int(kept.size()) == variantLayers;
    for (std::size_t i = 0; ok && i < kept.size(); ++i)
        ok = kept[i] >= 0 && kept[i] < baseLayers && (i == 0 || kept[i] > kept[i - 1]);
    if (!ok)
        throw InvalidArgument(m.name + ": its layer map (" + m.layerMap + ") does not give one " +
                              "increasing base layer in [0, " + std::to_string(baseLayers) +
                              ") for each of its " + std::to_string(variantLayers) + " layers");
}

const AuditSeries& rankingSeries(const AuditGroup& g) {
    for (const auto& s : g.series)
        if (s.component == FairnessAuditResult::kRankingComponent)
            return s;
    return g.series.back();
}

AuditMetricComparison compareMetric(const char* metric, const std::vector<double>& base,
                                    const std::vector<double>& variant,
                                    const std::vector<int>& kept) {
    AuditMetricComparison m;
    m.metric = metric;
    m.base = base;
    m.variant.assign(base.size(), std::nullopt);
    double sumBase = 0, sumVariant = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const auto l = std::size_t(kept[i]);
        m.variant[l] = variant[i];
        sumBase += base[l];
        sumVariant += variant[i];
    }
    const double n = double(kept.size());
    m.baseMean = sumBase / n;
    m.variantMean = sumVariant / n;
    m.meanRatio =
        m.baseMean != 0 ? m.variantMean / m.baseMean : std::numeric_limits<double>::quiet_NaN();
    m.change = !std::isfinite(m.meanRatio)               ? "unchanged"
               : m.meanRatio > 1 + kAuditChangeTolerance ? "widened"
               : m.meanRatio < 1 - kAuditChangeTolerance ? "narrowed"
                                                         : "unchanged";
    return m;
}

AuditCategoryComparison compareGroup(const AuditGroup& base, const AuditGroup& variant,
                                     const std::vector<int>& kept) {
    const auto& b = rankingSeries(base);
    const auto& v = rankingSeries(variant);
    return {base.name,
            base.pairs.size(),
            {compareMetric("cosine_distance", b.cosine, v.cosine, kept),
             compareMetric("mean_abs_diff", b.meanAbs, v.meanAbs, kept)}};
}

nlohmann::json optionals(const std::vector<std::optional<double>>& values) {
    auto out = nlohmann::json::array();
    for (const auto& v : values)
        out.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
    return out;
}

nlohmann::json toJson(const AuditCategoryComparison& c) {
    auto metrics = nlohmann::json::array();
    for (const auto& m : c.metrics) {
        std::vector<std::optional<double>> difference, ratio;
        for (std::size_t l = 0; l < m.base.size(); ++l) {
            difference.push_back(m.difference(l));
            ratio.push_back(m.ratio(l));
        }
        metrics.push_back({{"metric", m.metric},
                           {"base", m.base},
                           {"variant", optionals(m.variant)},
                           {"difference", optionals(difference)},
                           {"ratio", optionals(ratio)},
                           {"base_mean", m.baseMean},
                           {"variant_mean", m.variantMean},
                           {"mean_ratio", std::isfinite(m.meanRatio) ? nlohmann::json(m.meanRatio)
                                                                     : nlohmann::json(nullptr)},
                           {"change", m.change}});
    }
    return {{"category", c.name}, {"pairs", c.pairs}, {"metrics", metrics}};
}

} // namespace

std::optional<double> AuditMetricComparison::difference(std::size_t layer) const {
    if (layer >= variant.size() || !variant[layer])
        return std::nullopt;
    return *variant[layer] - base[layer];
}

std::optional<double> AuditMetricComparison::ratio(std::size_t layer) const {
    if (layer >= variant.size() || !variant[layer] || base[layer] == 0)
        return std::nullopt;
    return *variant[layer] / base[layer];
}

AuditVariantModel loadAuditVariant(const std::string& spec, const LoadedModel& base,
                                   const LoadOptions& options, JobContext& job) {
    auto v =
        isPlanFile(spec) ? planVariant(spec, base, job) : folderVariant(spec, base, options, job);
    checkKeptLayers(v, int(v.loaded.config.num_hidden_layers), int(base.config.num_hidden_layers));
    return v;
}

AuditVariantComparison compareAudits(const FairnessAuditResult& base, FairnessAuditResult variant,
                                     const AuditVariantModel& model) {
    const auto& pb = base.contrastive.pairs;
    const auto& pv = variant.contrastive.pairs;
    if (pb.size() != pv.size() || base.categories.size() != variant.categories.size())
        throw InvalidArgument(model.name + ": audited on other pairs than the base");
    for (std::size_t i = 0; i < pb.size(); ++i)
        if (pb[i].idsA != pv[i].idsA || pb[i].idsB != pv[i].idsB)
            throw InvalidArgument(model.name + ": pair " + std::to_string(i + 1) +
                                  " tokenises differently than in the base; the comparison needs "
                                  "the same token ids");
    const auto layers = rankingSeries(variant.overall).cosine.size();
    checkKeptLayers(model, int(layers), int(rankingSeries(base.overall).cosine.size()));
    AuditVariantComparison out;
    out.name = model.name;
    out.origin = model.origin;
    out.layerMap = model.layerMap;
    out.planSummary = model.planSummary;
    out.keptLayers = model.keptLayers;
    out.overall = compareGroup(base.overall, variant.overall, model.keptLayers);
    for (std::size_t c = 0; c < base.categories.size(); ++c) {
        if (base.categories[c].name != variant.categories[c].name)
            throw InvalidArgument(model.name + ": audited on other categories than the base");
        out.categories.push_back(
            compareGroup(base.categories[c], variant.categories[c], model.keptLayers));
    }
    out.audit = std::move(variant);
    return out;
}

nlohmann::json toJson(const AuditVariantComparison& c) {
    auto comparison = nlohmann::json::array({toJson(c.overall)});
    for (const auto& g : c.categories)
        comparison.push_back(toJson(g));
    return {{"path", c.name},
            {"origin", c.origin},
            {"layer_map", c.layerMap},
            {"plan", c.planSummary},
            {"kept_layers", c.keptLayers},
            {"parameters", c.audit.model.parameters},
            {"layers", c.audit.model.layers},
            {"comparison", comparison},
            {"audit", toJson(c.audit)}};
}

} // namespace anatomist::core
