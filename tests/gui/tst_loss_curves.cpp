// The live loss curves fed by the job runner: a fake distillation job emits train_step events
// (total loss and its terms), held-out evaluations and the teacher's reference; the curves hold
// every step, in order, with the values that were sent, and export them as CSV and PNG.

#include "job.h"
#include "job_runner.h"
#include "test_support.h"
#include "widgets/loss_curves.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>
#include <qcustomplot.h>
#include <thread>

using namespace anatomist;

namespace {
constexpr int kSteps = 600;
// The fake run's values, written so that each step's numbers are distinct and recomputable.
double ce(int step) {
    return 4.0 / (1.0 + 0.01 * step);
}
double kl(int step) {
    return 1.0 / (1.0 + 0.02 * step);
}
} // namespace

class TestLossCurves : public QObject {
    Q_OBJECT
private slots:
    void everyStepReachesTheCurve() {
        gui::JobRunner runner;
        widgets::LossCurves curves;
        curves.resize(800, 500);
        curves.show();
        connect(&runner, &gui::JobRunner::jobEvents, &curves,
                [&](quint64, const QList<QJsonObject>& events) { curves.addEvents(events); });
        QSignalSpy ended(&runner, &gui::JobRunner::jobEnded);
        runner.submit(
            QStringLiteral("distil"),
            [](core::JobContext& job) -> gui::JobRunner::Finish {
                job.emitEvent({{"type", "train_reference"}, {"teacher_perplexity", 12.5}});
                for (int step = 1; step <= kSteps; ++step) {
                    job.emitEvent({{"type", "train_step"},
                                   {"step", step},
                                   {"steps", kSteps},
                                   {"loss", ce(step) + kl(step)},
                                   {"lr", 1e-3 * step / kSteps},
                                   {"terms", {{"ce", ce(step)}, {"kl", kl(step)}}}});
                    if (step % 100 == 0)
                        job.emitEvent(
                            {{"type", "train_eval"}, {"step", step}, {"perplexity", 100.0 / step}});
                    if (step % 50 == 0)
                        std::this_thread::sleep_for(std::chrono::milliseconds(5));
                }
                return {};
            },
            {gui::JobRunner::Lane::Long, {}});
        QVERIFY(ended.wait(30000));

        QCOMPARE(curves.steps().size(), kSteps);
        QCOMPARE(curves.termNames(), (QStringList{"ce", "kl"}));
        for (int i = 0; i < kSteps; ++i) {
            const int step = i + 1;
            QCOMPARE(curves.steps()[i], double(step));
            QCOMPARE(curves.losses()[i], ce(step) + kl(step));
            QCOMPARE(curves.term("ce")[i], ce(step));
            QCOMPARE(curves.term("kl")[i], kl(step));
            QCOMPARE(curves.learningRates()[i], 1e-3 * step / kSteps);
        }
        QCOMPARE(curves.evalSteps(), (QVector<double>{100, 200, 300, 400, 500, 600}));
        QCOMPARE(curves.evalPerplexities()[2], 100.0 / 300);
        QCOMPARE(curves.teacherPerplexity(), 12.5);

        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("curves.csv"));
        QVERIFY(curves.exportCsv(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.front(), QByteArray("step,loss,lr,ce,kl,perplexity"));
        QCOMPARE(lines.size(), kSteps + 2); // header, one line per step, final newline
        const QList<QByteArray> row100 = lines[100].split(',');
        QCOMPARE(row100[0].toDouble(), 100.0);
        QCOMPARE(row100[3].toDouble(), ce(100));
        QCOMPARE(row100[5].toDouble(), 1.0);
        QVERIFY(lines[1].endsWith(',')); // no evaluation at step 1
        const QString png = dir.filePath(QStringLiteral("curves.png"));
        QVERIFY(curves.exportPlot(png));
        QVERIFY(QFileInfo(png).size() > 1000);
        curves.setLogScale(true); // must not lose data
        QCOMPARE(curves.steps().size(), kSteps);
    }

    // Batches arrive up to 30 times a second; the plot is redrawn at most every
    // kRedrawIntervalMs (a redraw of thousands of points is what froze the window), never while
    // hidden, and the last redraw shows every step.
    void redrawIsThrottledAndSkippedWhileHidden() {
        widgets::LossCurves curves;
        curves.resize(800, 500);
        curves.show();
        QVERIFY(QTest::qWaitForWindowExposed(&curves));
        const int before = curves.redraws();
        auto stepEvent = [](int step) {
            return QList<QJsonObject>{QJsonObject{{"type", "train_step"},
                                                  {"step", step},
                                                  {"steps", 1000},
                                                  {"loss", ce(step)},
                                                  {"lr", 1e-3}}};
        };
        for (int step = 1; step <= 200; ++step)
            curves.addEvents(stepEvent(step));
        QCOMPARE(curves.redraws(), before); // nothing drawn inside the batches
        QTRY_COMPARE(curves.plot()->graph(0)->dataCount(), 200);
        QCOMPARE(curves.redraws(), before + 1); // one redraw for the 200 batches

        // A batch every 10 ms for a second: about 100 batches, at most one redraw per interval
        // (plus one for a timer that fired late).
        QElapsedTimer clock;
        clock.start();
        int step = 200;
        while (clock.elapsed() < 1000) {
            curves.addEvents(stepEvent(++step));
            QTest::qWait(10);
        }
        const int allowed = int(clock.elapsed() / widgets::LossCurves::kRedrawIntervalMs) + 2;
        QVERIFY2(curves.redraws() - before - 1 <= allowed,
                 qPrintable(QStringLiteral("%1 redraws for %2 batches in %3 ms")
                                .arg(curves.redraws() - before - 1)
                                .arg(step - 200)
                                .arg(clock.elapsed())));
        QTRY_COMPARE(curves.plot()->graph(0)->dataCount(), step);

        // Hidden (another tab shown): no redraw; shown again: one, with everything.
        curves.hide();
        const int hiddenFrom = curves.redraws();
        for (int i = 0; i < 50; ++i)
            curves.addEvents(stepEvent(++step));
        QTest::qWait(3 * widgets::LossCurves::kRedrawIntervalMs);
        QCOMPARE(curves.redraws(), hiddenFrom);
        curves.show();
        QTRY_COMPARE(curves.plot()->graph(0)->dataCount(), step);
        QCOMPARE(curves.redraws(), hiddenFrom + 1);

        // An export always shows the latest data, even before the timer fires.
        curves.addEvents(stepEvent(++step));
        QTemporaryDir dir;
        QVERIFY(curves.exportPlot(dir.filePath(QStringLiteral("now.png"))));
        QCOMPARE(curves.plot()->graph(0)->dataCount(), step);
    }
};

QTEST_MAIN(TestLossCurves)
#include "tst_loss_curves.moc"
