#pragma once
// Running and queued jobs, each with a progress bar, its stage and a cancel button. Knows nothing
// about how jobs run: the app's job runner feeds it by id and listens to cancelRequested.

#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace anatomist::widgets {

class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(QWidget* parent = nullptr);

    // A new job shows as "queued" until setStarted().
    void addJob(quint64 id, const QString& title);
    void setStarted(quint64 id);
    void setProgress(quint64 id, double fraction, const QString& stage);
    void removeJob(quint64 id);
    int jobCount() const { return int(m_rows.size()); }
    // The stage text shown for a job ("queued", a stage name), for tests.
    QString stageText(quint64 id) const;

signals:
    void cancelRequested(quint64 id);

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Row {
        QWidget* widget = nullptr;
        QLabel* title = nullptr;
        QLabel* stage = nullptr;
        QProgressBar* bar = nullptr;
        QPushButton* cancel = nullptr;
        bool queued = true;
    };
    void retranslate();

    QVBoxLayout* m_list;
    QLabel* m_empty;
    QHash<quint64, Row> m_rows;
};

} // namespace anatomist::widgets
