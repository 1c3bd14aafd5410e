#include "view_controller.h"

#include "model/model_loader.h"
#include "model_controller.h"

namespace anatomist::gui {

ViewController::ViewController(ModelController& models, JobRunner& runner, QObject* parent)
    : QObject(parent)
    , m_models(models)
    , m_runner(runner) {
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id == m_job)
                    emit failed(message);
            });
    connect(&m_runner, &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id != m_job)
            return;
        m_job = 0;
        setViewRunning(false);
    });
}

QString ViewController::defaultPrompt() {
    return QStringLiteral(
        "Once upon a time, there was a little girl named Lily. She loved to play in the park.");
}

QString ViewController::builtInPairsPath() {
    return QStringLiteral(":/data/pairs.jsonl");
}

std::shared_ptr<core::LoadedModel> ViewController::modelWithTokenizer() {
    auto loaded = m_models.model();
    if (!loaded) {
        emit failed(tr("Open a model first."));
        return nullptr;
    }
    if (!loaded->tokenizer) {
        emit failed(
            tr("This model folder has no tokenizer, so a prompt cannot be turned into tokens. "
               "Add tokenizer.model or tokenizer.json to %1.")
                .arg(m_models.folder()));
        return nullptr;
    }
    return loaded;
}

void ViewController::submit(const QString& title, JobRunner::Work work) {
    m_job = m_runner.submit(title, std::move(work));
    setViewRunning(true);
    emit started(m_job);
}

QString ViewController::promptTooLong(const core::LoadedModel& model, std::size_t tokens) {
    const auto context = model.config.max_position_embeddings;
    if (context > 0 && int64_t(tokens) > context)
        return tr("The prompt has %1 tokens but this model reads at most %2. Shorten it: it is not "
                  "cut.")
            .arg(tokens)
            .arg(context);
    return {};
}

bool ViewController::isCurrent(const std::shared_ptr<core::LoadedModel>& model) const {
    return m_models.model() == model;
}

} // namespace anatomist::gui
