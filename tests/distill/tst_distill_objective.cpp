// The distillation objective and its trainer plumbing on tiny in-memory Llamas: an identical
// student has zero KL / hidden / trajectory terms and the CE of the plain objective, padding
// changes nothing, the total is the weighted sum of its terms, bad pairs are refused before any
// step, a distillation run lowers the KL and reports named terms, pause holds a run between steps,
// models loaded under InferenceMode are refused by the trainer while loadModelForTraining and
// trainableCopy give trainable ones, and the rotary tables serve concurrent forwards.
#include "distill/distill_objective.h"
#include "distill_test_models.h"
#include "errors.h"
#include "job.h"
#include "model/model_loader.h"
#include "model/model_saver.h"
#include "test_support.h"
#include "train/trainable_model.h"
#include "train/trainer.h"

#include <QObject>
#include <QTest>
#include <thread>
#include <torch/torch.h>

using namespace anatomist;
using core::TokenId;

namespace {

core::TrainBatch paddedBatch() {
    return core::TokenBatcher::makeBatch(
        {{1, 5, 9, 2, 7, 7, 3, 11, 4}, {3, 8, 1, 6}, {12, 2, 5, 9, 1, 20}});
}

std::map<std::string, double> termValues(const core::ObjectiveTerms& t) {
    std::map<std::string, double> out;
    for (const auto& [name, value] : t.terms)
        out[name] = value.item<double>();
    return out;
}

core::DistillOptions allTerms(std::vector<int> map) {
    core::DistillOptions o;
    o.alpha = 0.3;
    o.beta = 0.5;
    o.gamma = 0.7;
    o.delta = 0.2;
    o.layerMap = std::move(map);
    return o;
}

} // namespace

class TestDistillObjective : public QObject {
    Q_OBJECT

private slots:
    void identicalStudentHasNothingToLearn() {
        auto teacher = test::tinyLlama(3, 1, torch::kFloat64);
        auto student = core::trainableCopy(*teacher);
        core::DistillObjective objective(teacher, *student, allTerms({0, 1, 2}));
        const auto batch = paddedBatch();
        const auto terms = termValues(objective.compute(*student, batch));
        ANATOMIST_COMPARE_NEAR(terms.at("kl"), 0.0, 1e-10, "kl");
        ANATOMIST_COMPARE_NEAR(terms.at("hidden"), 0.0, 1e-10, "hidden");
        ANATOMIST_COMPARE_NEAR(terms.at("trajectory"), 0.0, 1e-10, "trajectory");
        core::CrossEntropyObjective ce;
        ANATOMIST_COMPARE_NEAR(terms.at("ce"), ce.compute(*student, batch).total.item<double>(),
                               1e-10, "ce equals the plain objective's");
    }

    void paddingChangesNothingAndTotalIsWeightedSum() {
        auto teacher = test::tinyLlama(3, 2, torch::kFloat64);
        auto student = test::withoutLayer(*teacher, 1);
        const auto options = allTerms({0, 2});
        core::DistillObjective objective(teacher, *student, options);
        const auto batch = paddedBatch();
        auto garbage = batch;
        garbage.ids = batch.ids.clone();
        garbage.targets = batch.targets.clone();
        const auto padding = batch.attention.logical_not();
        garbage.ids.index_put_(
            {padding}, torch::randint(0, 24, {padding.sum().item<int64_t>()}, torch::kInt64));
        garbage.targets.index_put_({batch.targetMask.logical_not()}, 17);
        const auto a = objective.compute(*student, batch), b = objective.compute(*student, garbage);
        const auto ta = termValues(a), tb = termValues(b);
        for (const auto& [name, value] : ta)
            ANATOMIST_COMPARE_NEAR(tb.at(name), value, 1e-10, name + " with other padding");
        QVERIFY(ta.at("kl") > 1e-4 && ta.at("hidden") > 1e-4 && ta.at("trajectory") > 1e-4);
        const double weighted = options.alpha * ta.at("ce") + options.beta * ta.at("kl") +
                                options.gamma * ta.at("hidden") +
                                options.delta * ta.at("trajectory");
        ANATOMIST_COMPARE_NEAR(a.total.item<double>(), weighted, 1e-9, "total");
        // Only the requested terms are reported.
        core::DistillOptions plain;
        core::DistillObjective klOnly(teacher, *student, plain);
        QCOMPARE(termValues(klOnly.compute(*student, batch)).size(), std::size_t(2));
    }

    void badPairsAreRefused() {
        auto teacher = test::tinyLlama(3, 1, torch::kFloat32);
        auto otherVocab = test::tinyLlama(2, 1, torch::kFloat32, 20);
        QVERIFY_THROWS_EXCEPTION(
            core::InvalidArgument,
            core::DistillObjective(teacher, *otherVocab, core::DistillOptions{}));
        auto student = test::withoutLayer(*teacher, 0);
        core::DistillOptions hidden;
        hidden.gamma = 1;
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::DistillObjective(teacher, *student, hidden));
        hidden.layerMap = {0, 3};
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::DistillObjective(teacher, *student, hidden));
        auto wider = test::tinyLlama(2, 1, torch::kFloat32, 24, 64);
        hidden.layerMap = {1, 2};
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::DistillObjective(teacher, *wider, hidden));
        core::DistillObjective ok(teacher, *student, hidden); // a valid map passes
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::distillOptionsFromJson({{"kl", "sideways"}}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::distillOptionsFromJson({{"alpha", 0}, {"beta", 0}}));
    }

    void distillationRunLowersKlAndReportsTerms() {
        auto teacher = test::tinyLlama(3, 4, torch::kFloat32);
        auto student = test::withoutLayer(*teacher, 1);
        core::TrainOptions options;
        options.steps = 25;
        options.batchSize = 4;
        options.seqLen = 16;
        options.lr = 5e-3;
        options.warmupSteps = 2;
        core::Trainer trainer(student, options, test::patternDocuments(20));
        auto objective = allTerms({0, 2});
        objective.alpha = 0; // the teacher is random: CE on the data would pull away from it
        objective.beta = 1;
        trainer.setObjective(
            std::make_shared<core::DistillObjective>(teacher, *student, objective));
        std::vector<nlohmann::json> steps;
        core::CallbackJobContext job({}, [&](const nlohmann::json& e) {
            if (e["type"] == "train_step")
                steps.push_back(e);
        });
        trainer.run(job);
        QCOMPARE(steps.size(), std::size_t(25));
        for (const char* key : {"ce", "kl", "hidden", "trajectory"})
            QVERIFY2(steps.front()["terms"].contains(key), key);
        QVERIFY(steps.front().contains("elapsed") && steps.front().contains("lr") &&
                steps.front().contains("grad_norm") && steps.front().contains("tokens_per_second"));
        double first = 0, last = 0;
        for (int i = 0; i < 3; ++i) {
            first += steps[std::size_t(i)]["terms"]["kl"].get<double>();
            last += steps[steps.size() - 1 - std::size_t(i)]["terms"]["kl"].get<double>();
        }
        QVERIFY2(last < 0.7 * first, qPrintable(QStringLiteral("kl %1 → %2").arg(first).arg(last)));
    }

    void checkpointOfAnotherObjectiveIsRefused() {
        test::TempDir dir;
        auto teacher = test::tinyLlama(2, 4, torch::kFloat32);
        auto student = core::trainableCopy(*teacher);
        core::TrainOptions options;
        options.steps = 2;
        options.batchSize = 2;
        options.seqLen = 8;
        core::Trainer plain(student, options, test::patternDocuments(4));
        plain.saveCheckpoint(dir / "ce.safetensors");
        core::Trainer distill(student, options, test::patternDocuments(4));
        distill.setObjective(
            std::make_shared<core::DistillObjective>(teacher, *student, core::DistillOptions{}));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 distill.loadCheckpoint(dir / "ce.safetensors"));
    }

    void pauseHoldsTheRunBetweenSteps() {
        auto model = test::tinyLlama(1, 4, torch::kFloat32);
        core::TrainOptions options;
        options.steps = 3;
        options.batchSize = 2;
        options.seqLen = 8;
        core::Trainer trainer(model, options, test::patternDocuments(4));
        std::atomic<bool> pause{true};
        trainer.setPauseFlag(&pause);
        std::atomic<int> steps{0}, paused{0};
        core::CallbackJobContext job({}, [&](const nlohmann::json& e) {
            steps += e["type"] == "train_step";
            paused += e["type"] == "train_paused";
        });
        std::thread runner([&] { trainer.run(job); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QCOMPARE(steps.load(), 0);
        QCOMPARE(paused.load(), 1);
        pause = false;
        runner.join();
        QCOMPARE(steps.load(), 3);
        // Cancelling a paused run stops it.
        core::Trainer second(model, options, test::patternDocuments(4));
        pause = true;
        second.setPauseFlag(&pause);
        core::CallbackJobContext cancelled;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            cancelled.cancel();
        });
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, second.run(cancelled));
        canceller.join();
        QCOMPARE(second.currentStep(), int64_t(0));
    }

    void modelsLoadedUnderInferenceModeAreMadeTrainable() {
        test::TempDir dir;
        auto source = test::tinyLlama(2, 6, torch::kFloat32);
        core::saveModel(*source, dir / "model", {}, core::nullJobContext());
        core::TrainOptions options;
        options.steps = 1;
        options.batchSize = 2;
        options.seqLen = 8;
        std::shared_ptr<core::CausalLM> inference, forTraining;
        {
            c10::InferenceMode guard;
            inference = core::loadModel(dir / "model", {}, core::nullJobContext()).model;
            forTraining =
                core::loadModelForTraining(dir / "model", {}, core::nullJobContext()).model;
        }
        QVERIFY(inference->embedding().weight.is_inference());
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::Trainer(inference, options, test::patternDocuments(4)));

        for (auto model : {forTraining, core::trainableCopy(*inference)}) {
            QVERIFY(!model->embedding().weight.is_inference());
            const auto before = model->embedding().weight.clone();
            core::Trainer trainer(model, options, test::patternDocuments(4));
            trainer.run(core::nullJobContext());
            QVERIFY(!torch::equal(before, model->embedding().weight));
        }
        // The copy trained; the shared source did not change.
        QVERIFY(torch::equal(inference->embedding().weight, source->embedding().weight));
    }

    void rotaryTablesServeConcurrentForwards() {
        auto model = test::tinyLlama(2, 7, torch::kFloat32);
        std::vector<torch::Tensor> ids;
        for (int i = 0; i < 4; ++i)
            ids.push_back(torch::randint(0, 24, {1, 8 + 14 * i}, torch::kInt64));
        std::vector<torch::Tensor> serial(ids.size()), parallel(ids.size());
        {
            auto fresh = test::tinyLlama(2, 7, torch::kFloat32); // tables grow from empty in both
            torch::NoGradGuard noGrad;
            for (std::size_t i = 0; i < ids.size(); ++i)
                serial[i] = fresh->forward(ids[i]).logits;
        }
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < ids.size(); ++i)
            threads.emplace_back([&, i] {
                torch::NoGradGuard noGrad;
                for (int repeat = 0; repeat < 5; ++repeat)
                    parallel[i] = model->forward(ids[i]).logits;
            });
        for (auto& t : threads)
            t.join();
        for (std::size_t i = 0; i < ids.size(); ++i)
            QVERIFY(torch::allclose(serial[i], parallel[i], 1e-6, 1e-6));
    }
};

QTEST_GUILESS_MAIN(TestDistillObjective)
#include "tst_distill_objective.moc"
