// A distillation on 2 processes started from the window (issue 17): the distillation page with
// Processes = 2 runs `anatomist-cli distill ... --nproc 2` on stories260K without its layer 2 and
// follows its log: the curve gets exactly the log's train_step losses and held-out points (rank 0's
// log, whose steps say "ranks": 2), the healed model lands in the run folder and in the variants;
// Pause is off for such a run; Cancel stops the launcher and both ranks after the same step, with
// rank 0's cancel checkpoint of that step; a batch that does not split over the processes fails
// with the CLI's own message.

#include "distill_controller.h"
#include "job_runner.h"
#include "log_events.h"
#include "main_window.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "test_support.h"
#include "variant_test_support.h"
#include "widgets/distill_panel.h"
#include "widgets/loss_curves.h"

#include <QDir>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

fs::path stories() {
    return test::sharedDir() / "models" / "stories260K";
}

void settingsFor(widgets::DistillPanel& panel, int steps, int batch, int processes,
                 const QString& folder) {
    auto s = panel.settings();
    s.steps = steps;
    s.seqLen = 32;
    s.batchSize = batch;
    s.learningRate = 1e-3;
    s.ceWeight = 0.5;
    s.klWeight = 0.5;
    s.hiddenWeight = 0.5;
    s.processes = processes;
    s.runFolder = folder;
    panel.setSettings(s);
}

// Live processes whose command line names `text` (the run folder: the launcher and its ranks).
int processesNaming(const QString& text) {
    int count = 0;
    const QByteArray needle = text.toUtf8();
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool number = false;
        pid.toInt(&number);
        if (!number)
            continue;
        QFile file(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            ++count;
    }
    return count;
}

} // namespace

class TestDistillProcesses : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        Q_INIT_RESOURCE(anatomist);
        QCoreApplication::setOrganizationName(QStringLiteral("AnatomistDistillProcessesTest"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
        // One thread per rank: the suite runs on 2 cores.
        qputenv("OMP_NUM_THREADS", "1");
    }

    void init() { QSettings().clear(); }

    void twoProcessesFollowTheLog() {
        gui::MainWindow window;
        window.setInteractive(false);
        const QString student = test::variantWithoutLayer2(window, stories());
        QVERIFY(!student.isEmpty());
        auto& distill = window.distill();
        distill.setCliProgram(QString::fromStdString(test::cliPath().string()));
        auto* panel = distill.panel();
        const QString folder = m_runs.filePath(QStringLiteral("two"));
        settingsFor(*panel, 4, 2, 2, folder);
        QVERIFY(!panel->pauseButton()->toolTip().isEmpty());

        QSignalSpy finished(&distill, &gui::DistillController::finished);
        QSignalSpy failed(&distill, &gui::DistillController::failed);
        QVERIFY(distill.start());
        QCOMPARE(panel->state(), widgets::DistillPanel::State::Running);
        QVERIFY2(!panel->pauseButton()->isEnabled(), "pause is not available on 2 processes");
        QVERIFY2(
            finished.wait(180000),
            qPrintable(failed.isEmpty() ? panel->statusText() : failed.first().at(1).toString()));
        QTRY_VERIFY(!distill.isRunning());

        // The curve is the log's: every step once, in order, with the logged loss; the held-out
        // points are the logged evaluations.
        const fs::path out = folder.toStdString();
        const auto steps = test::logEvents(out / "log.jsonl", "train_step");
        QCOMPARE(int(steps.size()), 4);
        const auto* curves = panel->curves();
        QCOMPARE(curves->steps().size(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(steps[i]["ranks"].get<int>(), 2);
            QCOMPARE(curves->steps()[i], steps[i]["step"].get<double>());
            QCOMPARE(curves->losses()[i], steps[i]["loss"].get<double>());
            QCOMPARE(curves->term(QStringLiteral("kl"))[i], steps[i]["terms"]["kl"].get<double>());
        }
        // Held-out points: the student before training (step 0), then every logged evaluation.
        const auto reference = test::logEvents(out / "log.jsonl", "train_reference");
        QCOMPARE(int(reference.size()), 1);
        QCOMPARE(curves->teacherPerplexity(), reference[0]["teacher_perplexity"].get<double>());
        QVector<double> evalSteps{0},
            perplexities{reference[0]["student_perplexity"].get<double>()};
        for (const auto& e : test::logEvents(out / "log.jsonl", "train_eval")) {
            evalSteps << e["step"].get<double>();
            perplexities << e["perplexity"].get<double>();
        }
        QVERIFY(evalSteps.size() >= 2);
        QCOMPARE(curves->evalSteps(), evalSteps);
        QCOMPARE(curves->evalPerplexities(), perplexities);

        // The CLI's output: the healed model and its record, now a variant of the window.
        QVERIFY(fs::exists(out / "model.safetensors"));
        QCOMPARE(
            test::readJson(out / "variant.json")["distillation"]["metrics"]["steps"].get<int>(), 4);
        QCOMPARE(finished.first().first().toString(), student + QStringLiteral(" healed"));
        QVERIFY(window.plans().variant(student + QStringLiteral(" healed")));
        QVERIFY(panel->statusText().contains(QStringLiteral("healed")));
    }

    void cancelStopsEveryProcess() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(!test::variantWithoutLayer2(window, stories()).isEmpty());
        auto& distill = window.distill();
        distill.setCliProgram(QString::fromStdString(test::cliPath().string()));
        auto* panel = distill.panel();
        const QString folder = m_runs.filePath(QStringLiteral("cancelled"));
        settingsFor(*panel, 400, 2, 2, folder); // a checkpoint every 40 steps

        // At the third step the launcher and its 2 ranks are there; then Cancel: the last
        // checkpoint is the cancel's, of the last logged step, whichever rank saw the signal first
        // (the ranks agree on the step through their all-reduce).
        int running = -1;
        QSignalSpy stopped(&distill, &gui::DistillController::stopped);
        auto* canceller = new QObject(this);
        connect(&window.jobs(), &gui::JobRunner::jobEvents, canceller,
                [&](quint64 id, const QList<QJsonObject>& events) {
                    for (const auto& e : events)
                        if (id == distill.job() && running < 0 &&
                            e.value("type").toString() == QLatin1String("train_step") &&
                            e.value("step").toInt() >= 3) {
                            running = processesNaming(folder);
                            distill.cancel();
                        }
                });
        QVERIFY(distill.start());
        QVERIFY2(stopped.wait(120000), qPrintable(panel->statusText()));
        delete canceller;
        QCOMPARE(running, 3);
        QCOMPARE(processesNaming(folder), 0); // the launcher waited for both ranks
        const qint64 at = stopped.first().at(1).toLongLong();
        QVERIFY2(at >= 3 && at < 400, qPrintable(QString::number(at)));
        const fs::path out = folder.toStdString();
        QVERIFY(fs::exists(out / "train_state.safetensors"));
        const auto steps = test::logEvents(out / "log.jsonl", "train_step");
        QCOMPARE(steps.back()["step"].get<qint64>(), at);
        const auto checkpoints = test::logEvents(out / "log.jsonl", "train_checkpoint");
        QVERIFY(!checkpoints.empty());
        QCOMPARE(checkpoints.back()["step"].get<qint64>(), at);
        QCOMPARE(checkpoints.back().value("cancelled", false), true);
        QVERIFY(!fs::exists(out / "model.safetensors"));
        QCOMPARE(panel->stoppedRun(), folder);
        QVERIFY(panel->continueButton()->isEnabled());
        QCOMPARE(panel->state(), widgets::DistillPanel::State::Idle);
    }

    void cliErrorIsShown() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(!test::variantWithoutLayer2(window, stories()).isEmpty());
        auto& distill = window.distill();
        distill.setCliProgram(QString::fromStdString(test::cliPath().string()));
        auto* panel = distill.panel();
        settingsFor(*panel, 4, 2, 3, m_runs.filePath(QStringLiteral("odd")));
        QSignalSpy failed(&distill, &gui::DistillController::failed);
        QVERIFY(distill.start());
        QVERIFY(failed.wait(120000));
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("cannot be split evenly over 3 processes")),
                 qPrintable(message));
        QVERIFY(panel->statusText().contains(QStringLiteral("cannot be split evenly")));
        QTRY_VERIFY(!distill.isRunning());
    }

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_runs;
};

QTEST_MAIN(TestDistillProcesses)
#include "tst_distill_processes.moc"
