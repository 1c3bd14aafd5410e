// anatomist-cli train killed with SIGKILL after a checkpoint, then resumed, ends with the same
// parameters as an uninterrupted run of the same steps (within 1e-6), and its log is one curve.
#include "io/safetensors.h"
#include "log_events.h"
#include "test_support.h"

#include <QObject>
#include <QProcess>
#include <QTest>
#include <fstream>
#include <signal.h>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

void writeIdsFile(const fs::path& file) {
    nlohmann::json docs = nlohmann::json::array();
    for (int d = 0; d < 60; ++d) {
        nlohmann::json doc = nlohmann::json::array();
        const int step = 1 + d % 5, length = 20 + (d * 13) % 40;
        for (int i = 0; i < length; ++i)
            doc.push_back((d + i * step) % 40);
        docs.push_back(doc);
    }
    anatomist::test::writeText(file, docs.dump());
}

std::vector<std::string> trainArgs(const fs::path& ids, const fs::path& out, const fs::path& log,
                                   int steps = 120) {
    return {"train",
            "--ids",
            ids.string(),
            "--layers",
            "2",
            "--hidden",
            "64",
            "--heads",
            "4",
            "--steps",
            std::to_string(steps),
            "--batch",
            "8",
            "--seq",
            "32",
            "--lr",
            "3e-3",
            "--seed",
            "11",
            "--checkpoint-every",
            "10",
            "--eval-fraction",
            "0.1",
            "--eval-every",
            "40",
            "--threads",
            "1",
            "--quiet",
            "--out",
            out.string(),
            "--log",
            log.string()};
}

QStringList toQt(const std::vector<std::string>& args) {
    QStringList list;
    for (const auto& a : args)
        list << QString::fromStdString(a);
    return list;
}

int64_t lastTrainStep(const std::vector<nlohmann::json>& events) {
    int64_t step = 0;
    for (const auto& e : events)
        if (e["type"] == "train_step")
            step = e["step"].get<int64_t>();
    return step;
}

// Started `anatomist-cli` runs until `file` exists (the trainer writes it atomically) or it ends.
// QTRY_ waits in the event loop instead of sleeping.
#define WAIT_FOR_FILE_OR_EXIT(process, file)                                                       \
    QTRY_VERIFY_WITH_TIMEOUT(fs::exists(file) || (process).state() != QProcess::Running, 60000)

} // namespace

class TestTrainResume : public QObject {
    Q_OBJECT

private slots:
    void killedRunResumesOnTheSameCurve() {
        anatomist::test::TempDir dir;
        writeIdsFile(dir / "ids.json");

        const auto whole = anatomist::test::runCli(
            trainArgs(dir / "ids.json", dir / "whole", dir / "whole.jsonl"), 170);
        QVERIFY2(whole.exitCode == 0, whole.err.c_str());

        // The same run, killed (SIGKILL) once its first checkpoint is on disk.
        QProcess process;
        process.start(QString::fromStdString(anatomist::test::cliPath().string()),
                      toQt(trainArgs(dir / "ids.json", dir / "killed", dir / "killed.jsonl")));
        QVERIFY(process.waitForStarted(30000));
        const auto checkpoint = dir / "killed" / "train_state.safetensors";
        WAIT_FOR_FILE_OR_EXIT(process, checkpoint);
        QVERIFY2(process.state() == QProcess::Running, "the run ended before it could be killed");
        process.kill(); // SIGKILL
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        QVERIFY(fs::exists(checkpoint));
        QVERIFY(!fs::exists(dir / "killed" / "model.safetensors"));

        const auto resumed = anatomist::test::runCli(
            {"train", "--resume", (dir / "killed").string(), "--threads", "1", "--quiet", "--json"},
            170);
        QVERIFY2(resumed.exitCode == 0, resumed.err.c_str());
        QCOMPARE(resumed.json()["steps"].get<int>(), 120);

        const auto a = core::SafetensorsCheckpoint::open(dir / "whole" / "model.safetensors");
        const auto b = core::SafetensorsCheckpoint::open(dir / "killed" / "model.safetensors");
        QCOMPARE(a.names(), b.names());
        double worst = 0;
        std::string where;
        for (const auto& name : a.names()) {
            const double d = (a.load(name) - b.load(name)).abs().max().item<double>();
            if (d > worst) {
                worst = d;
                where = name;
            }
        }
        ANATOMIST_COMPARE_NEAR(worst, 0.0, 1e-6, "worst parameter difference at " + where);

        // The resumed log holds each step once and ends on the uninterrupted curve.
        const auto wholeLog = test::readWholeLog(dir / "whole.jsonl"),
                   killedLog = test::readWholeLog(dir / "killed.jsonl");
        std::vector<double> wholeLosses, killedLosses;
        for (const auto& e : wholeLog)
            if (e["type"] == "train_step")
                wholeLosses.push_back(e["loss"].get<double>());
        for (const auto& e : killedLog)
            if (e["type"] == "train_step") {
                QCOMPARE(e["step"].get<std::size_t>(), killedLosses.size() + 1);
                killedLosses.push_back(e["loss"].get<double>());
            }
        QCOMPARE(killedLosses.size(), std::size_t(120));
        for (std::size_t i = 0; i < wholeLosses.size(); ++i)
            ANATOMIST_COMPARE_NEAR(killedLosses[i], wholeLosses[i], 1e-6,
                                   "loss at step " + std::to_string(i + 1));
    }

    // Promptness without a clock: the run is frozen (SIGSTOP) while its flushed log is read, then
    // SIGTERM and SIGCONT; the cancel flag is set before it runs again, so at most the step in
    // flight completes. The cancelled checkpoint is of the last whole step.
    void cancelStopsAtTheNextStepAndKeepsTheCheckpoint() {
        anatomist::test::TempDir dir;
        writeIdsFile(dir / "ids.json");
        QProcess process;
        process.start(QString::fromStdString(anatomist::test::cliPath().string()),
                      toQt(trainArgs(dir / "ids.json", dir / "run", dir / "run.jsonl", 100000)));
        QVERIFY(process.waitForStarted(30000));
        const auto checkpoint = dir / "run" / "train_state.safetensors";
        WAIT_FOR_FILE_OR_EXIT(process, checkpoint);
        QVERIFY2(process.state() == QProcess::Running,
                 "the run ended before it could be cancelled");

        const auto pid = static_cast<pid_t>(process.processId());
        QCOMPARE(::kill(pid, SIGSTOP), 0);
        const int64_t loggedWhenSignalled = lastTrainStep(test::readWholeLog(dir / "run.jsonl"));
        QVERIFY(loggedWhenSignalled >= 10); // the first checkpoint is written at step 10
        QCOMPARE(::kill(pid, SIGTERM), 0);  // → the job context's cancel flag
        QCOMPARE(::kill(pid, SIGCONT), 0);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);

        const auto log = test::readWholeLog(dir / "run.jsonl");
        const int64_t lastStep = lastTrainStep(log);
        QVERIFY2(lastStep <= loggedWhenSignalled + 1,
                 qPrintable(QStringLiteral("%1 steps logged when signalled, %2 at the end")
                                .arg(loggedWhenSignalled)
                                .arg(lastStep)));
        QVERIFY(!log.empty());
        const auto& final = log.back();
        QCOMPARE(final["type"].get<std::string>(), std::string("train_checkpoint"));
        QCOMPARE(final.value("cancelled", false), true);
        QCOMPARE(final["step"].get<int64_t>(), lastStep);

        const auto state = core::SafetensorsCheckpoint::open(checkpoint); // intact and readable
        QVERIFY(state.contains("param.model.embed_tokens.weight"));
        const auto file = core::SafetensorsFile::open(checkpoint);
        const auto meta = nlohmann::json::parse(file->metadata().at("anatomist.train_state"));
        QCOMPARE(meta["step"].get<int64_t>(), lastStep);
    }
};

QTEST_GUILESS_MAIN(TestTrainResume)
#include "tst_train_resume.moc"
