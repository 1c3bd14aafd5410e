// Hand-computed expectations for the neuron scores, PCA, difference metrics, contrastive alignment
// and dataset parsing (ALGORITHMS.md §3–4). Tolerance 1e-5 unless stated.
#include "analysis/contrastive.h"
#include "analysis/datasets.h"
#include "analysis/diff_metrics.h"
#include "analysis/neuron_importance.h"
#include "analysis/pca.h"
#include "errors.h"
#include "test_support.h"

#include <QTest>
#include <cmath>
#include <limits>

using namespace anatomist::core;

namespace {

torch::Tensor mat(std::vector<std::vector<double>> rows) {
    std::vector<torch::Tensor> r;
    for (auto& row : rows)
        r.push_back(torch::tensor(row, torch::kFloat64));
    return torch::stack(r).to(torch::kFloat32);
}

void expectValues(const torch::Tensor& got, const std::vector<double>& expected, const char* what) {
    QCOMPARE(got.numel(), int64_t(expected.size()));
    const auto g = got.to(torch::kFloat64).contiguous();
    for (std::size_t i = 0; i < expected.size(); ++i)
        ANATOMIST_COMPARE_NEAR(g[int64_t(i)].item<double>(), expected[i], 1e-5,
                               std::string(what) + "[" + std::to_string(i) + "]");
}

// G, U: I = 2 neurons, H = 3; D: [H, I].
const std::vector<std::vector<double>> kGate{{1, -2, 3}, {0, 0.5, -0.5}};
const std::vector<std::vector<double>> kUp{{2, 2, -1}, {1, 1, 1}};
const std::vector<std::vector<double>> kDown{{1, 0}, {-1, 2}, {0.5, 0}};

} // namespace

class TestAnalysisMath : public QObject {
    Q_OBJECT
private slots:
    void ppm() {
        // row 0: (3 + 2) + (2 + 1) = 8; row 1: (0.5 + 0.5) + (1 + 1) = 3
        expectValues(ppmScores(mat(kGate), mat(kUp)), {8, 3}, "ppm");
    }
    void vow() {
        // unbiased variances: G0 = 114/9/2, U0 = 6/2; G1 = 0.5/2, U1 = 0
        expectValues(vowScores(mat(kGate), mat(kUp)), {57.0 / 9 + 3, 0.25}, "vow");
    }
    void pon() { expectValues(ponScores(mat(kGate), mat(kUp)), {6 * 5, 1 * 3}, "pon"); }
    void l2() {
        expectValues(l2Scores(mat(kGate), mat(kUp)),
                     {std::sqrt(14.0) + 3, std::sqrt(0.5) + std::sqrt(3.0)}, "l2");
    }
    void activationWeighted() {
        // PPM_G = [5, 1] / 5, PPM_U = [3, 2] / 3, PPM_Dcol = [2, 2] / 2; X = [2, 3]
        const auto x = torch::tensor({2.0, 3.0}, torch::kFloat64);
        expectValues(activationWeightedScores(mat(kGate), mat(kUp), mat(kDown), x),
                     {(1 + 1 + 1) * 2.0, (0.2 + 2.0 / 3 + 1) * 3.0}, "activation");
    }
    void gpt2L1() { expectValues(l1Scores(mat({{1, -2}, {3, -0.5}})), {3, 3.5}, "l1"); }
    void fairness() {
        const auto bias = torch::tensor({0.1, 0.3, 0.2}, torch::kFloat64);
        const auto ppm = torch::tensor({3.0, 1.0, 2.0}, torch::kFloat64);
        // norm(bias) = [0, 1, .5]; 1 - norm(ppm) = [0, 1, .5]
        expectValues(fairnessScores(bias, ppm), {0, 1, 0.5}, "F w=0.5");
        expectValues(fairnessScores(bias, ppm, 0.7), {0, 1, 0.5}, "F w=0.7");
        const auto ppm2 = torch::tensor({1.0, 3.0, 2.0}, torch::kFloat64);
        // 0.7 · [0, 1, .5] + 0.3 · [1, 0, .5]
        expectValues(fairnessScores(bias, ppm2, 0.7), {0.3, 0.7, 0.5}, "F w=0.7 b");
        expectValues(minMaxNormalize(torch::tensor({2.0, 2.0})), {0, 0}, "flat");
    }
    void methodNames() {
        QVERIFY(parseNeuronScoreMethod("maw") == NeuronScoreMethod::Ppm);
        QVERIFY(parseNeuronScoreMethod("activation") == NeuronScoreMethod::Activation);
        QVERIFY(!parseNeuronScoreMethod("nope"));
    }

    void pcaKnown2d() {
        // Variance 8/3 along x, 2/3 along y (N - 1 = 3): ratios 0.8 / 0.2.
        const auto x = mat({{2, 0}, {-2, 0}, {0, 1}, {0, -1}});
        auto r = principalComponents(x, 2);
        ANATOMIST_COMPARE_NEAR(r.explainedVariance[0], 8.0 / 3, 1e-9, "var 0");
        ANATOMIST_COMPARE_NEAR(r.explainedVariance[1], 2.0 / 3, 1e-9, "var 1");
        ANATOMIST_COMPARE_NEAR(r.explainedVarianceRatio[0], 0.8, 1e-9, "ratio 0");
        expectValues(r.components[0], {1, 0}, "pc1");
        expectValues(r.coordinates.select(1, 0), {2, -2, 0, 0}, "coords pc1");
        // The same cloud rotated by 45 degrees and shifted: same variances, rotated axis.
        const double h = std::sqrt(0.5);
        const auto rot = mat({{h, h}, {-h, h}});
        auto r2 = principalComponents(x.matmul(rot.t()) + 5, 2);
        ANATOMIST_COMPARE_NEAR(r2.explainedVarianceRatio[0], 0.8, 1e-6, "rotated ratio");
        // (2, 0) maps to (2h, -2h): the major axis is (h, -h), first entry positive
        expectValues(r2.components[0], {h, -h}, "rotated pc1");
        expectValues(r2.mean, {5, 5}, "mean");
        // More components than rank: zeros.
        auto r3 = principalComponents(mat({{1, 2, 3}}), 2);
        QCOMPARE(r3.explainedVarianceRatio[1], 0.0);
    }

    void diffMetrics() {
        const auto s = diffStats(mat({{0, 2}, {3, 0}}));
        ANATOMIST_COMPARE_NEAR(s.mean, 1.25, 1e-9, "mean");
        ANATOMIST_COMPARE_NEAR(s.max, 3, 1e-9, "max");
        ANATOMIST_COMPARE_NEAR(s.min, 0, 1e-9, "min");
        ANATOMIST_COMPARE_NEAR(s.std, std::sqrt(6.75 / 4), 1e-7, "std");
        ANATOMIST_COMPARE_NEAR(s.l1, 5, 1e-9, "l1");
        ANATOMIST_COMPARE_NEAR(s.l2, std::sqrt(13.0), 1e-7, "l2");
        // The same four values in two groups, merged (Chan's update): the same statistics.
        DiffAccumulator merged, second;
        const float first[] = {0, 2}, rest[] = {3, 0};
        merged.addValues(first, 2);
        second.addValues(rest, 2);
        merged.merge(second);
        merged.merge(DiffAccumulator()); // an empty group changes nothing
        const auto m = merged.stats();
        QCOMPARE(m.count, int64_t{4});
        ANATOMIST_COMPARE_NEAR(m.mean, 1.25, 1e-12, "merged mean");
        ANATOMIST_COMPARE_NEAR(m.std, std::sqrt(6.75 / 4), 1e-12, "merged std");
        ANATOMIST_COMPARE_NEAR(m.min, 0, 1e-12, "merged min");
        ANATOMIST_COMPARE_NEAR(m.max, 3, 1e-12, "merged max");
        ANATOMIST_COMPARE_NEAR(m.l1, 5, 1e-12, "merged l1");
        ANATOMIST_COMPARE_NEAR(m.l2, std::sqrt(13.0), 1e-12, "merged l2");
        QCOMPARE(DiffAccumulator().stats().count, int64_t{0});
        // A NaN anywhere makes min and max NaN, as torch's min/max do, whichever group holds it.
        DiffAccumulator withNan, clean;
        const float nanAfterFirst[] = {1, std::numeric_limits<float>::quiet_NaN(), 2};
        withNan.addValues(nanAfterFirst, 3);
        QVERIFY(std::isnan(withNan.stats().min) && std::isnan(withNan.stats().max));
        clean.addValues(first, 2);
        clean.merge(withNan);
        QVERIFY(std::isnan(clean.stats().min) && std::isnan(clean.stats().max));
        const auto p = diffProgression({0.1, 0.3, 0.2});
        ANATOMIST_COMPARE_NEAR(p.first_to_last_ratio, 2, 1e-9, "ratio");
        QCOMPARE(p.layer_with_max_diff, 1);
        QVERIFY(!p.is_increasing);
        QVERIFY(diffProgression({1, 2, 2}).is_increasing);
        QCOMPARE(diffProgression({0, 1}).first_to_last_ratio, 0.0);
    }

    void contrastiveSameLength() {
        const auto a = mat({{1, 2}, {3, 4}}), b = mat({{1, 0}, {0, 4}});
        const auto d = alignedDifference(a, b, {1, 2}, {1, 3});
        QVERIFY(d.alignment == PairAlignment::Tokens);
        expectValues(d.diff.flatten(), {0, 2, 3, 0}, "token-aligned");
        // Rows [1, 0] vs [1, 0]: cos 1; [0, 1] vs [1, 0]: cos 0 → mean distance 0.5. A zero row
        // has cosine 0 (eps in the denominator), distance 1.
        const auto c =
            alignedDifference(mat({{1, 0}, {0, 1}}), mat({{1, 0}, {1, 0}}), {1, 2}, {1, 3});
        ANATOMIST_COMPARE_NEAR(c.cosineDistance, 0.5, 1e-12, "cosine distance");
        const auto z = alignedDifference(mat({{0, 0}}), mat({{1, 2}}), {1}, {2});
        ANATOMIST_COMPARE_NEAR(z.cosineDistance, 1.0, 1e-12, "zero row");
    }
    void contrastiveUnequalPrefixSuffix() {
        // ids differ in the middle: A = 1 [5 6] 9, B = 1 [7] 9
        const auto a = mat({{1, 1}, {2, 0}, {4, 2}, {0, 0}});
        const auto b = mat({{1, 2}, {1, 1}, {3, 3}});
        const auto d = alignedDifference(a, b, {1, 5, 6, 9}, {1, 7, 9});
        QVERIFY(d.alignment == PairAlignment::PrefixSuffix);
        QCOMPARE(d.prefix, int64_t(1));
        QCOMPARE(d.suffix, int64_t(1));
        // prefix row |a0 - b0|; span mean([2,0],[4,2]) = [3,1] vs [1,1]; suffix |a3 - b2|
        expectValues(d.diff.flatten(), {0, 1, 2, 0, 3, 3}, "prefix/suffix");
        const auto pooled = alignedDifference(a, b, {1, 5, 6, 9}, {1, 7, 9}, true);
        QVERIFY(pooled.alignment == PairAlignment::MeanPooled);
        // mean a = [7/4, 3/4], mean b = [5/3, 2]
        expectValues(pooled.diff.flatten(), {7.0 / 4 - 5.0 / 3, 2 - 0.75}, "pooled");
    }
    void contrastiveInsertionFallsBackToPooling() {
        const auto a = mat({{1, 0}, {2, 0}, {3, 0}});
        const auto b = mat({{1, 0}, {2, 0}, {5, 0}, {3, 0}});
        const auto d = alignedDifference(a, b, {1, 2, 3}, {1, 2, 4, 3});
        QVERIFY(d.alignment == PairAlignment::MeanPooled);
        expectValues(d.diff.flatten(), {2.75 - 2, 0}, "insertion");
    }

    void promptPairsJsonlAndCsv() {
        const auto j = parsePromptPairsJsonl(
            "{\"category\": \"gender\", \"a\": \"he ran\", \"b\": \"she ran\", \"attribute_a\": "
            "\"he\", \"attribute_b\": \"she\"}\n\n{\"a\": \"x\", \"b\": \"y\"}\n",
            "pairs.jsonl");
        QCOMPARE(j.size(), std::size_t{2});
        QCOMPARE(j[0].attribute_b, std::string("she"));
        QCOMPARE(j[1].category, std::string());
        const auto c = parsePromptPairsCsv(
            "b,a,category\r\n\"she said \"\"hi\"\", then\",\"he said \"\"hi\"\", then\",gender\r\n"
            "y,x,\n",
            "pairs.csv");
        QCOMPARE(c.size(), std::size_t{2});
        QCOMPARE(c[0].a, std::string("he said \"hi\", then"));
        QCOMPARE(c[0].b, std::string("she said \"hi\", then"));
        QCOMPARE(c[0].category, std::string("gender"));
        QVERIFY_THROWS_EXCEPTION(FormatError, parsePromptPairsCsv("a,c\nx,y\n", "bad.csv"));
        QVERIFY_THROWS_EXCEPTION(FormatError, parsePromptPairsJsonl("{\"a\": 1}\n", "bad.jsonl"));
        QCOMPARE(parseJsonlTexts("{\"text\": \"one\"}\n{\"text\": \"two\"}", "t.jsonl").size(),
                 std::size_t{2});
    }
    void padding() {
        const auto b = padSequences({{5, 6, 7}, {8}});
        QCOMPARE(b.ids.size(1), int64_t(3));
        QCOMPARE(b.valid.sum().item<int64_t>(), int64_t(4));
        QCOMPARE(b.ids[1][0].item<int64_t>(), int64_t(8));
    }
};

QTEST_GUILESS_MAIN(TestAnalysisMath)
#include "tst_analysis_math.moc"
