#include "module_tree_view.h"

#include "module_tree_model.h"

#include <QEvent>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace anatomist::widgets {

ModuleTreeView::ModuleTreeView(ModuleTreeModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterRole(ModuleTreeModel::FullNameRole);
    m_filter->setClearButtonEnabled(true);
    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->header()->setStretchLastSection(false);
    m_view->setColumnWidth(ModuleTreeModel::Name, 160);
    m_view->setColumnWidth(ModuleTreeModel::Type, 92);
    m_view->setColumnWidth(ModuleTreeModel::Shape, 72);
    m_view->setColumnWidth(ModuleTreeModel::DType, 58);
    m_view->setColumnWidth(ModuleTreeModel::Stored, 58);
    m_view->setColumnWidth(ModuleTreeModel::Parameters, 68);
    m_view->setColumnWidth(ModuleTreeModel::Percent, 58);
    m_view->setColumnWidth(ModuleTreeModel::Memory, 70);
    m_view->setColumnWidth(ModuleTreeModel::StoredSize, 78);
    m_view->setColumnWidth(ModuleTreeModel::Saves, 72);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);

    // The same toggle as the check box, for people who look for it in a menu.
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex source = m_proxy->mapToSource(m_view->indexAt(pos));
        const ModuleNode* node = m_model->node(source);
        if (!node || !ModuleTreeModel::isRemovable(*node))
            return;
        QMenu menu(this);
        const QString name = node->name;
        menu.addAction(m_model->isMarked(name) ? tr("Keep %1 (take it out of the plan)").arg(name)
                                               : tr("Remove %1 (add it to the plan)").arg(name),
                       this, [this, name] { emit m_model->removalToggled(name); });
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_filter, &QLineEdit::textChanged, this, &ModuleTreeView::setFilterText);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    emit moduleSelected(current.data(ModuleTreeModel::FullNameRole).toString());
            });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        expandToDecoderLayers();
        widenToContents();
    });
    // Names, types and numbers must stay readable ("q_proj", not "q_p…"; "Q8_0+F16+F32") as rows
    // come into view; columns only grow here, so a width the user dragged wider is kept.
    connect(m_view, &QTreeView::expanded, this, [this] { widenToContents(); });
    retranslate();
}

void ModuleTreeView::setFilterText(const QString& text) {
    if (m_filter->text() != text)
        m_filter->setText(text);
    m_proxy->setFilterFixedString(text);
    if (!text.isEmpty()) {
        m_view->expandAll();
        widenToContents();
    }
}

void ModuleTreeView::selectModule(const QString& fullName) {
    QModelIndex source = m_model->indexForName(fullName);
    if (!source.isValid())
        return;
    QModelIndex proxy = m_proxy->mapFromSource(source);
    if (!proxy.isValid()) { // hidden by the filter: clear it
        setFilterText({});
        proxy = m_proxy->mapFromSource(source);
    }
    m_view->expand(proxy);
    for (QModelIndex p = proxy.parent(); p.isValid(); p = p.parent())
        m_view->expand(p);
    m_view->setCurrentIndex(proxy);
    m_view->scrollTo(proxy, QAbstractItemView::PositionAtCenter);
}

void ModuleTreeView::expandToDecoderLayers() {
    // "model ▸ model" says nothing: open down to the list of decoder blocks (the containers, e.g.
    // ModuleList "layers" or GPT-2's "h"), leaving the blocks themselves and leaf modules closed.
    m_view->expandToDepth(1);
    const auto* model = m_view->model();
    for (int top = 0; top < model->rowCount(); ++top) {
        const QModelIndex root = model->index(top, 0);
        for (int i = 0; i < model->rowCount(root); ++i) {
            const QModelIndex child = model->index(i, 0, root);
            for (int j = 0; j < model->rowCount(child); ++j) {
                const QModelIndex grandChild = model->index(j, 0, child);
                if (model->index(j, ModuleTreeModel::Type, child).data().toString() ==
                    QLatin1String("ModuleList"))
                    m_view->expand(grandChild);
            }
        }
    }
}

void ModuleTreeView::expandLayers() {
    m_view->expandToDepth(3);
    widenToContents();
}

void ModuleTreeView::widenToContents() {
    for (int column = 0; column < ModuleTreeModel::ColumnCount; ++column) {
        const int before = m_view->columnWidth(column);
        m_view->resizeColumnToContents(column);
        m_view->setColumnWidth(column, std::max(before, m_view->columnWidth(column)));
    }
}

void ModuleTreeView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ModuleTreeView::retranslate() {
    m_filter->setPlaceholderText(tr("Filter modules by name…"));
}

} // namespace anatomist::widgets
