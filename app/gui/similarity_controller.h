#pragma once
// Layer similarity: reads the view's dataset(s), tokenizes and measures on the job runner, and
// shows the results. A second dataset runs in the same job, after the first.

#include "tokenizer/tokenizer.h"

#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

namespace anatomist::core {
struct LoadedModel;
}
namespace anatomist::widgets {
class SimilarityView;
}

namespace anatomist::gui {

class JobRunner;
class ModelController;

class SimilarityController : public QObject {
    Q_OBJECT
public:
    using Documents = std::vector<std::vector<core::TokenId>>;
    struct Dataset {
        QString name;
        Documents documents;
    };

    SimilarityController(ModelController& models, JobRunner& runner, widgets::SimilarityView* view,
                         QObject* parent = nullptr);

    // Runs on the datasets chosen in the view (tokenized with the model's tokenizer).
    void run();
    // Runs on ready token ids (models without a tokenizer, tests).
    void runOnTokens(std::vector<Dataset> datasets);
    quint64 currentJob() const { return m_job; }

    // The built-in sample text (from the resources).
    static QString sampleText();

signals:
    void started(quint64 job);
    void finished();
    void failed(const QString& message);

private:
    // One dataset of a run: its name ("" for the built-in sample) and how the worker gets its
    // tokens. The first input's errors fail the run; a later one's are reported beside the result.
    struct Input {
        QString name;
        std::function<Documents()> documents;
    };
    void submit(std::shared_ptr<core::LoadedModel> model, std::vector<Input> inputs);

    ModelController& m_models;
    JobRunner& m_runner;
    widgets::SimilarityView* m_view;
    quint64 m_job = 0;
};

} // namespace anatomist::gui
