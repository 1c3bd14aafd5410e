#include "similarity_controller.h"

#include "analysis/datasets.h"
#include "analysis/layer_similarity.h"
#include "converters.h"
#include "errors.h"
#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "job.h"
#include "job_runner.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "widgets/similarity_view.h"

#include <QFile>
#include <QFileInfo>

namespace anatomist::gui {

SimilarityController::SimilarityController(ModelController& models, JobRunner& runner,
                                           widgets::SimilarityView* view, QObject* parent)
    : QObject(parent)
    , m_models(models)
    , m_runner(runner)
    , m_view(view) {
    connect(view, &widgets::SimilarityView::runRequested, this, &SimilarityController::run);
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id == m_job)
                    emit failed(message);
            });
    connect(&m_runner, &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id != m_job)
            return;
        m_job = 0;
        m_view->setRunning(false);
    });
    connect(&m_models, &ModelController::modelLoaded, this, [this] { m_view->clearResults(); });
}

QString SimilarityController::sampleText() {
    QFile file(QStringLiteral(":/data/sample.txt"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

void SimilarityController::run() {
    auto loaded = m_models.model();
    if (!loaded) {
        emit failed(tr("Open a model first."));
        return;
    }
    if (!loaded->tokenizer) {
        emit failed(
            tr("This model folder has no tokenizer, so a text dataset cannot be turned into "
               "tokens. Add tokenizer.model or tokenizer.json to %1.")
                .arg(m_models.folder()));
        return;
    }
    // Paths are read on the worker; the built-in sample comes from the resources here.
    std::vector<QString> paths{m_view->datasetPath()};
    if (!m_view->compareDatasetPath().isNull())
        paths.push_back(m_view->compareDatasetPath());
    auto tokenizer = loaded->tokenizer;
    const std::string sample = sampleText().toStdString();
    std::vector<Input> inputs;
    for (const QString& path : paths) {
        const std::string file = path.toStdString();
        // The same reader as the CLI: .jsonl/.ndjson give their "text" fields, other files
        // paragraphs separated by blank lines. "" names the built-in sample (the view titles it).
        inputs.push_back(
            {path.isEmpty() ? QString() : QFileInfo(path).fileName(), [tokenizer, file, sample] {
                 auto documents = core::tokenizeDocuments(
                     *tokenizer,
                     file.empty() ? core::splitDocuments(sample) : core::readTextDataset(file));
                 if (documents.empty())
                     throw core::InvalidArgument(file + ": contains no documents");
                 return documents;
             }});
    }
    submit(std::move(loaded), std::move(inputs));
}

void SimilarityController::runOnTokens(std::vector<Dataset> datasets) {
    auto loaded = m_models.model();
    if (!loaded || datasets.empty()) {
        emit failed(tr("Open a model first."));
        return;
    }
    std::vector<Input> inputs;
    for (auto& d : datasets)
        inputs.push_back({d.name, [documents = std::move(d.documents)] { return documents; }});
    submit(std::move(loaded), std::move(inputs));
}

void SimilarityController::submit(std::shared_ptr<core::LoadedModel> model,
                                  std::vector<Input> inputs) {
    m_job = m_runner.submit(
        tr("Layer similarity"),
        [this, model, inputs](core::JobContext& job) -> JobRunner::Finish {
            std::vector<widgets::SimilaritySeries> series;
            QString comparisonError;
            const double share = 1.0 / double(inputs.size());
            for (std::size_t i = 0; i < inputs.size(); ++i) {
                auto measure = [&] {
                    core::SubJobContext sub(job, share * double(i), share * double(i + 1));
                    // Reading and tokenizing report no fraction of their own: name the stage
                    // meanwhile.
                    sub.setProgress(0, "tokenizer");
                    const Documents documents = inputs[i].documents();
                    core::SimilarityOptions options;
                    options.dataset = inputs[i].name.toStdString();
                    series.push_back(toSeries(
                        core::measureLayerSimilarity(*model->model, documents, options, sub)));
                };
                if (i == 0) {
                    measure();
                    continue;
                }
                // A broken comparison dataset must not throw away the main result.
                try {
                    measure();
                } catch (const core::Error& e) {
                    if (e.kind() == core::ErrorKind::Cancelled)
                        throw;
                    comparisonError = QString::fromUtf8(e.what());
                }
            }
            return [this, series, comparisonError] {
                m_view->setResults(series);
                emit finished();
                if (!comparisonError.isEmpty())
                    emit failed(tr("The comparison dataset could not be measured; the main result "
                                   "is shown.\n\n%1")
                                    .arg(comparisonError));
            };
        },
        {JobRunner::Lane::Analysis, m_models.modelTag()});
    m_view->setRunning(true);
    emit started(m_job);
}

} // namespace anatomist::gui
