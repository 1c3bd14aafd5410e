// The job runner with fake jobs (no model): success, failure, cancel (running and queued), every
// event delivered in order and coalesced, lanes that do not block each other, stale results
// dropped, "queued" in the jobs panel, shutdown during a job. And the one test with a model (the
// in-repository demo): a model loaded through the runner can be trained (no runner-wide
// InferenceMode).

#include "errors.h"
#include "job.h"
#include "job_runner.h"
#include "stall_meter.h"
#include "widgets/jobs_panel.h"
// The ThreadSanitizer build (tests/tsan, the `tsan` preset) compiles the runner alone, without
// torch: the one test with a model is left out there.
#ifndef ANATOMIST_TSAN_JOB_RUNNER_ONLY
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "test_support.h"
#endif

#include <QElapsedTimer>
#include <QTimer>
#include <QtTest>
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

using namespace anatomist;
using Runner = gui::JobRunner;

namespace {

// Waits (spinning the event loop) until the runner reports the job's end.
bool waitEnded(Runner& runner, quint64 id, int ms = 20000) {
    QElapsedTimer clock;
    clock.start();
    while (runner.isRunning(id) && clock.elapsed() < ms)
        QTest::qWait(5);
    return !runner.isRunning(id);
}

// Busy job that ends only when cancelled (or `release` is set).
Runner::Work spinUntil(std::atomic<bool>& release) {
    return [&release](core::JobContext& job) -> Runner::Finish {
        while (!release.load()) {
            job.throwIfCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return {};
    };
}

} // namespace

class TestJobRunner : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { Q_INIT_RESOURCE(anatomist); }

    void successRunsFinishOnGuiThread() {
        Runner runner;
        QStringList order;
        for (auto [sig, name] : {std::pair{&Runner::jobStarted, "started"},
                                 {&Runner::jobFinished, "finished"},
                                 {&Runner::jobEnded, "ended"}})
            connect(&runner, sig, this,
                    [&order, name = name](quint64) { order << QLatin1String(name); });
        QThread* finishThread = nullptr;
        QThread* workThread = nullptr;
        int value = 0;
        const quint64 id =
            runner.submit(QStringLiteral("ok"), [&](core::JobContext&) -> Runner::Finish {
                workThread = QThread::currentThread();
                return [&] {
                    finishThread = QThread::currentThread();
                    value = 42;
                };
            });
        QVERIFY(id != 0);
        QVERIFY(waitEnded(runner, id));
        QCOMPARE(value, 42);
        QCOMPARE(finishThread, QThread::currentThread());
        QVERIFY(workThread && workThread != QThread::currentThread());
        QCOMPARE(order, (QStringList{"started", "finished", "ended"}));
    }

    void failureCarriesCoreMessage() {
        Runner runner;
        QSignalSpy failed(&runner, &Runner::jobFailed);
        QSignalSpy finished(&runner, &Runner::jobFinished);
        const quint64 id =
            runner.submit(QStringLiteral("bad"), [](core::JobContext&) -> Runner::Finish {
                throw core::FormatError("x.safetensors: header is not JSON");
            });
        QVERIFY(waitEnded(runner, id));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed[0][1].toString(), QStringLiteral("bad"));
        QCOMPARE(failed[0][2].toString(), QStringLiteral("x.safetensors: header is not JSON"));
        QCOMPARE(finished.size(), 0);
    }

    void cancelRunningJob() {
        Runner runner;
        std::atomic<bool> never{false};
        QSignalSpy started(&runner, &Runner::jobStarted);
        QSignalSpy cancelled(&runner, &Runner::jobCancelled);
        QSignalSpy finished(&runner, &Runner::jobFinished);
        const quint64 id = runner.submit(QStringLiteral("spin"), spinUntil(never));
        QVERIFY(started.wait(5000));
        runner.cancel(id);
        QVERIFY(waitEnded(runner, id));
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(finished.size(), 0);
    }

    void queuedJobShowsQueuedAndCancelsAtOnce() {
        Runner runner;
        widgets::JobsPanel panel;
        connect(&runner, &Runner::jobQueued, &panel, &widgets::JobsPanel::addJob);
        connect(&runner, &Runner::jobStarted, &panel, &widgets::JobsPanel::setStarted);
        connect(&runner, &Runner::jobEnded, &panel, &widgets::JobsPanel::removeJob);
        std::atomic<bool> release{false};
        QSignalSpy started(&runner, &Runner::jobStarted);
        const quint64 first = runner.submit(QStringLiteral("first"), spinUntil(release));
        bool secondRan = false;
        const quint64 second =
            runner.submit(QStringLiteral("second"), [&](core::JobContext&) -> Runner::Finish {
                secondRan = true;
                return {};
            });
        QVERIFY(started.wait(5000));
        QCOMPARE(started[0][0].toULongLong(), first);
        QVERIFY(!runner.isQueued(first));
        QVERIFY(runner.isQueued(second));
        QCOMPARE(panel.stageText(second), QStringLiteral("queued"));
        QVERIFY(panel.stageText(first) != QStringLiteral("queued"));

        QSignalSpy cancelled(&runner, &Runner::jobCancelled);
        runner.cancel(second); // ends now, without waiting for the first job
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(!runner.isRunning(second));
        QCOMPARE(panel.jobCount(), 1);
        release = true;
        QVERIFY(waitEnded(runner, first));
        QTest::qWait(20);
        QVERIFY(!secondRan);
    }

    void everyEventDeliveredInOrderAndCoalesced() {
        Runner runner;
        constexpr int kEvents = 3000;
        QList<int> steps;
        int batches = 0;
        bool endedBeforeLast = false;
        connect(&runner, &Runner::jobEvents, this, [&](quint64, const QList<QJsonObject>& events) {
            ++batches;
            for (const auto& e : events)
                steps << e.value(QStringLiteral("step")).toInt();
        });
        connect(&runner, &Runner::jobEnded, this,
                [&](quint64) { endedBeforeLast = steps.size() != kEvents; });
        QElapsedTimer clock;
        clock.start();
        test::StallMeter meter;
        const quint64 id = runner.submit(
            QStringLiteral("events"),
            [](core::JobContext& job) -> Runner::Finish {
                for (int i = 0; i < kEvents; ++i) {
                    job.emitEvent({{"type", "train_step"}, {"step", i}, {"loss", 1.0 / (i + 1)}});
                    if (i % 10 == 0)
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                return {};
            },
            {Runner::Lane::Long, {}});
        QVERIFY(waitEnded(runner, id));
        const double ms = double(clock.elapsed());
        QCOMPARE(steps.size(), kEvents);
        for (int i = 0; i < kEvents; ++i)
            QCOMPARE(steps[i], i);
        QVERIFY(!endedBeforeLast);
        qInfo("%d events in %d batches over %.0f ms; longest event-loop stall %.1f ms", kEvents,
              batches, ms, meter.worstMs());
        QVERIFY2(meter.worstMs() < 250, "the GUI thread blocked while events arrived");
        // One batch per interval at most, plus the final flush.
        QVERIFY2(batches <= int(ms / Runner::kEventIntervalMs) + 2, "events not coalesced");
        QVERIFY(batches < kEvents / 10);
    }

    void longLaneDoesNotBlockOthers() {
        Runner runner;
        std::atomic<bool> release{false};
        QSignalSpy started(&runner, &Runner::jobStarted);
        const quint64 longJob =
            runner.submit(QStringLiteral("distil"), spinUntil(release), {Runner::Lane::Long, {}});
        QVERIFY(started.wait(5000));
        bool loaded = false, analysed = false;
        const quint64 load = runner.submit(
            QStringLiteral("load"),
            [&](core::JobContext&) -> Runner::Finish { return [&] { loaded = true; }; },
            {Runner::Lane::Model, {}});
        const quint64 quick = runner.submit(
            QStringLiteral("quick"),
            [&](core::JobContext&) -> Runner::Finish { return [&] { analysed = true; }; },
            {Runner::Lane::Analysis, {}});
        QVERIFY(waitEnded(runner, load, 5000));
        QVERIFY(waitEnded(runner, quick, 5000));
        QVERIFY(loaded && analysed);
        QVERIFY(runner.isRunning(longJob));
        release = true;
        QVERIFY(waitEnded(runner, longJob));
    }

    void staleResultNeverLands() {
        Runner runner;
        std::atomic<bool> release{false};
        QSignalSpy started(&runner, &Runner::jobStarted);
        QSignalSpy stale(&runner, &Runner::jobStale);
        bool landed = false;
        const quint64 id = runner.submit(QStringLiteral("similarity"),
                                         [&](core::JobContext& job) -> Runner::Finish {
                                             spinUntil(release)(job);
                                             return [&] { landed = true; };
                                         },
                                         {Runner::Lane::Analysis, QStringLiteral("model#1")});
        QVERIFY(started.wait(5000));
        runner.retireTag(QStringLiteral("model#1")); // a newer model was loaded
        release = true;
        QVERIFY(waitEnded(runner, id));
        QVERIFY(!landed);
        QCOMPARE(stale.size(), 1);
        // A job for the current model still lands.
        const quint64 fresh = runner.submit(
            QStringLiteral("similarity"),
            [&](core::JobContext&) -> Runner::Finish { return [&] { landed = true; }; },
            {Runner::Lane::Analysis, QStringLiteral("model#2")});
        QVERIFY(waitEnded(runner, fresh));
        QVERIFY(landed);
    }

    void shutdownDuringJob() {
        auto runner = std::make_unique<Runner>();
        std::atomic<bool> never{false};
        std::atomic<bool> queuedRan{false};
        QSignalSpy started(runner.get(), &Runner::jobStarted);
        bool finished = false;
        runner->submit(QStringLiteral("spin"),
                       [&](core::JobContext& job) -> Runner::Finish {
                           spinUntil(never)(job);
                           return [&] { finished = true; };
                       },
                       {Runner::Lane::Long, {}});
        runner->submit(QStringLiteral("behind"),
                       [&](core::JobContext&) -> Runner::Finish {
                           queuedRan = true;
                           return {};
                       },
                       {Runner::Lane::Long, {}});
        QVERIFY(started.wait(5000));
        QElapsedTimer clock;
        clock.start();
        runner->shutdown();
        QVERIFY(clock.elapsed() < 5000);
        QCOMPARE(runner->activeJobs(), 0);
        QCOMPARE(runner->submit(QStringLiteral("late"),
                                [](core::JobContext&) -> Runner::Finish { return {}; }),
                 quint64(0));
        runner.reset();
        QTest::qWait(50); // a stray queued call would crash here
        QVERIFY(!finished);
        QVERIFY(!queuedRan);
    }

#ifndef ANATOMIST_TSAN_JOB_RUNNER_ONLY
    // A model loaded through the runner must be trainable: parameters require grad, are not
    // inference tensors, and a backward pass on another lane fills their gradients.
    void modelLoadedThroughRunnerIsTrainable() {
        const auto folder = test::sourceDir() / "resources/demo/model";
        QVERIFY(std::filesystem::exists(folder / "config.json"));
        Runner runner;
        std::shared_ptr<core::LoadedModel> model;
        const quint64 load = runner.submit(QStringLiteral("load"),
                                           [&](core::JobContext& job) -> Runner::Finish {
                                               auto loaded = std::make_shared<core::LoadedModel>(
                                                   core::loadModel(folder, {}, job));
                                               return [&model, loaded] { model = loaded; };
                                           },
                                           {Runner::Lane::Model, {}});
        QVERIFY(waitEnded(runner, load, 60000));
        QVERIFY(model);
        double gradNorm = -1;
        QString error;
        QSignalSpy failed(&runner, &Runner::jobFailed);
        const quint64 train = runner.submit(
            QStringLiteral("train"),
            [&](core::JobContext&) -> Runner::Finish {
                auto& lm = *model->model;
                for (const auto& p : lm.parameters())
                    if (!p.requires_grad() || p.is_inference())
                        throw std::runtime_error("a parameter cannot be trained");
                const auto ids = torch::arange(1, 17, torch::kLong).unsqueeze(0);
                const auto logits = lm.forward(ids).logits;
                const auto loss = torch::nll_loss(
                    torch::log_softmax(logits.slice(1, 0, -1).reshape({-1, logits.size(-1)}), -1),
                    ids.slice(1, 1).reshape({-1}));
                loss.backward();
                double sumSq = 0;
                for (const auto& p : lm.parameters())
                    if (p.grad().defined())
                        sumSq += p.grad().square().sum().item<double>();
                gradNorm = std::sqrt(sumSq);
                return {};
            },
            {Runner::Lane::Long, {}});
        QVERIFY(waitEnded(runner, train, 60000));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][2].toString()));
        QVERIFY2(gradNorm > 0 && std::isfinite(gradNorm), qPrintable(QString::number(gradNorm)));
    }
#endif
};

QTEST_MAIN(TestJobRunner)
#include "tst_job_runner.moc"
