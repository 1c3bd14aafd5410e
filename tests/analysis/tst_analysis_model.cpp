// Data-driven analyses on the tiny llama fixture (token ids, no tokenizer) cross-checked against
// direct computations from captured activations, and the CLI on stories260K.
#include "analysis/activations.h"
#include "analysis/contrastive.h"
#include "analysis/neuron_importance.h"
#include "errors.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QTest>
#include <algorithm>
#include <cmath>

using namespace anatomist::core;
using anatomist::test::sharedDir;

namespace {

// DiffStats against a plain two-pass computation in double (population std, l1, l2).
void expectStats(const DiffStats& s, const std::vector<double>& values, const std::string& what) {
    QCOMPARE(s.count, int64_t(values.size()));
    double sum = 0, l1 = 0, squares = 0;
    double lowest = values.front(), highest = values.front();
    for (double v : values) {
        sum += v;
        l1 += std::abs(v);
        squares += v * v;
        lowest = std::min(lowest, v);
        highest = std::max(highest, v);
    }
    const double mean = sum / double(values.size());
    double deviations = 0;
    for (double v : values)
        deviations += (v - mean) * (v - mean);
    const double scale = std::max(1.0, highest);
    ANATOMIST_COMPARE_NEAR(s.mean, mean, 1e-9 * scale, what + " mean");
    ANATOMIST_COMPARE_NEAR(s.std, std::sqrt(deviations / double(values.size())), 1e-9 * scale,
                           what + " std");
    ANATOMIST_COMPARE_NEAR(s.min, lowest, 0, what + " min");
    ANATOMIST_COMPARE_NEAR(s.max, highest, 0, what + " max");
    ANATOMIST_COMPARE_NEAR(s.l1, l1, 1e-9 * std::max(1.0, l1), what + " l1");
    ANATOMIST_COMPARE_NEAR(s.l2, std::sqrt(squares), 1e-9 * std::max(1.0, std::sqrt(squares)),
                           what + " l2");
}

LoadedModel openLlamaFixture() {
    LoadOptions options;
    options.loadTokenizer = false;
    return loadModel(sharedDir() / "fixtures/arch/llama", options, nullJobContext());
}

std::vector<TokenId> fixtureIds(int which) {
    const auto e = anatomist::test::readJson(sharedDir() / "fixtures/arch/llama/expected.json");
    return e.at("input_ids").at(which).get<std::vector<TokenId>>();
}

} // namespace

class TestAnalysisModel : public QObject {
    Q_OBJECT
private slots:
    void init() { ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/expected.json"); }

    void activationsCapture() {
        auto m = openLlamaFixture();
        const auto ids = fixtureIds(1);
        const auto c = captureActivations(*m.model, ids, TapPoint::Act, {0, 2}, nullJobContext());
        QCOMPARE(c.matrices.size(), std::size_t{2});
        QCOMPARE(c.matrices[0].rows, int64_t(ids.size()));
        QCOMPARE(c.matrices[0].cols, int64_t(128));
        QCOMPARE(c.meanAbsAllLayers.size(), std::size_t{3});
        double sum = 0;
        for (float v : c.matrices[1].values)
            sum += std::abs(v);
        ANATOMIST_COMPARE_NEAR(c.meanAbs[1], sum / double(c.matrices[1].values.size()), 1e-6,
                               "mean |act| layer 2");
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, captureActivations(*m.model, ids, TapPoint::Out,
                                                                     {3}, nullJobContext()));
    }

    void activationNormsMatchCapture() {
        auto m = openLlamaFixture();
        const auto a = fixtureIds(0), b = fixtureIds(1);
        // Two documents batched with padding must equal the per-document sums.
        const auto norms = measureActivationNorms(*m.model, {a, b}, 8192, nullJobContext());
        QCOMPARE(norms.tokens, int64_t(a.size() + b.size()));
        const auto ca = captureActivations(*m.model, a, TapPoint::Act, {1}, nullJobContext());
        const auto cb = captureActivations(*m.model, b, TapPoint::Act, {1}, nullJobContext());
        for (int64_t k : {0, 17, 127}) {
            double s = 0;
            for (const auto* c : {&ca, &cb})
                for (int64_t t = 0; t < c->matrices[0].rows; ++t)
                    s += double(c->matrices[0].at(t, k)) * c->matrices[0].at(t, k);
            ANATOMIST_COMPARE_NEAR(norms.perLayer[1][k].item<double>(), std::sqrt(s), 1e-5,
                                   "X_k neuron " + std::to_string(k));
        }
        const auto scores =
            scoreNeurons(*m.model, NeuronScoreMethod::Activation, {a, b}, nullJobContext());
        QCOMPARE(scores.layers.size(), std::size_t{3});
        QCOMPARE(scores.layers[0].size(), std::size_t{128});
        QVERIFY_THROWS_EXCEPTION(
            InvalidArgument, scoreNeurons(*m.model, NeuronScoreMethod::L1, {}, nullJobContext()));
    }

    void neuronBiasMatchesPooledDifference() {
        auto m = openLlamaFixture();
        auto a = fixtureIds(1), b = a;
        b[3] = (b[3] + 1) % 256;
        b.push_back(9); // unequal lengths: pooled means still defined
        const auto bias = measureNeuronBias(*m.model, {{a, b}}, nullJobContext());
        const auto ca = captureActivations(*m.model, a, TapPoint::Act, {2}, nullJobContext());
        const auto cb = captureActivations(*m.model, b, TapPoint::Act, {2}, nullJobContext());
        for (int64_t k : {0, 64}) {
            double pa = 0, pb = 0;
            for (int64_t t = 0; t < ca.matrices[0].rows; ++t)
                pa += ca.matrices[0].at(t, k);
            for (int64_t t = 0; t < cb.matrices[0].rows; ++t)
                pb += cb.matrices[0].at(t, k);
            const double expected = std::abs(pa / double(a.size()) - pb / double(b.size()));
            ANATOMIST_COMPARE_NEAR(bias.mean[2][k].item<double>(), expected, 1e-6, "bias");
            ANATOMIST_COMPARE_NEAR(bias.max[2][k].item<double>(), expected, 1e-6, "bias max");
        }
    }

    void contrastivePairNeverSkipsLayers() {
        auto m = openLlamaFixture();
        const auto a = fixtureIds(1);
        auto same = a;
        same[4] = (same[4] + 3) % 256;
        auto longer = a;
        longer.insert(longer.begin() + 4, {11, 12});
        ContrastiveOptions o;
        o.details = true;
        const auto eq = compareContrastivePair(*m.model, a, same, o, nullJobContext());
        QCOMPARE(eq.alignment, PairAlignment::Tokens);
        QCOMPARE(eq.differingA, std::vector<int>{4});
        QCOMPARE(eq.components.size(), std::size_t{3});
        for (const auto& c : eq.components) {
            QCOMPARE(c.layers.size(), std::size_t{3});
            // causal model: tokens before the change are identical
            for (int64_t k = 0; k < c.layers[0].diff.cols; ++k)
                QCOMPARE(c.layers[0].diff.at(0, k), 0.0f);
            QCOMPARE(c.layers[0].pca.pointsA.rows, int64_t(a.size()));
        }
        const auto ne = compareContrastivePair(*m.model, a, longer, o, nullJobContext());
        QCOMPARE(ne.alignment, PairAlignment::MeanPooled); // pure insertion
        for (const auto& c : ne.components)
            QCOMPARE(c.layers.size(), std::size_t{3});
        auto replaced = a;
        replaced.erase(replaced.begin() + 4);
        replaced.insert(replaced.begin() + 4, {11, 12});
        const auto ps = compareContrastivePair(*m.model, a, replaced, o, nullJobContext());
        QCOMPARE(ps.alignment, PairAlignment::PrefixSuffix);
        QCOMPARE(ps.prefix, int64_t(4));
        QCOMPARE(ps.components[0].layers[0].diff.rows, int64_t(a.size())); // 4 + 1 + (T - 5)

        // Each layer's statistics and the merged ones (component, pair) against plain double
        // loops over the difference matrices the details keep, for every alignment.
        for (const auto* result : {&eq, &ne, &ps}) {
            std::vector<double> pairValues;
            for (const auto& c : result->components) {
                std::vector<double> componentValues;
                for (const auto& layer : c.layers) {
                    std::vector<double> values(layer.diff.values.begin(), layer.diff.values.end());
                    expectStats(layer.stats, values, "layer");
                    componentValues.insert(componentValues.end(), values.begin(), values.end());
                }
                expectStats(c.overall, componentValues, "component " + c.component);
                pairValues.insert(pairValues.end(), componentValues.begin(), componentValues.end());
            }
            expectStats(result->overall, pairValues, "pair");
        }
    }

    void cliCommands() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        const auto model = (sharedDir() / "models/stories260K").string();
        anatomist::test::TempDir dir;
        anatomist::test::writeText(dir / "t.txt",
                                   "Once upon a time there was a cat.\n\nTom had a red ball.\n");
        auto sim = anatomist::test::runCli(
            {"analyze", "similarity", model, "--text", (dir / "t.txt").string(), "--json"});
        QCOMPARE(sim.exitCode, 0);
        const auto sj = sim.json();
        QCOMPARE(sj.at("layers").size(), std::size_t{5});
        QCOMPARE(sj.at("removal_order").size(), std::size_t{5});
        QCOMPARE(sj.at("documents").get<int>(), 2);
        auto act = anatomist::test::runCli({"analyze", "activations", model, "--prompt",
                                            "Once upon a time", "--component", "mlp_out",
                                            "--layers", "0,3", "--json"});
        QCOMPARE(act.exitCode, 0);
        const auto aj = act.json();
        QCOMPARE(aj.at("layers").size(), std::size_t{2});
        QCOMPARE(aj.at("layers")[1].at("index").get<int>(), 3);
        auto con = anatomist::test::runCli({"analyze", "contrastive", model, "--pairs",
                                            (sharedDir() / "data/pairs_stories.jsonl").string(),
                                            "--json"});
        QCOMPARE(con.exitCode, 0);
        const auto cj = con.json();
        QCOMPARE(cj.at("pairs").size(), std::size_t{60});
        QVERIFY(cj.at("by_category").contains("gender"));
        auto imp =
            anatomist::test::runCli({"analyze", "importance", model, "--method", "ppm", "--json"});
        QCOMPARE(imp.exitCode, 0);
        QCOMPARE(imp.json().at("layers").size(), std::size_t{5});
    }
};

QTEST_GUILESS_MAIN(TestAnalysisModel)
#include "tst_analysis_model.moc"
