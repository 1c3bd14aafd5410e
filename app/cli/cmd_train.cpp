// anatomist-cli train: the training engine of core/train driven from the command line. Options
// fill the run document of core/train/train_run.h (over --config FILE.json when given); the
// document travels inside every checkpoint, so `train --resume DIR` needs nothing else.
#include "cli_common.h"
#include "commands.h"
#include "demo_model.h"
#include "errors.h"
#include "io/model_config.h"
#include "job.h"
#include "local_launch.h"
#include "train/communicator.h"
#include "train/train_run.h"
#include "train/trainer.h"
#include "train_console.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <torch/torch.h>

namespace anatomist::cli {

namespace {

namespace fs = std::filesystem;

// Options whose value goes into the "train" block, with their JSON key and kind.
struct TrainFlag {
    const char* option;
    const char* key;
    bool integer;
};
constexpr TrainFlag kTrainFlags[] = {
    {"steps", "steps", true},
    {"batch", "batch_size", true},
    {"accum", "grad_accum", true},
    {"seq", "seq_len", true},
    {"lr", "lr", false},
    {"warmup", "warmup_steps", true},
    {"min-lr-ratio", "min_lr_ratio", false},
    {"clip", "clip", false},
    {"weight-decay", "weight_decay", false},
    {"seed", "seed", true},
    {"eval-every", "eval_every", true},
    {"checkpoint-every", "checkpoint_every", true},
};
constexpr TrainFlag kModelFlags[] = {
    {"arch", "arch", false},
    {"layers", "layers", true},
    {"hidden", "hidden", true},
    {"heads", "heads", true},
    {"kv-heads", "kv_heads", true},
    {"intermediate", "intermediate", true},
    {"max-positions", "max_positions", true},
    {"vocab", "vocab", true},
};

nlohmann::json runFromArgs(const Args& args) {
    nlohmann::json run = nlohmann::json::object();
    if (auto config = args.value("config")) {
        run = core::readJsonFile(*config);
        if (!run.is_object())
            throw core::FormatError(*config + ": a training run must be a JSON object");
        run = core::resolveTrainRunPaths(run, fs::path(*config).parent_path());
    }
    nlohmann::json cliPaths = nlohmann::json::object();
    for (const char* key : {"data", "ids", "tokenizer", "eval-data", "init-from", "out", "log"})
        if (auto v = args.value(key)) {
            std::string jsonKey = key;
            std::replace(jsonKey.begin(), jsonKey.end(), '-', '_');
            cliPaths[jsonKey] = *v;
        }
    cliPaths = core::resolveTrainRunPaths(cliPaths, fs::current_path());
    if (cliPaths.contains("log"))
        cliPaths["log"] = fs::absolute(cliPaths["log"].get<std::string>()).string();
    run.update(cliPaths);
    if (run.contains("data") && !run.contains("tokenizer") && !run.contains("init_from")) {
        const auto demo = core::findDemoModel(core::executableDir());
        if (demo.empty())
            throw UsageError(
                "--data needs --tokenizer FILE (tokenizer.json or tokenizer.model): the "
                "demo model, whose tokenizer is used otherwise, is not installed");
        run["tokenizer"] = (demo / "tokenizer.model").string();
        std::cerr << "train: no --tokenizer given; using the demo model's tokenizer ("
                  << (demo / "tokenizer.model").string() << ")\n";
    }
    if (args.has("eval-fraction"))
        run["eval_fraction"] = args.doubleValue("eval-fraction", 0);
    if (args.has("init-seed"))
        run["init_seed"] = args.intValue("init-seed", 0);
    auto& train = run["train"];
    if (train.is_null())
        train = nlohmann::json::object();
    for (const auto& f : kTrainFlags)
        if (args.has(f.option))
            train[f.key] = f.integer ? nlohmann::json(args.intValue(f.option, 0))
                                     : nlohmann::json(args.doubleValue(f.option, 0));
    if (auto frozen = args.value("frozen")) {
        std::vector<std::string> prefixes;
        std::stringstream in(*frozen);
        for (std::string item; std::getline(in, item, ',');)
            if (!item.empty())
                prefixes.push_back(item);
        train["frozen"] = prefixes;
    }
    auto& model = run["model"];
    if (model.is_null())
        model = nlohmann::json::object();
    for (const auto& f : kModelFlags)
        if (args.has(f.option))
            model[f.key] = f.integer ? nlohmann::json(args.intValue(f.option, 0))
                                     : nlohmann::json(*args.value(f.option));
    if (args.flag("tie-embeddings"))
        model["tie_embeddings"] = true;
    return run;
}

std::set<std::string> trainOptions() {
    std::set<std::string> options = {"config",        "resume",      "log",       "threads",
                                     "eval-fraction", "init-seed",   "frozen",    "data",
                                     "ids",           "tokenizer",   "eval-data", "init-from",
                                     "out",           "print-every", "device"};
    for (const auto& f : kTrainFlags)
        options.insert(f.option);
    for (const auto& f : kModelFlags)
        options.insert(f.option);
    options.insert(std::begin(kParallelOptions), std::end(kParallelOptions));
    return options;
}

// A new run's document from the options (the log file started empty by the writing rank).
nlohmann::json newRun(const Args& args, bool writer, fs::path& logPath) {
    if (!args.has("config") && !args.has("data") && !args.has("ids"))
        throw UsageError("give --config FILE.json, or --data FILE [--tokenizer FILE] / --ids FILE");
    nlohmann::json run = runFromArgs(args);
    if (!run.contains("out"))
        throw UsageError("--out DIR is required");
    if (auto device = args.value("device"))
        run["device"] = *device;
    if (writer)
        logPath = run.value("log", "");
    if (!logPath.empty())
        std::ofstream(logPath, std::ios::trunc);
    return run;
}

void printSummary(const nlohmann::json& summary, bool json) {
    if (json) {
        printJson(summary);
        return;
    }
    std::cout << "steps                " << summary.value("steps", 0) << "\n"
              << "final loss           " << fixed(summary.value("final_loss", 0.0), 4) << "\n";
    if (summary.contains("held_out_perplexity"))
        std::cout << "held-out perplexity  "
                  << fixed(summary["held_out_perplexity"].get<double>(), 3)
                  << "  (uniform: " << summary.value("vocab_size", 0) << ")\n";
    std::cout << "parameters           " << humanCount(summary.value("parameters", int64_t(0)))
              << "\n"
              << "time                 " << fixed(summary.value("seconds", 0.0), 1) << " s\n"
              << "model                " << summary.value("out", "") << "\n";
}

} // namespace

int runTrain(const std::vector<std::string>& arguments) {
    const Args args(arguments, trainOptions(), {"json", "tie-embeddings", "quiet"});
    args.expectPositionals(0, 0);
    if (const auto launched = launchIfAsked("train", arguments, args))
        return *launched;
    const auto communicator = joinFromEnvironment(args);
    const bool writer = !communicator || communicator->rank() == 0;
    if (const auto threads = args.intValue("threads", 0); threads > 0)
        torch::set_num_threads(static_cast<int>(threads));

    fs::path logPath;
    nlohmann::json run;
    const bool resume = args.has("resume");
    if (!resume)
        run = newRun(args, writer, logPath);
    else if (writer) // the log is rank 0's
        logPath =
            openResumedRun(*args.value("resume"), args.valueOr("log", ""), "", "training").log;

    // Data-parallel ranks other than 0 are silent: one curve, one summary.
    TrainConsole console(logPath, args.flag("quiet") || !writer, args.intValue("print-every", 10));
    const auto summary = resume ? core::resumeTraining(*args.value("resume"), console.job(),
                                                       communicator, args.valueOr("device", ""))
                                : core::runTraining(run, console.job(), communicator);
    if (writer)
        printSummary(summary, args.flag("json"));
    return 0;
}

} // namespace anatomist::cli
