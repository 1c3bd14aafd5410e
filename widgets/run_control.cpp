#include "run_control.h"

#include <QPushButton>

namespace anatomist::widgets {

void RunControl::attach(QList<QPushButton*> buttons) {
    m_buttons = std::move(buttons);
    update();
}

void RunControl::setRunning(bool running) {
    m_running = running;
    update();
}

void RunControl::setEnabled(bool enabled, const QString& reason) {
    m_reason = enabled ? QString() : (reason.isEmpty() ? QStringLiteral(" ") : reason);
    update();
}

void RunControl::update() {
    for (QPushButton* button : m_buttons)
        button->setEnabled(!m_running && m_reason.isEmpty());
}

} // namespace anatomist::widgets
