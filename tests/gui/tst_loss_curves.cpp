// The live loss curves fed by the job runner: a fake distillation job emits train_step events
// (total loss and its terms), held-out evaluations and the teacher's reference; the curves hold
// every step, in order, with the values that were sent, and export them as CSV and PNG.

#include "job.h"
#include "job_runner.h"
#include "test_support.h"
#include "widgets/loss_curves.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>
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
};

QTEST_MAIN(TestLossCurves)
#include "tst_loss_curves.moc"
