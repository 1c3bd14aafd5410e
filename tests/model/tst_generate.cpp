// Generation with the KV cache equals recomputing the whole sequence every step, and padded
// batches equal unpadded single sequences (padding mask and position ids).

#include "job.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "model/kv_cache.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QObject>

using namespace anatomist;

class TestGenerate : public QObject {
    Q_OBJECT

private slots:

    void cachedGreedyEqualsFullRecompute_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("stories260K") << "models/stories260K";
        for (const auto& v : test::architectureFixtures())
            QTest::newRow(v.c_str()) << QString("fixtures/arch/%1").arg(QString::fromStdString(v));
    }

    void cachedGreedyEqualsFullRecompute() {
        QFETCH(QString, model);
        ANATOMIST_REQUIRE_SHARED(model.toStdString() + "/config.json");
        auto loaded =
            core::loadModel(test::sharedDir() / model.toStdString(), {}, core::nullJobContext());
        const std::vector<core::TokenId> prompt = {1, 17, 42, 99, 7};
        core::GenerateOptions options;
        options.maxNewTokens = 20; // crosses the sliding windows of mistral (16) and gemma3 (5)
        const auto result = core::generate(*loaded.model, prompt, options, core::nullJobContext());
        QCOMPARE(int(result.newIds.size()), 20);

        torch::InferenceMode inference;
        std::vector<int64_t> sequence(prompt.begin(), prompt.end());
        for (int step = 0; step < 20; ++step) {
            auto ids = torch::tensor(sequence, torch::kInt64).view({1, -1});
            auto logits = loaded.model->forward(ids).logits[0][-1];
            const auto expected = logits.argmax().item<int64_t>();
            QCOMPARE(int64_t(result.newIds[std::size_t(step)]), expected);
            sequence.push_back(expected);
        }
    }

    void samplingIsSeeded() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/config.json");
        auto loaded =
            core::loadModel(test::sharedDir() / "models/stories260K", {}, core::nullJobContext());
        core::GenerateOptions options;
        options.greedy = false;
        options.temperature = 1.0;
        options.maxNewTokens = 30;
        options.seed = 7;
        const std::vector<core::TokenId> prompt = {1, 400};
        const auto a = core::generate(*loaded.model, prompt, options, core::nullJobContext());
        const auto b = core::generate(*loaded.model, prompt, options, core::nullJobContext());
        QCOMPARE(a.newIds, b.newIds);
        options.seed = 8;
        const auto c = core::generate(*loaded.model, prompt, options, core::nullJobContext());
        QVERIFY(a.newIds != c.newIds);
    }

    // Left- and right-padded rows in one batch give the logits of each sequence run alone.
    void paddedBatchEqualsSingleSequences() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/qwen3/config.json");
        auto loaded =
            core::loadModel(test::sharedDir() / "fixtures/arch/qwen3", {}, core::nullJobContext());
        torch::InferenceMode inference;
        auto longer = torch::tensor({5, 9, 11, 200, 3, 77, 12, 8}, torch::kInt64);
        auto shorter = torch::tensor({42, 17, 6, 250, 31}, torch::kInt64);
        auto aloneLong = loaded.model->forward(longer.view({1, -1})).logits[0];
        auto aloneShort = loaded.model->forward(shorter.view({1, -1})).logits[0];

        auto pad = torch::zeros({3}, torch::kInt64);
        auto ids = torch::stack({longer, torch::cat({pad, shorter})}); // left padding
        auto mask = torch::stack(
            {torch::ones({8}, torch::kInt64),
             torch::cat({torch::zeros({3}, torch::kInt64), torch::ones({5}, torch::kInt64)})});
        auto batch = loaded.model->forward(ids, mask).logits;
        ANATOMIST_COMPARE_NEAR((batch[0] - aloneLong).abs().max().item<double>(), 0.0, 1e-5,
                               "long row");
        ANATOMIST_COMPARE_NEAR((batch[1].narrow(0, 3, 5) - aloneShort).abs().max().item<double>(),
                               0.0, 1e-5, "left-padded row");

        auto idsRight = torch::stack({longer, torch::cat({shorter, pad})}); // right padding
        auto maskRight = torch::stack(
            {torch::ones({8}, torch::kInt64),
             torch::cat({torch::ones({5}, torch::kInt64), torch::zeros({3}, torch::kInt64)})});
        auto batchRight = loaded.model->forward(idsRight, maskRight).logits;
        ANATOMIST_COMPARE_NEAR(
            (batchRight[1].narrow(0, 0, 5) - aloneShort).abs().max().item<double>(), 0.0, 1e-5,
            "right-padded row");
    }
};

QTEST_GUILESS_MAIN(TestGenerate)
#include "tst_generate.moc"
