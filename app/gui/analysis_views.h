#pragma once
// The analysis tabs of issue 15 — activations, contrastive pairs, neuron importance, logit lens —
// with their controllers, registered on the main window's tab widget in one call so that the main
// window only wires (STYLE.md: a feature registers itself). Keeps each view's Run button in step
// with the open model (disabled without a tokenizer, with the reason shown), clears results when
// another model opens, and retranslates the tab titles.

#include <QObject>
#include <QStringList>

namespace anatomist::widgets {
class ActivationView;
class ContrastiveView;
class LogitLensView;
class NeuronView;
} // namespace anatomist::widgets

namespace anatomist::gui {

class ActivationController;
class ContrastiveController;
class JobRunner;
class LogitLensController;
class ModelController;
class NeuronController;
class PageTabs;

class AnalysisViews : public QObject {
    Q_OBJECT
public:
    // The views become pages of `group` in `tabs`.
    AnalysisViews(ModelController& models, JobRunner& runner, PageTabs* tabs, int group,
                  QObject* parent = nullptr);

    static QStringList
    viewNames(); // activations, contrastive, neurons, logit-lens, contrastive-heatmap
    // Shows the tab of a view name; false for a name that is not one of these.
    bool showView(const QString& name);
    // The view name of one of these tabs' widgets; "" for another widget.
    QString viewNameOf(const QWidget* widget) const;
    // Runs a view on its defaults (the default prompt, the built-in pairs); finished() or failed()
    // follows. False for an unknown name.
    bool runDefault(const QString& name);

    widgets::ActivationView* activationView() const { return m_activationView; }
    widgets::ContrastiveView* contrastiveView() const { return m_contrastiveView; }
    widgets::NeuronView* neuronView() const { return m_neuronView; }
    widgets::LogitLensView* logitLensView() const { return m_logitLensView; }
    ActivationController& activations() const { return *m_activations; }
    ContrastiveController& contrastive() const { return *m_contrastive; }
    NeuronController& neurons() const { return *m_neurons; }
    LogitLensController& logitLens() const { return *m_logitLens; }

signals:
    void finished();
    void failed(const QString& title, const QString& message);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslate();
    void onModelChanged(bool loading, bool clearResults);

    ModelController& m_models;
    PageTabs* m_tabs;
    widgets::ActivationView* m_activationView;
    widgets::ContrastiveView* m_contrastiveView;
    widgets::NeuronView* m_neuronView;
    widgets::LogitLensView* m_logitLensView;
    ActivationController* m_activations;
    ContrastiveController* m_contrastive;
    NeuronController* m_neurons;
    LogitLensController* m_logitLens;
};

} // namespace anatomist::gui
