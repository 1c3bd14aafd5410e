#include "analysis/fairness_audit.h"

#include "analysis/neuron_importance.h"
#include "analysis/pair_sets.h"
#include "errors.h"
#include "io/sha256.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "prune/apply_plan.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <tuple>

namespace anatomist::core {

namespace {

using IdPairs = std::vector<std::pair<std::vector<TokenId>, std::vector<TokenId>>>;

AuditModelInfo modelInfo(LoadedModel& loaded) {
    AuditModelInfo info;
    const auto& c = loaded.config;
    info.path = loaded.folder.string();
    info.architecture = c.model_type;
    info.dtype = dtypeName(loaded.model->embedding().weight.scalar_type());
    info.layers = c.num_hidden_layers;
    info.hiddenSize = c.hidden_size;
    info.intermediateSize = c.intermediate_size;
    info.vocabSize = c.vocab_size;
    info.parameters = countParameters(*loaded.model);
    const auto config = loaded.folder / "config.json";
    std::error_code ec;
    if (std::filesystem::is_regular_file(config, ec)) {
        Sha256 sha;
        sha.updateFile(config);
        info.configSha256 = sha.hexDigest();
    }
    return info;
}

// Prompts are never cut: one longer than the model's context is refused, naming the pair.
void checkContext(const LoadedModel& loaded, const std::vector<PromptPair>& pairs) {
    const auto context = loaded.config.max_position_embeddings;
    if (context <= 0)
        return;
    for (std::size_t i = 0; i < pairs.size(); ++i)
        for (const auto* text : {&pairs[i].a, &pairs[i].b}) {
            const auto n = promptIds(*loaded.tokenizer, *text).size();
            if (int64_t(n) > context)
                throw InvalidArgument("fairness audit: pair " + std::to_string(i + 1) + " (" +
                                      pairs[i].category + ") has a prompt of " + std::to_string(n) +
                                      " tokens; the model reads at most " +
                                      std::to_string(context));
        }
}

std::size_t rankingIndex(const ContrastivePairResult& p) {
    for (std::size_t c = 0; c < p.components.size(); ++c)
        if (p.components[c].component == FairnessAuditResult::kRankingComponent)
            return c;
    return p.components.size() - 1;
}

AuditGroup makeGroup(const std::string& name, std::vector<std::size_t> members,
                     const ContrastiveSetResult& set, int topLayers) {
    AuditGroup g;
    g.name = name;
    g.pairs = std::move(members);
    const auto& first = set.pairs[g.pairs.front()];
    const double n = double(g.pairs.size());
    for (std::size_t c = 0; c < first.components.size(); ++c) {
        AuditSeries s;
        s.component = first.components[c].component;
        const std::size_t L = first.components[c].layers.size();
        s.meanAbs.assign(L, 0.0);
        s.maxAbs.assign(L, 0.0);
        s.l2.assign(L, 0.0);
        s.cosine.assign(L, 0.0);
        for (std::size_t i : g.pairs)
            for (std::size_t l = 0; l < L; ++l) {
                const auto& layer = set.pairs[i].components[c].layers[l];
                s.meanAbs[l] += layer.stats.mean / n;
                s.maxAbs[l] = std::max(s.maxAbs[l], layer.stats.mean);
                s.l2[l] += layer.stats.l2 / n;
                s.cosine[l] += layer.cosineDistance / n;
            }
        g.series.push_back(std::move(s));
    }
    const auto rc = rankingIndex(first);
    const auto& cosine = g.series[rc].cosine;
    std::vector<int> order(cosine.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return cosine[std::size_t(x)] > cosine[std::size_t(y)]; });
    order.resize(std::min<std::size_t>(order.size(), std::size_t(std::max(1, topLayers))));
    g.topLayers = order;
    const auto peak = std::size_t(g.topLayers.front());
    g.examplePair =
        *std::max_element(g.pairs.begin(), g.pairs.end(), [&](std::size_t x, std::size_t y) {
            return set.pairs[x].components[rc].layers[peak].cosineDistance <
                   set.pairs[y].components[rc].layers[peak].cosineDistance;
        });
    return g;
}

void computeExamplePca(CausalLM& model, const ContrastiveSetResult& set, AuditGroup& g) {
    const auto& pair = set.pairs[g.examplePair];
    ContrastiveOptions options;
    options.components = {parseComponent(FairnessAuditResult::kRankingComponent)};
    options.details = true;
    const auto detailed =
        compareContrastivePair(model, pair.idsA, pair.idsB, options, nullJobContext());
    g.examplePca = detailed.components.front().layers[std::size_t(g.topLayers.front())].pca;
}

std::vector<AuditNeuron> topNeurons(const std::vector<torch::Tensor>& bias,
                                    const std::vector<torch::Tensor>& fairness, int count) {
    std::vector<AuditNeuron> all;
    for (std::size_t l = 0; l < bias.size(); ++l) {
        const auto b = bias[l].to(torch::kFloat64).contiguous();
        const double* p = b.data_ptr<double>();
        torch::Tensor f;
        if (!fairness.empty())
            f = fairness[l].to(torch::kFloat64).contiguous();
        for (int64_t k = 0; k < b.numel(); ++k)
            all.push_back({int(l), int(k), p[k], f.defined() ? f.data_ptr<double>()[k] : -1.0});
    }
    const auto n = std::min<std::size_t>(all.size(), std::size_t(std::max(0, count)));
    std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(n), all.end(),
                      [](const AuditNeuron& x, const AuditNeuron& y) {
                          return x.bias != y.bias
                                     ? x.bias > y.bias
                                     : std::tie(x.layer, x.neuron) < std::tie(y.layer, y.neuron);
                      });
    all.resize(n);
    return all;
}

// bias_k per category and over the whole set (the pair-weighted mean of the categories' means,
// which is the mean over every pair), F_k of the whole set where the MLP is gated.
void measureNeurons(LoadedModel& loaded, FairnessAuditResult& r, int count, JobContext& job) {
    auto& model = *loaded.model;
    const auto& pairs = r.contrastive.pairs;
    std::vector<torch::Tensor> overall;
    const double total = double(pairs.size());
    std::vector<std::vector<torch::Tensor>> perCategory;
    for (std::size_t c = 0; c < r.categories.size(); ++c) {
        IdPairs ids;
        for (std::size_t i : r.categories[c].pairs)
            ids.emplace_back(pairs[i].idsA, pairs[i].idsB);
        SubJobContext sub(job, double(c) / double(r.categories.size()),
                          double(c + 1) / double(r.categories.size()));
        auto bias = measureNeuronBias(model, ids, sub).mean;
        const double weight = double(ids.size()) / total;
        for (std::size_t l = 0; l < bias.size(); ++l) {
            if (overall.size() <= l)
                overall.push_back(torch::zeros_like(bias[l]));
            overall[l] += bias[l] * weight;
        }
        perCategory.push_back(std::move(bias));
    }
    std::vector<torch::Tensor> fairness;
    if (model.spec().mlp == MlpKind::Gated) {
        const auto ppm = scoreNeurons(model, NeuronScoreMethod::Ppm, {}, nullJobContext());
        for (std::size_t l = 0; l < overall.size(); ++l)
            fairness.push_back(
                fairnessScores(overall[l], torch::tensor(ppm.layers[l]), r.fairnessWeight));
    }
    r.overall.topNeurons = topNeurons(overall, fairness, count);
    for (std::size_t c = 0; c < r.categories.size(); ++c)
        r.categories[c].topNeurons = topNeurons(perCategory[c], fairness, count);
}

nlohmann::json toJson(const AuditNeuron& n) {
    nlohmann::json j{{"layer", n.layer}, {"neuron", n.neuron}, {"bias", n.bias}};
    j["fairness"] = n.fairness >= 0 ? nlohmann::json(n.fairness) : nlohmann::json(nullptr);
    return j;
}

nlohmann::json toJson(const AuditGroup& g, const ContrastiveSetResult& set) {
    nlohmann::json series = nlohmann::json::array();
    for (const auto& s : g.series)
        series.push_back({{"component", s.component},
                          {"mean_abs_diff", s.meanAbs},
                          {"max_abs_diff", s.maxAbs},
                          {"l2", s.l2},
                          {"cosine_distance", s.cosine}});
    const auto& ex = set.pairs[g.examplePair];
    nlohmann::json neurons = nlohmann::json::array();
    for (const auto& n : g.topNeurons)
        neurons.push_back(toJson(n));
    return {{"name", g.name},
            {"pairs", g.pairs},
            {"series", series},
            {"top_layers", g.topLayers},
            {"example",
             {{"pair", g.examplePair},
              {"layer", g.topLayers.front()},
              {"a", ex.a},
              {"b", ex.b},
              {"tokens_a", ex.tokensA},
              {"tokens_b", ex.tokensB},
              {"pca",
               {{"a", toJson(g.examplePca.pointsA)},
                {"b", toJson(g.examplePca.pointsB)},
                {"explained_variance_ratio", g.examplePca.explained}}}}},
            {"top_neurons", neurons}};
}

} // namespace

AuditPairs readAuditPairs(const std::vector<std::string>& setsOrFiles) {
    if (setsOrFiles.empty())
        throw InvalidArgument("fairness audit: no pair set named");
    AuditPairs out;
    for (const auto& name : setsOrFiles) {
        auto set = loadPairSet(name);
        const std::string fallback =
            defaultPairSetText(name).empty() ? std::filesystem::path(name).stem().string() : name;
        for (auto& p : set)
            if (p.category.empty())
                p.category = fallback;
        out.sources.emplace_back(name, set.size());
        out.pairs.insert(out.pairs.end(), set.begin(), set.end());
    }
    return out;
}

FairnessAuditResult runFairnessAudit(LoadedModel& loaded, const AuditPairs& input,
                                     const FairnessAuditOptions& options, JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    if (!loaded.tokenizer)
        throw InvalidArgument(loaded.folder.string() + ": the fairness audit needs a tokenizer");
    if (input.pairs.empty())
        throw InvalidArgument("fairness audit: no prompt pairs");
    FairnessAuditResult r;
    r.fairnessWeight = options.fairnessWeight;
    r.sources = input.sources;
    auto pairs = input.pairs;
    for (auto& p : pairs)
        if (p.category.empty())
            p.category = "uncategorised";
    checkContext(loaded, pairs);
    r.model = modelInfo(loaded);
    {
        SubJobContext sub(job, 0.0, 0.6);
        r.contrastive = compareContrastivePairs(*loaded.model, *loaded.tokenizer, pairs, {}, sub);
    }
    std::vector<std::size_t> all(r.contrastive.pairs.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    r.overall = makeGroup("all pairs", all, r.contrastive, options.topLayers);
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < r.contrastive.pairs.size(); ++i) {
        const auto& category = r.contrastive.pairs[i].category;
        if (!members.count(category))
            order.push_back(category);
        members[category].push_back(i);
    }
    for (const auto& name : order)
        r.categories.push_back(makeGroup(name, members[name], r.contrastive, options.topLayers));
    job.throwIfCancelled();
    computeExamplePca(*loaded.model, r.contrastive, r.overall);
    for (auto& g : r.categories)
        computeExamplePca(*loaded.model, r.contrastive, g);
    SubJobContext neurons(job, 0.6, 1.0);
    measureNeurons(loaded, r, options.topNeurons, neurons);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

nlohmann::json toJson(const FairnessAuditResult& r) {
    const auto& m = r.model;
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& [name, count] : r.sources)
        sources.push_back({{"source", name}, {"pairs", count}});
    nlohmann::json components = nlohmann::json::array();
    for (const auto& s : r.overall.series)
        components.push_back(s.component);
    nlohmann::json categories = nlohmann::json::array();
    for (const auto& g : r.categories)
        categories.push_back(toJson(g, r.contrastive));
    return {
        {"format", "anatomist-fairness-audit"},
        {"version", 1},
        {"model",
         {{"path", m.path},
          {"architecture", m.architecture},
          {"dtype", m.dtype},
          {"config_sha256", m.configSha256},
          {"parameters", m.parameters},
          {"layers", m.layers},
          {"hidden_size", m.hiddenSize},
          {"intermediate_size", m.intermediateSize},
          {"vocab_size", m.vocabSize}}},
        {"pair_sets", sources},
        {"ranking",
         {{"component", FairnessAuditResult::kRankingComponent}, {"metric", "cosine_distance"}}},
        {"components", components},
        {"overall", toJson(r.overall, r.contrastive)},
        {"categories", categories},
        {"contrastive", toJson(r.contrastive)},
        {"fairness_weight", r.fairnessWeight},
        {"seconds", r.seconds}};
}

} // namespace anatomist::core
