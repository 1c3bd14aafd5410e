#pragma once
// Two of the open model's rows (the base or any variant) side by side: the comparison view's
// numbers (counted at once: parameters, memory, layers, widths; measured in the background with
// core::compareModels: perplexity on the built-in sample, prefill/decode tokens/s, layer similarity
// by base layer), what the variant removed, and the generation playground (core::generate, greedy
// or seeded sampling, both models on the same prompt ids). Results are tagged with the model they
// were computed on and kept per row name until another model is opened.

#include <QHash>
#include <QObject>
#include <QVector>
#include <memory>

namespace anatomist::core {
class CausalLM;
}
namespace anatomist::widgets {
class CompareView;
class PlaygroundView;
struct PlaygroundRequest;
} // namespace anatomist::widgets

namespace anatomist::gui {

class JobRunner;
class ModelController;
class PlanController;

class CompareController : public QObject {
    Q_OBJECT
public:
    CompareController(ModelController& models, PlanController& plans, JobRunner& runner,
                      QObject* parent = nullptr);

    // Created here without a parent; the main window places (and owns) them.
    widgets::CompareView* view() const { return m_view; }
    widgets::PlaygroundView* playground() const { return m_playground; }

    // Picks the two rows in the view (and the playground) and shows what is known of them.
    void compare(const QString& a, const QString& b);
    // Perplexity, speed and similarity of the two picked rows (analysis lane).
    void measure();
    void generate(const widgets::PlaygroundRequest& request);
    quint64 measureJob() const { return m_measureJob; }
    // The base (by its row name) or a variant; null when there is no such row.
    std::shared_ptr<core::CausalLM> modelNamed(const QString& name) const;

signals:
    void measured();
    void generated();
    void failed(const QString& title, const QString& message);

private:
    struct Measured {
        double perplexity = 0, prefill = 0, decode = 0;
        QVector<double> blockByBaseLayer;
    };
    void refreshChoices();
    void showSelection();
    QString planOf(const QString& name) const;

    ModelController& m_models;
    PlanController& m_plans;
    JobRunner& m_runner;
    widgets::CompareView* m_view;
    widgets::PlaygroundView* m_playground;
    QHash<QString, Measured> m_measured;
    quint64 m_measureJob = 0;
    quint64 m_generateJob = 0;
};

} // namespace anatomist::gui
