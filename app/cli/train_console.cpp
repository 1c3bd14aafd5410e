#include "train_console.h"

#include "cli_common.h"
#include "errors.h"
#include "train/train_run.h"
#include "train/trainer.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <iostream>

namespace anatomist::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<core::CallbackJobContext*> g_cancelTarget{nullptr};

extern "C" void trainInterruptHandler(int) {
    if (auto* job = g_cancelTarget.load())
        job->cancel(); // an atomic store: safe in a signal handler
}

} // namespace

ResumedRun openResumedRun(const fs::path& dir, const std::string& logOverride,
                          const std::string& kind, const std::string& what) {
    const fs::path file = dir / core::kTrainCheckpointName;
    if (!fs::exists(file))
        throw core::IoError(file.string() + ": no " + what + " checkpoint to resume from");
    const auto meta = core::readTrainCheckpointMeta(file);
    ResumedRun resumed;
    resumed.run = meta.at("extra");
    if (!kind.empty() && (!resumed.run.is_object() || resumed.run.value("kind", "") != kind))
        throw core::InvalidArgument(file.string() + ": not a " + what +
                                    " checkpoint (written by another kind of run)");
    resumed.log =
        logOverride.empty() ? fs::path(resumed.run.value("log", "")) : fs::path(logOverride);
    if (!resumed.log.empty())
        core::trimTrainLog(resumed.log, meta.at("step").get<int64_t>());
    return resumed;
}

TrainConsole::TrainConsole(const fs::path& log, bool quiet, int64_t printEvery)
    : m_quiet(quiet)
    , m_printEvery(std::max<int64_t>(1, printEvery))
    , m_job({}, [this](const nlohmann::json& event) { onEvent(event); }) {
    if (!log.empty()) {
        m_log.open(log, std::ios::app);
        if (!m_log)
            throw core::IoError(log.string() + ": cannot open the log for writing");
    }
    g_cancelTarget = &m_job;
    std::signal(SIGINT, trainInterruptHandler);
    std::signal(SIGTERM, trainInterruptHandler);
}

TrainConsole::~TrainConsole() {
    g_cancelTarget = nullptr;
}

void TrainConsole::onEvent(const nlohmann::json& event) {
    if (m_log.is_open())
        m_log << event.dump() << std::endl;
    if (m_quiet)
        return;
    const auto type = event.value("type", "");
    const auto step = event.value("step", int64_t(0));
    if (type == "train_step" &&
        (step % m_printEvery == 0 || step == 1 || step == event.value("steps", int64_t(0)))) {
        std::cerr << "step " << step << "/" << event.value("steps", 0) << "  loss "
                  << fixed(event.value("loss", 0.0), 4);
        const auto terms = event.value("terms", nlohmann::json::object());
        if (terms.size() > 1) // a lone term is the loss itself
            for (const auto& [name, value] : terms.items())
                std::cerr << "  " << name << " " << fixed(value.get<double>(), 4);
        std::cerr << "  lr " << event.value("lr", 0.0) << "  grad_norm "
                  << fixed(event.value("grad_norm", 0.0), 3) << "  "
                  << fixed(event.value("tokens_per_second", 0.0), 0) << " tok/s\n";
    } else if (type == "train_eval") {
        std::cerr << "eval at step " << step << ": held-out perplexity "
                  << fixed(event.value("perplexity", 0.0), 3) << "\n";
    } else if (type == "teacher_logits") {
        std::cerr << "teacher logits: " << event.value("source", "");
        if (const auto cache = event.find("cache"); cache != event.end())
            std::cerr << " " << cache->value("file", "") << " (top " << cache->value("top_k", 0)
                      << " of " << cache->value("vocab", 0) << " per position, "
                      << (cache->value("built", false) ? "made now" : "reused") << ")";
        std::cerr << "\n";
    } else if (type == "train_reference" && event.contains("teacher_perplexity")) {
        std::cerr << "held-out perplexity before training: teacher "
                  << fixed(event.value("teacher_perplexity", 0.0), 3) << ", student "
                  << fixed(event.value("student_perplexity", 0.0), 3) << "\n";
    } else if (type == "train_paused" || type == "train_resumed") {
        std::cerr << (type == "train_paused" ? "paused" : "resumed") << " at step " << step << "\n";
    }
}

} // namespace anatomist::cli
