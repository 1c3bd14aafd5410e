// Data-parallel distillation on c10d Gloo over loopback (issue 17): stories260K minus its layer 2,
// the same global batch on 1 and 2 processes gives the same losses and the same final weights, and
// the held-out perplexities (sharded over the ranks, 7 documents for 2 ranks) equal the single
// process's; the gradients are summed in buckets started from backward (the default) or in one
// bucket after it (--bucket-kb 0, the killed-rank run), and both give the single process's curve;
// SIGINT to one rank stops both after the same step with rank 0's cancel checkpoint of that step;
// a rank killed mid-run makes the other stop with a clear error within the (short) c10d timeout;
// resuming either on 2 processes continues the uninterrupted curve; ranks join a store served by
// torchrun's agent; a batch that does not split, an unreachable master and CUDA on a libtorch
// without it are clear errors.
//
// The single-process run every comparison is against is made once, in initTestCase, so that each
// test function also runs alone (`tst_distill_parallel killedRankStopsTheOtherAndResumeContinues`).
#include "distill_test_models.h"
#include "io/safetensors.h"
#include "log_events.h"
#include "test_support.h"
#include "train/trainer.h"

#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>
#include <arpa/inet.h>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <thread>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/cuda.h>
#include <unistd.h>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

fs::path stories() {
    return test::sharedDir() / "models" / "stories260K";
}
fs::path corpus() {
    return test::sharedDir() / "data" / "stories_a.txt";
}

constexpr int kSteps = 24;

// Loss of every logged step (rank 0's log is the run's).
std::map<int, double> stepLosses(const fs::path& log) {
    std::map<int, double> losses;
    for (const auto& e : test::logEvents(log, "train_step"))
        losses[e["step"].get<int>()] = e["loss"].get<double>();
    return losses;
}

// Until `log` shows step `step` or `rank0` ends (at most 240 s): the moment to signal a rank.
void waitForStep(const fs::path& log, const QProcess& rank0, int step) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (std::chrono::steady_clock::now() < until && rank0.state() == QProcess::Running) {
        const auto losses = stepLosses(log);
        if (!losses.empty() && losses.rbegin()->first >= step)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// The last `count` documents of the corpus (blank-line separated) as a held-out file: an odd
// number, so that 2 ranks get shares of different sizes.
void writeHeldOut(const fs::path& file, int count) {
    const auto text = test::readText(corpus());
    std::vector<std::string> documents;
    std::size_t begin = 0;
    while (begin < text.size()) {
        auto end = text.find("\n\n", begin);
        if (end == std::string::npos)
            end = text.size();
        if (end > begin)
            documents.push_back(text.substr(begin, end - begin));
        begin = end + 2;
    }
    std::string out;
    for (std::size_t i = documents.size() - std::size_t(count); i < documents.size(); ++i)
        out += documents[i] + "\n\n";
    test::writeText(file, out);
}

std::vector<std::string> distillArgs(const fs::path& student, const fs::path& heldOut,
                                     const fs::path& out, const fs::path& log) {
    return {"distill", "--teacher", stories().string(), "--student", student.string(), "--data",
            corpus().string(), "--eval", heldOut.string(), "--eval-every", "12", "--steps",
            std::to_string(kSteps), "--batch", "4", "--seq", "32", "--accum", "2", "--lr", "2e-3",
            "--gamma", "0.5", "--delta", "0.1", "--checkpoint-every", "4", "--threads", "1",
            "--quiet", "--dist-timeout", "20",
            // float64: the split of a batch over ranks must change nothing but rounding, and in
            // float32 AdamW's first steps amplify that rounding for tiny gradients (≈1e-4 here).
            "--dtype", "float64", "--out", out.string(), "--log", log.string()};
}

void compareCurves(const std::map<int, double>& expected, const std::map<int, double>& actual,
                   const char* what) {
    QVERIFY2(expected.size() == std::size_t(kSteps), what);
    QVERIFY2(actual.size() == expected.size(), what);
    for (const auto& [step, loss] : expected) {
        QVERIFY2(actual.count(step), what);
        const double diff = std::abs(actual.at(step) - loss);
        QVERIFY2(diff <= 1e-5, (std::string(what) + ": step " + std::to_string(step) + " loss " +
                                std::to_string(actual.at(step)) + " vs " + std::to_string(loss))
                                   .c_str());
    }
}

double maxWeightDifference(const fs::path& a, const fs::path& b) {
    const auto x = core::SafetensorsCheckpoint::open(a / "model.safetensors");
    const auto y = core::SafetensorsCheckpoint::open(b / "model.safetensors");
    if (x.names() != y.names())
        return INFINITY;
    double worst = 0;
    for (const auto& name : x.names())
        worst = std::max(worst, (x.load(name, torch::kFloat64) - y.load(name, torch::kFloat64))
                                    .abs()
                                    .max()
                                    .item<double>());
    return worst;
}

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// One rank started by hand, the way torchrun would (`agentStore`: as torchrun's default static
// rendezvous does, whose agent serves the store at MASTER_PORT).
void startRank(QProcess& process, const std::vector<std::string>& args, int rank, int world,
               int port, bool agentStore = false) {
    auto env = QProcessEnvironment::systemEnvironment();
    if (agentStore) {
        env.insert("TORCHELASTIC_USE_AGENT_STORE", "True");
        env.insert("TORCHELASTIC_RESTART_COUNT", "0");
    }
    env.insert("RANK", QString::number(rank));
    env.insert("LOCAL_RANK", QString::number(rank));
    env.insert("WORLD_SIZE", QString::number(world));
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", QString::number(port));
    process.setProcessEnvironment(env);
    QStringList list;
    for (const auto& a : args)
        list << QString::fromStdString(a);
    process.start(QString::fromStdString(test::cliPath().string()), list);
}

} // namespace

class TestDistillParallel : public QObject {
    Q_OBJECT

private:
    test::TempDir m_dir;
    fs::path m_student;
    fs::path m_heldOut;
    fs::path m_one, m_oneLog; // the single-process run of distillArgs: every test's reference

    std::vector<std::string> args(const std::string& name) const {
        return distillArgs(m_student, m_heldOut, m_dir / name, m_dir / (name + ".jsonl"));
    }

private slots:
    void initTestCase() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        ANATOMIST_REQUIRE_SHARED("data/stories_a.txt");
        m_student = m_dir / "student";
        test::writeFolderWithoutLayer(stories(), 2, m_student);
        m_heldOut = m_dir / "heldout.txt";
        writeHeldOut(m_heldOut, 7);
        m_one = m_dir / "one";
        m_oneLog = m_dir / "one.jsonl";
        const auto one = test::runCli(args("one"), 300);
        QVERIFY2(one.exitCode == 0, one.err.c_str());
        QCOMPARE(stepLosses(m_oneLog).size(), std::size_t(kSteps));
    }

    void twoProcessesMatchOne() {
        auto two = args("two");
        two.insert(two.end(), {"--nproc", "2", "--json"});
        const auto result = test::runCli(two, 300);
        QVERIFY2(result.exitCode == 0, result.err.c_str());
        // One summary (rank 0's), for the global batch.
        QCOMPARE(result.json()["steps"].get<int>(), kSteps);
        compareCurves(stepLosses(m_oneLog), stepLosses(m_dir / "two.jsonl"), "1 vs 2 processes");
        const double diff = maxWeightDifference(m_one, m_dir / "two");
        QVERIFY2(diff <= 1e-5, ("final weights differ by " + std::to_string(diff)).c_str());
        // The sums overlapped backward: float64 gradients of ~1.6 MB in 1 MB buckets, the first
        // started from a gradient hook in every step.
        for (const auto& e : test::logEvents(m_dir / "two.jsonl", "train_step")) {
            QCOMPARE(e["allreduce_buckets"].get<int>(), 2);
            QVERIFY2(e["allreduce_buckets_in_backward"].get<int>() >= 1, e.dump().c_str());
        }
        // The weights did move: the comparison is not between two copies of the student.
        const double moved = maxWeightDifference(m_student, m_one);
        QVERIFY2(moved > 1e-3, std::to_string(moved).c_str());
    }

    // Each rank scores its share of the 7 held-out documents (4 and 3); the summed NLL and token
    // counts give the single process's perplexity. Before the first step both runs hold the same
    // weights, so the reference perplexities (teacher and student) agree to 1e-9; after training
    // the weights differ by the rounding of the split batch (≤ 1e-5 above), so the evaluations
    // agree to 1e-6 relative, and count the same tokens.
    void shardedHeldOutMatchesOne() {
        const auto two = m_dir / "two.jsonl";
        if (!fs::exists(two))
            twoProcessesMatchOne();
        const auto oneRef = test::logEvents(m_oneLog, "train_reference");
        const auto twoRef = test::logEvents(two, "train_reference");
        QCOMPARE(oneRef.size(), std::size_t(1));
        QCOMPARE(twoRef.size(), std::size_t(1));
        for (const char* key : {"teacher_perplexity", "student_perplexity"}) {
            const double a = oneRef[0][key].get<double>(), b = twoRef[0][key].get<double>();
            QVERIFY2(a > 1 && std::abs(a - b) <= 1e-9,
                     (std::string(key) + ": " + nlohmann::json(a).dump() + " vs " +
                      nlohmann::json(b).dump())
                         .c_str());
        }
        const auto oneEval = test::logEvents(m_oneLog, "train_eval");
        const auto twoEval = test::logEvents(two, "train_eval");
        QCOMPARE(oneEval.size(), std::size_t(2)); // steps 12 and 24
        QCOMPARE(twoEval.size(), oneEval.size());
        for (std::size_t i = 0; i < oneEval.size(); ++i) {
            QCOMPARE(twoEval[i]["step"].get<int>(), oneEval[i]["step"].get<int>());
            // Every target counted once over the ranks: not twice, not one rank's share.
            QCOMPARE(twoEval[i]["tokens"].get<int64_t>(), oneEval[i]["tokens"].get<int64_t>());
            // Here the weights already differ by the rounding of 1 vs 2 processes (see above).
            const double a = oneEval[i]["perplexity"].get<double>();
            const double b = twoEval[i]["perplexity"].get<double>();
            QVERIFY2(std::abs(a - b) <= 1e-6 * a,
                     (nlohmann::json(a).dump() + " vs " + nlohmann::json(b).dump() + " at step " +
                      oneEval[i]["step"].dump())
                         .c_str());
        }
    }

    // SIGINT to rank 1 alone (a launcher may signal one process): its cancel flag travels with the
    // step's loss terms, so both ranks stop after the same step, rank 0 writes the cancel
    // checkpoint of that step, and resuming on 2 processes continues the uninterrupted curve.
    void cancelledRankStopsBothAfterOneStep() {
        const auto out = m_dir / "cancel";
        const auto log = m_dir / "cancel.jsonl";
        const auto args = this->args("cancel");
        const int port = freePort();
        QProcess rank0, rank1;
        startRank(rank0, args, 0, 2, port);
        startRank(rank1, args, 1, 2, port);
        QVERIFY(rank0.waitForStarted(30000) && rank1.waitForStarted(30000));
        waitForStep(log, rank0, 5);
        QVERIFY2(rank0.state() == QProcess::Running, "rank 0 finished before the cancel");
        ::kill(pid_t(rank1.processId()), SIGINT);
        QVERIFY2(rank1.waitForFinished(60000), "rank 1 does not stop");
        QVERIFY2(rank0.waitForFinished(60000), "rank 0 does not stop");
        // Both cancelled (exit status 130, as a cancelled single process), not failed.
        const std::string err0 = rank0.readAllStandardError().toStdString();
        const std::string err1 = rank1.readAllStandardError().toStdString();
        QCOMPARE(rank0.exitStatus(), QProcess::NormalExit);
        QCOMPARE(rank1.exitStatus(), QProcess::NormalExit);
        QVERIFY2(rank0.exitCode() == 130, err0.c_str());
        QVERIFY2(rank1.exitCode() == 130, err1.c_str());
        auto stoppedAt = [](const std::string& err) {
            const std::string key = "cancelled after step ";
            const auto at = err.find(key);
            return at == std::string::npos ? -1 : std::atoi(err.c_str() + at + key.size());
        };
        const int step = stoppedAt(err0);
        QVERIFY2(step >= 5 && step < kSteps, err0.c_str());
        QVERIFY2(stoppedAt(err1) == step, (err0 + " / " + err1).c_str());
        QVERIFY2(err0.find("all 2 processes stopped there") != std::string::npos, err0.c_str());
        // Rank 0's checkpoint and log end at that step.
        const auto meta = core::readTrainCheckpointMeta(out / "train_state.safetensors");
        QCOMPARE(meta["step"].get<int>(), step);
        QCOMPARE(stepLosses(log).rbegin()->first, step);
        const auto checkpoints = test::logEvents(log, "train_checkpoint");
        QVERIFY(!checkpoints.empty());
        QCOMPARE(checkpoints.back()["step"].get<int>(), step);
        QCOMPARE(checkpoints.back().value("cancelled", false), true);
        QVERIFY(!fs::exists(out / "model.safetensors"));

        const auto resumed = test::runCli({"distill", "--resume", out.string(), "--nproc", "2",
                                           "--dist-timeout", "20", "--quiet", "--json"},
                                          300);
        QVERIFY2(resumed.exitCode == 0, resumed.err.c_str());
        QCOMPARE(resumed.json()["steps"].get<int>(), kSteps);
        compareCurves(stepLosses(m_oneLog), stepLosses(log), "cancelled and resumed");
        const double diff = maxWeightDifference(m_one, out);
        QVERIFY2(diff <= 1e-5, ("final weights differ by " + std::to_string(diff)).c_str());
    }

    // Also the plain all-reduce (--bucket-kb 0: one bucket after backward).
    void killedRankStopsTheOtherAndResumeContinues() {
        const auto out = m_dir / "killed";
        const auto log = m_dir / "killed.jsonl";
        auto args = this->args("killed");
        args.insert(args.end(), {"--bucket-kb", "0"});
        const int port = freePort();
        QProcess rank0, rank1;
        startRank(rank0, args, 0, 2, port);
        startRank(rank1, args, 1, 2, port);
        QVERIFY(rank0.waitForStarted(30000) && rank1.waitForStarted(30000));
        // Kill rank 1 once a checkpoint exists and the run is past it.
        waitForStep(log, rank0, 6);
        QVERIFY2(rank0.state() == QProcess::Running, "rank 0 finished before the kill");
        ::kill(pid_t(rank1.processId()), SIGKILL);
        rank1.waitForFinished(10000);
        const auto killedAt = std::chrono::steady_clock::now();
        QVERIFY2(rank0.waitForFinished(60000), "rank 0 hangs after its peer died");
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - killedAt).count();
        QVERIFY2(seconds < 30, std::to_string(seconds).c_str());
        QVERIFY(rank0.exitCode() != 0);
        const auto err = rank0.readAllStandardError().toStdString();
        QVERIFY2(err.find("distributed run, rank 0 of 2") != std::string::npos, err.c_str());
        QVERIFY2(err.find("another rank died") != std::string::npos, err.c_str());
        QVERIFY(fs::exists(out / "train_state.safetensors"));
        QVERIFY(!fs::exists(out / "model.safetensors"));
        QVERIFY(stepLosses(log).size() < std::size_t(kSteps));
        for (const auto& e : test::logEvents(log, "train_step"))
            QCOMPARE(e["allreduce_buckets_in_backward"].get<int>(), 0);

        const auto resumed = test::runCli({"distill", "--resume", out.string(), "--nproc", "2",
                                           "--dist-timeout", "20", "--quiet", "--json"},
                                          300);
        QVERIFY2(resumed.exitCode == 0, resumed.err.c_str());
        QCOMPARE(resumed.json()["steps"].get<int>(), kSteps);
        // The trimmed log plus the resumed steps are the uninterrupted curve.
        compareCurves(stepLosses(m_oneLog), stepLosses(log), "killed and resumed");
        const double diff = maxWeightDifference(m_one, out);
        QVERIFY2(diff <= 1e-5, ("final weights differ by " + std::to_string(diff)).c_str());
    }

    // torchrun --master_addr A --master_port P (its default static rendezvous): the agent serves
    // the store at P (here the test does, as c10d's TCPStore) and the ranks join it as clients;
    // rank 0 serving P itself would fail with "address in use". Step 1's loss is the single
    // process's (no update yet).
    void torchrunAgentStoreIsJoined() {
        const int port = freePort();
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(port);
        options.isServer = true;
        options.waitWorkers = false;
        options.timeout = std::chrono::seconds(20);
        c10d::TCPStore agent("127.0.0.1", options);
        auto args = this->args("agent");
        for (std::size_t i = 0; i + 1 < args.size(); ++i)
            if (args[i] == "--steps")
                args[i + 1] = "2";
        QProcess rank0, rank1;
        startRank(rank0, args, 0, 2, port, true);
        startRank(rank1, args, 1, 2, port, true);
        QVERIFY(rank0.waitForFinished(120000) && rank1.waitForFinished(120000));
        const auto err0 = rank0.readAllStandardError().toStdString();
        QVERIFY2(rank0.exitCode() == 0, err0.c_str());
        QVERIFY2(rank1.exitCode() == 0, rank1.readAllStandardError().constData());
        const auto losses = stepLosses(m_dir / "agent.jsonl");
        QCOMPARE(losses.size(), std::size_t(2));
        QVERIFY2(std::abs(losses.at(1) - stepLosses(m_oneLog).at(1)) <= 1e-5,
                 std::to_string(losses.at(1)).c_str());
        QVERIFY(fs::exists(m_dir / "agent" / "model.safetensors"));
    }

    void badSetupsAreClearErrors() {
        auto oddArgs = args("odd");
        oddArgs.insert(oddArgs.end(), {"--nproc", "3"});
        const auto odd = test::runCli(oddArgs, 120);
        QVERIFY(odd.exitCode != 0);
        QVERIFY2(odd.err.find("cannot be split evenly over 3 processes") != std::string::npos,
                 odd.err.c_str());
        QVERIFY(!fs::exists(m_dir / "odd" / "train_state.safetensors"));

        // Rank 1 of 2 with nobody serving the port: an error naming the master, not a hang.
        QProcess lonely;
        auto lonelyArgs = args("lonely");
        for (std::size_t i = 0; i + 1 < lonelyArgs.size(); ++i)
            if (lonelyArgs[i] == "--dist-timeout")
                lonelyArgs[i + 1] = "2";
        const int port = freePort();
        startRank(lonely, lonelyArgs, 1, 2, port);
        QVERIFY(lonely.waitForFinished(60000));
        QVERIFY(lonely.exitCode() != 0);
        const auto err = lonely.readAllStandardError().toStdString();
        QVERIFY2(err.find("cannot reach the master") != std::string::npos, err.c_str());
        QVERIFY2(err.find("127.0.0.1:" + std::to_string(port)) != std::string::npos, err.c_str());

        // A rank outside the world: named, before any connection is tried.
        QProcess outside;
        startRank(outside, lonelyArgs, 2, 2, port);
        QVERIFY(outside.waitForFinished(60000));
        QVERIFY(outside.exitCode() != 0);
        const auto outsideErr = outside.readAllStandardError().toStdString();
        QVERIFY2(
            outsideErr.find("environment variable RANK='2': expected an integer from 0 to 1") !=
                std::string::npos,
            outsideErr.c_str());

        if (!torch::cuda::is_available()) {
            auto cuda = args("cuda");
            cuda.insert(cuda.end(), {"--device", "cuda"});
            const auto result = test::runCli(cuda, 120);
            QVERIFY(result.exitCode != 0);
            QVERIFY2(result.err.find("this libtorch has no CUDA") != std::string::npos,
                     result.err.c_str());
        }
        auto bad = args("bad");
        bad.insert(bad.end(), {"--device", "gpu"});
        const auto result = test::runCli(bad, 120);
        QVERIFY(result.exitCode != 0);
        QVERIFY2(result.err.find("expected cpu, cuda or cuda:N") != std::string::npos,
                 result.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDistillParallel)
#include "tst_distill_parallel.moc"
