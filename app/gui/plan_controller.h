#pragma once
// Selection → plan → variant. Ticks in the module tree, Ctrl+clicks on similarity bars and the plan
// panel's suggestions edit one PlanEditor; the tree shows what the plan marks; Apply runs the
// pruning engine on the long-jobs lane (tagged with the model it was computed for) and adds the
// variant to the variants panel. A new model resets the plan and the variants.

#include "widgets/plan_totals.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <map>
#include <memory>

namespace anatomist::core {
class CausalLM;
}
namespace anatomist::widgets {
class PlanEditor;
class PlanPanel;
class SimilarityView;
class VariantsPanel;
} // namespace anatomist::widgets

namespace anatomist::gui {

class JobRunner;
class ModelController;
class SimilarityController;

class PlanController : public QObject {
    Q_OBJECT
public:
    PlanController(ModelController& models, SimilarityController& similarity, JobRunner& runner,
                   widgets::SimilarityView* similarityView, QObject* parent = nullptr);

    // The panels are created here, without a parent: the main window places them (and owns them).
    widgets::PlanEditor* editor() const { return m_editor; }
    widgets::PlanPanel* panel() const { return m_panel; }
    widgets::VariantsPanel* variantsPanel() const { return m_variants; }

    // The plan base of the open model (what a plan must have been made for).
    widgets::PlanBase modelBase() const;
    static widgets::PlanBase baseOf(const widgets::ModelOverview& overview);
    // The neuron view's "Add to plan": prune_mlp of `percent` by `method` on `layer` (-1: every
    // layer), replacing the MLP pruning that covered it.
    void addMlpPruning(int layer, double percent, const QString& method);
    // Marks / unmarks the module with this full name (a decoder block, its attention or MLP).
    bool toggleModule(const QString& fullName);
    // Runs the pruning engine on the current plan; the variant is named `name`.
    void apply(const QString& name);
    std::shared_ptr<core::CausalLM> variant(const QString& name) const;
    // The base's row name ("base", translated) and the variants in the order they were added.
    QString baseName() const { return m_baseName; }
    QStringList variantNames() const { return m_variantOrder; }
    // The plan (JSON v1, compact) a pruned variant was made from; empty for other variants.
    QString variantPlan(const QString& name) const { return m_variantPlans.value(name); }
    // The summary a variant was added with (its row's description).
    QString variantSummary(const QString& name) const { return m_variantSummaries.value(name); }
    // Adds a variant made elsewhere (a healed student, a restored session); `wanted` is made
    // unique. Returns the name it got.
    QString addVariant(const QString& wanted, std::shared_ptr<core::CausalLM> model,
                       const QString& summary, const QString& planJson = QString());
    // Perplexity of the base and every variant on the built-in sample (analysis lane).
    void measurePerplexity();

signals:
    void variantAdded(const QString& name);
    void perplexityMeasured();
    void failed(const QString& title, const QString& message);

private:
    void onModelLoaded();
    void onPlanChanged();
    QString uniqueName(const QString& wanted) const;
    QString planSummary() const;

    ModelController& m_models;
    SimilarityController& m_similarity;
    JobRunner& m_runner;
    widgets::SimilarityView* m_similarityView;
    widgets::PlanEditor* m_editor;
    widgets::PlanPanel* m_panel = nullptr;
    widgets::VariantsPanel* m_variants = nullptr;
    std::vector<widgets::LayerAnatomy> m_layers;
    std::map<QString, std::shared_ptr<core::CausalLM>> m_variantModels;
    QStringList m_variantOrder;
    QHash<QString, QString> m_variantPlans;
    QHash<QString, QString> m_variantSummaries;
    quint64 m_applyJob = 0;
    quint64 m_measureJob = 0;
    QString m_baseName;
};

} // namespace anatomist::gui
