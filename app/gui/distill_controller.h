#pragma once
// Heals a variant by distillation from the open model, in the background (core::runDistillation on
// the long-jobs lane, tagged with the model). A run lives in one folder (AppDataLocation/runs/
// <date-time> unless the panel names one): the student exported as a model folder, the training
// and held-out text as plain text, log.jsonl (every event, appended on the worker as it happens),
// train_state.safetensors (the checkpoint, also written when the run is cancelled) and, at the end,
// the healed model, which is added to the variants as "<student> healed".
//
// With Processes > 1 the run is anatomist-cli's (`distill ... --nproc N --log FOLDER/log.jsonl`,
// started through cli_run.h): the window follows its log for the same curves and progress, Cancel
// becomes SIGINT (forwarded to every rank; rank 0 writes the checkpoint) and the CLI's error text
// is the failure message. Such a run cannot pause; Continue resumes it on as many processes as the
// panel says (the checkpoint does not depend on the count).
//
// Pause holds the trainer between steps (an atomic flag); Cancel stops after the current step with
// a checkpoint; Continue / Resume replays the log up to the checkpoint's step into the curve, then
// continues the run on it. Closing the window during a run asks first (MainWindow), then the
// runner's shutdown cancels the run, which writes its checkpoint before the thread ends.

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>

namespace anatomist::core {
class JobContext;
}
namespace anatomist::widgets {
class DistillPanel;
}

namespace anatomist::gui {

class JobRunner;
class ModelController;
class PlanController;

class DistillController : public QObject {
    Q_OBJECT
public:
    DistillController(ModelController& models, PlanController& plans, JobRunner& runner,
                      QObject* parent = nullptr);

    // Created here without a parent: the main window places it (and owns it).
    widgets::DistillPanel* panel() const { return m_panel; }

    // Starts a run with the panel's settings; false (with failed()) when it cannot.
    bool start();
    // Continues the run stored in runFolder; false (with failed()) when its checkpoint is gone or
    // is not a distillation's.
    bool resume(const QString& runFolder);
    void setPaused(bool paused);
    void cancel();

    bool isRunning() const { return m_job != 0; }
    quint64 job() const { return m_job; }
    QString runFolder() const { return m_runFolder; }
    // QStandardPaths::AppDataLocation + "/runs".
    static QString runsFolder();
    // The anatomist-cli of multi-process runs (default: findCliProgram() of cli_run.h).
    void setCliProgram(const QString& program) { m_cli = program; }
    QString cliProgram() const { return m_cli; }

signals:
    void started(const QString& runFolder);
    void paused(bool paused);
    // The run ended normally; the healed student is the variant `variant`.
    void finished(const QString& variant);
    // Cancelled; checkpointStep < 0 when it stopped before the first checkpoint could be written.
    void stopped(const QString& runFolder, qint64 checkpointStep);
    void failed(const QString& title, const QString& message);

private:
    // The run itself (start or resume), on the worker; returns core's summary.
    using RunWork = std::function<nlohmann::json(core::JobContext&, const std::atomic<bool>*)>;
    void submit(RunWork work, const QString& studentName, const QString& plan, bool resuming,
                int processes);
    void onEnded(quint64 id);
    void refreshStudents();

    ModelController& m_models;
    PlanController& m_plans;
    JobRunner& m_runner;
    widgets::DistillPanel* m_panel;
    quint64 m_job = 0;
    bool m_cancelled = false;
    QString m_runFolder;
    int m_processes = 1; // of the current run
    QString m_cli;
    // Shared with the job: the flag outlives this controller if the runner outlives it.
    std::shared_ptr<std::atomic<bool>> m_pause = std::make_shared<std::atomic<bool>>(false);
};

} // namespace anatomist::gui
