// The window open on a long distillation, for scripts/soak.sh (not a CTest test: it runs for
// minutes). Opens MODEL, applies PLAN as a variant, starts a distillation of it that does not end
// by itself (a million steps), and every INTERVAL seconds prints one JSON line: the process's
// resident memory and the longest event-loop stall of the interval (the largest gap between ticks
// of a 2 ms timer on the GUI thread, as tests/support/stall_meter.h measures it). After SECONDS it
// cancels the run (which writes its checkpoint), waits for it to stop and prints a summary line.
//   soak_gui MODEL PLAN SECONDS INTERVAL RUN_FOLDER

#include "distill_controller.h"
#include "main_window.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "widgets/distill_panel.h"
#include "widgets/plan_panel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using namespace anatomist;

namespace {

double residentMegabytes() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

void printLine(const QJsonObject& o) {
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    Q_INIT_RESOURCE(anatomist);
    const QStringList args = app.arguments();
    if (args.size() != 6) {
        std::fprintf(stderr, "usage: soak_gui MODEL PLAN SECONDS INTERVAL RUN_FOLDER\n");
        return 2;
    }
    const QString model = args[1], plan = args[2], runFolder = args[5];
    const double seconds = args[3].toDouble(), interval = args[4].toDouble();
    QTemporaryDir settingsDir; // the user's settings are neither read nor changed
    QCoreApplication::setOrganizationName(QStringLiteral("AnatomistSoak"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    gui::MainWindow window;
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    int exitCode = 0;
    QObject::connect(&window, &gui::MainWindow::errorShown, &app,
                     [&](const QString& title, const QString& message) {
                         std::fprintf(stderr, "soak_gui: %s: %s\n", qPrintable(title),
                                      qPrintable(message));
                         exitCode = 1;
                         app.exit(1);
                     });

    // Stall meter: the longest gap between ticks in the current interval, and over the whole run.
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = -1, worstInInterval = 0, worstOverall = 0, ticksOver50 = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastTick >= 0) {
            const qint64 gap = now - lastTick;
            worstInInterval = std::max(worstInInterval, gap);
            ticksOver50 += gap > 50'000'000;
        }
        lastTick = now;
    });

    double firstRss = -1, lastRss = -1, runStartMs = 0;
    int samples = 0;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] {
        const double rss = residentMegabytes();
        if (firstRss < 0)
            firstRss = rss;
        lastRss = rss;
        ++samples;
        worstOverall = std::max(worstOverall, worstInInterval);
        printLine({{"type", "sample"},
                   {"seconds", (double(clock.elapsed()) - runStartMs) / 1000.0},
                   {"rss_mb", rss},
                   {"stall_ms", double(worstInInterval) / 1e6}});
        worstInInterval = 0;
    });
    QTimer::singleShot(qint64(seconds * 1000) + 60000, &app, [&] {
        // Started too late to measure anything: do not hang the script.
        if (samples == 0) {
            std::fprintf(stderr, "soak_gui: the run never started\n");
            app.exit(1);
        }
    });

    auto& distill = window.distill();
    QObject::connect(&window.models(), &gui::ModelController::modelLoaded, &app, [&] {
        if (!window.plans().panel()->loadPlanFile(plan))
            return; // errorShown exits
        window.plans().apply(QStringLiteral("soak"));
    });
    QObject::connect(&window.plans(), &gui::PlanController::variantAdded, &app, [&] {
        if (distill.isRunning())
            return;
        auto settings = distill.panel()->settings();
        settings.student = QStringLiteral("soak");
        settings.steps = 1'000'000;
        settings.learningRate = 1e-4;
        settings.batchSize = 2;
        settings.seqLen = 64;
        settings.runFolder = runFolder;
        distill.panel()->setSettings(settings);
        window.showView(QStringLiteral("distill"));
        if (!distill.start())
            return;
        runStartMs = double(clock.elapsed());
        ticker.start(2);
        sampler.start(int(interval * 1000));
        QTimer::singleShot(qint64(seconds * 1000), &app, [&] {
            sampler.stop();
            ticker.stop();
            distill.cancel();
        });
    });
    QObject::connect(&distill, &gui::DistillController::stopped, &app,
                     [&](const QString&, qint64 checkpointStep) {
                         const double drift =
                             firstRss > 0 ? 100.0 * (lastRss - firstRss) / firstRss : 0.0;
                         printLine({{"type", "summary"},
                                    {"seconds", (double(clock.elapsed()) - runStartMs) / 1000.0},
                                    {"samples", samples},
                                    {"rss_first_mb", firstRss},
                                    {"rss_last_mb", lastRss},
                                    {"rss_drift_percent", drift},
                                    {"worst_stall_ms", double(worstOverall) / 1e6},
                                    {"stalls_over_50ms", ticksOver50},
                                    {"checkpoint_step", checkpointStep}});
                         app.exit(exitCode);
                     });
    QObject::connect(&distill, &gui::DistillController::finished, &app, [&] {
        std::fprintf(stderr, "soak_gui: the run ended before the soak did\n");
        app.exit(1);
    });
    window.openModel(model);
    return app.exec();
}
