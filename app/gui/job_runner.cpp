#include "job_runner.h"

#include "errors.h"
#include "job.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

namespace anatomist::gui {

namespace {
constexpr qint64 kProgressIntervalMs = 100; // ~10 Hz
enum State { Queued, Running, Done };

// What a failed job shows the user. Torch's errors (c10::Error) append "Exception raised from …
// (most recent call first):" and a C++ backtrace to their message: the message is kept, the rest
// is for developers (this file stays free of torch headers, so it is cut as text).
QString userMessage(const char* what) {
    QString message = QString::fromUtf8(what);
    const qsizetype backtrace = message.indexOf(QLatin1String("Exception raised from "));
    if (backtrace >= 0)
        message = message.left(backtrace).trimmed();
    return message;
}
} // namespace

struct JobRunner::Job {
    quint64 id = 0;
    QString title;
    QString tag;
    Work work;
    std::unique_ptr<core::CallbackJobContext> context;
    std::atomic<int> state{Queued};
    QElapsedTimer clock; // worker thread only
    qint64 lastProgressMs = -1000;

    // Events wait here between the worker and the next flush on the GUI thread.
    std::mutex eventsMutex;
    QList<QJsonObject> pending;
    bool flushScheduled = false;
    QElapsedTimer sinceFlush;
};

JobRunner::JobRunner(QObject* parent)
    : QObject(parent) {}

JobRunner::~JobRunner() {
    shutdown();
}

QThread* JobRunner::laneThread(Lane lane) {
    const auto i = std::size_t(lane);
    if (!m_threads[i]) {
        static const char* names[kLanes] = {"anatomist-load", "anatomist-analysis",
                                            "anatomist-long"};
        m_threads[i] = new QThread;
        m_threads[i]->setObjectName(QLatin1String(names[i]));
        m_workers[i] = new QObject;
        m_workers[i]->moveToThread(m_threads[i]);
        m_threads[i]->start();
    }
    return m_threads[i];
}

QString JobRunner::title(quint64 id) const {
    auto it = m_jobs.constFind(id);
    return it == m_jobs.constEnd() ? QString() : (*it)->title;
}

QString JobRunner::tag(quint64 id) const {
    auto it = m_jobs.constFind(id);
    return it == m_jobs.constEnd() ? QString() : (*it)->tag;
}

bool JobRunner::isQueued(quint64 id) const {
    auto it = m_jobs.constFind(id);
    return it != m_jobs.constEnd() && (*it)->state.load() == Queued;
}

quint64 JobRunner::submit(const QString& title, Work work, Options options) {
    if (m_shutDown)
        return 0;
    const quint64 id = m_nextId++;
    auto job = std::make_shared<Job>();
    job->id = id;
    job->title = title;
    job->tag = options.tag;
    job->work = std::move(work);
    job->sinceFlush.start();
    std::weak_ptr<Job> weak = job; // the context belongs to the job: no cycle
    job->context = std::make_unique<core::CallbackJobContext>(
        [this, weak](double fraction, std::string_view stage) {
            auto raw = weak.lock();
            if (!raw)
                return;
            const qint64 now = raw->clock.elapsed();
            if (now - raw->lastProgressMs < kProgressIntervalMs && fraction < 1.0)
                return;
            raw->lastProgressMs = now;
            const QString s = QString::fromUtf8(stage.data(), qsizetype(stage.size()));
            QMetaObject::invokeMethod(
                this,
                [this, id = raw->id, fraction, s] {
                    if (m_jobs.contains(id))
                        emit progress(id, fraction, s);
                },
                Qt::QueuedConnection);
        },
        [this, weak](const nlohmann::json& event) {
            auto raw = weak.lock();
            if (!raw)
                return;
            // Converted here so that the GUI thread only moves lists.
            const QJsonObject object =
                QJsonDocument::fromJson(QByteArray::fromStdString(event.dump())).object();
            qint64 delay = -1;
            {
                std::lock_guard lock(raw->eventsMutex);
                raw->pending.push_back(object);
                if (!raw->flushScheduled) {
                    raw->flushScheduled = true;
                    delay = std::max<qint64>(0, kEventIntervalMs - raw->sinceFlush.elapsed());
                }
            }
            if (delay >= 0)
                QMetaObject::invokeMethod(
                    this,
                    [this, weak, delay] {
                        QTimer::singleShot(int(delay), this, [this, weak] {
                            if (auto j = weak.lock())
                                flushEvents(j);
                        });
                    },
                    Qt::QueuedConnection);
        });
    m_jobs.insert(id, job);
    emit jobQueued(id, title);
    QObject* worker = (laneThread(options.lane), m_workers[std::size_t(options.lane)]);
    QMetaObject::invokeMethod(
        worker, [this, job] { runOnWorker(job); }, Qt::QueuedConnection);
    return id;
}

// Runs on the lane's thread. Results come back through queued calls on `this`, which outlives the
// thread (shutdown() waits for it).
void JobRunner::runOnWorker(const std::shared_ptr<Job>& job) {
    int expected = Queued;
    if (!job->state.compare_exchange_strong(expected, Running))
        return; // cancelled while queued: already ended on the GUI thread
    const quint64 id = job->id;
    auto post = [this, job](std::function<void()> f) {
        QMetaObject::invokeMethod(
            this,
            [this, job, f = std::move(f)] {
                if (m_jobs.value(job->id) == job)
                    f();
            },
            Qt::QueuedConnection);
    };
    if (job->context->isCancelled() || QThread::currentThread()->isInterruptionRequested()) {
        post([this, id] {
            emit jobCancelled(id);
            end(id);
        });
        return;
    }
    post([this, id] { emit jobStarted(id); });
    job->clock.start();
    Finish finish;
    QString error;
    bool cancelled = false;
    try {
        finish = job->work(*job->context);
    } catch (const core::Error& e) {
        cancelled = e.kind() == core::ErrorKind::Cancelled;
        error = QString::fromUtf8(e.what());
    } catch (const std::bad_alloc&) {
        error = tr("Out of memory.");
    } catch (const std::exception& e) {
        error = userMessage(e.what());
    }
    job->work = {}; // release what the job captured (models, data) on this thread
    job->state = Done;
    if (cancelled || (error.isEmpty() && job->context->isCancelled() && !finish))
        post([this, job] {
            flushEvents(job);
            emit jobCancelled(job->id);
            end(job->id);
        });
    else if (!error.isEmpty())
        post([this, job, error] {
            flushEvents(job);
            emit jobFailed(job->id, job->title, error);
            end(job->id);
        });
    else
        post([this, job, finish] {
            flushEvents(job);
            if (!job->tag.isEmpty() && m_retired.contains(job->tag)) {
                emit jobStale(job->id, job->title);
            } else {
                if (finish)
                    finish();
                emit jobFinished(job->id);
            }
            end(job->id);
        });
}

void JobRunner::flushEvents(const std::shared_ptr<Job>& job) {
    QList<QJsonObject> events;
    {
        std::lock_guard lock(job->eventsMutex);
        events.swap(job->pending);
        job->flushScheduled = false;
        job->sinceFlush.restart();
    }
    if (!events.isEmpty() && m_jobs.value(job->id) == job)
        emit jobEvents(job->id, events);
}

void JobRunner::end(quint64 id) {
    m_jobs.remove(id);
    emit jobEnded(id);
    if (m_jobs.isEmpty())
        emit idle();
}

void JobRunner::cancel(quint64 id) {
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    auto job = *it;
    job->context->cancel();
    int expected = Queued;
    if (job->state.compare_exchange_strong(expected, Done)) {
        emit jobCancelled(id);
        end(id);
    }
}

void JobRunner::cancelAll() {
    const auto ids = m_jobs.keys();
    for (quint64 id : ids)
        cancel(id);
}

void JobRunner::retireTag(const QString& tag) {
    if (!tag.isEmpty())
        m_retired.insert(tag);
}

void JobRunner::shutdown() {
    if (m_shutDown)
        return;
    m_shutDown = true;
    for (auto& job : m_jobs)
        job->context->cancel();
    for (QThread* t : m_threads)
        if (t) {
            t->requestInterruption();
            t->quit();
        }
    for (std::size_t i = 0; i < m_threads.size(); ++i) {
        if (!m_threads[i])
            continue;
        m_threads[i]->wait();
        delete m_workers[i]; // its thread has finished: nothing else touches it
        delete m_threads[i];
        m_workers[i] = nullptr;
        m_threads[i] = nullptr;
    }
    m_jobs.clear();
}

} // namespace anatomist::gui
