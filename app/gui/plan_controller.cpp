#include "plan_controller.h"

#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "job.h"
#include "job_runner.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "prune/apply_plan.h"
#include "prune_adapter.h"
#include "similarity_controller.h"
#include "widgets/module_tree_model.h"
#include "widgets/plan_editor.h"
#include "widgets/plan_panel.h"
#include "widgets/similarity_view.h"
#include "widgets/variants_panel.h"

#include <QGuiApplication>
#include <QJsonDocument>
#include <QLocale>
#include <QSet>
#include <QTableWidget>

namespace anatomist::gui {

PlanController::PlanController(ModelController& models, SimilarityController& similarity,
                               JobRunner& runner, widgets::SimilarityView* similarityView,
                               QObject* parent)
    : QObject(parent)
    , m_models(models)
    , m_similarity(similarity)
    , m_runner(runner)
    , m_similarityView(similarityView)
    , m_editor(new widgets::PlanEditor(this))
    , m_panel(new widgets::PlanPanel(m_editor))
    , m_variants(new widgets::VariantsPanel) {
    m_panel->setApplyAvailable(
        pruneEngineAvailable(),
        tr("The pruning engine is not part of this build, so a plan can be made and "
           "saved (anatomist-cli prune --plan) but not applied here."));
    connect(&m_models, &ModelController::modelLoaded, this, &PlanController::onModelLoaded);
    connect(m_editor, &widgets::PlanEditor::changed, this, &PlanController::onPlanChanged);
    connect(m_models.treeModel(), &widgets::ModuleTreeModel::removalToggled, this,
            [this](const QString& name) { toggleModule(name); });
    connect(m_panel, &widgets::PlanPanel::applyRequested, this, &PlanController::apply);
    connect(m_variants, &widgets::VariantsPanel::measureRequested, this,
            &PlanController::measurePerplexity);
    connect(m_panel, &widgets::PlanPanel::errorOccurred, this, &PlanController::failed);
    // Ctrl+click on a bar marks the layer; a plain click only selects it in the tree.
    connect(similarityView, &widgets::SimilarityView::layerClicked, this, [this](int layer) {
        if (QGuiApplication::keyboardModifiers() & Qt::ControlModifier)
            m_editor->toggle(widgets::PlanPart::Layer, layer, m_panel->mlpPercent());
    });
    connect(&m_similarity, &SimilarityController::finished, this, [this] {
        const auto& results = m_similarityView->results();
        if (results.empty())
            return;
        QVector<int> order = results.front().removalOrder;
        if (order.isEmpty()) { // older results: sort by importance here
            for (const auto& s : results.front().layers)
                order << s.layer;
            std::sort(order.begin(), order.end(), [&](int a, int b) {
                return results.front().layers[std::size_t(a)].importance <
                       results.front().layers[std::size_t(b)].importance;
            });
        }
        QVector<double> importance;
        for (int l : order)
            importance << (l >= 0 && std::size_t(l) < results.front().layers.size()
                               ? results.front().layers[std::size_t(l)].importance
                               : 0.0);
        m_panel->setSuggestions(order, importance);
    });
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id == m_applyJob)
                    emit failed(tr("Could not apply the plan"), message);
                if (id == m_measureJob)
                    emit failed(tr("Could not measure perplexity"), message);
            });
    connect(&m_runner, &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id == m_measureJob) {
            m_measureJob = 0;
            m_variants->setMeasuring(false);
        }
        if (id != m_applyJob)
            return;
        m_applyJob = 0;
        m_panel->setApplyRunning(false);
    });
}

widgets::PlanBase PlanController::modelBase() const {
    return baseOf(m_models.overview());
}

void PlanController::addMlpPruning(int layer, double percent, const QString& method) {
    if (!m_models.model())
        return;
    const QString where = layer < 0 ? tr("every layer") : tr("layer %1").arg(layer);
    m_editor->edit(m_editor->plan().withMlpPruning(layer, percent, method),
                   tr("Remove %1 % of the MLP neurons of %2 (%3)")
                       .arg(QLocale().toString(percent), where, method));
}

widgets::PlanBase PlanController::baseOf(const widgets::ModelOverview& o) {
    widgets::PlanBase b;
    b.modelType = o.modelType;
    b.numHiddenLayers = o.layers;
    b.hiddenSize = o.hiddenSize;
    b.intermediateSize = o.intermediateSize;
    b.numAttentionHeads = o.heads;
    b.numKeyValueHeads = o.kvHeads;
    return b;
}

void PlanController::onModelLoaded() {
    const widgets::ModuleNode* root = m_models.treeModel()->root();
    m_layers = root ? widgets::layerAnatomy(*root) : std::vector<widgets::LayerAnatomy>{};
    // The panel holds a pointer into the previous tree, which is gone: detach it before the reset
    // redraws the totals.
    m_panel->setModel(nullptr, QString());
    m_editor->reset(modelBase());
    m_panel->setModel(root, m_models.treeModel()->computeDtype());
    m_variantModels.clear();
    m_variantOrder.clear();
    m_variantPlans.clear();
    m_variantSummaries.clear();
    m_variants->clear();
    m_baseName = tr("base");
    if (root)
        m_variants->setRow({m_baseName, tr("the model as loaded"),
                            m_panel->totals().parametersBefore, m_panel->totals().bytesBefore});
}

void PlanController::onPlanChanged() {
    QSet<QString> names;
    const auto& plan = m_editor->plan();
    for (int l = 0; l < int(m_layers.size()); ++l) {
        const auto& a = m_layers[std::size_t(l)];
        if (plan.isMarked(widgets::PlanPart::Layer, l))
            names << a.layer->name;
        if (a.attention && plan.isMarked(widgets::PlanPart::Attention, l))
            names << a.attention->name;
        if (a.mlp && plan.isMarked(widgets::PlanPart::Mlp, l))
            names << a.mlp->name;
    }
    m_models.treeModel()->setMarked(names);
}

bool PlanController::toggleModule(const QString& fullName) {
    int layer = 0;
    widgets::PlanPart part;
    if (!widgets::partOf(m_layers, fullName, layer, part))
        return false;
    m_editor->toggle(part, layer, m_panel->mlpPercent());
    return true;
}

QString PlanController::uniqueName(const QString& wanted) const {
    QString base = wanted.trimmed().isEmpty() ? tr("variant") : wanted.trimmed();
    QString name = base;
    for (int i = 2; m_variants->row(name) || m_variantModels.count(name); ++i)
        name = QStringLiteral("%1 %2").arg(base).arg(i);
    return name;
}

QString PlanController::planSummary() const {
    QStringList parts;
    for (int i = 0; i < m_panel->operationsTable()->rowCount(); ++i)
        if (auto* item = m_panel->operationsTable()->item(i, 0))
            parts << item->text();
    return parts.join(QStringLiteral("; "));
}

void PlanController::apply(const QString& wanted) {
    auto loaded = m_models.model();
    if (!loaded || m_editor->plan().isEmpty() || m_applyJob)
        return;
    const QString mismatch = m_editor->plan().checkBase(modelBase());
    if (!mismatch.isEmpty()) {
        emit failed(tr("This plan is for another model"), mismatch);
        return;
    }
    const QString name = uniqueName(wanted);
    const std::string json =
        QJsonDocument(m_editor->plan().toJson()).toJson(QJsonDocument::Compact).toStdString();
    const QString summary = planSummary();
    m_applyJob = m_runner.submit(
        tr("Pruning → %1").arg(name),
        [this, loaded, json, name, summary](core::JobContext& job) -> JobRunner::Finish {
            auto variant =
                std::make_shared<AppliedVariant>(applyPlanWithEngine(*loaded->model, json, job));
            return [this, variant, name, summary, json] {
                addVariant(name, variant->model, summary, QString::fromStdString(json));
            };
        },
        {JobRunner::Lane::Long, m_models.modelTag()});
    m_panel->setApplyRunning(true);
}

void PlanController::measurePerplexity() {
    auto loaded = m_models.model();
    if (!loaded || m_measureJob)
        return;
    if (!loaded->tokenizer) {
        emit failed(tr("Could not measure perplexity"),
                    tr("This model folder has no tokenizer, so the sample text cannot be turned "
                       "into tokens."));
        return;
    }
    std::vector<std::pair<QString, std::shared_ptr<core::CausalLM>>> models{
        {m_baseName, loaded->model}};
    for (const auto& [name, model] : m_variantModels)
        models.emplace_back(name, model);
    const std::string text = SimilarityController::sampleText().toStdString();
    auto tokenizer = loaded->tokenizer;
    m_measureJob = m_runner.submit(
        tr("Perplexity of %n model(s)", nullptr, int(models.size())),
        [this, models, text, tokenizer](core::JobContext& job) -> JobRunner::Finish {
            const auto documents = core::tokenizeDocuments(*tokenizer, core::splitDocuments(text));
            std::vector<std::pair<QString, double>> results;
            const double share = 1.0 / double(models.size());
            for (std::size_t i = 0; i < models.size(); ++i) {
                core::SubJobContext sub(job, share * double(i), share * double(i + 1));
                results.emplace_back(
                    models[i].first,
                    core::evaluatePerplexity(*models[i].second, documents, {}, sub).perplexity);
            }
            return [this, results] {
                for (const auto& [name, perplexity] : results)
                    m_variants->setPerplexity(name, perplexity);
                emit perplexityMeasured();
            };
        },
        {JobRunner::Lane::Analysis, m_models.modelTag()});
    m_variants->setMeasuring(true);
}

QString PlanController::addVariant(const QString& wanted, std::shared_ptr<core::CausalLM> model,
                                   const QString& summary, const QString& planJson) {
    const QString name = uniqueName(wanted);
    const qint64 parameters = qint64(core::countParameters(*model));
    m_variantModels[name] = std::move(model);
    m_variantOrder << name;
    if (!planJson.isEmpty())
        m_variantPlans.insert(name, planJson);
    m_variantSummaries.insert(name, summary);
    m_variants->setRow(
        {name, summary, parameters,
         double(parameters) * widgets::bytesPerValue(m_models.treeModel()->computeDtype())});
    emit variantAdded(name);
    return name;
}

std::shared_ptr<core::CausalLM> PlanController::variant(const QString& name) const {
    auto it = m_variantModels.find(name);
    return it == m_variantModels.end() ? nullptr : it->second;
}

} // namespace anatomist::gui
