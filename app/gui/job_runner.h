#pragma once
// The job runner of the application (QGIS's QgsTaskManager idea, Tiled's worker pattern): jobs run
// on lanes, one worker QObject in its own QThread per lane, one job at a time per lane. Loading,
// quick analyses and long work (pruning, distillation) have separate lanes, so a distillation never
// blocks opening a model. Everything crosses threads by queued calls; progress is throttled to ~10
// Hz per job; events (emitEvent) are never dropped but coalesced and delivered as lists at most ~30
// times a second; cancel sets the atomic flag of the job's core::CallbackJobContext; shutdown()
// cancels everything and does requestInterruption(); quit(); wait() on every lane.
//
// Grad mode is per thread and belongs to the core entry points (analyses set their own
// InferenceMode): the runner never wraps a job in a guard, so a model loaded here can be trained.
//
// A job is a function run on a lane's thread that returns a closure to run on the GUI thread when
// it succeeds. Each job may carry a tag (the model or variant it was computed for); once a tag is
// retired (the model was replaced), a finishing job with that tag is reported as jobStale and its
// closure is never run, so a stale result never lands on a newer model. Core errors are caught
// here, once, and reported as jobFailed with the core's message.

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <array>
#include <functional>
#include <memory>

class QThread;

namespace anatomist::core {
class JobContext;
}

namespace anatomist::gui {

// Loading, quick analyses, long work (pruning, distillation): one thread each.
enum class JobLane { Model, Analysis, Long };

struct JobOptions {
    JobLane lane = JobLane::Analysis;
    QString tag; // the model / variant the result is for; "" = always current
};

class JobRunner : public QObject {
    Q_OBJECT
public:
    using Finish = std::function<void()>;
    using Work = std::function<Finish(core::JobContext&)>;

    using Lane = JobLane;
    using Options = JobOptions;
    static constexpr int kLanes = 3;
    static constexpr int kEventIntervalMs = 33; // events reach the GUI at most ~30 times a second

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    // Queues a job; returns its id (0 after shutdown). Signals: jobQueued now, then jobStarted,
    // progress and jobEvents, then exactly one of jobFinished / jobFailed / jobCancelled /
    // jobStale, then jobEnded. Every event emitted by the job is delivered, in order, before its
    // end signal.
    quint64 submit(const QString& title, Work work, Options options = {});
    // A queued job ends at once (jobCancelled); a running one when it next checks its flag.
    void cancel(quint64 id);
    void cancelAll();
    // Results of jobs tagged `tag` that finish from now on are dropped (jobStale).
    void retireTag(const QString& tag);
    // Cancels all jobs and stops every lane; blocks until the running jobs have seen their flags.
    // Idempotent; the runner accepts no jobs afterwards.
    void shutdown();

    int activeJobs() const { return int(m_jobs.size()); }
    bool isRunning(quint64 id) const { return m_jobs.contains(id); }
    bool isQueued(quint64 id) const;
    QString title(quint64 id) const;
    QString tag(quint64 id) const;

signals:
    void jobQueued(quint64 id, const QString& title);
    void jobStarted(quint64 id);
    void progress(quint64 id, double fraction, const QString& stage);
    void jobEvents(quint64 id, const QList<QJsonObject>& events);
    void jobFinished(quint64 id);
    void jobFailed(quint64 id, const QString& title, const QString& message);
    void jobCancelled(quint64 id);
    void jobStale(quint64 id, const QString& title);
    void jobEnded(quint64 id);
    void idle();

private:
    struct Job;
    void end(quint64 id);
    void flushEvents(const std::shared_ptr<Job>& job);
    void runOnWorker(const std::shared_ptr<Job>& job);
    QThread* laneThread(Lane lane);

    std::array<QThread*, kLanes> m_threads{};
    std::array<QObject*, kLanes> m_workers{};
    QHash<quint64, std::shared_ptr<Job>> m_jobs;
    QSet<QString> m_retired;
    quint64 m_nextId = 1;
    bool m_shutDown = false;
};

} // namespace anatomist::gui
