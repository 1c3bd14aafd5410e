#pragma once
// Logit lens: decodes every layer's residual stream for the view's prompt on the job runner.

#include "view_controller.h"

namespace anatomist::widgets {
class LogitLensView;
}

namespace anatomist::gui {

class LogitLensController : public ViewController {
    Q_OBJECT
public:
    LogitLensController(ModelController& models, JobRunner& runner, widgets::LogitLensView* view,
                        QObject* parent = nullptr);
    void run();

protected:
    void setViewRunning(bool running) override;

private:
    widgets::LogitLensView* m_view;
};

} // namespace anatomist::gui
