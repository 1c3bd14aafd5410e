#pragma once
// The window's pages in two rows: a top row (Overview, then one tab per group of pages) and, inside
// a group, a row of its pages. Eleven pages in one row needed the tab bar's scroll arrows at 1280
// px (some pages could only be reached by scrolling); the rows of a group fit in English and
// Spanish.
//
// Every page sits in a frameless scroll area, so a page's minimum size no longer sets the window's
// central widget's: the widest page (the comparison view, ~720 px) squeezed the module-tree dock to
// ~310 px at 1280 px and cut the module names. A page narrower than its layout now scrolls instead.
// Callers keep using the page widgets themselves; the scroll areas stay an implementation detail.

#include <QHash>
#include <QList>
#include <QTabWidget>

class QScrollArea;

namespace anatomist::gui {

class PageTabs : public QTabWidget {
    Q_OBJECT
public:
    explicit PageTabs(QWidget* parent = nullptr);

    // A top-row tab that is a page of its own.
    void addPage(QWidget* page, const QIcon& icon);
    // A top-row tab holding a row of pages; returns the group's number for addPage(group, ...).
    int addGroup(const QIcon& icon);
    void addPage(int group, QWidget* page, const QIcon& icon = {});

    // Shows a page (its group first); false for a widget that is not a page here.
    bool setCurrentPage(QWidget* page);
    // The page on screen: the current page of the current group.
    QWidget* currentPage() const;
    QList<QWidget*> pages() const { return m_order; }

    void setPageTitle(QWidget* page, const QString& title, const QString& toolTip = {});
    void setGroupTitle(int group, const QString& title, const QString& toolTip = {});
    QString pageTitle(const QWidget* page) const;
    QString pageToolTip(const QWidget* page) const;
    // The row a page is in: a group's tab widget, or this for a top-row page.
    QTabWidget* rowOf(const QWidget* page) const;
    QTabWidget* group(int group) const { return m_groups.value(group); }
    // The scroll area a page sits in (tests: does a page fit without scrolling?).
    QScrollArea* areaOf(const QWidget* page) const { return m_areas.value(page); }

signals:
    // The page on screen changed (a tab of either row was clicked, or setCurrentPage).
    void currentPageChanged(QWidget* page);

private:
    QScrollArea* wrap(QWidget* page);

    QList<QTabWidget*> m_groups;
    QList<QWidget*> m_order;                     // pages in the order they were added
    QHash<const QWidget*, QScrollArea*> m_areas; // page → the scroll area that holds it
    QHash<const QWidget*, QTabWidget*> m_rows;   // page → the row its scroll area is a tab of
};

} // namespace anatomist::gui
