#pragma once
// The run buttons of an analysis view: disabled while its job runs, or while the view cannot run
// (no model, no tokenizer) with the reason it shows as tooltip and status. One rule for every view.

#include <QList>
#include <QString>

class QPushButton;

namespace anatomist::widgets {

class RunControl {
public:
    // The buttons (Run, and e.g. the contrastive view's Audit) follow the state; call once.
    void attach(QList<QPushButton*> buttons);
    void setRunning(bool running);
    void setEnabled(bool enabled, const QString& reason);

    bool running() const { return m_running; }
    // Why the view cannot run ("" when it can, or when no reason was given).
    QString reason() const { return m_reason.trimmed(); }

private:
    void update();

    QList<QPushButton*> m_buttons;
    bool m_running = false;
    QString m_reason; // non-empty while disabled (" " when no reason was given)
};

} // namespace anatomist::widgets
