// A real trained model (stories260K) scored by the evaluation protocol of ../shared/README.md, its
// llama2.c original imported and compared, and batching/padding shown not to change results.

#include "errors.h"
#include "eval/perplexity.h"
#include "io/safetensors.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/llama2c_import.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QObject>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

core::PerplexityResult evalText(core::LoadedModel& loaded, const fs::path& text,
                                std::size_t maxDocuments = 0, int64_t tokenBudget = 8192) {
    auto documents = core::splitDocuments(core::readTextFile(text));
    if (maxDocuments && documents.size() > maxDocuments)
        documents.resize(maxDocuments);
    core::PerplexityOptions options;
    options.tokenBudget = tokenBudget;
    return core::evaluatePerplexity(*loaded.model,
                                    core::tokenizeDocuments(*loaded.tokenizer, documents), options,
                                    core::nullJobContext());
}

} // namespace

class TestStoriesEval : public QObject {
    Q_OBJECT

private slots:

    void reference_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<double>("perplexity");
        QTest::addColumn<qint64>("tokens");
        QTest::addColumn<qint64>("documents");
        // ../shared/README.md reference values.
        QTest::newRow("stories_a")
            << "stories_a.txt"
            << "eval_stories_a.json" << 6.46191 << qint64(29808) << qint64(120);
        QTest::newRow("technical (windowed)")
            << "technical.txt"
            << "eval_technical.json" << 83.6591 << qint64(43464) << qint64(80);
    }

    void reference() {
        QFETCH(QString, text);
        QFETCH(QString, fixture);
        QFETCH(double, perplexity);
        QFETCH(qint64, tokens);
        QFETCH(qint64, documents);
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        ANATOMIST_REQUIRE_SHARED("data/" + text.toStdString());
        auto loaded =
            core::loadModel(test::sharedDir() / "models/stories260K", {}, core::nullJobContext());
        const auto result = evalText(loaded, test::sharedDir() / "data" / text.toStdString());
        QCOMPARE(result.tokens_scored, int64_t(tokens));
        QCOMPARE(result.documents, int64_t(documents));
        ANATOMIST_COMPARE_NEAR(result.perplexity, perplexity, perplexity * 5e-4,
                               "perplexity (±0.05 %)");
        const fs::path fixtureFile =
            test::sharedDir() / "fixtures/stories260K" / fixture.toStdString();
        if (fs::exists(fixtureFile)) {
            const auto expected = test::readJson(fixtureFile);
            for (const char* key : {"nll", "mean_nll"})
                if (expected.contains(key) && expected[key].is_number())
                    ANATOMIST_COMPARE_NEAR(result.nll, expected[key].get<double>(), 1e-5, key);
        }
    }

    // Small batches (more padding, other window groupings) give the same numbers as large ones.
    void batchingDoesNotChangeResults() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        auto loaded =
            core::loadModel(test::sharedDir() / "models/stories260K", {}, core::nullJobContext());
        const auto text = test::sharedDir() / "data/technical.txt";
        const auto big = evalText(loaded, text, 12, 16384);
        const auto small = evalText(loaded, text, 12, 600);
        QCOMPARE(small.tokens_scored, big.tokens_scored);
        QVERIFY(small.windows > 12); // these documents exceed the 512-token context
        ANATOMIST_COMPARE_NEAR(small.nll, big.nll, 1e-5, "NLL with small vs large batches");
    }

    // llama2.c v0 → Hugging Face folder: the same tensors as the shipped conversion, the same
    // scores.
    void llama2cImport() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K-llama2c/stories260K.bin");
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        const fs::path source = test::sharedDir() / "models/stories260K-llama2c";
        test::TempDir out;
        core::importLlama2c(source / "stories260K.bin", source / "tok512.model", out.path(),
                            core::nullJobContext());

        const auto mine = core::SafetensorsCheckpoint::open(out.path());
        const auto shipped =
            core::SafetensorsCheckpoint::open(test::sharedDir() / "models/stories260K");
        QCOMPARE(mine.names(), shipped.names());
        for (const auto& name : shipped.names())
            QVERIFY2(torch::equal(mine.load(name), shipped.load(name)), name.c_str());

        auto imported = core::loadModel(out.path(), {}, core::nullJobContext());
        auto reference =
            core::loadModel(test::sharedDir() / "models/stories260K", {}, core::nullJobContext());
        QCOMPARE(imported.config.hidden_size, reference.config.hidden_size);
        QCOMPARE(imported.config.num_key_value_heads, reference.config.num_key_value_heads);
        QCOMPARE(imported.config.tie_word_embeddings, reference.config.tie_word_embeddings);
        const auto text = test::sharedDir() / "data/stories_a.txt";
        const auto a = evalText(imported, text, 30);
        const auto b = evalText(reference, text, 30);
        QCOMPARE(a.tokens_scored, b.tokens_scored);
        QCOMPARE(a.nll, b.nll);
    }

    void llama2cTruncatedIsRefused() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K-llama2c/stories260K.bin");
        test::TempDir dir;
        const std::string bytes =
            test::readBytes(test::sharedDir() / "models/stories260K-llama2c/stories260K.bin");
        test::writeBytes(dir / "cut.bin", bytes.substr(0, bytes.size() / 2));
        try {
            core::importLlama2c(dir / "cut.bin",
                                test::sharedDir() / "models/stories260K-llama2c/tok512.model",
                                dir / "out", core::nullJobContext());
            QFAIL("a truncated checkpoint was imported");
        } catch (const core::Error& e) {
            QVERIFY2(std::string(e.what()).find("truncated") != std::string::npos, e.what());
        }
        QVERIFY(!fs::exists(dir / "out" / "model.safetensors"));
    }
};

QTEST_GUILESS_MAIN(TestStoriesEval)
#include "tst_stories_eval.moc"
