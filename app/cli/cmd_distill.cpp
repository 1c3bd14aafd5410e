// anatomist-cli distill: heal a pruned student by distillation from its base (core/distill).
// Options fill the run document of core/distill/distill_run.h, which travels inside every
// checkpoint, so `distill --resume DIR` needs nothing else.
#include "cli_common.h"
#include "commands.h"
#include "distill/distill_run.h"
#include "errors.h"
#include "local_launch.h"
#include "run_flags.h"
#include "train/communicator.h"
#include "train/train_run.h"
#include "train/trainer.h"
#include "train_console.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <torch/torch.h>

namespace anatomist::cli {

namespace {

namespace fs = std::filesystem;

// distill's own flags; the trainer's (run_flags.h) come too.
const std::vector<RunFlag> kDistillFlags = {
    {"weight-decay", "train", "weight_decay", false},
    {"alpha", "distill", "alpha", false},
    {"beta", "distill", "beta", false},
    {"gamma", "distill", "gamma", false},
    {"delta", "distill", "delta", false},
    {"temperature", "distill", "temperature", false},
    {"skew-lambda", "distill", "skew_lambda", false},
};

nlohmann::json distillRunFromArgs(const Args& args) {
    nlohmann::json run = {{"teacher", args.required("teacher")},
                          {"data", args.required("data")},
                          {"out", args.required("out")}};
    if (args.has("plan") == args.has("student"))
        throw UsageError("give --student DIR (a pruned variant) or --plan PLAN.json (prune the "
                         "teacher in memory), one of them");
    if (auto plan = args.value("plan"))
        run["plan"] = *plan;
    else
        run["student"] = *args.value("student");
    if (auto eval = args.value("eval"))
        run["eval_data"] = *eval;
    if (auto device = args.value("device"))
        run["device"] = *device;
    if (auto dtype = args.value("dtype"))
        run["dtype"] = *dtype;
    if (auto cache = args.value("teacher-cache"))
        run["teacher_cache"] = *cache;
    if (args.has("teacher-top-k")) {
        if (!args.has("teacher-cache"))
            throw UsageError("--teacher-top-k needs --teacher-cache DIR");
        run["teacher_top_k"] = args.intValue("teacher-top-k", core::kDefaultTeacherTopK);
    }
    run = core::resolveDistillRunPaths(run, fs::current_path());
    if (auto log = args.value("log"))
        run["log"] = fs::absolute(*log).string();
    if (args.has("epochs")) {
        if (args.has("steps"))
            throw UsageError("give --steps or --epochs, not both");
        run["epochs"] = args.doubleValue("epochs", 1);
    }
    run["train"] = nlohmann::json::object();
    run["distill"] = nlohmann::json::object();
    applyRunFlags(args, trainerRunFlags(), run);
    applyRunFlags(args, kDistillFlags, run);
    if (auto kl = args.value("kl"))
        run["distill"]["kl"] = *kl;
    if (auto map = args.value("layer-map")) {
        std::vector<int> layers;
        std::stringstream in(*map);
        for (std::string item; std::getline(in, item, ',');) {
            try {
                layers.push_back(std::stoi(item));
            } catch (const std::exception&) {
                throw UsageError("--layer-map: '" + item + "' is not a layer index");
            }
        }
        run["distill"]["layer_map"] = layers;
    }
    return run;
}

} // namespace

int runDistill(const std::vector<std::string>& arguments) {
    std::set<std::string> options = {
        "teacher", "student",       "plan",         "data",      "eval",    "out",         "log",
        "resume",  "epochs",        "kl",           "layer-map", "threads", "print-every", "device",
        "dtype",   "teacher-cache", "teacher-top-k"};
    insertRunFlagOptions(options, trainerRunFlags());
    insertRunFlagOptions(options, kDistillFlags);
    options.insert(std::begin(kParallelOptions), std::end(kParallelOptions));
    const Args args(arguments, options, {"json", "quiet"});
    args.expectPositionals(0, 0);
    if (const auto launched = launchIfAsked("distill", arguments, args))
        return *launched;
    const auto communicator = joinFromEnvironment(args);
    const bool writer = !communicator || communicator->rank() == 0;
    if (const auto threads = args.intValue("threads", 0); threads > 0)
        torch::set_num_threads(static_cast<int>(threads));

    const bool resume = args.has("resume");
    fs::path logPath;
    nlohmann::json run;
    if (resume) {
        for (const char* conflicting : {"teacher", "student", "plan", "data", "out"})
            if (args.has(conflicting))
                throw UsageError(std::string("--resume DIR continues the run stored there; --") +
                                 conflicting + " cannot change it");
        if (writer) // the log is rank 0's
            logPath = openResumedRun(*args.value("resume"), args.valueOr("log", ""), "distill",
                                     "distillation")
                          .log;
    } else {
        run = distillRunFromArgs(args);
        if (writer)
            logPath = run.value("log", "");
        if (!logPath.empty())
            std::ofstream(logPath, std::ios::trunc);
    }

    // Data-parallel ranks other than 0 are silent: one curve, one summary.
    TrainConsole console(logPath, args.flag("quiet") || !writer, args.intValue("print-every", 10));
    const auto summary =
        resume ? core::resumeDistillation(*args.value("resume"), console.job(), nullptr,
                                          communicator, args.valueOr("device", ""))
               : core::runDistillation(run, console.job(), nullptr, communicator);
    if (!writer)
        return 0;
    if (args.flag("json")) {
        printJson(summary);
        return 0;
    }
    std::cout << "steps                      " << summary.value("steps", 0) << "\n";
    if (!summary["final_loss"].is_null())
        std::cout << "final loss                 " << fixed(summary["final_loss"].get<double>(), 4)
                  << "\n";
    for (const auto& [name, value] : summary["final_terms"].items())
        std::cout << "  " << name << std::string(25 - std::min<std::size_t>(name.size(), 24), ' ')
                  << fixed(value.get<double>(), 4) << "\n";
    for (const char* key :
         {"teacher_perplexity", "student_perplexity_before", "student_perplexity_after"})
        if (summary.contains(key))
            std::cout << key << std::string(27 - std::string(key).size(), ' ')
                      << fixed(summary[key].get<double>(), 3) << "\n";
    std::cout << "layer map                  " << summary["layer_map"].dump() << "\n"
              << "time                       " << fixed(summary.value("seconds", 0.0), 1) << " s\n"
              << "model                      " << summary.value("out", "") << "\n";
    return 0;
}

} // namespace anatomist::cli
