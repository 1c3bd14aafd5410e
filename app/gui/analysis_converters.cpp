#include "analysis_converters.h"

#include "analysis/activations.h"
#include "analysis/contrastive.h"
#include "analysis/logit_lens.h"
#include "analysis/neuron_importance.h"

namespace anatomist::gui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QStringList qsl(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v)
        out << qs(s);
    return out;
}

widgets::Matrix toMatrix(const core::FloatMatrix& m) {
    widgets::Matrix out;
    out.rows = int(m.rows);
    out.cols = int(m.cols);
    out.values = QVector<double>(m.values.begin(), m.values.end());
    return out;
}

widgets::DiffStatsData toStats(const core::DiffStats& s) {
    return {s.mean, s.max, s.min, s.std, s.l1, s.l2, s.count};
}

widgets::ProgressionData toProgression(const core::DiffProgression& p) {
    return {p.first_to_last_ratio, p.layer_with_max_diff, p.is_increasing};
}

std::vector<widgets::ContrastiveAggregateData>
toAggregates(const std::vector<core::ContrastiveAggregate>& aggs) {
    std::vector<widgets::ContrastiveAggregateData> out;
    for (const auto& a : aggs)
        out.push_back({qs(a.component),
                       QVector<double>(a.meanAcrossPairs.begin(), a.meanAcrossPairs.end()),
                       QVector<double>(a.maxAcrossPairs.begin(), a.maxAcrossPairs.end()),
                       toProgression(core::diffProgression(a.meanAcrossPairs))});
    return out;
}
} // namespace

widgets::ActivationData toActivationData(const core::ActivationCapture& c) {
    widgets::ActivationData d;
    d.component = qs(c.component);
    d.tokens = qsl(c.tokens);
    if (d.tokens.isEmpty()) // no tokenizer: show the ids
        for (auto id : c.ids)
            d.tokens << QString::number(id);
    for (const auto& m : c.matrices)
        d.layers.push_back(toMatrix(m));
    d.meanAbsPerLayer = QVector<double>(c.meanAbsAllLayers.begin(), c.meanAbsAllLayers.end());
    return d;
}

widgets::ContrastivePairData toPairData(const core::ContrastivePairResult& p) {
    widgets::ContrastivePairData d;
    d.category = qs(p.category);
    d.a = qs(p.a);
    d.b = qs(p.b);
    d.tokensA = qsl(p.tokensA);
    d.tokensB = qsl(p.tokensB);
    d.alignment = QString::fromLatin1(core::pairAlignmentName(p.alignment));
    d.prefix = int(p.prefix);
    d.suffix = int(p.suffix);
    d.differingA = QVector<int>(p.differingA.begin(), p.differingA.end());
    d.differingB = QVector<int>(p.differingB.begin(), p.differingB.end());
    for (const auto& c : p.components) {
        widgets::ContrastiveComponentData cd;
        cd.component = qs(c.component);
        cd.overall = toStats(c.overall);
        cd.progression = toProgression(c.progression);
        for (const auto& l : c.layers) {
            widgets::ContrastiveLayerData ld;
            ld.layer = l.layer;
            ld.stats = toStats(l.stats);
            ld.cosineDistance = l.cosineDistance;
            ld.pcaA = toMatrix(l.pca.pointsA);
            ld.pcaB = toMatrix(l.pca.pointsB);
            ld.explained = QVector<double>(l.pca.explained.begin(), l.pca.explained.end());
            cd.layers.push_back(std::move(ld));
        }
        d.components.push_back(std::move(cd));
    }
    d.overall = toStats(p.overall);
    return d;
}

widgets::ContrastiveSetData toSetData(const core::ContrastiveSetResult& r) {
    widgets::ContrastiveSetData d;
    for (const auto& p : r.pairs)
        d.pairs.push_back(toPairData(p));
    d.aggregate = toAggregates(r.aggregate);
    for (const auto& [category, aggs] : r.byCategory)
        d.byCategory[qs(category)] = toAggregates(aggs);
    d.seconds = r.seconds;
    return d;
}

widgets::NeuronScoresData toNeuronScores(const core::NeuronImportanceResult& r) {
    widgets::NeuronScoresData d;
    d.method = qs(r.method);
    for (const auto& l : r.layers)
        d.layers.push_back(QVector<double>(l.begin(), l.end()));
    d.tokens = r.tokens;
    d.seconds = r.seconds;
    return d;
}

widgets::LogitLensData toLogitLensData(const core::LogitLensResult& r) {
    widgets::LogitLensData d;
    d.tokens = qsl(r.tokens);
    if (d.tokens.isEmpty())
        for (auto id : r.ids)
            d.tokens << QString::number(id);
    d.k = r.k;
    for (const auto& layer : r.layers) {
        std::vector<widgets::LogitLensCellData> row;
        for (const auto& cell : layer) {
            widgets::LogitLensCellData c;
            c.tokens = qsl(cell.tokens);
            if (c.tokens.isEmpty())
                for (auto id : cell.ids)
                    c.tokens << QString::number(id);
            c.probs = QVector<double>(cell.probs.begin(), cell.probs.end());
            row.push_back(std::move(c));
        }
        d.layers.push_back(std::move(row));
    }
    return d;
}

std::vector<widgets::PromptPairData> toPromptPairData(const std::vector<core::PromptPair>& pairs) {
    std::vector<widgets::PromptPairData> out;
    for (const auto& p : pairs)
        out.push_back({qs(p.a), qs(p.b), qs(p.category)});
    return out;
}

std::vector<core::PromptPair> toPromptPairs(const std::vector<widgets::PromptPairData>& pairs) {
    std::vector<core::PromptPair> out;
    for (const auto& p : pairs) {
        core::PromptPair c;
        c.a = p.a.toStdString();
        c.b = p.b.toStdString();
        c.category = p.category.toStdString();
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace anatomist::gui
