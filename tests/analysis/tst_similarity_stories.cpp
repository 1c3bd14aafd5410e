// Layer similarity on stories260K reproduces ../shared/fixtures/stories260K/eval_*.json (float64
// reference) per layer for block, attention and MLP cosines to 1e-4; technical.txt exercises the
// windowing of documents longer than the context.
#include "analysis/layer_similarity.h"
#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QTest>
#include <cmath>

using namespace anatomist::core;
using anatomist::test::sharedDir;

class TestSimilarityStories : public QObject {
    Q_OBJECT
private slots:
    void storiesFixtures_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("stories_a") << "stories_a";
        QTest::newRow("technical") << "technical";
    }
    void storiesFixtures() {
        QFETCH(QString, text);
        const auto name = text.toStdString();
        ANATOMIST_REQUIRE_SHARED("fixtures/stories260K/eval_" + name + ".json");
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        const auto expected = anatomist::test::readJson(
            sharedDir() / ("fixtures/stories260K/eval_" + name + ".json"));
        LoadOptions options;
        auto loaded = loadModel(sharedDir() / "models/stories260K", options, nullJobContext());
        const auto docs = tokenizeDocuments(
            *loaded.tokenizer,
            splitDocuments(readTextFile(sharedDir() / ("data/" + name + ".txt"))));
        const auto r = measureLayerSimilarity(*loaded.model, docs, {}, nullJobContext());
        QCOMPARE(r.documents, expected.at("documents").get<int64_t>());
        QCOMPARE(r.tokens, expected.at("positions").get<int64_t>());
        double worst = 0;
        for (const auto& layer : expected.at("layers")) {
            const auto l = layer.at("index").get<std::size_t>();
            for (const char* part : {"block", "attention", "mlp"}) {
                const double got = part == std::string("block")       ? r.layers[l].block
                                   : part == std::string("attention") ? r.layers[l].attention
                                                                      : r.layers[l].mlp;
                worst = std::max(worst, std::abs(got - layer.at(part).get<double>()));
                ANATOMIST_COMPARE_NEAR(got, layer.at(part).get<double>(), 1e-4,
                                       name + " layer " + std::to_string(l) + " " + part);
            }
        }
        qInfo("%s: worst |delta| %.3g over %lld positions", name.c_str(), worst,
              static_cast<long long>(r.tokens));
    }
};

QTEST_GUILESS_MAIN(TestSimilarityStories)
#include "tst_similarity_stories.moc"
