#pragma once
// The module tree of a model as a Qt item model: model → embeddings → layers[i] → attention / MLP →
// parameters, with columns name, type, shape, dtype, stored type (as the file holds it: BF16,
// Q4_K), parameters, % of total, memory (in the compute dtype), stored size and what removing the
// node would save. Owns a copy of the tree; its data is read-only. Removable nodes (decoder blocks,
// attention, MLP) carry a check box: ticking one emits removalToggled and changes nothing by
// itself; the plan's owner answers with setMarked(). A marked block and everything below it is
// struck out; a marked attention or MLP (kept, but bypassed or narrowed) is in italics.

#include "plot_data.h"

#include <QAbstractItemModel>
#include <QSet>

namespace anatomist::widgets {

class ModuleTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Type,
        Shape,
        DType,
        Stored,
        Parameters,
        Percent,
        Memory,
        StoredSize,
        Saves,
        ColumnCount
    };
    enum Role { FullNameRole = Qt::UserRole + 1, ParametersRole, KindRole, StoredBytesRole };

    explicit ModuleTreeModel(QObject* parent = nullptr);

    // Replaces the tree; `computeDtype` is the dtype used for the memory column.
    void setTree(ModuleNode root, const QString& computeDtype);
    void clear();
    const ModuleNode* root() const { return m_root.get(); }
    QString computeDtype() const { return m_dtype; }
    TreeCounts counts() const;

    // Index (column 0) of the node with this full name, invalid when absent.
    QModelIndex indexForName(const QString& fullName) const;
    const ModuleNode* node(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

    // Full names of the modules the current plan removes or edits; repaints their rows.
    void setMarked(const QSet<QString>& names);
    bool isMarked(const QString& fullName) const { return m_marked.contains(fullName); }

signals:
    void removalToggled(const QString& fullName);

public:
    // Whether removing the node is a meaningful edit (a whole block, attention or MLP).
    static bool isRemovable(const ModuleNode& node);
    // The kind as users read it: a module's class name, or "parameter" in the user's language.
    static QString displayKind(const ModuleNode& node);

private:
    struct Item {
        const ModuleNode* node = nullptr;
        Item* parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Item>> children;
    };
    void build(Item& item);
    Item* itemFor(const QModelIndex& index) const;
    QString tooltip(const ModuleNode& node) const;
    bool markedOrBelow(const QString& name) const;

    std::unique_ptr<ModuleNode> m_root;
    std::unique_ptr<Item> m_rootItem; // invisible; its one child is the model node
    QString m_dtype = QStringLiteral("float32");
    qint64 m_total = 0;
    QSet<QString> m_marked;
    QSet<QString> m_removed; // marked decoder blocks: struck out with everything below
};

} // namespace anatomist::widgets
