#pragma once
// A multi-process distillation is anatomist-cli's job (`distill ... --nproc N`: the CLI starts the
// ranks, torchrun-style, and forwards SIGINT to them): the window starts it as a child process and
// follows the JSONL log it writes, so the curves, progress and Cancel work as for a run in the
// window's own process. Called on a job runner's worker thread (it blocks until the CLI exits).

#include <QString>
#include <QStringList>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace anatomist::core {
class JobContext;
}

namespace anatomist::gui {

// anatomist-cli next to the running executable (an installed package, an unpacked archive), else
// the build tree's app/cli/anatomist-cli beside app/gui/; "" when neither exists.
QString findCliProgram();

// Runs `program arguments` (arguments must hold --json and --log LOG) and, until it exits, sends
// each event line appended to `log` after the start to job.emitEvent (train_step also to the
// progress). When job is cancelled the CLI gets SIGINT (rank 0 writes its checkpoint), then
// SIGTERM if it has not ended after `stopSeconds`; this throws core::Cancelled once it has exited.
// Returns the JSON summary the CLI printed. IoError when the program cannot start, and with the
// CLI's error text (its stderr) when it fails.
nlohmann::json runCliWithLog(const QString& program, const QStringList& arguments,
                             const std::filesystem::path& log, core::JobContext& job,
                             double stopSeconds = 120);

} // namespace anatomist::gui
