#pragma once
// What the analysis views' controllers share: one current job per view on the shared JobRunner,
// "open a model with a tokenizer first" checks, prompt length checks, and results that are dropped
// when the model changed while the job ran (every result belongs to the model it was computed on).

#include "job_runner.h"
#include "tokenizer/tokenizer.h"

#include <QObject>
#include <memory>
#include <optional>

namespace anatomist::core {
struct LoadedModel;
}

namespace anatomist::gui {

class ModelController;

class ViewController : public QObject {
    Q_OBJECT
public:
    ViewController(ModelController& models, JobRunner& runner, QObject* parent = nullptr);
    quint64 currentJob() const { return m_job; }

    // The built-in prompt pairs (resources) and the default prompt for the prompt views.
    static QString defaultPrompt();
    static QString builtInPairsPath(); // ":/data/pairs.jsonl"

signals:
    void started(quint64 job);
    void finished();
    void failed(const QString& message);

protected:
    // The open model when it has a tokenizer; otherwise emits failed() and returns null.
    std::shared_ptr<core::LoadedModel> modelWithTokenizer();
    // Submits the view's job (one at a time per view) and keeps the view's running state.
    void submit(const QString& title, JobRunner::Work work);
    // A message when the prompt does not fit the model's context (never cut silently), else "".
    static QString promptTooLong(const core::LoadedModel& model, std::size_t tokens);
    bool isCurrent(const std::shared_ptr<core::LoadedModel>& model) const;
    virtual void setViewRunning(bool running) = 0;

    ModelController& m_models;
    JobRunner& m_runner;
    quint64 m_job = 0;
};

} // namespace anatomist::gui
