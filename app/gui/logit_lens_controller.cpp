#include "logit_lens_controller.h"

#include "analysis/datasets.h"
#include "analysis/logit_lens.h"
#include "analysis_converters.h"
#include "model/model_loader.h"
#include "widgets/logit_lens_view.h"

namespace anatomist::gui {

LogitLensController::LogitLensController(ModelController& models, JobRunner& runner,
                                         widgets::LogitLensView* view, QObject* parent)
    : ViewController(models, runner, parent)
    , m_view(view) {
    connect(view, &widgets::LogitLensView::runRequested, this, &LogitLensController::run);
}

void LogitLensController::run() {
    auto loaded = modelWithTokenizer();
    if (!loaded)
        return;
    if (m_view->prompt().trimmed().isEmpty()) {
        emit failed(tr("Type a prompt first."));
        return;
    }
    const std::string text = m_view->prompt().toStdString();
    const int k = m_view->topK();
    submit(tr("Logit lens"), [this, loaded, text, k](core::JobContext& job) -> JobRunner::Finish {
        const auto ids = core::promptIds(*loaded->tokenizer, text);
        if (const QString tooLong = promptTooLong(*loaded, ids.size()); !tooLong.isEmpty())
            return [this, tooLong] { emit failed(tooLong); };
        const auto data =
            toLogitLensData(core::logitLens(*loaded->model, ids, k, job, loaded->tokenizer.get()));
        return [this, loaded, data] {
            if (!isCurrent(loaded))
                return;
            m_view->setResults(data);
            emit finished();
        };
    });
}

void LogitLensController::setViewRunning(bool running) {
    m_view->setRunning(running);
}

} // namespace anatomist::gui
