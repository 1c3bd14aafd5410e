#include "cli_run.h"

#include "demo_model.h"
#include "errors.h"
#include "job.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <signal.h>

namespace anatomist::gui {

namespace {

// The complete lines appended to a file since `offset` (which moves past them); a line still being
// written stays for the next call.
class LogFollower {
public:
    explicit LogFollower(const std::filesystem::path& file)
        : m_file(QString::fromStdString(file.string())) {
        m_offset = QFileInfo(m_file).exists() ? QFileInfo(m_file).size() : 0;
    }
    QList<QByteArray> newLines() {
        QFile file(m_file);
        if (!file.open(QIODevice::ReadOnly) || file.size() <= m_offset || !file.seek(m_offset))
            return {};
        const QByteArray text = file.readAll();
        const qsizetype end = text.lastIndexOf('\n');
        if (end < 0)
            return {};
        m_offset += end + 1;
        return text.left(end).split('\n');
    }

private:
    QString m_file;
    qint64 m_offset = 0;
};

void forward(const QList<QByteArray>& lines, core::JobContext& job) {
    for (const QByteArray& line : lines) {
        auto event = nlohmann::json::parse(line.toStdString(), nullptr, false);
        if (event.is_discarded() || !event.is_object())
            continue;
        if (event.value("type", "") == "train_step" && event.value("steps", int64_t(0)) > 0)
            job.setProgress(double(event.value("step", int64_t(0))) /
                                double(event.value("steps", int64_t(1))),
                            "train");
        job.emitEvent(event);
    }
}

// The CLI's own error lines (its stderr), without the launcher's per-rank status lines when a
// rank said more.
QString errorText(const QByteArray& err) {
    QStringList kept;
    for (const QString& line : QString::fromUtf8(err).split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !kept.contains(trimmed))
            kept << trimmed;
    }
    return kept.join(QLatin1Char('\n'));
}

} // namespace

QString findCliProgram() {
    const auto dir = core::executableDir();
    if (dir.empty())
        return {};
    for (const auto& candidate :
         {dir / "anatomist-cli", dir.parent_path() / "cli" / "anatomist-cli"})
        if (QFileInfo(QString::fromStdString(candidate.string())).isExecutable())
            return QString::fromStdString(candidate.string());
    return {};
}

nlohmann::json runCliWithLog(const QString& program, const QStringList& arguments,
                             const std::filesystem::path& log, core::JobContext& job,
                             double stopSeconds) {
    if (program.isEmpty())
        throw core::IoError("anatomist-cli was not found next to this program: a multi-process "
                            "run needs it (install the whole package)");
    LogFollower follower(log);
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.start();
    if (!process.waitForStarted(30000))
        throw core::IoError(program.toStdString() +
                            ": cannot start it: " + process.errorString().toStdString());
    QByteArray out, err;
    bool interrupted = false, terminated = false;
    QElapsedTimer sinceInterrupt;
    while (!process.waitForFinished(100)) {
        out += process.readAllStandardOutput();
        err += process.readAllStandardError();
        forward(follower.newLines(), job);
        if (job.isCancelled() && !interrupted) {
            ::kill(pid_t(process.processId()), SIGINT);
            interrupted = true;
            sinceInterrupt.start();
        } else if (interrupted && !terminated && sinceInterrupt.elapsed() > stopSeconds * 1000) {
            process.terminate(); // SIGTERM: forwarded to the ranks as well
            terminated = true;
        }
    }
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();
    forward(follower.newLines(), job);
    if (interrupted)
        throw core::Cancelled();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString text = errorText(err);
        throw core::IoError(text.isEmpty() ? program.toStdString() + " failed (exit status " +
                                                 std::to_string(process.exitCode()) + ")"
                                           : text.toStdString());
    }
    auto summary = nlohmann::json::parse(out.toStdString(), nullptr, false);
    if (summary.is_discarded() || !summary.is_object())
        throw core::FormatError(program.toStdString() + ": its summary is not a JSON object: " +
                                out.left(200).toStdString());
    return summary;
}

} // namespace anatomist::gui
