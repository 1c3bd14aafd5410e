#pragma once
// Activation heatmap: captures the chosen component of every layer for the view's prompt in one
// forward on the job runner and hands the view all layers (the layer slider needs no new job).

#include "view_controller.h"

namespace anatomist::widgets {
class ActivationView;
}

namespace anatomist::gui {

class ActivationController : public ViewController {
    Q_OBJECT
public:
    ActivationController(ModelController& models, JobRunner& runner, widgets::ActivationView* view,
                         QObject* parent = nullptr);
    void run();

protected:
    void setViewRunning(bool running) override;

private:
    widgets::ActivationView* m_view;
};

} // namespace anatomist::gui
