// anatomist-cli lora: LoRA specialisation of a model (core/distill/lora_run.h), with cross-entropy
// or, given --teacher, the distillation objective; PEFT adapters out, optionally a merged model.
#include "cli_common.h"
#include "commands.h"
#include "distill/lora_run.h"
#include "errors.h"
#include "run_flags.h"
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

// lora's own flags; the trainer's (run_flags.h) come too.
const std::vector<RunFlag> kLoraFlags = {
    {"rank", "lora", "rank", true},
    {"alpha", "lora", "alpha", false},
    {"dropout", "lora", "dropout", false},
    {"init-seed", "lora", "seed", true},
    {"kd-alpha", "distill", "alpha", false},
    {"kd-beta", "distill", "beta", false},
    {"temperature", "distill", "temperature", false},
};

} // namespace

int runLoraCommand(const std::vector<std::string>& arguments) {
    std::set<std::string> options = {"data",   "eval",    "out", "log",     "resume",     "targets",
                                     "layers", "teacher", "kl",  "threads", "print-every"};
    insertRunFlagOptions(options, trainerRunFlags());
    insertRunFlagOptions(options, kLoraFlags);
    const Args args(arguments, options, {"json", "quiet", "merge"});
    if (const auto threads = args.intValue("threads", 0); threads > 0)
        torch::set_num_threads(static_cast<int>(threads));

    const bool resume = args.has("resume");
    fs::path logPath;
    nlohmann::json run;
    if (resume) {
        args.expectPositionals(0, 0);
        logPath =
            openResumedRun(*args.value("resume"), args.valueOr("log", ""), "lora", "LoRA").log;
    } else {
        args.expectPositionals(1, 1);
        run = {{"model", args.positional(0, "MODEL")},
               {"data", args.required("data")},
               {"out", args.required("out")},
               {"merge", args.flag("merge")}};
        if (auto eval = args.value("eval"))
            run["eval_data"] = *eval;
        if (auto teacher = args.value("teacher"))
            run["teacher"] = *teacher;
        run = core::resolveLoraRunPaths(run, fs::current_path());
        if (auto log = args.value("log"))
            run["log"] = fs::absolute(*log).string();
        run["train"] = nlohmann::json::object();
        run["lora"] = nlohmann::json::object();
        run["distill"] = nlohmann::json::object();
        applyRunFlags(args, trainerRunFlags(), run);
        applyRunFlags(args, kLoraFlags, run);
        if (auto targets = args.value("targets"))
            run["lora"]["targets"] = splitCommaList(*targets);
        if (auto layers = args.value("layers"))
            run["lora"]["layers"] = parseIndexList(*layers, "--layers");
        if (auto kl = args.value("kl"))
            run["distill"]["kl"] = *kl;
        logPath = run.value("log", "");
        if (!logPath.empty())
            std::ofstream(logPath, std::ios::trunc);
    }

    TrainConsole console(logPath, args.flag("quiet"), args.intValue("print-every", 10));
    const auto summary = resume ? core::resumeLora(*args.value("resume"), console.job())
                                : core::runLora(run, console.job());
    if (args.flag("json")) {
        printJson(summary);
        return 0;
    }
    std::cout << "steps                 " << summary.value("steps", 0) << "\n"
              << "objective             " << summary.value("objective", "") << "\n"
              << "adapters              " << summary["adapters"].size() << " projections, "
              << humanCount(summary.value("trainable_parameters", int64_t(0))) << " parameters\n";
    if (!summary["final_loss"].is_null())
        std::cout << "final loss            " << fixed(summary["final_loss"].get<double>(), 4)
                  << "\n";
    for (const char* key : {"perplexity_before", "perplexity_after"})
        if (summary.contains(key))
            std::cout << key << std::string(22 - std::string(key).size(), ' ')
                      << fixed(summary[key].get<double>(), 3) << "\n";
    std::cout << "adapters written to   " << summary.value("out", "") << "\n";
    if (!summary["merged"].is_null())
        std::cout << "merged model          " << summary["merged"].get<std::string>() << "\n";
    return 0;
}

} // namespace anatomist::cli
