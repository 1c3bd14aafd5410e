#include "heads_editor.h"

#include "plan_editor.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace anatomist::widgets {

namespace {

// The KV groups of `layer` that some prune_heads operation removes.
QVector<int> removedGroups(const PlanDocument& plan, int layer) {
    QVector<int> out;
    for (const auto& op : plan.operations)
        if (op.op() == QLatin1String("prune_heads") && op.touches(layer))
            for (const auto& g : op.json.value(QStringLiteral("kv_groups")).toArray())
                out << g.toInt();
    return out;
}

} // namespace

HeadsEditor::HeadsEditor(PlanEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_title(new QLabel(this))
    , m_layerLabel(new QLabel(this))
    , m_layer(new QSpinBox(this))
    , m_groups(new QLabel(this))
    , m_groupLabel(new QLabel(this))
    , m_group(new QSpinBox(this))
    , m_removeGroup(new QPushButton(this))
    , m_perGroupLabel(new QLabel(this))
    , m_perGroup(new QSpinBox(this))
    , m_scope(new QComboBox(this))
    , m_removePerGroup(new QPushButton(this)) {
    setObjectName(QStringLiteral("headsEditor"));
    m_removeGroup->setObjectName(QStringLiteral("removeKvGroup"));
    m_removePerGroup->setObjectName(QStringLiteral("removeHeadsPerGroup"));
    m_groups->setTextFormat(Qt::RichText);
    m_groups->setWordWrap(true);
    m_groups->setObjectName(QStringLiteral("headGroups"));
    m_scope->addItem(QString(), false);
    m_scope->addItem(QString(), true);
    m_perGroup->setMinimum(1);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);

    auto* top = new QHBoxLayout;
    top->addWidget(m_title);
    top->addSpacing(8);
    top->addWidget(m_layerLabel);
    top->addWidget(m_layer);
    top->addWidget(m_groups, 1);
    auto* edits = new QHBoxLayout;
    edits->addWidget(m_groupLabel);
    edits->addWidget(m_group);
    edits->addWidget(m_removeGroup);
    edits->addSpacing(16);
    edits->addWidget(m_perGroupLabel);
    edits->addWidget(m_perGroup);
    edits->addWidget(m_scope);
    edits->addWidget(m_removePerGroup);
    edits->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(edits);

    connect(m_layer, &QSpinBox::valueChanged, this, &HeadsEditor::refresh);
    connect(m_removeGroup, &QPushButton::clicked, this,
            [this] { removeKvGroup(m_group->value()); });
    connect(m_removePerGroup, &QPushButton::clicked, this,
            [this] { removePerGroup(m_perGroup->value(), m_scope->currentData().toBool()); });
    connect(editor, &PlanEditor::changed, this, &HeadsEditor::refresh);
    retranslate();
}

void HeadsEditor::setTotals(const PlanTotals& totals) {
    m_totals = totals;
    refresh();
}

void HeadsEditor::setAvailable(bool available, const QString& reason) {
    m_available = available;
    m_reason = reason;
    refresh();
}

int HeadsEditor::layer() const {
    return m_layer->value();
}
void HeadsEditor::setLayer(int layer) {
    m_layer->setValue(layer);
}

void HeadsEditor::removeKvGroup(int group) {
    const int l = layer();
    if (removedGroups(m_editor->plan(), l).contains(group))
        return;
    PlanDocument next = m_editor->plan();
    next.operations.push_back(PlanOperation::removeKvGroup(l, group));
    m_editor->edit(next, tr("Remove KV group %1 of layer %2").arg(group).arg(l));
}

void HeadsEditor::removePerGroup(int count, bool everyLayer) {
    PlanDocument next = m_editor->plan();
    next.operations.push_back(PlanOperation::removeHeadsPerGroup(everyLayer ? -1 : layer(), count));
    m_editor->edit(
        next,
        everyLayer
            ? tr("Remove %n query head(s) per KV group in every layer", nullptr, count)
            : tr("Remove %n query head(s) per KV group in layer %1", nullptr, count).arg(layer()));
}

void HeadsEditor::refresh() {
    const PlanBase& base = m_editor->plan().base;
    const qint64 heads = base.numAttentionHeads;
    const qint64 kv = base.numKeyValueHeads > 0 ? base.numKeyValueHeads : heads;
    const bool usable =
        m_available && heads > 0 && kv > 0 && heads % kv == 0 && base.numHiddenLayers > 0;
    const qint64 group = usable ? heads / kv : 1;
    m_layer->setRange(0, int(std::max<qint64>(0, base.numHiddenLayers - 1)));
    m_group->setRange(0, int(std::max<qint64>(0, kv - 1)));
    m_perGroup->setRange(1, int(std::max<qint64>(1, group - 1)));
    for (QWidget* w : std::initializer_list<QWidget*>{m_layer, m_group, m_removeGroup})
        w->setEnabled(usable && kv > 1);
    m_layer->setEnabled(usable);
    const bool perGroupPossible = usable && group > 1;
    for (QWidget* w : std::initializer_list<QWidget*>{m_perGroup, m_scope, m_removePerGroup})
        w->setEnabled(perGroupPossible);
    m_removePerGroup->setToolTip(perGroupPossible
                                     ? tr("Removes the query heads with the lowest L2 norm (q_proj "
                                          "rows and o_proj columns) from every KV group")
                                     : tr("Each KV group has one query head: remove whole KV "
                                          "groups instead"));
    if (!usable) {
        m_groups->setText(m_reason.isEmpty() ? tr("Open a model to edit its heads.") : m_reason);
        return;
    }
    const int l = layer();
    const auto removed = removedGroups(m_editor->plan(), l);
    QStringList parts;
    for (qint64 g = 0; g < kv; ++g) {
        const QString queries =
            group == 1   ? QStringLiteral("q%1").arg(g)
            : group == 2 ? QStringLiteral("q%1 q%2").arg(g * 2).arg(g * 2 + 1)
                         : QStringLiteral("q%1–q%2").arg(g * group).arg((g + 1) * group - 1);
        const QString text = tr("KV %1: %2").arg(g).arg(queries);
        parts << (removed.contains(int(g))
                      ? QStringLiteral("<s style='color:gray'>%1</s>").arg(text.toHtmlEscaped())
                      : text.toHtmlEscaped());
    }
    QString kept;
    if (l < m_totals.headsAfter.size()) {
        kept = m_totals.headsAfter[l] == 0 && m_totals.widthAfter.value(l) == 0
                   ? tr("layer removed")
                   : tr("kept: %1/%2 query, %3/%4 KV heads")
                         .arg(m_totals.headsAfter[l])
                         .arg(heads)
                         .arg(m_totals.kvHeadsAfter[l])
                         .arg(kv);
    }
    m_groups->setText(parts.join(QStringLiteral(" · ")) +
                      (kept.isEmpty() ? QString() : QStringLiteral(" — <b>%1</b>").arg(kept)));
}

void HeadsEditor::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void HeadsEditor::retranslate() {
    m_title->setText(tr("Attention heads"));
    m_layerLabel->setText(tr("Layer:"));
    m_groupLabel->setText(tr("KV group:"));
    m_removeGroup->setText(tr("Remove group"));
    m_removeGroup->setToolTip(
        tr("Remove this KV head together with every query head that reads it"));
    m_perGroupLabel->setText(tr("Query heads per group:"));
    m_scope->setItemText(0, tr("this layer"));
    m_scope->setItemText(1, tr("every layer"));
    m_removePerGroup->setText(tr("Remove"));
    refresh();
}

} // namespace anatomist::widgets
