#include "activation_controller.h"

#include "analysis/activations.h"
#include "analysis/datasets.h"
#include "analysis_converters.h"
#include "model/model_loader.h"
#include "widgets/activation_view.h"

namespace anatomist::gui {

ActivationController::ActivationController(ModelController& models, JobRunner& runner,
                                           widgets::ActivationView* view, QObject* parent)
    : ViewController(models, runner, parent)
    , m_view(view) {
    connect(view, &widgets::ActivationView::runRequested, this, &ActivationController::run);
}

void ActivationController::run() {
    auto loaded = modelWithTokenizer();
    if (!loaded)
        return;
    const QString prompt = m_view->prompt().trimmed().isEmpty() ? QString() : m_view->prompt();
    if (prompt.isEmpty()) {
        emit failed(tr("Type a prompt first."));
        return;
    }
    const auto component = core::parseComponent(m_view->component().toStdString());
    const std::string text = prompt.toStdString();
    submit(tr("Activations"),
           [this, loaded, text, component](core::JobContext& job) -> JobRunner::Finish {
               const auto ids = core::promptIds(*loaded->tokenizer, text);
               if (const QString tooLong = promptTooLong(*loaded, ids.size()); !tooLong.isEmpty())
                   return [this, tooLong] { emit failed(tooLong); };
               const auto data = toActivationData(core::captureActivations(
                   *loaded->model, ids, component, {}, job, loaded->tokenizer.get()));
               return [this, loaded, data] {
                   if (!isCurrent(loaded))
                       return;
                   m_view->setResults(data);
                   emit finished();
               };
           });
}

void ActivationController::setViewRunning(bool running) {
    m_view->setRunning(running);
}

} // namespace anatomist::gui
