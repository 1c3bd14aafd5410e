#pragma once
// What the training-like commands (train, distill, lora) share: the JSONL log that a resumed run
// trims back to its checkpoint, one-line progress on stderr, and SIGINT/SIGTERM → cancel.

#include "job.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace anatomist::cli {

// What `--resume DIR` needs before a run continues: the run document stored in the checkpoint
// ("extra") and the log (`logOverride`, else the run's own), already trimmed to the checkpoint's
// step. `kind` is the run kind the checkpoint must carry ("" accepts any: plain training
// checkpoints carry none); `what` names the run in errors ("training", "distillation", "LoRA").
struct ResumedRun {
    nlohmann::json run;
    std::filesystem::path log;
};
ResumedRun openResumedRun(const std::filesystem::path& dir, const std::string& logOverride,
                          const std::string& kind, const std::string& what);

// A job context that appends every event to the log (flushed: a killed run keeps its curve) and
// prints step, evaluation and reference lines unless quiet. SIGINT and SIGTERM cancel it while it
// exists (the handler only stores an atomic flag).
class TrainConsole {
public:
    TrainConsole(const std::filesystem::path& log, bool quiet, int64_t printEvery);
    ~TrainConsole();
    TrainConsole(const TrainConsole&) = delete;
    TrainConsole& operator=(const TrainConsole&) = delete;

    core::CallbackJobContext& job() { return m_job; }

private:
    void onEvent(const nlohmann::json& event);

    std::ofstream m_log;
    bool m_quiet;
    int64_t m_printEvery;
    core::CallbackJobContext m_job;
};

} // namespace anatomist::cli
