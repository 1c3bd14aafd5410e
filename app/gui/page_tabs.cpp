#include "page_tabs.h"

#include <QScrollArea>
#include <QTabBar>

namespace anatomist::gui {

PageTabs::PageTabs(QWidget* parent)
    : QTabWidget(parent) {
    setObjectName(QStringLiteral("pageTabs"));
    connect(this, &QTabWidget::currentChanged, this,
            [this] { emit currentPageChanged(currentPage()); });
}

QScrollArea* PageTabs::wrap(QWidget* page) {
    auto* area = new QScrollArea;
    area->setObjectName(page->objectName().isEmpty()
                            ? QStringLiteral("pageScrollArea")
                            : page->objectName() + QStringLiteral("ScrollArea"));
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(
        true); // the page fills the area; scroll bars only below its minimum size
    area->setWidget(page);
    m_areas.insert(page, area);
    m_order.append(page);
    return area;
}

void PageTabs::addPage(QWidget* page, const QIcon& icon) {
    addTab(wrap(page), icon, QString());
    m_rows.insert(page, this);
}

int PageTabs::addGroup(const QIcon& icon) {
    auto* row = new QTabWidget;
    row->setObjectName(QStringLiteral("pageGroup%1").arg(m_groups.size()));
    row->setDocumentMode(true); // a flat second row under the first, not a frame in a frame
    row->tabBar()->setExpanding(false);
    connect(row, &QTabWidget::currentChanged, this,
            [this] { emit currentPageChanged(currentPage()); });
    addTab(row, icon, QString());
    m_groups.append(row);
    return int(m_groups.size()) - 1;
}

void PageTabs::addPage(int group, QWidget* page, const QIcon& icon) {
    QTabWidget* row = m_groups.value(group);
    Q_ASSERT(row);
    row->addTab(wrap(page), icon, QString());
    m_rows.insert(page, row);
}

bool PageTabs::setCurrentPage(QWidget* page) {
    QTabWidget* row = m_rows.value(page);
    if (!row)
        return false;
    row->setCurrentWidget(m_areas.value(page));
    if (row != this)
        setCurrentWidget(row);
    return true;
}

QWidget* PageTabs::currentPage() const {
    QWidget* current = currentWidget();
    if (auto* row = qobject_cast<QTabWidget*>(current); row && m_groups.contains(row))
        current = row->currentWidget();
    auto* area = qobject_cast<QScrollArea*>(current);
    return area ? area->widget() : nullptr;
}

void PageTabs::setPageTitle(QWidget* page, const QString& title, const QString& toolTip) {
    QTabWidget* row = m_rows.value(page);
    if (!row)
        return;
    const int index = row->indexOf(m_areas.value(page));
    row->setTabText(index, title);
    row->setTabToolTip(index, toolTip);
}

void PageTabs::setGroupTitle(int group, const QString& title, const QString& toolTip) {
    const int index = indexOf(m_groups.value(group));
    if (index < 0)
        return;
    setTabText(index, title);
    setTabToolTip(index, toolTip);
}

QString PageTabs::pageTitle(const QWidget* page) const {
    const QTabWidget* row = m_rows.value(page);
    return row ? row->tabText(row->indexOf(m_areas.value(page))) : QString();
}

QString PageTabs::pageToolTip(const QWidget* page) const {
    const QTabWidget* row = m_rows.value(page);
    return row ? row->tabToolTip(row->indexOf(m_areas.value(page))) : QString();
}

QTabWidget* PageTabs::rowOf(const QWidget* page) const {
    return m_rows.value(page);
}

} // namespace anatomist::gui
