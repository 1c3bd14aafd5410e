#include "jobs_panel.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace anatomist::widgets {

JobsPanel::JobsPanel(QWidget* parent)
    : QWidget(parent)
    , m_list(new QVBoxLayout)
    , m_empty(new QLabel(this)) {
    auto* layout = new QVBoxLayout(this);
    // One quiet line when idle: the dock should not spend 100 px saying that nothing runs.
    layout->setContentsMargins(6, 2, 6, 2);
    layout->setSpacing(4);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);
    layout->addWidget(m_empty);
    m_list->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_list);
    layout->addStretch(1);
    // Never taller than its rows: the main window gave the idle dock 85–140 px of empty band.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    retranslate();
}

void JobsPanel::addJob(quint64 id, const QString& title) {
    Row row;
    row.widget = new QWidget(this);
    auto* grid = new QGridLayout(row.widget);
    grid->setContentsMargins(0, 0, 0, 0);
    row.title = new QLabel(title, row.widget);
    row.stage = new QLabel(row.widget);
    row.stage->setEnabled(false);
    row.bar = new QProgressBar(row.widget);
    row.bar->setRange(0, 1000);
    row.bar->setValue(0);
    row.bar->setFormat(QStringLiteral("%p %"));
    row.bar->setEnabled(false);
    row.cancel = new QPushButton(row.widget);
    row.cancel->setObjectName(QStringLiteral("cancelJob%1").arg(id));
    row.cancel->setIcon(QIcon(QStringLiteral(":/icons/cancel.svg")));
    grid->addWidget(row.title, 0, 0);
    grid->addWidget(row.stage, 0, 1, Qt::AlignRight);
    grid->addWidget(row.bar, 1, 0);
    grid->addWidget(row.cancel, 1, 1);
    connect(row.cancel, &QPushButton::clicked, this, [this, id] {
        if (auto it = m_rows.find(id); it != m_rows.end()) {
            it->cancel->setEnabled(false);
            it->stage->setText(tr("cancelling…"));
        }
        emit cancelRequested(id);
    });
    m_list->addWidget(row.widget);
    m_rows.insert(id, row);
    retranslate();
}

void JobsPanel::setStarted(quint64 id) {
    auto it = m_rows.find(id);
    if (it == m_rows.end() || !it->queued)
        return;
    it->queued = false;
    it->bar->setEnabled(true);
    if (it->cancel->isEnabled())
        it->stage->clear();
}

QString JobsPanel::stageText(quint64 id) const {
    auto it = m_rows.constFind(id);
    return it == m_rows.constEnd() ? QString() : it->stage->text();
}

void JobsPanel::setProgress(quint64 id, double fraction, const QString& stage) {
    auto it = m_rows.find(id);
    if (it == m_rows.end())
        return;
    it->bar->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    it->queued = false;
    it->bar->setEnabled(true);
    if (it->cancel->isEnabled())
        it->stage->setText(stage);
}

void JobsPanel::removeJob(quint64 id) {
    auto it = m_rows.find(id);
    if (it == m_rows.end())
        return;
    it->widget->deleteLater();
    m_rows.erase(it);
    retranslate();
}

void JobsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void JobsPanel::retranslate() {
    m_empty->setText(tr("No jobs running"));
    m_empty->setVisible(m_rows.isEmpty());
    for (auto& row : m_rows) {
        row.cancel->setText(tr("Cancel"));
        row.cancel->setToolTip(tr("Cancel this job"));
        if (row.queued && row.cancel->isEnabled())
            row.stage->setText(tr("queued"));
    }
}

} // namespace anatomist::widgets
