#pragma once
// The module tree panel: a filter field over a QTreeView of a ModuleTreeModel. Emits the full name
// of the selected module; selectModule() selects, expands to and scrolls to a module by name.

#include <QWidget>

class QLineEdit;
class QTreeView;
class QSortFilterProxyModel;

namespace anatomist::widgets {

class ModuleTreeModel;

class ModuleTreeView : public QWidget {
    Q_OBJECT
public:
    explicit ModuleTreeView(ModuleTreeModel* model, QWidget* parent = nullptr);

    void selectModule(const QString& fullName);
    // Expands the model node and each layer, so that attention and MLP are visible.
    // Opens the tree down to the decoder blocks (what a freshly loaded model shows).
    void expandToDecoderLayers();
    void expandLayers();
    QTreeView* treeView() const { return m_view; }
    void setFilterText(const QString& text);

signals:
    void moduleSelected(const QString& fullName);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void widenToContents();

    ModuleTreeModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTreeView* m_view;
};

} // namespace anatomist::widgets
