#include "module_tree_model.h"

#include <QFont>
#include <QLocale>
#include <functional>

namespace anatomist::widgets {

TreeCounts countTree(const ModuleNode& root) {
    TreeCounts counts;
    std::function<void(const ModuleNode&)> visit = [&](const ModuleNode& node) {
        ++counts.nodes;
        if (node.role == core::ModuleRole::Parameter) {
            ++counts.parameterTensors;
            counts.parameters += node.parameters;
        }
        for (const auto& child : node.children)
            visit(child);
    };
    visit(root);
    return counts;
}

QString humanCount(qint64 n) {
    // The UI language's decimal separator, like every other number on screen.
    const QLocale locale;
    const double v = double(n);
    if (v >= 1e9)
        return QStringLiteral("%1 B").arg(locale.toString(v / 1e9, 'f', 2));
    if (v >= 1e6)
        return QStringLiteral("%1 M").arg(locale.toString(v / 1e6, 'f', 2));
    if (v >= 1e3)
        return QStringLiteral("%1 K").arg(locale.toString(v / 1e3, 'f', 1));
    return QString::number(n);
}

QString humanBytes(double bytes) {
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

int bytesPerValue(const QString& dtype) {
    if (dtype == QLatin1String("float32") || dtype == QLatin1String("int32"))
        return 4;
    if (dtype == QLatin1String("bfloat16") || dtype == QLatin1String("float16"))
        return 2;
    if (dtype == QLatin1String("int8") || dtype == QLatin1String("uint8"))
        return 1;
    if (dtype == QLatin1String("float64") || dtype == QLatin1String("int64"))
        return 8;
    return 4;
}

ModuleTreeModel::ModuleTreeModel(QObject* parent)
    : QAbstractItemModel(parent) {}

void ModuleTreeModel::setTree(ModuleNode root, const QString& computeDtype) {
    beginResetModel();
    m_root = std::make_unique<ModuleNode>(std::move(root));
    m_marked.clear();
    m_removed.clear();
    m_dtype = computeDtype.isEmpty() ? QStringLiteral("float32") : computeDtype;
    m_total = m_root->parameters;
    m_rootItem = std::make_unique<Item>();
    auto top = std::make_unique<Item>();
    top->node = m_root.get();
    top->parent = m_rootItem.get();
    build(*top);
    m_rootItem->children.push_back(std::move(top));
    endResetModel();
}

void ModuleTreeModel::clear() {
    beginResetModel();
    m_rootItem.reset();
    m_root.reset();
    m_marked.clear();
    m_removed.clear();
    m_total = 0;
    endResetModel();
}

TreeCounts ModuleTreeModel::counts() const {
    return m_root ? countTree(*m_root) : TreeCounts{};
}

void ModuleTreeModel::build(Item& item) {
    int row = 0;
    for (const auto& child : item.node->children) {
        auto c = std::make_unique<Item>();
        c->node = &child;
        c->parent = &item;
        c->row = row++;
        build(*c);
        item.children.push_back(std::move(c));
    }
}

ModuleTreeModel::Item* ModuleTreeModel::itemFor(const QModelIndex& index) const {
    if (!index.isValid())
        return m_rootItem.get();
    return static_cast<Item*>(index.internalPointer());
}

const ModuleNode* ModuleTreeModel::node(const QModelIndex& index) const {
    if (!index.isValid())
        return nullptr;
    return itemFor(index)->node;
}

QModelIndex ModuleTreeModel::indexForName(const QString& fullName) const {
    if (!m_rootItem)
        return {};
    std::function<QModelIndex(const QModelIndex&)> search = [&](const QModelIndex& parent) {
        for (int r = 0; r < rowCount(parent); ++r) {
            const QModelIndex i = index(r, 0, parent);
            const ModuleNode* n = node(i);
            if (n->name == fullName)
                return i;
            // Only descend into nodes whose name is a prefix of the one we look for.
            if (n->name.isEmpty() || fullName.startsWith(n->name + QLatin1Char('.'))) {
                const QModelIndex found = search(i);
                if (found.isValid())
                    return found;
            }
        }
        return QModelIndex();
    };
    return search({});
}

QModelIndex ModuleTreeModel::index(int row, int column, const QModelIndex& parent) const {
    Item* p = itemFor(parent);
    if (!p || row < 0 || row >= int(p->children.size()) || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex ModuleTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid())
        return {};
    Item* p = itemFor(child)->parent;
    if (!p || p == m_rootItem.get())
        return {};
    return createIndex(p->row, 0, p);
}

int ModuleTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0)
        return 0;
    Item* p = itemFor(parent);
    return p ? int(p->children.size()) : 0;
}

int ModuleTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

bool ModuleTreeModel::isRemovable(const ModuleNode& node) {
    return !node.name.isEmpty() &&
           (node.role == core::ModuleRole::Block || node.role == core::ModuleRole::Attention ||
            node.role == core::ModuleRole::Mlp);
}

QString ModuleTreeModel::displayKind(const ModuleNode& node) {
    return node.role == core::ModuleRole::Parameter ? tr("parameter") : node.kind;
}

QString ModuleTreeModel::tooltip(const ModuleNode& node) const {
    QString text = QStringLiteral("<b>%1</b><br>%2")
                       .arg(node.name.isEmpty() ? tr("model") : node.name, displayKind(node));
    if (isRemovable(node))
        text += QStringLiteral("<br>") +
                tr("Removing this saves %1 parameters (%2 in %3)")
                    .arg(QLocale().toString(node.parameters),
                         humanBytes(double(node.parameters) * bytesPerValue(m_dtype)), m_dtype);
    if (!node.storedType.isEmpty())
        text +=
            QStringLiteral("<br>") +
            tr("Stored as %1: %2 in the file").arg(node.storedType, humanBytes(node.storedBytes));
    return text;
}

QVariant ModuleTreeModel::data(const QModelIndex& index, int role) const {
    const ModuleNode* n = node(index);
    if (!n)
        return {};
    const bool isParam = n->role == core::ModuleRole::Parameter;
    if (role == FullNameRole)
        return n->name;
    if (role == ParametersRole)
        return n->parameters;
    if (role == KindRole)
        return n->kind;
    if (role == StoredBytesRole)
        return n->storedBytes;
    if (role == Qt::ToolTipRole)
        return tooltip(*n);
    if (role == Qt::CheckStateRole && index.column() == Name && isRemovable(*n))
        return m_marked.contains(n->name) ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::FontRole && (m_marked.contains(n->name) || markedOrBelow(n->name))) {
        // Struck out: removed with its block. Italic: kept but edited (MLP narrowed, attention
        // bypassed).
        QFont font;
        if (markedOrBelow(n->name))
            font.setStrikeOut(true);
        else
            font.setItalic(true);
        return font;
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Parameters)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return n->name.isEmpty() ? tr("model") : n->localName;
    case Type:
        return displayKind(*n);
    case Shape: {
        if (!isParam)
            return {};
        QStringList dims;
        for (qint64 d : n->shape)
            dims << QString::number(d);
        return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(", ")));
    }
    case DType:
        return n->dtype;
    case Stored:
        return n->storedType;
    case Parameters:
        return QLocale().toString(n->parameters);
    case Percent:
        return m_total ? QStringLiteral("%1 %").arg(100.0 * double(n->parameters) / double(m_total),
                                                    0, 'f', 2)
                       : QString();
    case Memory:
        return humanBytes(double(n->parameters) *
                          bytesPerValue(isParam && !n->dtype.isEmpty() ? n->dtype : m_dtype));
    case StoredSize:
        return n->storedType.isEmpty() ? QString() : humanBytes(double(n->storedBytes));
    case Saves:
        return isRemovable(*n) ? QStringLiteral("−%1").arg(humanCount(n->parameters)) : QString();
    default:
        return {};
    }
}

bool ModuleTreeModel::markedOrBelow(const QString& name) const {
    for (const QString& m : m_removed)
        if (name == m || name.startsWith(m + QLatin1Char('.')))
            return true;
    return false;
}

Qt::ItemFlags ModuleTreeModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractItemModel::flags(index);
    const ModuleNode* n = node(index);
    if (n && index.column() == Name && isRemovable(*n))
        f |= Qt::ItemIsUserCheckable;
    return f;
}

bool ModuleTreeModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    const ModuleNode* n = node(index);
    if (role != Qt::CheckStateRole || !n || !isRemovable(*n))
        return false;
    if ((value.toInt() == Qt::Checked) != m_marked.contains(n->name))
        emit removalToggled(n->name);
    return true;
}

void ModuleTreeModel::setMarked(const QSet<QString>& names) {
    if (names == m_marked)
        return;
    m_marked = names;
    m_removed.clear();
    for (const QString& name : names) {
        const ModuleNode* marked = node(indexForName(name));
        if (marked && marked->role == core::ModuleRole::Block)
            m_removed.insert(name);
    }
    if (!m_rootItem || m_rootItem->children.empty())
        return;
    // Struck-out text reaches below the marked nodes: repaint every row.
    std::function<void(const QModelIndex&)> touch = [&](const QModelIndex& parent) {
        const int rows = rowCount(parent);
        if (rows == 0)
            return;
        emit dataChanged(index(0, 0, parent), index(rows - 1, ColumnCount - 1, parent),
                         {Qt::CheckStateRole, Qt::FontRole});
        for (int r = 0; r < rows; ++r)
            touch(index(r, 0, parent));
    };
    touch({});
}

QVariant ModuleTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        if (section == Memory)
            return tr("Size in memory in the compute dtype (%1)").arg(m_dtype);
        if (section == Stored)
            return tr("The type the file stores: the safetensors header's dtype, or GGUF's tensor "
                      "type (Q4_K, Q8_0, …), which is dequantised on load");
        if (section == StoredSize)
            return tr("Bytes the file holds for it (quantisation blocks included)");
        return {};
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Type:
        return tr("Type");
    case Shape:
        return tr("Shape");
    case DType:
        return tr("DType");
    case Stored:
        return tr("Stored");
    case Parameters:
        return tr("Parameters");
    case Percent:
        return tr("% of total");
    case Memory:
        return tr("Memory");
    case StoredSize:
        return tr("Stored size");
    case Saves:
        return tr("Removal saves");
    default:
        return {};
    }
}

} // namespace anatomist::widgets
