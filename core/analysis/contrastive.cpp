#include "analysis/contrastive.h"

#include "analysis/pca.h"
#include "errors.h"
#include "eval/bench.h"
#include "job.h"
#include "model/causal_lm.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

namespace anatomist::core {

namespace {

std::vector<int> indexRange(int64_t begin, int64_t end) {
    std::vector<int> out;
    for (int64_t i = begin; i < end; ++i)
        out.push_back(static_cast<int>(i));
    return out;
}

ContrastiveAggregate aggregateOneComponent(const std::vector<const ContrastivePairResult*>& pairs,
                                           std::size_t c) {
    ContrastiveAggregate agg;
    agg.component = pairs.front()->components[c].component;
    const std::size_t L = pairs.front()->components[c].layers.size();
    agg.meanAcrossPairs.assign(L, 0.0);
    agg.maxAcrossPairs.assign(L, 0.0);
    for (const auto* p : pairs)
        for (std::size_t l = 0; l < L; ++l) {
            const double m = p->components[c].layers[l].stats.mean;
            agg.meanAcrossPairs[l] += m / double(pairs.size());
            agg.maxAcrossPairs[l] = std::max(agg.maxAcrossPairs[l], m);
        }
    return agg;
}

nlohmann::json aggregatesToJson(const std::vector<ContrastiveAggregate>& aggs) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : aggs)
        out.push_back({{"component", a.component},
                       {"mean_across_pairs", a.meanAcrossPairs},
                       {"max_across_pairs", a.maxAcrossPairs},
                       {"progression", toJson(diffProgression(a.meanAcrossPairs))}});
    return out;
}

} // namespace

const char* pairAlignmentName(PairAlignment a) {
    switch (a) {
    case PairAlignment::Tokens:
        return "tokens";
    case PairAlignment::PrefixSuffix:
        return "prefix_suffix";
    case PairAlignment::MeanPooled:
        return "mean_pooled";
    }
    return "?";
}

namespace {

// The rows compared: a[i] against b[i], float32 and contiguous.
struct AlignedRows {
    PairAlignment alignment = PairAlignment::Tokens;
    int64_t prefix = 0, suffix = 0;
    torch::Tensor a, b;
};

AlignedRows alignRows(const torch::Tensor& a, const torch::Tensor& b,
                      const std::vector<TokenId>& idsA, const std::vector<TokenId>& idsB,
                      bool preferMeanPooling) {
    const int64_t na = a.size(0), nb = b.size(0);
    TORCH_CHECK(na == int64_t(idsA.size()) && nb == int64_t(idsB.size()) && na > 0 && nb > 0,
                "alignedDifference: activations and ids disagree");
    const auto fa = a.to(torch::kFloat32).contiguous(), fb = b.to(torch::kFloat32).contiguous();
    AlignedRows out;
    out.a = fa;
    out.b = fb;
    if (na == nb)
        return out;
    int64_t p = 0;
    while (p < std::min(na, nb) && idsA[std::size_t(p)] == idsB[std::size_t(p)])
        ++p;
    int64_t s = 0;
    while (s < std::min(na, nb) - p &&
           idsA[std::size_t(na - 1 - s)] == idsB[std::size_t(nb - 1 - s)])
        ++s;
    // An empty differing span (pure insertion) has no mean to compare: fall back to pooling.
    if (preferMeanPooling || p + s >= na || p + s >= nb) {
        out.alignment = PairAlignment::MeanPooled;
        out.a = fa.mean(0, true);
        out.b = fb.mean(0, true);
        return out;
    }
    out.alignment = PairAlignment::PrefixSuffix;
    out.prefix = p;
    out.suffix = s;
    auto rows = [p, s](const torch::Tensor& x) {
        const int64_t n = x.size(0);
        return torch::cat(
            {x.narrow(0, 0, p), x.narrow(0, p, n - p - s).mean(0, true), x.narrow(0, n - s, s)}, 0);
    };
    out.a = rows(fa);
    out.b = rows(fb);
    return out;
}

// Statistics of |a − b| over every element and the mean over rows of 1 − cos(a_row, b_row), in
// one pass over the aligned rows (per row: its |a − b| into a buffer, the three dot products in
// double). torch.cosine_similarity's formula: a·b / sqrt(max(|a|²·|b|², eps²)), eps 1e-8.
struct RowComparison {
    DiffAccumulator diff;
    double cosineDistance = 0;
};

RowComparison compareRows(const AlignedRows& rows) {
    constexpr double kEps = 1e-8;
    const int64_t count = rows.a.size(0), width = rows.a.size(1);
    const float* a = rows.a.data_ptr<float>();
    const float* b = rows.b.data_ptr<float>();
    std::vector<float> difference(static_cast<std::size_t>(width));
    RowComparison out;
    double cosineSum = 0;
    for (int64_t r = 0; r < count; ++r) {
        const float* ar = a + r * width;
        const float* br = b + r * width;
        double ab = 0, aa = 0, bb = 0;
        for (int64_t i = 0; i < width; ++i) {
            difference[std::size_t(i)] = std::abs(ar[i] - br[i]);
            ab += double(ar[i]) * br[i];
            aa += double(ar[i]) * ar[i];
            bb += double(br[i]) * br[i];
        }
        out.diff.addValues(difference.data(), width);
        cosineSum += 1.0 - ab / std::sqrt(std::max(aa * bb, kEps * kEps));
    }
    out.cosineDistance = cosineSum / double(count);
    return out;
}

} // namespace

AlignedDiff alignedDifference(const torch::Tensor& a, const torch::Tensor& b,
                              const std::vector<TokenId>& idsA, const std::vector<TokenId>& idsB,
                              bool preferMeanPooling) {
    const auto rows = alignRows(a.cpu(), b.cpu(), idsA, idsB, preferMeanPooling);
    AlignedDiff out;
    out.alignment = rows.alignment;
    out.prefix = rows.prefix;
    out.suffix = rows.suffix;
    out.diff = (rows.a - rows.b).abs();
    out.cosineDistance = compareRows(rows).cosineDistance;
    return out;
}

std::vector<double> ContrastiveComponent::meanPerLayer() const {
    std::vector<double> out;
    for (const auto& l : layers)
        out.push_back(l.stats.mean);
    return out;
}

std::vector<double> ContrastiveComponent::cosinePerLayer() const {
    std::vector<double> out;
    for (const auto& l : layers)
        out.push_back(l.cosineDistance);
    return out;
}

ContrastivePairResult compareContrastivePair(CausalLM& model, const std::vector<TokenId>& idsA,
                                             const std::vector<TokenId>& idsB,
                                             const ContrastiveOptions& options, JobContext& job) {
    if (idsA.empty() || idsB.empty())
        throw InvalidArgument("contrastive pair: a prompt has no tokens");
    if (options.components.empty())
        throw InvalidArgument("contrastive pair: no component chosen");
    job.throwIfCancelled();
    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    TapRecorder recorder(options.components);
    ForwardOptions forward;
    forward.computeLogits = false;
    forward.taps = &recorder;
    const auto batch = padSequences({idsA, idsB});
    model.forward(batch.ids.to(device), batch.valid.to(device), forward);

    ContrastivePairResult r;
    r.idsA = idsA;
    r.idsB = idsB;
    const auto na = int64_t(idsA.size()), nb = int64_t(idsB.size());
    // Statistics merge as they go (DiffAccumulator) instead of concatenating every layer's
    // differences: per pair, component and layer one pass over the aligned rows, with libtorch
    // arithmetic only to pool rows when the lengths differ (the operator version, about 25
    // libtorch calls per layer, made the pass 1.25-1.33× its forward passes).
    DiffAccumulator everything;
    for (auto point : options.components) {
        ContrastiveComponent comp;
        comp.component = tapPointName(point);
        DiffAccumulator all;
        for (int l = 0; l < model.numLayers(); ++l) {
            const auto v = recorder.value(point, l);
            if (!v.defined())
                throw InvalidArgument("contrastive pair: component '" + comp.component +
                                      "' is not produced by layer " + std::to_string(l) +
                                      " of this model");
            const auto a = v[0].narrow(0, 0, na).cpu(), b = v[1].narrow(0, 0, nb).cpu();
            const auto rows = alignRows(a, b, idsA, idsB, options.preferMeanPooling);
            r.alignment = rows.alignment;
            r.prefix = rows.prefix;
            r.suffix = rows.suffix;
            const auto compared = compareRows(rows);
            ContrastiveLayer layer;
            layer.layer = l;
            layer.stats = compared.diff.stats();
            layer.cosineDistance = compared.cosineDistance;
            all.merge(compared.diff);
            if (options.details) {
                layer.diff = toFloatMatrix((rows.a - rows.b).abs());
                const auto pca = principalComponents(torch::cat({a, b}, 0), 2);
                layer.pca.pointsA = toFloatMatrix(pca.coordinates.narrow(0, 0, na));
                layer.pca.pointsB = toFloatMatrix(pca.coordinates.narrow(0, na, nb));
                layer.pca.explained = pca.explainedVarianceRatio;
            }
            comp.layers.push_back(std::move(layer));
        }
        comp.overall = all.stats();
        comp.progression = diffProgression(comp.meanPerLayer());
        everything.merge(all);
        r.components.push_back(std::move(comp));
    }
    r.overall = everything.stats();
    if (na == nb) {
        for (int64_t t = 0; t < na; ++t)
            if (idsA[std::size_t(t)] != idsB[std::size_t(t)]) {
                r.differingA.push_back(int(t));
                r.differingB.push_back(int(t));
            }
    } else if (r.alignment == PairAlignment::PrefixSuffix) {
        r.differingA = indexRange(r.prefix, na - r.suffix);
        r.differingB = indexRange(r.prefix, nb - r.suffix);
    }
    return r;
}

CaptureBench benchContrastive(CausalLM& model, const Tokenizer& tokenizer,
                              const std::vector<PromptPair>& pairs,
                              const ContrastiveOptions& options, int repeats, JobContext& job) {
    const auto device = model.embedding().weight.device();
    std::vector<PaddedBatch> batches;
    for (const auto& pair : pairs) {
        auto batch = padSequences({promptIds(tokenizer, pair.a), promptIds(tokenizer, pair.b)});
        batch.ids = batch.ids.to(device);
        batch.valid = batch.valid.to(device);
        batches.push_back(std::move(batch));
    }
    const auto forward = [&] {
        torch::InferenceMode inference;
        ForwardOptions plain;
        plain.computeLogits = false;
        for (const auto& batch : batches)
            model.forward(batch.ids, batch.valid, plain);
    };
    const auto capture = [&] {
        (void)compareContrastivePairs(model, tokenizer, pairs, options, nullJobContext());
    };
    return benchAgainstForward(forward, capture, repeats, job);
}

std::vector<ContrastiveAggregate>
aggregateContrastive(const std::vector<const ContrastivePairResult*>& pairs) {
    std::vector<ContrastiveAggregate> out;
    if (pairs.empty())
        return out;
    for (std::size_t c = 0; c < pairs.front()->components.size(); ++c)
        out.push_back(aggregateOneComponent(pairs, c));
    return out;
}

ContrastiveSetResult compareContrastivePairs(CausalLM& model, const Tokenizer& tokenizer,
                                             const std::vector<PromptPair>& pairs,
                                             const ContrastiveOptions& options, JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    if (pairs.empty())
        throw InvalidArgument("contrastive: no prompt pairs");
    ContrastiveSetResult result;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& pair = pairs[i];
        auto r = compareContrastivePair(model, promptIds(tokenizer, pair.a),
                                        promptIds(tokenizer, pair.b), options, job);
        r.category = pair.category;
        r.a = pair.a;
        r.b = pair.b;
        for (TokenId id : r.idsA)
            r.tokensA.push_back(tokenizer.idToToken(id));
        for (TokenId id : r.idsB)
            r.tokensB.push_back(tokenizer.idToToken(id));
        result.pairs.push_back(std::move(r));
        job.setProgress(double(i + 1) / double(pairs.size()), "pairs");
    }
    std::vector<const ContrastivePairResult*> all;
    std::map<std::string, std::vector<const ContrastivePairResult*>> groups;
    for (const auto& p : result.pairs) {
        all.push_back(&p);
        groups[p.category].push_back(&p);
    }
    result.aggregate = aggregateContrastive(all);
    for (const auto& [category, members] : groups)
        result.byCategory[category] = aggregateContrastive(members);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

nlohmann::json toJson(const ContrastivePairResult& p) {
    nlohmann::json comps = nlohmann::json::array();
    for (const auto& c : p.components) {
        nlohmann::json layers = nlohmann::json::array();
        for (const auto& l : c.layers) {
            nlohmann::json j = toJson(l.stats);
            j["index"] = l.layer;
            j["cosine_distance"] = l.cosineDistance;
            if (l.diff.rows > 0) {
                j["diff"] = toJson(l.diff);
                j["pca"] = {{"a", toJson(l.pca.pointsA)},
                            {"b", toJson(l.pca.pointsB)},
                            {"explained_variance_ratio", l.pca.explained}};
            }
            layers.push_back(std::move(j));
        }
        comps.push_back({{"component", c.component},
                         {"layers", layers},
                         {"mean_per_layer", c.meanPerLayer()},
                         {"overall", toJson(c.overall)},
                         {"progression", toJson(c.progression)}});
    }
    return {{"category", p.category},
            {"a", p.a},
            {"b", p.b},
            {"tokens_a", p.tokensA},
            {"tokens_b", p.tokensB},
            {"ids_a", p.idsA},
            {"ids_b", p.idsB},
            {"alignment", pairAlignmentName(p.alignment)},
            {"prefix", p.prefix},
            {"suffix", p.suffix},
            {"differing_a", p.differingA},
            {"differing_b", p.differingB},
            {"components", comps},
            {"overall", toJson(p.overall)}};
}

nlohmann::json toJson(const ContrastiveSetResult& r) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& p : r.pairs)
        pairs.push_back(toJson(p));
    nlohmann::json byCategory = nlohmann::json::object();
    for (const auto& [category, aggs] : r.byCategory)
        byCategory[category] = aggregatesToJson(aggs);
    return {{"pairs", pairs},
            {"aggregate", aggregatesToJson(r.aggregate)},
            {"by_category", byCategory},
            {"seconds", r.seconds}};
}

} // namespace anatomist::core
