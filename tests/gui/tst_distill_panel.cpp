// The distillation panel in the window, on the in-repository demo model: a variant without layer 2
// is healed for a few steps with every loss term on; the curve gets every step event (one point per
// step, numbered 1..N), pause holds the run, Cancel stops it with a checkpoint, Continue resumes on
// the same curve (the log past the checkpoint is dropped), the healed student appears in the
// variants panel with the parameter count `anatomist-cli info` implies, a run whose checkpoint is
// gone is refused with a message naming the file, and closing the window during a run keeps a
// checkpoint that the next window offers to continue.

#include "distill_controller.h"
#include "job_runner.h"
#include "main_window.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "stall_meter.h"
#include "test_support.h"
#include "variant_test_support.h"
#include "widgets/distill_panel.h"
#include "widgets/loss_curves.h"
#include "widgets/variants_panel.h"
#include "window_test_support.h"

#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace anatomist;

namespace {

std::filesystem::path demoModel() {
    return test::sourceDir() / "resources/demo/model";
}

// Tiny runs: short sequences, a high learning rate so that the loss moves, every term on.
void tinySettings(widgets::DistillPanel& panel, int steps, const QString& folder) {
    auto s = panel.settings();
    s.steps = steps;
    s.seqLen = 32;
    s.batchSize = 1;
    s.learningRate = 1e-3;
    s.ceWeight = 0.5;
    s.klWeight = 0.5;
    s.hiddenWeight = 0.5;
    s.runFolder = folder;
    panel.setSettings(s);
}

QVector<double> oneTo(int n) {
    QVector<double> v;
    for (int i = 1; i <= n; ++i)
        v << i;
    return v;
}

// The step numbers of the train_step lines of a run's log.
QVector<double> loggedSteps(const std::filesystem::path& log) {
    QVector<double> steps;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
        const auto e = nlohmann::json::parse(line);
        if (e.value("type", "") == "train_step")
            steps << double(e.value("step", 0));
    }
    return steps;
}

} // namespace

class TestDistillPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistDistillTest"), m_settings.path());
        const auto cli = test::runCli({"info", demoModel().string(), "--json"});
        QVERIFY2(cli.exitCode == 0, cli.err.c_str());
        m_info = cli.json()["summary"];
    }

    void init() { QSettings().clear(); }

    void healsWithLiveCurveAndPause() {
        gui::MainWindow window;
        window.setInteractive(false);
        const QString student = test::variantWithoutLayer2(window, demoModel());
        QVERIFY(!student.isEmpty());
        auto& distill = window.distill();
        auto* panel = distill.panel();
        QCOMPARE(panel->students(), QStringList{student});
        QVERIFY(panel->startButton()->isEnabled());
        const QString folder = m_runs.filePath(QStringLiteral("healed"));
        tinySettings(*panel, 6, folder);

        // Paused from the start: the trainer holds before step 1.
        QSignalSpy paused(&distill, &gui::DistillController::paused);
        QSignalSpy finished(&distill, &gui::DistillController::finished);
        test::StallMeter stalls;
        distill.setPaused(true);
        QVERIFY(distill.start());
        QVERIFY(distill.isRunning());
        QVERIFY(!panel->startButton()->isEnabled());
        QVERIFY(paused.wait(60000));
        QCOMPARE(paused.last().first().toBool(), true);
        QTest::qWait(150);
        QCOMPARE(panel->curves()->steps().size(), 0);
        QCOMPARE(panel->state(), widgets::DistillPanel::State::Paused);
        QCOMPARE(panel->pauseButton()->text(), QStringLiteral("Resume"));
        distill.setPaused(false);
        QVERIFY(finished.wait(60000));
        const double worstStall = stalls.worstMs();
        qInfo("longest event-loop stall during the run: %.1f ms", worstStall);
        QVERIFY2(worstStall < 2000, qPrintable(QString::number(worstStall)));
        QTRY_VERIFY(!distill.isRunning());

        // Every step event reached the curve, once, in order; every term has a value at each step.
        const auto* curves = panel->curves();
        QCOMPARE(curves->steps(), oneTo(6));
        const QStringList terms = curves->termNames();
        QCOMPARE(QSet<QString>(terms.begin(), terms.end()), (QSet<QString>{"ce", "kl", "hidden"}));
        for (const QString& term : curves->termNames())
            for (double v : curves->term(term))
                QVERIFY2(std::isfinite(v), qPrintable(term));
        // Total = α·CE + β·KL + γ·hidden at every step (ALGORITHMS.md §8).
        for (int i = 0; i < 6; ++i) {
            const double total = 0.5 * curves->term("ce")[i] + 0.5 * curves->term("kl")[i] +
                                 0.5 * curves->term("hidden")[i];
            ANATOMIST_COMPARE_NEAR(curves->losses()[i], total, 1e-4 * std::max(1.0, total),
                                   "total loss");
        }
        QVERIFY(!curves->evalSteps().isEmpty());
        QCOMPARE(curves->evalSteps().last(), 6.0);
        QVERIFY(std::isfinite(curves->teacherPerplexity()));
        QVERIFY(panel->statusText().contains(QStringLiteral("healed")));

        // The healed student is a variant with the student's parameter count: the base less
        // layer 2.
        const QString healed = finished.first().first().toString();
        QCOMPARE(healed, student + QStringLiteral(" healed"));
        QVERIFY(window.plans().variantNames().contains(healed));
        QVERIFY(window.plans().variant(healed));
        const auto* row = window.plans().variantsPanel()->row(healed);
        QVERIFY(row);
        const qint64 expected =
            m_info["parameters"].get<qint64>() - m_info["parameters_per_layer"][2].get<qint64>();
        QCOMPARE(row->parameters, expected);
        QCOMPARE(window.plans().variantsPanel()->row(student)->parameters, expected);
        QVERIFY(row->summary.contains(QStringLiteral("6 steps")));
        QVERIFY(panel->students().contains(healed));

        // The run folder: the healed model, its record, and a log with every step.
        const std::filesystem::path out = folder.toStdString();
        QVERIFY(std::filesystem::exists(out / "model.safetensors"));
        const auto variant = test::readJson(out / "variant.json");
        QCOMPARE(variant["kept_layers"], nlohmann::json({0, 1, 3}));
        QCOMPARE(variant["distillation"]["metrics"]["steps"].get<int>(), 6);
        QCOMPARE(variant["distillation"]["metrics"]["layer_map"], nlohmann::json({0, 1, 3}));
        QCOMPARE(loggedSteps(out / "log.jsonl"), oneTo(6));
    }

    void cancelKeepsCheckpointAndContinueExtendsTheCurve() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(!test::variantWithoutLayer2(window, demoModel()).isEmpty());
        auto& distill = window.distill();
        auto* panel = distill.panel();
        const QString folder = m_runs.filePath(QStringLiteral("cancelled"));
        const int steps = 6;
        tinySettings(*panel, steps, folder);

        // Cancel as soon as the first step is seen.
        QSignalSpy stopped(&distill, &gui::DistillController::stopped);
        auto* canceller = new QObject(this);
        connect(&window.jobs(), &gui::JobRunner::jobEvents, canceller,
                [&](quint64 id, const QList<QJsonObject>& events) {
                    for (const auto& e : events)
                        if (id == distill.job() &&
                            e.value("type").toString() == QLatin1String("train_step"))
                            distill.cancel();
                });
        QVERIFY(distill.start());
        QVERIFY(stopped.wait(60000));
        const qint64 at = stopped.first().at(1).toLongLong();
        QVERIFY2(at >= 1 && at < steps, qPrintable(QString::number(at)));
        const std::filesystem::path out = folder.toStdString();
        QVERIFY(std::filesystem::exists(out / "train_state.safetensors"));
        QVERIFY(!std::filesystem::exists(out / "model.safetensors"));
        QCOMPARE(panel->curves()->steps(), oneTo(int(at)));
        QCOMPARE(panel->stoppedRun(), folder);
        QVERIFY(panel->continueButton()->isEnabled());
        QVERIFY(panel->statusText().contains(QString::number(at)));

        // A line past the checkpoint (a crash after it) must not show twice on the continued curve.
        std::ofstream(out / "log.jsonl", std::ios::app)
            << nlohmann::json(
                   {{"type", "train_step"}, {"step", at + 1}, {"steps", steps}, {"loss", 99.0}})
                   .dump()
            << "\n";

        delete canceller;
        QSignalSpy finished(&distill, &gui::DistillController::finished);
        QVERIFY(distill.resume(panel->stoppedRun()));
        QVERIFY2(finished.wait(60000),
                 qPrintable(panel->statusText() + QStringLiteral(" running: %1, points %2")
                                                      .arg(distill.isRunning())
                                                      .arg(panel->curves()->steps().size())));
        QCOMPARE(panel->curves()->steps(), oneTo(steps));
        for (double loss : panel->curves()->losses())
            QVERIFY(loss < 99.0);
        QCOMPARE(loggedSteps(out / "log.jsonl"), oneTo(steps));
        QVERIFY(std::filesystem::exists(out / "model.safetensors"));
        QVERIFY(panel->stoppedRun().isEmpty());
    }

    void resumeWithoutCheckpointIsRefused() {
        gui::MainWindow window;
        window.setInteractive(false);
        QSignalSpy failed(&window.distill(), &gui::DistillController::failed);
        QTemporaryDir empty;
        QVERIFY(!window.distill().resume(empty.path()));
        QCOMPARE(failed.size(), 1);
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("train_state.safetensors")) &&
                     message.contains(QStringLiteral("gone")),
                 qPrintable(message));
        QVERIFY(!window.distill().isRunning());
        QCOMPARE(window.distill().panel()->state(), widgets::DistillPanel::State::Idle);
    }

    void closingDuringRunKeepsCheckpoint() {
        const QString folder = m_runs.filePath(QStringLiteral("closed"));
        {
            gui::MainWindow window;
            window.setInteractive(false);
            QVERIFY(!test::variantWithoutLayer2(window, demoModel()).isEmpty());
            auto& distill = window.distill();
            tinySettings(*distill.panel(), 50, folder);
            QSignalSpy paused(&distill, &gui::DistillController::paused);
            distill.setPaused(true);
            QVERIFY(distill.start());
            QVERIFY(paused.wait(60000));
            window.close(); // not interactive: no question; the runner stops the run
        }
        const std::filesystem::path checkpoint = folder.toStdString() + "/train_state.safetensors";
        QVERIFY(std::filesystem::exists(checkpoint));
        // The next window offers to continue it.
        gui::MainWindow next;
        QCOMPARE(next.distill().panel()->stoppedRun(), folder);
        QVERIFY(next.distill().panel()->continueButton()->isEnabled());
    }

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_runs;
    nlohmann::json m_info;
};

QTEST_MAIN(TestDistillPanel)
#include "tst_distill_panel.moc"
