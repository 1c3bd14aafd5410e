#pragma once
// The one job runner of the application: jobs run one at a time on a worker QObject that lives in a
// member QThread (Tiled's ProjectModel pattern). Everything crosses threads by queued calls; progress
// is throttled to ~10 Hz per job; cancel sets the atomic flag of the job's core::CallbackJobContext;
// shutdown() cancels everything and does requestInterruption(); quit(); wait().
//
// A job is a function run on the worker thread that returns a closure to run on the GUI thread when
// it succeeds (the way results travel back without QVariant boxing). Core errors are caught here,
// once, and reported as jobFailed with the core's message (which names the file and the problem).

#include <QHash>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace anatomist::core {
class JobContext;
}

namespace anatomist::gui {

class JobWorker;

class JobRunner : public QObject {
    Q_OBJECT
public:
    using Finish = std::function<void()>;
    using Work = std::function<Finish(core::JobContext&)>;

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    // Queues a job; returns its id. Signals: jobQueued now, then jobStarted, progress, and exactly
    // one of jobFinished / jobFailed / jobCancelled, then jobEnded.
    quint64 submit(const QString& title, Work work);
    void cancel(quint64 id);
    void cancelAll();
    // Cancels all jobs and stops the thread; blocks until the running job has seen its flag.
    // Idempotent; the runner accepts no jobs afterwards.
    void shutdown();

    int activeJobs() const { return int(m_jobs.size()); }
    bool isRunning(quint64 id) const { return m_jobs.contains(id); }
    QString title(quint64 id) const;

signals:
    void jobQueued(quint64 id, const QString& title);
    void jobStarted(quint64 id);
    void progress(quint64 id, double fraction, const QString& stage);
    void jobFinished(quint64 id);
    void jobFailed(quint64 id, const QString& title, const QString& message);
    void jobCancelled(quint64 id);
    void jobEnded(quint64 id);
    void idle();

private:
    struct Job;
    void end(quint64 id);

    QThread m_thread;
    JobWorker* m_worker = nullptr;
    QHash<quint64, std::shared_ptr<Job>> m_jobs;
    quint64 m_nextId = 1;
    bool m_shutDown = false;
};

} // namespace anatomist::gui
