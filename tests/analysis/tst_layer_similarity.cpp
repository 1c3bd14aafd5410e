// Layer similarity against independent float64 references: the per-block cosines of the tiny
// architecture fixtures (token ids, padded batches). The stories260K fixtures (windowed, tokenizer)
// are in tst_similarity_stories.cpp (slow).
#include "analysis/layer_similarity.h"
#include "errors.h"
#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model/taps.h"
#include "test_support.h"

#include <QTest>
#include <algorithm>
#include <chrono>
#include <cmath>

using namespace anatomist::core;
using anatomist::test::sharedDir;

namespace {

LoadedModel openModel(const std::filesystem::path& folder, bool tokenizer,
                      torch::ScalarType dtype = torch::kFloat32) {
    LoadOptions options;
    options.loadTokenizer = tokenizer;
    options.dtype = dtype;
    return loadModel(folder, options, nullJobContext());
}

// Cancels itself once the first batch has been reported.
class CancelAfterFirstBatch : public CallbackJobContext {
public:
    void setProgress(double fraction, std::string_view) override {
        if (fraction > 0)
            cancel();
    }
};

class ProgressRecorder : public CallbackJobContext {
public:
    void setProgress(double fraction, std::string_view) override { fractions.push_back(fraction); }
    std::vector<double> fractions;
};

// Residual streams x_in^0 .. x_in^(L-1) and the last x_out, as float64 [T, H] (batch of one).
class ResidualCapture : public TapListener {
public:
    explicit ResidualCapture(int layers)
        : streams(static_cast<std::size_t>(layers) + 1)
        , m_layers(layers) {}
    TapMask tapMask() const override { return tapBit(TapPoint::In) | tapBit(TapPoint::Out); }
    void onTap(TapPoint point, int layer, const torch::Tensor& value) override {
        if (point == TapPoint::In)
            streams[static_cast<std::size_t>(layer)] = value[0].to(torch::kFloat64).clone();
        else if (layer == m_layers - 1)
            streams[static_cast<std::size_t>(m_layers)] = value[0].to(torch::kFloat64).clone();
    }
    std::vector<torch::Tensor> streams;

private:
    int m_layers;
};

} // namespace

class TestLayerSimilarity : public QObject {
    Q_OBJECT
private slots:
    // float32 runs the accumulator's one-pass loop over x_in/x_mid/x_out, float64 its operator
    // version (a Gram matrix per token): both against the same float64 references.
    void archFixtureBlockCosines_data() {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<bool>("float64");
        for (const auto& v : anatomist::test::architectureFixtures()) {
            QTest::newRow(v.c_str()) << QString::fromStdString(v) << false;
            QTest::newRow((v + " float64").c_str()) << QString::fromStdString(v) << true;
        }
    }
    void archFixtureBlockCosines() {
        QFETCH(QString, variant);
        QFETCH(bool, float64);
        const auto rel = "fixtures/arch/" + variant.toStdString();
        ANATOMIST_REQUIRE_SHARED(rel + "/expected.json");
        const auto expected = anatomist::test::readJson(sharedDir() / rel / "expected.json");
        auto loaded =
            openModel(sharedDir() / rel, false, float64 ? torch::kFloat64 : torch::kFloat32);
        const auto ids = expected.at("input_ids").get<std::vector<std::vector<TokenId>>>();
        const auto cos40 = expected.at("hidden_states_cos").get<std::vector<double>>();
        const auto cos7 = expected.at("seq7").at("hidden_states_cos").get<std::vector<double>>();

        // One document alone.
        auto one = measureLayerSimilarity(*loaded.model, {ids[0]}, {}, nullJobContext());
        QCOMPARE(one.tokens, int64_t(ids[0].size()));
        for (std::size_t l = 0; l < cos40.size(); ++l)
            ANATOMIST_COMPARE_NEAR(one.layers[l].block, cos40[l], 1e-5,
                                   "layer " + std::to_string(l) + " block, 40 tokens");
        // Both in one padded batch: token-weighted, padding excluded.
        auto both = measureLayerSimilarity(*loaded.model, ids, {}, nullJobContext());
        const double n0 = double(ids[0].size()), n1 = double(ids[1].size());
        QCOMPARE(both.tokens, int64_t(n0 + n1));
        for (std::size_t l = 0; l < cos40.size(); ++l)
            ANATOMIST_COMPARE_NEAR(both.layers[l].block, (n0 * cos40[l] + n1 * cos7[l]) / (n0 + n1),
                                   1e-5, "layer " + std::to_string(l) + " block, padded batch");
        QCOMPARE(both.layers.size(), cos40.size());
        QCOMPARE(both.removalOrder.size(), cos40.size());
    }

    // With one token, the masked mean has one term, so d(l, 1) = arccos(cos(x_in, x_out)) / pi is
    // exactly arccos of the block cosine over pi.
    void angularDistanceMatchesBlockCosineForSpanOne() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/expected.json");
        auto loaded = openModel(sharedDir() / "fixtures/arch/llama", false);
        const auto expected =
            anatomist::test::readJson(sharedDir() / "fixtures/arch/llama/expected.json");
        const auto ids = expected.at("input_ids").get<std::vector<std::vector<TokenId>>>();
        SimilarityOptions o;
        o.angularMaxSpan = 1;
        const auto r = measureLayerSimilarity(*loaded.model, {{ids[0][0]}}, o, nullJobContext());
        QCOMPARE(r.tokens, int64_t{1});
        QCOMPARE(r.angular.size(), std::size_t{1});
        QCOMPARE(r.angular[0].distance.size(), r.layers.size());
        for (std::size_t l = 0; l < r.layers.size(); ++l)
            ANATOMIST_COMPARE_NEAR(r.angular[0].distance[l],
                                   std::acos(std::clamp(r.layers[l].block, -1.0, 1.0)) / M_PI, 1e-6,
                                   "layer " + std::to_string(l));
    }

    // Every span against a float64 recomputation from the residual streams captured by taps:
    // d(l, n) = mean over tokens of arccos(cos(x_in^l, x_in^(l+n))) / pi, x_in^L = last x_out.
    void angularDistanceEqualsRecomputationFromResidualStreams() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/expected.json");
        auto loaded = openModel(sharedDir() / "fixtures/arch/llama", false);
        const auto expected =
            anatomist::test::readJson(sharedDir() / "fixtures/arch/llama/expected.json");
        const auto ids = expected.at("input_ids").get<std::vector<std::vector<TokenId>>>();
        auto& model = *loaded.model;
        const int L = model.numLayers();
        SimilarityOptions o;
        o.angularMaxSpan = 3;
        const auto r = measureLayerSimilarity(model, {ids[0]}, o, nullJobContext());
        QCOMPARE(r.angular.size(), std::size_t{3});

        ResidualCapture capture(L);
        {
            torch::InferenceMode inference;
            ForwardOptions fo;
            fo.taps = &capture;
            fo.computeLogits = false;
            model.forward(torch::tensor(ids[0], torch::kInt64).unsqueeze(0), {}, fo);
        }
        for (int n = 1; n <= 3; ++n) {
            const auto& a = r.angular[static_cast<std::size_t>(n - 1)];
            QCOMPARE(a.span, n);
            QCOMPARE(a.distance.size(), static_cast<std::size_t>(L - n + 1));
            for (int l = 0; l + n <= L; ++l) {
                const auto x = capture.streams[static_cast<std::size_t>(l)];
                const auto y = capture.streams[static_cast<std::size_t>(l + n)];
                const auto cos = (x * y).sum(-1) / (x.norm(2, -1) * y.norm(2, -1));
                const double d = (cos.clamp(-1, 1).acos() / M_PI).mean().item<double>();
                ANATOMIST_COMPARE_NEAR(a.distance[static_cast<std::size_t>(l)], d, 1e-5,
                                       "span " + std::to_string(n) + " layer " + std::to_string(l));
            }
        }
    }

    // One batch (the GUI's built-in sample is one): progress advances layer by layer inside it
    // instead of sitting at 0 and jumping to 1.
    void progressAdvancesInsideABatch() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/expected.json");
        auto loaded = openModel(sharedDir() / "fixtures/arch/llama", false);
        const auto expected =
            anatomist::test::readJson(sharedDir() / "fixtures/arch/llama/expected.json");
        const auto ids = expected.at("input_ids").get<std::vector<std::vector<TokenId>>>();
        ProgressRecorder job;
        measureLayerSimilarity(*loaded.model, {ids[0]}, {}, job);
        const int L = loaded.model->numLayers();
        QVERIFY(L >= 2);
        std::vector<double> inside;
        for (double f : job.fractions)
            if (f > 0 && f < 1)
                inside.push_back(f);
        QCOMPARE(inside.size(), static_cast<std::size_t>(L - 1));
        for (int l = 0; l + 1 < L; ++l)
            ANATOMIST_COMPARE_NEAR(inside[static_cast<std::size_t>(l)], double(l + 1) / L, 1e-12,
                                   "after layer " + std::to_string(l));
        QVERIFY(std::is_sorted(job.fractions.begin(), job.fractions.end()));
        QCOMPARE(job.fractions.back(), 1.0);
    }

    void cancelStopsWithinASecond() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/expected.json");
        auto loaded = openModel(sharedDir() / "fixtures/arch/llama", false);
        std::vector<std::vector<TokenId>> docs(400, std::vector<TokenId>(120, 7));
        SimilarityOptions o;
        o.tokenBudget = 512; // many batches
        CancelAfterFirstBatch job;
        const auto start = std::chrono::steady_clock::now();
        QVERIFY_THROWS_EXCEPTION(Cancelled, measureLayerSimilarity(*loaded.model, docs, o, job));
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    }
};

QTEST_GUILESS_MAIN(TestLayerSimilarity)
#include "tst_layer_similarity.moc"
