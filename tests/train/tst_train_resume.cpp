// anatomist-cli train killed with SIGKILL after a checkpoint, then resumed, ends with the same
// parameters as an uninterrupted run of the same steps (within 1e-6), and its log is one curve.
#include "test_support.h"

#include "io/safetensors.h"

#include <QObject>
#include <QProcess>
#include <QTest>

#include <chrono>
#include <fstream>
#include <thread>

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

std::vector<std::string> trainArgs(const fs::path& ids, const fs::path& out, const fs::path& log) {
    return {"train", "--ids", ids.string(), "--layers", "2", "--hidden", "64", "--heads", "4",
            "--steps", "120", "--batch", "8", "--seq", "32", "--lr", "3e-3", "--seed", "11",
            "--checkpoint-every", "10", "--eval-fraction", "0.1", "--eval-every", "40",
            "--threads", "1", "--quiet", "--out", out.string(), "--log", log.string()};
}

QStringList toQt(const std::vector<std::string>& args) {
    QStringList list;
    for (const auto& a : args)
        list << QString::fromStdString(a);
    return list;
}

std::vector<nlohmann::json> readLog(const fs::path& file) {
    std::vector<nlohmann::json> events;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        events.push_back(nlohmann::json::parse(line));
    return events;
}

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
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!fs::exists(checkpoint) && process.state() == QProcess::Running &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY2(process.state() == QProcess::Running, "the run ended before it could be killed");
        process.kill(); // SIGKILL
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        QVERIFY(fs::exists(checkpoint));
        QVERIFY(!fs::exists(dir / "killed" / "model.safetensors"));

        const auto resumed = anatomist::test::runCli(
            {"train", "--resume", (dir / "killed").string(), "--threads", "1", "--quiet", "--json"}, 170);
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
        const auto wholeLog = readLog(dir / "whole.jsonl"), killedLog = readLog(dir / "killed.jsonl");
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

    void cancelStopsPromptlyAndKeepsTheCheckpoint() {
        anatomist::test::TempDir dir;
        writeIdsFile(dir / "ids.json");
        auto args = trainArgs(dir / "ids.json", dir / "run", dir / "run.jsonl");
        args[10] = "100000"; // --steps: far more than will run
        QProcess process;
        process.start(QString::fromStdString(anatomist::test::cliPath().string()), toQt(args));
        QVERIFY(process.waitForStarted(30000));
        const auto checkpoint = dir / "run" / "train_state.safetensors";
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!fs::exists(checkpoint) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY(fs::exists(checkpoint));
        const auto sent = std::chrono::steady_clock::now();
        process.terminate(); // SIGTERM → the job context's cancel flag
        QVERIFY(process.waitForFinished(10000));
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
        QCOMPARE(process.exitCode(), 130);
        QVERIFY2(seconds < 1.0, qPrintable(QStringLiteral("stopped after %1 s").arg(seconds)));
        const auto state = core::SafetensorsCheckpoint::open(checkpoint); // intact and readable
        QVERIFY(state.contains("param.model.embed_tokens.weight"));
    }
};

QTEST_GUILESS_MAIN(TestTrainResume)
#include "tst_train_resume.moc"
