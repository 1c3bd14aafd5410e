// anatomist-cli distill and lora on stories260K and a student made by removing its layer 2: the
// healed student is a model folder with a variant.json "distillation" record, the layer map comes
// from the student's variant.json, the log carries the reference line and named terms; bad input
// fails before any step; --plan (the teacher pruned in memory) gives the pruned folder's curve; a
// distillation killed with SIGKILL resumes on the same curve; lora writes
// PEFT adapters and a merged model; a teacher-logit cache is made once, reused, and refused for
// another k or with the hidden-state terms.
#include "distill_test_models.h"
#include "io/safetensors.h"
#include "log_events.h"
#include "test_support.h"

#include <QObject>
#include <QProcess>
#include <QTest>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

fs::path stories() {
    return test::sharedDir() / "models" / "stories260K";
}
fs::path corpus() {
    return test::sharedDir() / "data" / "stories_a.txt";
}
fs::path technical() {
    return test::sharedDir() / "data" / "technical.txt";
}

QStringList toQt(const std::vector<std::string>& args) {
    QStringList list;
    for (const auto& a : args)
        list << QString::fromStdString(a);
    return list;
}

// A short run of the logit terms only (a teacher-logit cache takes no hidden-state terms).
std::vector<std::string> logitDistillArgs(const fs::path& student, const fs::path& out,
                                          const fs::path& log, int steps) {
    return {"distill",
            "--teacher",
            stories().string(),
            "--student",
            student.string(),
            "--data",
            corpus().string(),
            "--steps",
            std::to_string(steps),
            "--batch",
            "4",
            "--seq",
            "32",
            "--accum",
            "1",
            "--lr",
            "2e-3",
            "--threads",
            "1",
            "--quiet",
            "--out",
            out.string(),
            "--log",
            log.string()};
}

// With the hidden-state terms and checkpoints every 5 steps.
std::vector<std::string> distillArgs(const fs::path& student, const fs::path& out,
                                     const fs::path& log, int steps) {
    auto args = logitDistillArgs(student, out, log, steps);
    args.insert(args.end(), {"--gamma", "0.5", "--delta", "0.1", "--checkpoint-every", "5"});
    return args;
}

void expectFailsBeforeAnyStep(const std::vector<std::string>& args, const std::string& phrase,
                              const fs::path& out) {
    const auto result = test::runCli(args, 120);
    QVERIFY2(result.exitCode != 0, ("expected a failure: " + phrase).c_str());
    QVERIFY2(result.err.find(phrase) != std::string::npos,
             ("stderr lacks '" + phrase + "': " + result.err).c_str());
    QVERIFY2(!fs::exists(out / "train_state.safetensors"), "a step ran");
}

} // namespace

class TestDistillCli : public QObject {
    Q_OBJECT

private:
    test::TempDir m_dir;
    fs::path m_student;
    fs::path m_heldOut; // the first paragraphs of technical.txt: evaluation stays quick

    fs::path heldOut() const { return m_heldOut; }

private slots:
    void initTestCase() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        ANATOMIST_REQUIRE_SHARED("data/stories_a.txt");
        ANATOMIST_REQUIRE_SHARED("data/technical.txt");
        const auto text = test::readText(technical());
        m_heldOut = m_dir / "heldout.txt";
        test::writeText(m_heldOut, text.substr(0, text.find("\n\n", 6000)));
        m_student = m_dir / "student";
        test::writeFolderWithoutLayer(stories(), 2, m_student);
    }

    void teacherCacheIsMadeOnceAndSaysSo() {
        const auto run = [&](const std::string& name, const std::vector<std::string>& extra) {
            auto args = logitDistillArgs(m_student, m_dir / name, m_dir / (name + ".jsonl"), 2);
            args.insert(args.end(), {"--json", "--teacher-cache", (m_dir / "cache").string()});
            args.insert(args.end(), extra.begin(), extra.end());
            return test::runCli(args, 300);
        };
        for (const bool first : {true, false}) {
            const auto name = first ? std::string("cached1") : std::string("cached2");
            const auto result = run(name, {"--teacher-top-k", "32"});
            QVERIFY2(result.exitCode == 0, result.err.c_str());
            QCOMPARE(result.json()["teacher_logits"].get<std::string>(), std::string("cache"));
            const auto log = test::readWholeLog(m_dir / (name + ".jsonl"));
            const auto source = std::find_if(log.begin(), log.end(), [](const auto& e) {
                return e["type"] == "teacher_logits";
            });
            QVERIFY(source != log.end());
            QCOMPARE((*source)["source"].get<std::string>(), std::string("cache"));
            QCOMPARE((*source)["cache"]["built"].get<bool>(), first);
            QCOMPARE((*source)["cache"]["top_k"].get<int>(), 32);
            QVERIFY(fs::exists(m_dir / "cache" / "teacher_topk.bin"));
        }
        // Another k is refused, naming the file, before any step.
        expectFailsBeforeAnyStep(
            {"distill", "--teacher", stories().string(), "--student", m_student.string(), "--data",
             corpus().string(), "--seq", "32", "--teacher-cache", (m_dir / "cache").string(),
             "--teacher-top-k", "16", "--out", (m_dir / "cached3").string()},
            (m_dir / "cache" / "teacher_topk.bin").string(), m_dir / "cached3");
        // The hidden-state terms need the teacher's layers: no cache for them.
        expectFailsBeforeAnyStep({"distill", "--teacher", stories().string(), "--student",
                                  m_student.string(), "--data", corpus().string(), "--gamma", "0.5",
                                  "--teacher-cache", (m_dir / "cache").string(), "--out",
                                  (m_dir / "cached4").string()},
                                 "hidden-state", m_dir / "cached4");
    }

    void distillWritesAHealedVariant() {
        // The variant record a pruning engine writes: its kept_layers is the layer map.
        test::writeText(m_student / "variant.json",
                        R"({"format":"anatomist-variant","version":1,"base":{"path":"stories260K",)"
                        R"("sha256":"-"},"plan":{"remove_layers":[2]},"kept_layers":[0,1,3,4]})");
        const auto out = m_dir / "healed";
        auto args = distillArgs(m_student, out, m_dir / "healed.jsonl", 10);
        args.insert(args.end(), {"--eval", heldOut().string(), "--eval-every", "5", "--json"});
        const auto result = test::runCli(args, 300);
        fs::remove(m_student / "variant.json");
        QVERIFY2(result.exitCode == 0, result.err.c_str());
        const auto summary = result.json();
        QVERIFY2(summary["layer_map"] == nlohmann::json::array({0, 1, 3, 4}),
                 summary["layer_map"].dump().c_str());
        QCOMPARE(summary["steps"].get<int>(), 10);
        QVERIFY(summary["teacher_perplexity"].get<double>() <
                summary["student_perplexity_before"].get<double>());
        QVERIFY(summary.contains("student_perplexity_after"));

        for (const char* file :
             {"config.json", "model.safetensors", "tokenizer.model", "variant.json"})
            QVERIFY2(fs::exists(out / file), file);
        QCOMPARE(test::readJson(out / "config.json")["num_hidden_layers"].get<int>(), 4);
        const auto variant = test::readJson(out / "variant.json");
        // The student's record is kept and extended.
        QVERIFY2(variant["kept_layers"] == nlohmann::json::array({0, 1, 3, 4}),
                 variant["kept_layers"].dump().c_str());
        QCOMPARE(variant["distillation"]["objective"]["kind"].get<std::string>(),
                 std::string("distill"));
        QCOMPARE(variant["distillation"]["objective"]["gamma"].get<double>(), 0.5);
        QCOMPARE(variant["distillation"]["metrics"]["steps"].get<int>(), 10);

        const auto log = test::readWholeLog(m_dir / "healed.jsonl");
        QCOMPARE(log.front()["type"].get<std::string>(), std::string("train_reference"));
        QVERIFY(log.front()["teacher_perplexity"].get<double>() > 1);
        int steps = 0;
        for (const auto& e : log)
            if (e["type"] == "train_step") {
                ++steps;
                for (const char* term : {"ce", "kl", "hidden", "trajectory"})
                    QVERIFY2(e["terms"].contains(term), term);
            }
        QCOMPARE(steps, 10);
        // The input student is untouched.
        QVERIFY(!fs::exists(m_student / "train_state.safetensors"));

        // The healed folder opens as a model.
        const auto info =
            test::runCli({"eval", out.string(), "--text", heldOut().string(), "--json"}, 120);
        QVERIFY2(info.exitCode == 0, info.err.c_str());
    }

    void badInputFailsBeforeAnyStep() {
        const auto out = m_dir / "bad";
        // A student with another tokenizer (the demo model: also 512 tokens, different pieces).
        auto args = distillArgs(test::sourceDir() / "resources" / "demo" / "model", out,
                                m_dir / "b.jsonl", 5);
        expectFailsBeforeAnyStep(args, "tokenizer differs", out);
        // A deeper student than its teacher, the hidden loss on and no variant record.
        args = distillArgs(stories(), out, m_dir / "b.jsonl", 5);
        args[2] = m_student.string();
        expectFailsBeforeAnyStep(args, "need a layer map", out);
        // A variant record of another base.
        const auto other = m_dir / "other-variant";
        test::copyFolder(m_student, other);
        test::writeText(other / "variant.json",
                        R"({"base":{"parameters":999},"kept_layers":[0,1,2,3]})");
        expectFailsBeforeAnyStep(distillArgs(other, out, m_dir / "b.jsonl", 5), "variant of a base",
                                 out);
        // Empty data.
        test::writeText(m_dir / "empty.txt", "\n\n  \n");
        args = distillArgs(m_student, out, m_dir / "b.jsonl", 5);
        args[6] = (m_dir / "empty.txt").string();
        expectFailsBeforeAnyStep(args, "contains no documents", out);
        // A checkpoint of another kind of run.
        const auto trained = m_dir / "trained";
        const auto train = test::runCli({"train",
                                         "--data",
                                         corpus().string(),
                                         "--tokenizer",
                                         (stories() / "tokenizer.model").string(),
                                         "--layers",
                                         "1",
                                         "--hidden",
                                         "32",
                                         "--steps",
                                         "2",
                                         "--batch",
                                         "2",
                                         "--seq",
                                         "16",
                                         "--checkpoint-every",
                                         "1",
                                         "--quiet",
                                         "--out",
                                         trained.string()},
                                        120);
        QVERIFY2(train.exitCode == 0, train.err.c_str());
        expectFailsBeforeAnyStep({"distill", "--resume", trained.string()},
                                 "not a distillation checkpoint", out);
        // A LoRA target the model does not have.
        expectFailsBeforeAnyStep({"lora", stories().string(), "--data", corpus().string(),
                                  "--targets", "q,query", "--out", out.string()},
                                 "LoRA target 'query' does not exist", out);
    }

    // --plan prunes the teacher in memory: the same student as the pruned folder, so the same
    // curve; the output's variant.json is the pruning record plus "distillation" with the plan.
    void planStudentEqualsThePrunedFolder() {
        const auto plan = m_dir / "remove2.json";
        test::writeText(plan, R"({"format":"anatomist-plan","version":1,)"
                              R"("operations":[{"op":"remove_layers","layers":[2]}]})");
        auto folderArgs =
            distillArgs(m_student, m_dir / "from-folder", m_dir / "from-folder.jsonl", 4);
        folderArgs.insert(folderArgs.end(), {"--layer-map", "0,1,3,4"});
        const auto folder = test::runCli(folderArgs, 300);
        QVERIFY2(folder.exitCode == 0, folder.err.c_str());
        auto planArgs = distillArgs(m_student, m_dir / "from-plan", m_dir / "from-plan.jsonl", 4);
        const auto at = std::find(planArgs.begin(), planArgs.end(), "--student");
        *at = "--plan";
        *(at + 1) = plan.string();
        const auto planned = test::runCli(planArgs, 300);
        QVERIFY2(planned.exitCode == 0, planned.err.c_str());

        std::vector<double> a, b;
        for (const auto& e : test::readWholeLog(m_dir / "from-folder.jsonl"))
            if (e["type"] == "train_step")
                a.push_back(e["loss"].get<double>());
        for (const auto& e : test::readWholeLog(m_dir / "from-plan.jsonl"))
            if (e["type"] == "train_step")
                b.push_back(e["loss"].get<double>());
        QCOMPARE(a.size(), std::size_t(4));
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            ANATOMIST_COMPARE_NEAR(b[i], a[i], 1e-9, "loss at step " + std::to_string(i + 1));

        const auto variant = test::readJson(m_dir / "from-plan" / "variant.json");
        QVERIFY2(variant["kept_layers"] == nlohmann::json::array({0, 1, 3, 4}),
                 variant.dump().c_str());
        QCOMPARE(variant["plan"]["operations"][0]["op"].get<std::string>(),
                 std::string("remove_layers"));
        QCOMPARE(variant["distillation"]["plan"].get<std::string>(), plan.string());
        QVERIFY(variant["distillation"]["student"].is_null());
        QVERIFY2(variant["distillation"]["objective"]["layer_map"] ==
                     nlohmann::json::array({0, 1, 3, 4}),
                 variant["distillation"]["objective"].dump().c_str());
        QCOMPARE(
            test::readJson(m_dir / "from-plan" / "config.json")["num_hidden_layers"].get<int>(), 4);

        auto both = planArgs;
        both.insert(both.end(), {"--student", m_student.string()});
        expectFailsBeforeAnyStep(both, "one of them", m_dir / "both");
    }

    void killedDistillationResumesOnTheSameCurve() {
        const auto whole =
            test::runCli(distillArgs(m_student, m_dir / "whole", m_dir / "whole.jsonl", 40), 300);
        QVERIFY2(whole.exitCode == 0, whole.err.c_str());

        QProcess process;
        process.start(QString::fromStdString(test::cliPath().string()),
                      toQt(distillArgs(m_student, m_dir / "killed", m_dir / "killed.jsonl", 40)));
        QVERIFY(process.waitForStarted(30000));
        const auto checkpoint = m_dir / "killed" / "train_state.safetensors";
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (!fs::exists(checkpoint) && process.state() == QProcess::Running &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY2(process.state() == QProcess::Running, "the run ended before it could be killed");
        process.kill(); // SIGKILL
        QVERIFY(process.waitForFinished(10000));
        QVERIFY(fs::exists(checkpoint));
        QVERIFY(!fs::exists(m_dir / "killed" / "model.safetensors"));

        const auto resumed = test::runCli({"distill", "--resume", (m_dir / "killed").string(),
                                           "--threads", "1", "--quiet", "--json"},
                                          300);
        QVERIFY2(resumed.exitCode == 0, resumed.err.c_str());
        QCOMPARE(resumed.json()["steps"].get<int>(), 40);

        const auto a = core::SafetensorsCheckpoint::open(m_dir / "whole" / "model.safetensors");
        const auto b = core::SafetensorsCheckpoint::open(m_dir / "killed" / "model.safetensors");
        QCOMPARE(a.names(), b.names());
        for (const auto& name : a.names())
            ANATOMIST_COMPARE_NEAR((a.load(name) - b.load(name)).abs().max().item<double>(), 0.0,
                                   1e-6, name);

        std::vector<nlohmann::json> wholeSteps, killedSteps;
        for (const auto& e : test::readWholeLog(m_dir / "whole.jsonl"))
            if (e["type"] == "train_step")
                wholeSteps.push_back(e);
        for (const auto& e : test::readWholeLog(m_dir / "killed.jsonl"))
            if (e["type"] == "train_step") {
                QCOMPARE(e["step"].get<std::size_t>(), killedSteps.size() + 1);
                killedSteps.push_back(e);
            }
        QCOMPARE(killedSteps.size(), std::size_t(40));
        for (std::size_t i = 0; i < wholeSteps.size(); ++i) {
            ANATOMIST_COMPARE_NEAR(killedSteps[i]["loss"].get<double>(),
                                   wholeSteps[i]["loss"].get<double>(), 1e-6,
                                   "loss at step " + std::to_string(i + 1));
            for (const auto& [term, value] : wholeSteps[i]["terms"].items())
                ANATOMIST_COMPARE_NEAR(killedSteps[i]["terms"][term].get<double>(),
                                       value.get<double>(), 1e-6,
                                       term + " at step " + std::to_string(i + 1));
        }
    }

    void cancelWritesACheckpointAndStopsPromptly() {
        QProcess process;
        process.start(
            QString::fromStdString(test::cliPath().string()),
            toQt(distillArgs(m_student, m_dir / "cancelled", m_dir / "cancelled.jsonl", 100000)));
        QVERIFY(process.waitForStarted(30000));
        const auto checkpoint = m_dir / "cancelled" / "train_state.safetensors";
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (!fs::exists(checkpoint) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY(fs::exists(checkpoint));
        std::this_thread::sleep_for(std::chrono::milliseconds(150)); // mid-way between checkpoints
        const auto sent = std::chrono::steady_clock::now();
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
        QCOMPARE(process.exitCode(), 130);
        QVERIFY2(seconds < 1.0, qPrintable(QStringLiteral("stopped after %1 s").arg(seconds)));
        const auto log = test::readWholeLog(m_dir / "cancelled.jsonl");
        QVERIFY(!log.empty());
        QCOMPARE(log.back()["type"].get<std::string>(), std::string("train_checkpoint"));
        QVERIFY(log.back()["cancelled"].get<bool>());
    }

    void loraWritesPeftAdaptersAndAMergedModel() {
        const auto out = m_dir / "lora";
        const auto result = test::runCli({"lora",      stories().string(),
                                          "--data",    corpus().string(),
                                          "--rank",    "4",
                                          "--targets", "q,v",
                                          "--layers",  "1-3",
                                          "--steps",   "6",
                                          "--batch",   "4",
                                          "--seq",     "32",
                                          "--lr",      "1e-2",
                                          "--merge",   "--threads",
                                          "1",         "--quiet",
                                          "--json",    "--out",
                                          out.string()},
                                         300);
        QVERIFY2(result.exitCode == 0, result.err.c_str());
        const auto summary = result.json();
        QCOMPARE(summary["adapters"].size(), std::size_t(6));
        // q: 64→64, v: 64→32 (4 kv heads of 8): rank 4 · (64 + 64 + 64 + 32) per layer
        QCOMPARE(summary["trainable_parameters"].get<int64_t>(),
                 int64_t(3 * 4 * (64 + 64 + 64 + 32)));
        const auto st = core::SafetensorsCheckpoint::open(out / "adapter_model.safetensors");
        QCOMPARE(st.names().size(), std::size_t(12));
        QVERIFY(st.contains("base_model.model.model.layers.2.self_attn.v_proj.lora_B.weight"));
        const auto targets = test::readJson(out / "adapter_config.json")["target_modules"];
        QVERIFY2(targets == nlohmann::json::array({"q_proj", "v_proj"}), targets.dump().c_str());
        for (const char* file : {"config.json", "model.safetensors", "tokenizer.model"})
            QVERIFY2(fs::exists(out / "merged" / file), file);
        const auto merged = core::SafetensorsCheckpoint::open(out / "merged" / "model.safetensors");
        const auto base = core::SafetensorsCheckpoint::open(stories() / "model.safetensors");
        QCOMPARE(merged.names(), base.names());
        QVERIFY(!torch::equal(merged.load("model.layers.2.self_attn.q_proj.weight"),
                              base.load("model.layers.2.self_attn.q_proj.weight")));
        QVERIFY(torch::equal(merged.load("model.layers.0.self_attn.q_proj.weight"),
                             base.load("model.layers.0.self_attn.q_proj.weight")));
    }
};

QTEST_GUILESS_MAIN(TestDistillCli)
#include "tst_distill_cli.moc"
