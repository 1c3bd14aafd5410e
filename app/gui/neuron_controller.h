#pragma once
// Neuron importance: scores every MLP neuron with the view's method on the job runner. The
// activation-weighted score reads the built-in sample text; fairness F_k reads the prompt pairs of
// the contrastive view (pairsSource), or the built-in pairs when it has none.

#include "view_controller.h"
#include "widgets/analysis_data.h"

#include <functional>

namespace anatomist::widgets {
class NeuronView;
}

namespace anatomist::gui {

class NeuronController : public ViewController {
    Q_OBJECT
public:
    using PairsSource = std::function<std::vector<widgets::PromptPairData>()>;
    NeuronController(ModelController& models, JobRunner& runner, widgets::NeuronView* view,
                     PairsSource pairs, QObject* parent = nullptr);
    void run();

protected:
    void setViewRunning(bool running) override;

private:
    void updateSourceNote();

    widgets::NeuronView* m_view;
    PairsSource m_pairs;
};

} // namespace anatomist::gui
