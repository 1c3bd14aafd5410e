// Layer similarity against independent float64 references: the per-block cosines of the tiny
// architecture fixtures (token ids, padded batches). The stories260K fixtures (windowed, tokenizer)
// are in tst_similarity_stories.cpp (slow).
#include "analysis/layer_similarity.h"
#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "errors.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QTest>

#include <chrono>
#include <cmath>

using namespace anatomist::core;
using anatomist::test::sharedDir;

namespace {

LoadedModel openModel(const std::filesystem::path& folder, bool tokenizer) {
    LoadOptions options;
    options.loadTokenizer = tokenizer;
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

} // namespace

class TestLayerSimilarity : public QObject {
    Q_OBJECT
private slots:
    void archFixtureBlockCosines_data() {
        QTest::addColumn<QString>("variant");
        for (const char* v : {"llama", "mistral", "qwen2", "qwen3", "gemma3", "gpt2"})
            QTest::newRow(v) << QString(v);
    }
    void archFixtureBlockCosines() {
        QFETCH(QString, variant);
        const auto rel = "fixtures/arch/" + variant.toStdString();
        ANATOMIST_REQUIRE_SHARED(rel + "/expected.json");
        const auto expected = anatomist::test::readJson(sharedDir() / rel / "expected.json");
        auto loaded = openModel(sharedDir() / rel, false);
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

    void angularDistanceMatchesBlockCosineForSpanOne() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/expected.json");
        auto loaded = openModel(sharedDir() / "fixtures/arch/llama", false);
        const auto expected = anatomist::test::readJson(sharedDir() / "fixtures/arch/llama/expected.json");
        const auto ids = expected.at("input_ids").get<std::vector<std::vector<TokenId>>>();
        SimilarityOptions o;
        o.angularMaxSpan = 3;
        const auto r = measureLayerSimilarity(*loaded.model, {ids[0]}, o, nullJobContext());
        QCOMPARE(r.angular.size(), std::size_t{3});
        QCOMPARE(r.angular[0].distance.size(), std::size_t{3});
        QCOMPARE(r.angular[2].distance.size(), std::size_t{1});
        // d(l, 1) >= arccos(mean cos)/pi is not an identity, but it must lie in [0, 1] and the
        // distance over more blocks is larger here (a random model drifts monotonically).
        for (const auto& a : r.angular)
            for (double d : a.distance)
                QVERIFY(d >= 0 && d <= 1);
        QVERIFY(r.angular[2].distance[0] > r.angular[0].distance[0]);
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
