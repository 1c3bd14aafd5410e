#include "neuron_controller.h"

#include "analysis/datasets.h"
#include "analysis/neuron_importance.h"
#include "analysis_converters.h"
#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "similarity_controller.h"
#include "widgets/neuron_view.h"

#include <QFile>

namespace anatomist::gui {

namespace {
std::vector<widgets::PromptPairData> builtInPairs() {
    QFile file(ViewController::builtInPairsPath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    return toPromptPairData(
        core::parsePromptPairsJsonl(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                                    ViewController::builtInPairsPath().toStdString()));
}
} // namespace

NeuronController::NeuronController(ModelController& models, JobRunner& runner,
                                   widgets::NeuronView* view, PairsSource pairs, QObject* parent)
    : ViewController(models, runner, parent)
    , m_view(view)
    , m_pairs(std::move(pairs)) {
    connect(view, &widgets::NeuronView::runRequested, this, &NeuronController::run);
    connect(view, &widgets::NeuronView::methodChanged, this, &NeuronController::updateSourceNote);
    updateSourceNote();
}

void NeuronController::updateSourceNote() {
    const QString method = m_view->method();
    if (method == QLatin1String("activation"))
        m_view->setSourceNote(tr("activation norms measured on the built-in sample text"));
    else if (method == QLatin1String("fairness"))
        m_view->setSourceNote(tr("bias measured on the prompt pairs of the Contrastive pairs tab"));
    else
        m_view->setSourceNote(tr("computed from the weights alone"));
}

void NeuronController::run() {
    updateSourceNote();
    auto loaded = m_models.model();
    if (!loaded) {
        emit failed(tr("Open a model first."));
        return;
    }
    const QString method = m_view->method();
    const bool fairness = method == QLatin1String("fairness");
    const bool dataDriven = fairness || method == QLatin1String("activation");
    if (dataDriven && !(loaded = modelWithTokenizer()))
        return;
    std::vector<core::PromptPair> pairs;
    if (fairness) {
        auto rows = m_pairs ? m_pairs() : std::vector<widgets::PromptPairData>{};
        if (rows.empty())
            rows = builtInPairs();
        pairs = toPromptPairs(rows);
    }
    const std::string sample = SimilarityController::sampleText().toStdString();
    const double w = m_view->fairnessWeight();
    const auto parsed = core::parseNeuronScoreMethod(method.toStdString());
    submit(
        tr("Neuron importance"),
        [this, loaded, method, fairness, pairs, sample, w,
         parsed](core::JobContext& job) -> JobRunner::Finish {
            core::NeuronImportanceResult result;
            if (fairness) {
                std::vector<std::pair<std::vector<core::TokenId>, std::vector<core::TokenId>>> ids;
                for (const auto& p : pairs)
                    ids.emplace_back(core::promptIds(*loaded->tokenizer, p.a),
                                     core::promptIds(*loaded->tokenizer, p.b));
                result = core::fairnessImportance(*loaded->model, ids, w, job);
            } else {
                std::vector<std::vector<core::TokenId>> documents;
                if (parsed == core::NeuronScoreMethod::Activation)
                    documents =
                        core::tokenizeDocuments(*loaded->tokenizer, core::splitDocuments(sample));
                result = core::scoreNeurons(*loaded->model, *parsed, documents, job);
            }
            auto data = toNeuronScores(result);
            data.pairs = int(pairs.size());
            return [this, loaded, data] {
                if (!isCurrent(loaded))
                    return;
                m_view->setResults(data);
                emit finished();
            };
        });
}

void NeuronController::setViewRunning(bool running) {
    m_view->setRunning(running);
}

} // namespace anatomist::gui
