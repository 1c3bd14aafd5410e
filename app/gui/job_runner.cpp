#include "job_runner.h"

#include "errors.h"
#include "job.h"

#include <QElapsedTimer>

#include <c10/core/InferenceMode.h>

namespace anatomist::gui {

struct JobRunner::Job {
    quint64 id = 0;
    QString title;
    Work work;
    std::unique_ptr<core::CallbackJobContext> context;
    QElapsedTimer clock; // worker thread only
    qint64 lastProgressMs = -1000;
};

// Lives in the runner's thread; only ever called through queued invocations.
class JobWorker : public QObject {
public:
    using QObject::QObject;
};

namespace {
constexpr qint64 kProgressIntervalMs = 100; // ~10 Hz
}

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
    m_thread.setObjectName(QStringLiteral("anatomist-jobs"));
    m_worker = new JobWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

JobRunner::~JobRunner() { shutdown(); }

QString JobRunner::title(quint64 id) const {
    auto it = m_jobs.constFind(id);
    return it == m_jobs.constEnd() ? QString() : (*it)->title;
}

quint64 JobRunner::submit(const QString& title, Work work) {
    const quint64 id = m_nextId++;
    auto job = std::make_shared<Job>();
    job->id = id;
    job->title = title;
    job->work = std::move(work);
    if (m_shutDown)
        return 0;
    auto post = [this](std::function<void()> f) {
        QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
    };
    Job* raw = job.get(); // the context belongs to the job: the raw pointer cannot dangle
    job->context = std::make_unique<core::CallbackJobContext>(
        [this, raw, post](double fraction, std::string_view stage) {
            const qint64 now = raw->clock.elapsed();
            if (now - raw->lastProgressMs < kProgressIntervalMs && fraction < 1.0)
                return;
            raw->lastProgressMs = now;
            const QString s = QString::fromUtf8(stage.data(), qsizetype(stage.size()));
            post([this, id = raw->id, fraction, s] { emit progress(id, fraction, s); });
        });
    m_jobs.insert(id, job);
    emit jobQueued(id, title);

    // Runs on the worker thread. Results come back through queued calls on `this`, which outlives
    // the thread (the destructor waits for it).
    QMetaObject::invokeMethod(m_worker, [job, this, post] {
        const quint64 id = job->id;
        if (job->context->isCancelled() || QThread::currentThread()->isInterruptionRequested()) {
            post([this, id] { emit jobCancelled(id); end(id); });
            return;
        }
        post([this, id] { emit jobStarted(id); });
        job->clock.start();
        Finish finish;
        QString error;
        bool cancelled = false;
        try {
            c10::InferenceMode guard; // grad mode is per thread: the worker never needs autograd
            finish = job->work(*job->context);
        } catch (const core::Error& e) {
            cancelled = e.kind() == core::ErrorKind::Cancelled;
            error = QString::fromUtf8(e.what());
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        job->work = {}; // release what the job captured (models, data) on this thread
        if (cancelled || (error.isEmpty() && job->context->isCancelled() && !finish))
            post([this, id] { emit jobCancelled(id); end(id); });
        else if (!error.isEmpty())
            post([this, id, error, title = job->title] {
                emit jobFailed(id, title, error);
                end(id);
            });
        else
            post([this, id, finish] {
                if (finish)
                    finish();
                emit jobFinished(id);
                end(id);
            });
    }, Qt::QueuedConnection);
    return id;
}

void JobRunner::end(quint64 id) {
    m_jobs.remove(id);
    emit jobEnded(id);
    if (m_jobs.isEmpty())
        emit idle();
}

void JobRunner::cancel(quint64 id) {
    if (auto it = m_jobs.find(id); it != m_jobs.end())
        (*it)->context->cancel();
}

void JobRunner::cancelAll() {
    for (auto& job : m_jobs)
        job->context->cancel();
}

void JobRunner::shutdown() {
    if (m_shutDown)
        return;
    m_shutDown = true;
    cancelAll();
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
    m_jobs.clear();
}

} // namespace anatomist::gui
