// The distillation page's Device setting (issue 17): its entries are what the libtorch in use
// offers (this build's libtorch, asked here directly: with no CUDA, the CPU plus one disabled CUDA
// entry whose tooltip says why), the choice is remembered in QSettings, and it reaches the run: an
// in-process run stores it in its checkpoint's run document, and a CUDA device asked of a libtorch
// without CUDA fails with core's own message both in the window's process and through
// `anatomist-cli distill --nproc 2 --device ...` (so the flag was passed). The window's own runs
// use the in-repository demo model.

#include "distill_controller.h"
#include "main_window.h"
#include "test_support.h"
#include "train/trainer.h"
#include "variant_test_support.h"
#include "widgets/distill_panel.h"
#include "window_test_support.h"

#include <QComboBox>
#include <QSettings>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QtTest>
#include <torch/cuda.h>

using namespace anatomist;

namespace {

std::filesystem::path demoFolder() {
    return test::sourceDir() / "resources/demo/model";
}

QStringList deviceData(const QComboBox& box) {
    QStringList out;
    for (int i = 0; i < box.count(); ++i)
        out << box.itemData(i).toString();
    return out;
}

bool itemEnabled(const QComboBox& box, int index) {
    const auto* items = qobject_cast<const QStandardItemModel*>(box.model());
    return items && items->item(index)->isEnabled();
}

void tinySettings(widgets::DistillPanel& panel, const QString& folder, int processes,
                  const QString& device) {
    auto s = panel.settings();
    s.steps = 2;
    s.seqLen = 32;
    s.batchSize = 2;
    s.learningRate = 1e-3;
    s.processes = processes;
    s.runFolder = folder;
    s.device = device;
    panel.setSettings(s);
}

} // namespace

class TestDistillDevice : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistDistillDeviceTest"), m_settings.path());
        qputenv("OMP_NUM_THREADS", "1");
    }

    void init() { QSettings().clear(); }

    // The window's list is this libtorch's: compared with torch::cuda directly.
    void entriesFollowLibtorch() {
        gui::MainWindow window;
        window.setInteractive(false);
        const auto* box = window.distill().panel()->deviceBox();
        QCOMPARE(box->itemData(0).toString(), QStringLiteral("cpu"));
        QVERIFY(itemEnabled(*box, 0));
        QCOMPARE(box->currentData().toString(), QStringLiteral("cpu"));
        const int cuda = torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
        if (cuda == 0) {
            QCOMPARE(deviceData(*box), (QStringList{"cpu", "cuda"}));
            QVERIFY(!itemEnabled(*box, 1));
            const QString reason = box->itemData(1, Qt::ToolTipRole).toString();
            QVERIFY2(reason.contains(QStringLiteral("no CUDA")), qPrintable(reason));
        } else {
            QCOMPARE(box->count(), 1 + cuda);
            for (int i = 0; i < cuda; ++i) {
                QCOMPARE(box->itemData(1 + i).toString(), QStringLiteral("cuda:%1").arg(i));
                QVERIFY(itemEnabled(*box, 1 + i));
            }
        }
    }

    // Remembered in QSettings; a remembered device this libtorch lacks falls back to the CPU.
    void choiceIsRemembered() {
        {
            widgets::DistillPanel panel;
            panel.setCudaDevices(2, {});
            QCOMPARE(deviceData(*panel.deviceBox()), (QStringList{"cpu", "cuda:0", "cuda:1"}));
            auto s = panel.settings();
            s.device = QStringLiteral("cuda:1");
            panel.setSettings(s);
            QCOMPARE(panel.settings().device, QStringLiteral("cuda:1"));
            panel.saveSettings();
        }
        QCOMPARE(QSettings().value(QStringLiteral("distill/device")).toString(),
                 QStringLiteral("cuda:1"));
        widgets::DistillPanel same;
        same.setCudaDevices(2, {});
        same.restoreSettings();
        QCOMPARE(same.settings().device, QStringLiteral("cuda:1"));
        widgets::DistillPanel without;
        without.setCudaDevices(0, QStringLiteral("none here"));
        without.restoreSettings();
        QCOMPARE(without.settings().device, QStringLiteral("cpu"));
        // The disabled entry cannot be chosen through the settings either.
        auto s = without.settings();
        s.device = QStringLiteral("cuda");
        without.setSettings(s);
        QCOMPARE(without.settings().device, QStringLiteral("cpu"));
    }

    // The chosen device reaches core: stored in the in-process run's document; asked of a
    // libtorch without CUDA (the panel told it has one), refused by core in the window's process
    // and by the ranks the CLI starts.
    void deviceIsPassedToRuns() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(!test::variantWithoutLayer2(window, demoFolder()).isEmpty());
        auto& distill = window.distill();
        distill.setCliProgram(QString::fromStdString(test::cliPath().string()));
        auto* panel = distill.panel();

        const QString cpuFolder = m_runs.filePath(QStringLiteral("cpu"));
        tinySettings(*panel, cpuFolder, 1, QStringLiteral("cpu"));
        QSignalSpy finished(&distill, &gui::DistillController::finished);
        QSignalSpy failed(&distill, &gui::DistillController::failed);
        QVERIFY(distill.start());
        QVERIFY2(
            finished.wait(120000),
            qPrintable(failed.isEmpty() ? panel->statusText() : failed.first().at(1).toString()));
        QTRY_VERIFY(!distill.isRunning());
        const auto meta =
            core::readTrainCheckpointMeta(cpuFolder.toStdString() + "/train_state.safetensors");
        QCOMPARE(meta["extra"]["device"].get<std::string>(), std::string("cpu"));

        // The refusal needs a libtorch without CUDA (Debian's; a CUDA build would run instead).
        if (torch::cuda::is_available())
            return;
        panel->setCudaDevices(1, {}); // as on a CUDA machine
        for (const int processes : {1, 2}) {
            const QString folder = m_runs.filePath(QStringLiteral("cuda%1").arg(processes));
            tinySettings(*panel, folder, processes, QStringLiteral("cuda:0"));
            QCOMPARE(panel->settings().device, QStringLiteral("cuda:0"));
            failed.clear();
            QVERIFY(distill.start());
            QVERIFY2(failed.wait(120000), qPrintable(panel->statusText()));
            const QString message = failed.first().at(1).toString();
            QVERIFY2(message.contains(QStringLiteral("device 'cuda:0': this libtorch has no CUDA")),
                     qPrintable(message));
            QTRY_VERIFY(!distill.isRunning());
        }
    }

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_runs;
};

QTEST_MAIN(TestDistillDevice)
#include "tst_distill_device.moc"
