// The teacher-logit cache of distillation (core/distill/teacher_cache.h): the top-k KL against a
// reference written here with plain loops (K + 1 buckets), the cache's rows against the teacher's
// own logits, a run from a full-vocabulary cache equal to the on-the-fly run, a resumed cached run
// on the same curve, and caches that are truncated, damaged or made for another teacher, data or k
// refused with the file's name.
#include "distill/distill_objective.h"
#include "distill/teacher_cache.h"
#include "distill_test_models.h"
#include "errors.h"
#include "job.h"
#include "test_support.h"
#include "train/trainer.h"

#include <QObject>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <torch/torch.h>

using namespace anatomist;
using core::TokenId;
namespace fs = std::filesystem;

namespace {

double logSumExp(const std::vector<double>& x) {
    const double m = *std::max_element(x.begin(), x.end());
    double s = 0;
    for (double v : x)
        s += std::exp(v - m);
    return m + std::log(s);
}

// KL between the K + 1 bucket distributions, from plain doubles: the documented approximation.
double bucketKl(const std::vector<double>& s, const std::vector<double>& t, int k, double T,
                bool reverse) {
    const int V = int(s.size());
    std::vector<int> order(static_cast<std::size_t>(V));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return t[a] > t[b]; });
    std::vector<double> sT(s.size()), tT(t.size());
    for (int v = 0; v < V; ++v) {
        sT[std::size_t(v)] = s[std::size_t(v)] / T;
        tT[std::size_t(v)] = t[std::size_t(v)] / T;
    }
    const double zs = logSumExp(sT), zt = logSumExp(tT);
    std::vector<double> p, q; // teacher, student buckets
    double pTail = 1, qTail = 1;
    for (int i = 0; i < k; ++i) {
        const int v = order[std::size_t(i)];
        p.push_back(std::exp(tT[std::size_t(v)] - zt));
        q.push_back(std::exp(sT[std::size_t(v)] - zs));
        pTail -= p.back();
        qTail -= q.back();
    }
    if (k < V) {
        p.push_back(pTail);
        q.push_back(qTail);
    }
    double kl = 0;
    for (std::size_t i = 0; i < p.size(); ++i)
        kl += reverse ? q[i] * std::log(q[i] / p[i]) : p[i] * std::log(p[i] / q[i]);
    return T * T * kl;
}

core::TrainOptions smallRun(int64_t steps) {
    core::TrainOptions options;
    options.steps = steps;
    options.batchSize = 3;
    options.seqLen = 10;
    options.lr = 5e-3;
    options.warmupSteps = 1;
    options.gradAccum = 2;
    return options;
}

std::shared_ptr<core::TeacherLogitCache> cacheFor(const fs::path& dir, core::CausalLM& teacher,
                                                  const std::vector<std::vector<TokenId>>& docs,
                                                  int64_t k, double temperature = 2.0,
                                                  bool* built = nullptr) {
    const auto options = smallRun(1);
    const core::TokenBatcher windows(docs, options.seqLen, options.seed);
    return core::TeacherLogitCache::openOrBuild(dir, teacher, windows.windows(), options.seqLen, k,
                                                temperature, core::nullJobContext(), built);
}

template <typename E> std::string messageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

class TestTeacherCache : public QObject {
    Q_OBJECT

private slots:
    void topKKlEqualsTheBucketReference() {
        const std::vector<std::vector<double>> s = {{0.3, -1.2, 2.0, 0.7, -0.4, 1.1},
                                                    {-0.5, 0.9, 0.1, -2.2, 1.6, 0.0}};
        const std::vector<std::vector<double>> t = {{1.5, -0.3, 0.4, 2.2, -1.0, 0.8},
                                                    {0.2, 2.4, -0.7, 0.5, 1.1, -1.9}};
        const double T = 2.0;
        const auto S = torch::tensor({s[0][0], s[0][1], s[0][2], s[0][3], s[0][4], s[0][5], s[1][0],
                                      s[1][1], s[1][2], s[1][3], s[1][4], s[1][5]},
                                     torch::kFloat64)
                           .view({2, 6});
        const auto Tl = torch::tensor({t[0][0], t[0][1], t[0][2], t[0][3], t[0][4], t[0][5],
                                       t[1][0], t[1][1], t[1][2], t[1][3], t[1][4], t[1][5]},
                                      torch::kFloat64)
                            .view({2, 6});
        for (const int k : {1, 2, 4, 6}) {
            // The cache's record, built here from its definition.
            const auto [values, indices] = Tl.topk(k, -1);
            const auto logNorm = (Tl / T).logsumexp(-1);
            auto logTail =
                torch::full({2}, -std::numeric_limits<double>::infinity(), torch::kFloat64);
            if (k < 6)
                for (int r = 0; r < 2; ++r) {
                    double tail = 0;
                    for (int v = 0; v < 6; ++v)
                        if (!(indices[r] == v).any().item<bool>())
                            tail += std::exp(t[std::size_t(r)][std::size_t(v)] / T);
                    logTail[r] = std::log(tail) - logNorm[r].item<double>();
                }
            const core::TeacherTopK top{values, indices, logNorm, logTail};
            for (const bool reverse : {false, true}) {
                const double expected =
                    bucketKl(s[0], t[0], k, T, reverse) + bucketKl(s[1], t[1], k, T, reverse);
                const auto kind = reverse ? core::KlKind::Reverse : core::KlKind::Forward;
                const double got = core::distillKlSumTopK(S, top, kind, T).item<double>();
                ANATOMIST_COMPARE_NEAR(got, expected, 1e-12,
                                       "k " + std::to_string(k) + (reverse ? " reverse" : ""));
                if (k == 6) // every token kept: the exact KL
                    ANATOMIST_COMPARE_NEAR(got,
                                           core::distillKlSum(S, Tl, {}, kind, T).item<double>(),
                                           1e-12, "k = V is the full KL");
            }
        }
    }

    void cacheRowsAreTheTeachersTopK() {
        test::TempDir dir;
        auto teacher = test::tinyLlama(2, 3, torch::kFloat32);
        const auto docs = test::patternDocuments(6);
        bool built = false;
        const auto cache = cacheFor(dir.path(), *teacher, docs, 5, 2.0, &built);
        QVERIFY(built);
        QCOMPARE(cache->file(), dir / core::TeacherLogitCache::kFileName);
        QCOMPARE(cache->topK(), int64_t(5));
        // A batch from the data stream, in the trainer's order.
        core::TokenBatcher batcher(docs, 10, 0);
        batcher.next(2);
        const auto batch = batcher.next(4);
        const auto top = cache->lookup(batch);
        torch::NoGradGuard noGrad;
        const auto logits =
            teacher->forward(batch.ids, batch.attention).logits.index({batch.targetMask}); // [N, V]
        const auto N = batch.targetCount;
        QCOMPARE(top.values.sizes().vec(), (std::vector<int64_t>{N, 5}));
        QVERIFY(torch::allclose(top.values, logits.gather(-1, top.indices), 1e-5, 1e-5));
        QVERIFY(torch::allclose(top.values, std::get<0>(logits.topk(5, -1)), 1e-5, 1e-5));
        const auto scaled = logits.to(torch::kFloat64) / 2.0;
        QVERIFY(torch::allclose(top.logNorm.to(torch::kFloat64), scaled.logsumexp(-1), 1e-5, 1e-5));
        const auto kept = scaled.gather(-1, top.indices.to(torch::kInt64)).logsumexp(-1);
        const auto tail = (1 - (kept - scaled.logsumexp(-1)).exp()).log();
        QVERIFY(torch::allclose(top.logTail.to(torch::kFloat64), tail, 1e-4, 1e-4));
        // Opened again: reused, not rebuilt.
        cacheFor(dir.path(), *teacher, docs, 5, 2.0, &built);
        QVERIFY(!built);
    }

    void fullVocabularyCacheRunEqualsOnTheFly() {
        test::TempDir dir;
        auto teacher = test::tinyLlama(3, 5, torch::kFloat64);
        const auto docs = test::patternDocuments(10);
        std::vector<core::StepStats> runs[2];
        for (int cached = 0; cached < 2; ++cached) {
            auto student = test::withoutLayer(*teacher, 1);
            core::Trainer trainer(student, smallRun(6), docs);
            auto objective =
                std::make_shared<core::DistillObjective>(teacher, *student, core::DistillOptions{});
            if (cached)
                objective->setTeacherCache(cacheFor(dir.path(), *teacher, docs, 24));
            trainer.setObjective(objective);
            for (int i = 0; i < 6; ++i)
                runs[cached].push_back(trainer.step(core::nullJobContext()));
            if (cached) // k = V is the exact objective: no key that would refuse its checkpoints
                QVERIFY(!objective->describe().contains("teacher_top_k"));
        }
        for (std::size_t i = 0; i < 6; ++i) {
            ANATOMIST_COMPARE_NEAR(runs[1][i].loss, runs[0][i].loss, 1e-6,
                                   "loss at step " + std::to_string(i + 1));
            for (std::size_t j = 0; j < runs[0][i].terms.size(); ++j)
                ANATOMIST_COMPARE_NEAR(runs[1][i].terms[j].second, runs[0][i].terms[j].second, 1e-6,
                                       runs[0][i].terms[j].first);
        }
    }

    void resumedCachedRunContinuesTheCurve() {
        test::TempDir dir;
        auto teacher = test::tinyLlama(3, 6, torch::kFloat32);
        const auto docs = test::patternDocuments(10);
        const auto makeTrainer = [&](std::shared_ptr<core::CausalLM> student) {
            auto trainer = std::make_unique<core::Trainer>(student, smallRun(6), docs);
            auto objective =
                std::make_shared<core::DistillObjective>(teacher, *student, core::DistillOptions{});
            objective->setTeacherCache(cacheFor(dir / "cache", *teacher, docs, 4));
            trainer->setObjective(objective);
            return trainer;
        };
        auto whole = makeTrainer(test::withoutLayer(*teacher, 2));
        QCOMPARE(whole->objective().describe()["teacher_top_k"].get<int>(), 4);
        std::vector<double> losses;
        for (int i = 0; i < 6; ++i) {
            if (i == 3)
                whole->saveCheckpoint(dir / "state.safetensors");
            losses.push_back(whole->step(core::nullJobContext()).loss);
        }
        QVERIFY(std::isfinite(losses.back()) && losses.back() > 0);
        auto resumed = makeTrainer(test::withoutLayer(*teacher, 2));
        resumed->loadCheckpoint(dir / "state.safetensors");
        for (std::size_t i = 3; i < 6; ++i)
            ANATOMIST_COMPARE_NEAR(resumed->step(core::nullJobContext()).loss, losses[i], 1e-6,
                                   "resumed step " + std::to_string(i + 1));
    }

    void damagedOrForeignCachesAreRefusedNamingTheFile() {
        test::TempDir dir;
        auto teacher = test::tinyLlama(2, 7, torch::kFloat32);
        const auto docs = test::patternDocuments(6);
        cacheFor(dir.path(), *teacher, docs, 4);
        const auto file = dir / core::TeacherLogitCache::kFileName;
        const auto good = test::readBytes(file);
        const auto expectFormatError = [&](const std::string& bytes, const std::string& phrase) {
            test::writeBytes(file, bytes);
            const auto message =
                messageOf<core::FormatError>([&] { cacheFor(dir.path(), *teacher, docs, 4); });
            QVERIFY2(message.find(file.string()) != std::string::npos &&
                         message.find(phrase) != std::string::npos,
                     message.c_str());
        };
        expectFormatError(good.substr(0, good.size() - 100), "truncated");
        expectFormatError(good.substr(0, 10), "no cache header");
        auto flipped = good;
        flipped[good.size() / 2] = char(flipped[good.size() / 2] ^ 0x40);
        expectFormatError(flipped, "checksum");
        test::writeBytes(file, good);

        const auto expectRefused = [&](const std::function<void()>& open,
                                       const std::string& phrase) {
            const auto message = messageOf<core::InvalidArgument>(open);
            QVERIFY2(message.find(file.string()) != std::string::npos &&
                         message.find(phrase) != std::string::npos,
                     message.c_str());
        };
        auto otherTeacher = test::tinyLlama(2, 8, torch::kFloat32);
        expectRefused([&] { cacheFor(dir.path(), *otherTeacher, docs, 4); }, "another teacher");
        expectRefused([&] { cacheFor(dir.path(), *teacher, test::patternDocuments(7), 4); },
                      "other training data");
        expectRefused([&] { cacheFor(dir.path(), *teacher, docs, 5); }, "another k");
        expectRefused([&] { cacheFor(dir.path(), *teacher, docs, 4, 1.0); }, "another temperature");
        QCOMPARE(test::readBytes(file), good); // refused, never rewritten

        // Logits only: the hidden-state terms need the teacher's layers.
        auto student = test::withoutLayer(*teacher, 1);
        core::DistillOptions hidden;
        hidden.gamma = 0.5;
        hidden.layerMap = {0};
        core::DistillObjective objective(teacher, *student, hidden);
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, objective.setTeacherCache(cacheFor(
                                                            dir.path(), *teacher, docs, 4)));
    }
};

QTEST_GUILESS_MAIN(TestTeacherCache)
#include "tst_teacher_cache.moc"
