// Adaptive attention bypass (ALGORITHMS.md §7): the complexity formula against values worked out by
// hand (Python float64, in the comments), the embedding cosine against a double loop, calibration
// and the per-prompt decision.
#include "analysis/adaptive_bypass.h"
#include "analysis/layer_similarity.h"
#include "errors.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QTest>
#include <cmath>
#include <nlohmann/json.hpp>

using namespace anatomist::core;
using anatomist::test::sourceDir;

class TestAdaptiveBypass : public QObject {
    Q_OBJECT
private slots:
    void complexityMatchesHandComputedValues_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<double>("cos");
        QTest::addColumn<double>("billions");
        QTest::addColumn<double>("sizeFactor");
        QTest::addColumn<double>("tok");
        QTest::addColumn<double>("var");
        QTest::addColumn<double>("score");
        // sf = 1 + (2 - 0.00026)·0.1; tok = log1p(2)/log1p(2000/sf)·sf·(2/4)²; n < 3: var = 0
        QTest::newRow("two tokens") << qint64(2) << 0.3 << 0.00026 << 1.199974
                                    << 0.044422099423287155 << 0.0 << 0.033316574567465368;
        // sf clamps at 0.5; L_ref = 4000, var_sat = 266.67: var = 0.8 · 100/266.67 = 0.3
        QTest::newRow("7B, 100 tokens") << qint64(100) << 0.2 << 7.0 << 0.5 << 0.27821038149579924
                                        << 0.3 << 0.28365778612184944;
        // n = 3: tok × (3/4)², var = 0.5 · 3/121.2
        QTest::newRow("three tokens") << qint64(3) << 0.5 << 1.0 << 1.1 << 0.11427569865499071
                                      << 0.012375 << 0.088800523991243038;
        QTest::newRow("30B") << qint64(40) << 0.1 << 30.0 << 0.5 << 0.22386290837255837 << 0.135
                             << 0.20164718127941877;
        QTest::newRow("sf clamps at 2") << qint64(10) << 0.9 << -20.0 << 2.0 << 0.69416135016910951
                                        << 0.015 << 0.52437101262683217;
        // tok saturates at 1, var = 1.5, the score clamps at 1
        QTest::newRow("saturated") << qint64(5000) << -0.5 << 0.0 << 1.2 << 1.0 << 1.5 << 1.0;
    }
    void complexityMatchesHandComputedValues() {
        QFETCH(qint64, n);
        QFETCH(double, cos);
        QFETCH(double, billions);
        QFETCH(double, sizeFactor);
        QFETCH(double, tok);
        QFETCH(double, var);
        QFETCH(double, score);
        const auto s = complexityScore(n, cos, billions);
        ANATOMIST_COMPARE_NEAR(s.sizeFactor, sizeFactor, 1e-12, "size factor");
        ANATOMIST_COMPARE_NEAR(s.tokenTerm, tok, 1e-12, "tok");
        ANATOMIST_COMPARE_NEAR(s.varianceTerm, var, 1e-12, "var");
        ANATOMIST_COMPARE_NEAR(s.score, score, 1e-12, "score");
    }

    void embeddingCosineEqualsADoubleLoop() {
        auto demo =
            loadModel(sourceDir() / "resources/demo/model", LoadOptions{}, nullJobContext());
        const std::vector<TokenId> ids{1, 57, 300, 57, 12, 480};
        const auto w = demo.model->embedding().weight.to(torch::kFloat64);
        double sum = 0;
        int pairs = 0;
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (std::size_t j = 0; j < ids.size(); ++j) {
                if (i == j)
                    continue;
                const auto a = w[ids[i]], b = w[ids[j]];
                sum += (a.dot(b) / (a.norm() * b.norm())).item<double>();
                ++pairs;
            }
        ANATOMIST_COMPARE_NEAR(meanPairwiseEmbeddingCosine(*demo.model, ids), sum / pairs, 1e-12,
                               "mean cos");
        QCOMPARE(meanPairwiseEmbeddingCosine(*demo.model, {5}), 0.0);
        const auto c = promptComplexity(*demo.model, ids);
        ANATOMIST_COMPARE_NEAR(c.score, complexityScore(6, sum / pairs, 935040e-9).score, 1e-12,
                               "prompt score");
    }

    void calibrationAndDecision() {
        auto demo =
            loadModel(sourceDir() / "resources/demo/model", LoadOptions{}, nullJobContext());
        std::vector<std::vector<TokenId>> prompts;
        for (const char* text :
             {"One morning,", "One morning, Sam went to the market.",
              "Then he met a brave little mouse. \"Can you help me find the red ball?\" asked Sam.",
              "It was cold, and the grass was wet. He counted two birds on a branch. Then one "
              "bird flew away, and Ben counted again. Now there was only one bird."}) {
            auto ids = demo.tokenizer->encodeIds(text, false);
            ids.insert(ids.begin(), *demo.tokenizer->bosId());
            prompts.push_back(ids);
        }
        auto config = calibrateAdaptiveBypass(*demo.model, prompts, 2, nullJobContext());
        QCOMPARE(config.layers, 4);
        // Ranked by attention importance, most important first, as the similarity pass measures it.
        const auto similarity = measureLayerSimilarity(*demo.model, prompts, {}, nullJobContext());
        for (std::size_t i = 1; i < config.layersByImportance.size(); ++i)
            QVERIFY(
                1 - similarity.layers[std::size_t(config.layersByImportance[i - 1])].attention >=
                1 - similarity.layers[std::size_t(config.layersByImportance[i])].attention);
        // Three bands at the 1/3 and 2/3 quantiles of the four prompts' scores (2nd and 3rd
        // smallest).
        auto sorted = config.calibrationScores;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(config.thresholds.size(), std::size_t{3});
        QCOMPARE(config.thresholds[0].maxScore, sorted[1]);
        QCOMPARE(config.thresholds[0].keep, 2);
        QCOMPARE(config.thresholds[1].maxScore, sorted[2]);
        QCOMPARE(config.thresholds[1].keep, 3);
        QCOMPARE(config.thresholds[2].keep, 4);
        // The simplest prompt bypasses the two least important attentions; the most complex none.
        const auto simple = chooseBypass(config, sorted[0]);
        QVERIFY(simple[std::size_t(config.layersByImportance[2])] &&
                simple[std::size_t(config.layersByImportance[3])]);
        QVERIFY(!simple[std::size_t(config.layersByImportance[0])] &&
                !simple[std::size_t(config.layersByImportance[1])]);
        const auto complex = chooseBypass(config, sorted[3]);
        QCOMPARE(std::count(complex.begin(), complex.end(), true), 0);
        // Round trip through JSON.
        const auto back = adaptiveBypassFromJson(toJson(config), "a.json");
        QCOMPARE(back.layersByImportance, config.layersByImportance);
        QCOMPARE(back.thresholds.size(), config.thresholds.size());
        auto broken = toJson(config);
        broken["layers_by_importance"] = {0, 0, 1, 2};
        QVERIFY_THROWS_EXCEPTION(FormatError, adaptiveBypassFromJson(broken, "a.json"));
        QVERIFY_THROWS_EXCEPTION(
            InvalidArgument, calibrateAdaptiveBypass(*demo.model, prompts, 4, nullJobContext()));
    }

    void cliCalibratesAndGenerates() {
        anatomist::test::TempDir dir;
        anatomist::test::writeText(dir / "prompts.txt",
                                   "One morning,\n\nOne morning, Sam went to the market.\n\n"
                                   "Then he met a brave little mouse. It was cold.\n");
        const auto model = (sourceDir() / "resources/demo/model").string();
        const auto run = anatomist::test::runCli({"calibrate-bypass", model, "--prompts",
                                                  (dir / "prompts.txt").string(), "--out",
                                                  (dir / "a.json").string()});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        const auto file = anatomist::test::readJson(dir / "a.json");
        QCOMPARE(file.at("format").get<std::string>(), std::string("anatomist-adaptive-bypass"));
        QCOMPARE(file.at("complexity_thresholds").size(), std::size_t{2}); // --max-bypass default 1
        const auto gen = anatomist::test::runCli({"generate", model, "--prompt", "One morning,",
                                                  "--max-new-tokens", "8", "--adaptive-bypass",
                                                  (dir / "a.json").string(), "--json"});
        QVERIFY2(gen.exitCode == 0, gen.err.c_str());
        const auto j = gen.json();
        // The shortest calibration prompt lies in the simplest band: one attention bypassed.
        QVERIFY2(j.at("adaptive_bypass").at("bypassed") ==
                     nlohmann::json::array({file.at("layers_by_importance")[3]}),
                 j.dump().c_str());
    }
};

QTEST_GUILESS_MAIN(TestAdaptiveBypass)
#include "tst_adaptive_bypass.moc"
