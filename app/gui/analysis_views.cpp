#include "analysis_views.h"

#include "activation_controller.h"
#include "contrastive_controller.h"
#include "logit_lens_controller.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "neuron_controller.h"
#include "page_tabs.h"
#include "widgets/activation_view.h"
#include "widgets/contrastive_view.h"
#include "widgets/logit_lens_view.h"
#include "widgets/neuron_view.h"

#include <QEvent>

namespace anatomist::gui {

AnalysisViews::AnalysisViews(ModelController& models, JobRunner& runner, PageTabs* tabs, int group,
                             QObject* parent)
    : QObject(parent)
    , m_models(models)
    , m_tabs(tabs)
    , m_activationView(new widgets::ActivationView(tabs))
    , m_contrastiveView(new widgets::ContrastiveView(tabs))
    , m_neuronView(new widgets::NeuronView(tabs))
    , m_logitLensView(new widgets::LogitLensView(tabs)) {
    m_activations = new ActivationController(models, runner, m_activationView, this);
    m_contrastive = new ContrastiveController(models, runner, m_contrastiveView, this);
    m_neurons = new NeuronController(
        models, runner, m_neuronView, [view = m_contrastiveView] { return view->pairs(); }, this);
    m_logitLens = new LogitLensController(models, runner, m_logitLensView, this);
    m_tabs->addPage(group, m_activationView);
    m_tabs->addPage(group, m_contrastiveView);
    m_tabs->addPage(group, m_neuronView);
    m_tabs->addPage(group, m_logitLensView);
    m_activationView->setPrompt(ViewController::defaultPrompt());
    m_logitLensView->setPrompt(ViewController::defaultPrompt());
    m_contrastive->loadPairs(ViewController::builtInPairsPath());

    auto forward = [this](ViewController* c, auto title) {
        connect(c, &ViewController::failed, this,
                [this, title](const QString& message) { emit failed(title(), message); });
        connect(c, &ViewController::finished, this, &AnalysisViews::finished);
    };
    forward(m_activations, [] { return tr("Activations failed"); });
    forward(m_contrastive, [] { return tr("Contrastive pairs failed"); });
    forward(m_neurons, [] { return tr("Neuron importance failed"); });
    forward(m_logitLens, [] { return tr("Logit lens failed"); });
    // modelLoaded comes while the load job is still registered: say explicitly what state we are
    // in.
    connect(&models, &ModelController::loadStarted, this, [this] { onModelChanged(true, true); });
    connect(&models, &ModelController::modelLoaded, this, [this] { onModelChanged(false, true); });
    connect(&models, &ModelController::loadFailed, this, [this] { onModelChanged(false, false); });
    m_tabs->installEventFilter(this);
    retranslate();
    onModelChanged(false, true);
}

QStringList AnalysisViews::viewNames() {
    return {QStringLiteral("activations"), QStringLiteral("contrastive"), QStringLiteral("neurons"),
            QStringLiteral("logit-lens"), QStringLiteral("contrastive-heatmap")};
}

bool AnalysisViews::showView(const QString& name) {
    QWidget* views[] = {m_activationView, m_contrastiveView, m_neuronView, m_logitLensView,
                        m_contrastiveView};
    const int i = int(viewNames().indexOf(name));
    if (i < 0)
        return false;
    m_tabs->setCurrentPage(views[i]);
    m_contrastiveView->showHeatmap(name == QLatin1String("contrastive-heatmap"));
    return true;
}

QString AnalysisViews::viewNameOf(const QWidget* widget) const {
    const QWidget* views[] = {m_activationView, m_contrastiveView, m_neuronView, m_logitLensView};
    for (int i = 0; i < 4; ++i)
        if (views[i] == widget)
            return viewNames().value(i);
    return {};
}

bool AnalysisViews::runDefault(const QString& name) {
    if (!showView(name))
        return false;
    if (name == QLatin1String("activations"))
        m_activations->run();
    else if (name.startsWith(QLatin1String("contrastive"))) {
        // The built-in pairs are read by a job queued at start-up, which runs before this one.
        if (m_contrastiveView->pairs().empty()) {
            auto once = std::make_shared<QMetaObject::Connection>();
            *once = connect(m_contrastive, &ContrastiveController::pairsLoaded, this, [this, once] {
                disconnect(*once);
                m_contrastive->run();
            });
        } else {
            m_contrastive->run();
        }
    } else if (name == QLatin1String("neurons"))
        m_neurons->run();
    else
        m_logitLens->run();
    return true;
}

void AnalysisViews::onModelChanged(bool loading, bool clear) {
    const auto loaded = m_models.model();
    const bool usable = loaded && loaded->tokenizer && !loading;
    QString reason;
    if (loading)
        reason = tr("Loading the model…");
    else if (!loaded)
        reason = tr("Open a model first (File ▸ Open folder…).");
    else if (!loaded->tokenizer)
        reason = tr("This model folder has no tokenizer (tokenizer.model or tokenizer.json), so a "
                    "prompt cannot be turned into tokens.");
    if (clear) {
        m_activationView->clearResults();
        m_contrastiveView->clearResults();
        m_neuronView->clearResults();
        m_logitLensView->clearResults();
    }
    m_activationView->setRunEnabled(usable, reason);
    m_contrastiveView->setRunEnabled(usable, reason);
    m_logitLensView->setRunEnabled(usable, reason);
    // Weight-only scores need no tokenizer.
    m_neuronView->setRunEnabled(loaded && !loading, loading ? reason : loaded ? QString() : reason);
}

void AnalysisViews::retranslate() {
    // Short titles: the row of the analysis group must fit beside the docks at 1280 px.
    m_tabs->setPageTitle(m_activationView, tr("Activations"));
    m_tabs->setPageTitle(m_contrastiveView, tr("Contrastive"), tr("Contrastive pairs"));
    m_tabs->setPageTitle(m_neuronView, tr("Neurons"), tr("Neuron importance"));
    m_tabs->setPageTitle(m_logitLensView, tr("Logit lens"));
}

bool AnalysisViews::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_tabs && event->type() == QEvent::LanguageChange)
        retranslate();
    return QObject::eventFilter(watched, event);
}

} // namespace anatomist::gui
