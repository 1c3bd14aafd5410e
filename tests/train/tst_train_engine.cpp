// The training engine on a tiny Llama: loss goes down, accumulation equals a k× larger batch,
// clipping bounds the norm, the schedule follows its formula, frozen parameters stay untouched,
// checkpoints restore the exact state, cancellation stops the run.
#include "errors.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/causal_lm.h"
#include "test_support.h"
#include "train/adamw.h"
#include "train/lr_schedule.h"
#include "train/trainer.h"

#include <QObject>
#include <QTest>
#include <cmath>
#include <numbers>
#include <torch/torch.h>

using namespace anatomist;
using core::TokenId;

namespace {

std::shared_ptr<core::CausalLM> tinyModel(uint64_t seed = 3) {
    const nlohmann::json config = {
        {"model_type", "llama"},    {"vocab_size", 24},
        {"hidden_size", 32},        {"intermediate_size", 64},
        {"num_hidden_layers", 2},   {"num_attention_heads", 4},
        {"num_key_value_heads", 2}, {"max_position_embeddings", 64},
        {"rms_norm_eps", 1e-5},
    };
    const auto resolved = core::resolveConfig(config, "tiny test model");
    auto model = std::make_shared<core::CausalLM>(resolved.config, *resolved.spec,
                                                  torch::TensorOptions().dtype(torch::kFloat32));
    model->initializeWeights(seed, 0.05);
    return model;
}

// Learnable documents: arithmetic sequences modulo the vocabulary, of varying lengths.
std::vector<std::vector<TokenId>> patternDocuments(int count) {
    std::vector<std::vector<TokenId>> docs;
    for (int d = 0; d < count; ++d) {
        const int step = 1 + d % 3, length = 12 + (d * 7) % 20;
        std::vector<TokenId> doc;
        for (int i = 0; i < length; ++i)
            doc.push_back(TokenId((d + i * step) % 24));
        docs.push_back(doc);
    }
    return docs;
}

core::TrainOptions smallOptions() {
    core::TrainOptions o;
    o.steps = 30;
    o.batchSize = 4;
    o.seqLen = 16;
    o.lr = 1e-2;
    o.warmupSteps = 3;
    o.seed = 5;
    return o;
}

double maxAbsDiff(core::CausalLM& a, core::CausalLM& b, bool grads, std::string* where) {
    double worst = 0;
    const auto pa = a.named_parameters(true), pb = b.named_parameters(true);
    for (const auto& item : pa) {
        const auto& x = grads ? item.value().grad() : item.value();
        const auto& y = grads ? pb[item.key()].grad() : pb[item.key()];
        if (!x.defined() || !y.defined()) {
            if (x.defined() != y.defined()) {
                *where = item.key() + " (gradient defined in one only)";
                return INFINITY;
            }
            continue;
        }
        const double d = (x - y).abs().max().item<double>();
        if (d > worst) {
            worst = d;
            *where = item.key();
        }
    }
    return worst;
}

} // namespace

class TestTrainEngine : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { torch::set_num_threads(1); }

    void lossDecreases() {
        core::Trainer trainer(tinyModel(), smallOptions(), patternDocuments(40));
        std::vector<double> losses;
        for (int i = 0; i < 30; ++i)
            losses.push_back(trainer.step(core::nullJobContext()).loss);
        const double first = (losses[0] + losses[1]) / 2, last = (losses[28] + losses[29]) / 2;
        QVERIFY2(last < 0.6 * first,
                 qPrintable(QStringLiteral("loss %1 → %2").arg(first).arg(last)));
        QVERIFY(std::isfinite(last));
    }

    void accumulationEqualsLargerBatch() {
        const auto docs = patternDocuments(8);
        std::vector<std::vector<TokenId>> seqs(docs.begin(), docs.begin() + 6);
        auto a = tinyModel(), b = tinyModel();
        core::Trainer ta(a, smallOptions(), docs), tb(b, smallOptions(), docs);
        // k = 3 micro-batches of 2 sequences (each padded to its own length) vs one batch of 6.
        std::vector<core::TrainBatch> micro;
        for (int i = 0; i < 3; ++i)
            micro.push_back(core::TokenBatcher::makeBatch({seqs[2 * i], seqs[2 * i + 1]}));
        const double lossA = ta.accumulateGradients(micro, core::nullJobContext());
        const double lossB =
            tb.accumulateGradients({core::TokenBatcher::makeBatch(seqs)}, core::nullJobContext());
        ANATOMIST_COMPARE_NEAR(lossA, lossB, 1e-5, "loss");
        std::string where;
        const double gradDiff = maxAbsDiff(*a, *b, true, &where);
        ANATOMIST_COMPARE_NEAR(gradDiff, 0.0, 1e-5, "worst gradient difference at " + where);

        // Whole steps through the batcher: batch 2 × accumulation 3 equals batch 6.
        auto c = tinyModel(), d = tinyModel();
        auto oc = smallOptions(), od = smallOptions();
        oc.batchSize = 2;
        oc.gradAccum = 3;
        od.batchSize = 6;
        core::Trainer tc(c, oc, docs), td(d, od, docs);
        for (int i = 0; i < 4; ++i) {
            const auto sc = tc.step(core::nullJobContext()), sd = td.step(core::nullJobContext());
            ANATOMIST_COMPARE_NEAR(sc.loss, sd.loss, 1e-5, "loss at step " + std::to_string(i + 1));
            QCOMPARE(sc.tokens, sd.tokens);
        }
        const double paramDiff = maxAbsDiff(*c, *d, false, &where);
        ANATOMIST_COMPARE_NEAR(paramDiff, 0.0, 1e-5, "worst parameter difference at " + where);
    }

    void clippingBoundsTheNorm() {
        auto model = tinyModel();
        core::Trainer trainer(model, smallOptions(), patternDocuments(8));
        trainer.accumulateGradients({core::TokenBatcher::makeBatch(patternDocuments(4))},
                                    core::nullJobContext());
        const auto params = trainer.trainableParameters();
        const double before = core::clipGradientNorm(params, 0); // 0: measure only
        QVERIFY(before > 0.05);
        const double reported = core::clipGradientNorm(params, 0.05);
        ANATOMIST_COMPARE_NEAR(reported, before, 1e-9, "norm reported before clipping");
        const double after = core::clipGradientNorm(params, 0);
        QVERIFY2(after <= 0.05 + 1e-6,
                 qPrintable(QStringLiteral("norm after clipping %1").arg(after)));
        ANATOMIST_COMPARE_NEAR(after, 0.05, 1e-5, "clipped norm");
        // A norm below the bound is left alone.
        QCOMPARE(core::clipGradientNorm(params, 10.0), after);
        ANATOMIST_COMPARE_NEAR(core::clipGradientNorm(params, 0), after, 1e-12, "unclipped norm");
    }

    void scheduleFollowsFormula() {
        core::LrSchedule s;
        s.peak = 2e-3;
        s.warmupSteps = 10;
        s.totalSteps = 110;
        s.floorRatio = 0.05;
        const double floor = 0.05 * 2e-3;
        ANATOMIST_COMPARE_NEAR(core::learningRateAt(s, 0), 0.01 * 2e-3, 1e-15,
                               "first warm-up step");
        ANATOMIST_COMPARE_NEAR(core::learningRateAt(s, 5), 2e-3 * (0.01 + 0.99 * 0.5), 1e-15,
                               "mid warm-up");
        ANATOMIST_COMPARE_NEAR(core::learningRateAt(s, 10), 2e-3, 1e-15, "peak");
        // Cosine over steps 10..109 (span 99): step 59 is 49/99 of the way.
        ANATOMIST_COMPARE_NEAR(core::learningRateAt(s, 59),
                               floor + (2e-3 - floor) * 0.5 *
                                           (1 + std::cos(std::numbers::pi * 49.0 / 99.0)),
                               1e-15, "cosine at step 59");
        ANATOMIST_COMPARE_NEAR(core::learningRateAt(s, 109), floor, 1e-15,
                               "last step at the floor");
        ANATOMIST_COMPARE_NEAR(core::learningRateAt(s, 500), floor, 1e-15, "past the end");
        for (int64_t i = 10; i < 109; ++i)
            QVERIFY(core::learningRateAt(s, i + 1) <= core::learningRateAt(s, i));

        // The trainer reports the schedule's value for each step.
        auto o = smallOptions();
        o.steps = 6;
        o.warmupSteps = 2;
        core::Trainer trainer(tinyModel(), o, patternDocuments(8));
        for (int64_t i = 0; i < 6; ++i)
            ANATOMIST_COMPARE_NEAR(trainer.step(core::nullJobContext()).lr,
                                   core::learningRateAt(o.schedule(), i), 1e-15, "reported lr");
    }

    void adamwSkipsDecayOnNormsAndBiases() {
        auto model = tinyModel();
        std::vector<std::pair<std::string, torch::Tensor>> params;
        for (auto& item : model->named_parameters(true))
            params.emplace_back(item.key(), item.value());
        core::AdamW opt(params, {});
        for (std::size_t i = 0; i < opt.size(); ++i) {
            const bool norm = opt.name(i).find("norm") != std::string::npos;
            QCOMPARE(opt.decays(i), !norm);
        }
    }

    void frozenParametersGetNoGradient() {
        auto model = tinyModel();
        const auto before = model->named_parameters(true)["model.embed_tokens.weight"].clone();
        auto o = smallOptions();
        o.frozen = {"model.embed_tokens", "model.layers.0."};
        core::Trainer trainer(model, o, patternDocuments(8));
        for (int i = 0; i < 3; ++i)
            trainer.step(core::nullJobContext());
        for (auto& item : model->named_parameters(true)) {
            const bool frozen = item.key().rfind("model.embed_tokens", 0) == 0 ||
                                item.key().rfind("model.layers.0.", 0) == 0;
            QCOMPARE(item.value().requires_grad(), !frozen);
            if (frozen)
                QVERIFY2(!item.value().grad().defined(), item.key().c_str());
        }
        QVERIFY(torch::equal(model->named_parameters(true)["model.embed_tokens.weight"], before));
    }

    void checkpointRestoresTheRun() {
        anatomist::test::TempDir dir;
        const auto docs = patternDocuments(12);
        auto o = smallOptions();
        o.steps = 8;
        auto a = tinyModel();
        core::Trainer ta(a, o, docs);
        std::vector<double> lossesA;
        for (int i = 0; i < 8; ++i)
            lossesA.push_back(ta.step(core::nullJobContext()).loss);

        auto b = tinyModel();
        {
            core::Trainer first(b, o, docs);
            for (int i = 0; i < 3; ++i)
                first.step(core::nullJobContext());
            first.saveCheckpoint(dir / "state.safetensors", {{"note", "test"}});
        }
        auto c = tinyModel(99); // different initial weights: everything must come from the file
        core::Trainer resumed(c, o, docs);
        resumed.loadCheckpoint(dir / "state.safetensors");
        QCOMPARE(resumed.currentStep(), int64_t(3));
        for (int i = 3; i < 8; ++i)
            QCOMPARE(resumed.step(core::nullJobContext()).loss, lossesA[std::size_t(i)]);
        std::string where;
        QCOMPARE(maxAbsDiff(*a, *c, false, &where), 0.0);
        QCOMPARE(core::readTrainCheckpointMeta(dir / "state.safetensors")["extra"]["note"]
                     .get<std::string>(),
                 std::string("test"));
    }

    void eventsAndCancellation() {
        auto o = smallOptions();
        o.steps = 1000;
        core::Trainer trainer(tinyModel(), o, patternDocuments(8));
        std::vector<nlohmann::json> events;
        core::CallbackJobContext job({}, [&](const nlohmann::json& e) {
            events.push_back(e);
            if (events.size() == 3)
                job.cancel();
        });
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, trainer.run(job));
        QCOMPARE(events.size(), std::size_t(3));
        QCOMPARE(trainer.currentStep(), int64_t(3));
        for (const char* key : {"type", "step", "loss", "lr", "grad_norm", "tokens_per_second"})
            QVERIFY2(events[0].contains(key), key);
        QCOMPARE(events[0]["type"].get<std::string>(), std::string("train_step"));
        QCOMPARE(events[2]["step"].get<int>(), 3);
    }

    // A cancel that lands in the held-out evaluation after step 2 (here: from the step's own event)
    // still leaves a checkpoint of step 2, from which the run continues.
    void cancelDuringEvaluationKeepsCheckpoint() {
        anatomist::test::TempDir dir;
        auto o = smallOptions();
        o.steps = 6;
        o.evalEvery = 1;
        o.checkpointEvery = 5; // no regular checkpoint before the cancel
        core::Trainer trainer(tinyModel(), o, patternDocuments(20), patternDocuments(3));
        std::vector<nlohmann::json> events;
        core::CallbackJobContext job({}, [&](const nlohmann::json& e) {
            events.push_back(e);
            if (e["type"] == "train_step" && e["step"] == 2)
                job.cancel();
        });
        const auto file = dir / "state.safetensors";
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, trainer.run(job, file, {{"note", "eval"}}));
        QVERIFY(std::filesystem::exists(file));
        QCOMPARE(core::readTrainCheckpointMeta(file)["step"].get<int>(), 2);
        QCOMPARE(events.back()["type"].get<std::string>(), std::string("train_checkpoint"));
        QCOMPARE(events.back()["cancelled"].get<bool>(), true);
        QCOMPARE(events.back()["step"].get<int>(), 2);
        core::Trainer resumed(tinyModel(99), o, patternDocuments(20), patternDocuments(3));
        resumed.loadCheckpoint(file);
        QCOMPARE(resumed.currentStep(), int64_t(2));
    }

    void heldOutPerplexity() {
        auto o = smallOptions();
        o.steps = 4;
        o.evalEvery = 2;
        core::Trainer trainer(tinyModel(), o, patternDocuments(20), patternDocuments(3));
        std::vector<nlohmann::json> evals;
        core::CallbackJobContext job({}, [&](const nlohmann::json& e) {
            if (e["type"] == "train_eval")
                evals.push_back(e);
        });
        trainer.run(job);
        QCOMPARE(evals.size(), std::size_t(2));
        QVERIFY(evals[1]["perplexity"].get<double>() > 1.0);
        QVERIFY(evals[1]["perplexity"].get<double>() < 24.0 * 2);
    }
};

QTEST_GUILESS_MAIN(TestTrainEngine)
#include "tst_train_engine.moc"
