#pragma once
// Progress, cancellation and events for long work (QGIS's QgsFeedback idea). Core functions take a
// JobContext& and know nothing about threads: tests call them synchronously with a plain context,
// the app runs them on a worker thread with a context whose callbacks post queued signals.

#include <atomic>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace anatomist::core {

class JobContext {
public:
    virtual ~JobContext() = default;

    // fraction in [0, 1] of the whole job; stage is a short untranslated label ("forward", "load").
    virtual void setProgress(double fraction, std::string_view stage = {}) {}
    virtual bool isCancelled() const { return false; }
    // Structured events for live views: {"type": "train_step", "step": 12, "loss": 3.1, ...}.
    virtual void emitEvent(const nlohmann::json& event) {}

    // Throws core::Cancelled when cancelled; long loops call this once per batch or step.
    void throwIfCancelled() const;
};

// A context that does nothing and is never cancelled, for callers that do not care.
JobContext& nullJobContext();

// A context built from callbacks and an atomic cancel flag; cancel() may be called from any thread.
class CallbackJobContext : public JobContext {
public:
    using ProgressFn = std::function<void(double, std::string_view)>;
    using EventFn = std::function<void(const nlohmann::json&)>;

    CallbackJobContext() = default;
    CallbackJobContext(ProgressFn onProgress, EventFn onEvent = {})
        : m_onProgress(std::move(onProgress))
        , m_onEvent(std::move(onEvent)) {}

    void setProgress(double fraction, std::string_view stage = {}) override;
    bool isCancelled() const override { return m_cancelled.load(std::memory_order_relaxed); }
    void emitEvent(const nlohmann::json& event) override;
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }

private:
    ProgressFn m_onProgress;
    EventFn m_onEvent;
    std::atomic<bool> m_cancelled{false};
};

// Maps the progress of a sub-task onto [begin, end] of its parent's range and forwards
// cancellation and events, so that nested steps can each report 0..1.
class SubJobContext : public JobContext {
public:
    SubJobContext(JobContext& parent, double begin, double end)
        : m_parent(parent)
        , m_begin(begin)
        , m_end(end) {}
    void setProgress(double fraction, std::string_view stage = {}) override;
    bool isCancelled() const override { return m_parent.isCancelled(); }
    void emitEvent(const nlohmann::json& event) override { m_parent.emitEvent(event); }

private:
    JobContext& m_parent;
    double m_begin;
    double m_end;
};

} // namespace anatomist::core
