#include "plan_panel.h"

#include "heads_editor.h"
#include "plan_editor.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace anatomist::widgets {

namespace {

QString layerList(const QVector<int>& layers) {
    QStringList s;
    for (int l : layers)
        s << QString::number(l);
    return s.join(QStringLiteral(", "));
}

// In the user's locale (humanBytes is locale-independent for files and logs).
QString localBytes(double bytes) {
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

QString signedPercent(double before, double after) {
    if (before <= 0)
        return {};
    return QLocale().toString(100.0 * (after - before) / before, 'f', 1) + QStringLiteral(" %");
}

} // namespace

PlanPanel::PlanPanel(PlanEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_heading(new QLabel(this))
    , m_totalsLabel(new QLabel(this))
    , m_note(new QLabel(this))
    , m_operations(new QTableWidget(this))
    , m_layers(new QTableWidget(this))
    , m_suggestLabel(new QLabel(this))
    , m_suggestRow(new QHBoxLayout)
    , m_undo(new QToolButton(this))
    , m_redo(new QToolButton(this))
    , m_clear(new QPushButton(this))
    , m_load(new QPushButton(this))
    , m_save(new QPushButton(this))
    , m_mlpLabel(new QLabel(this))
    , m_mlpPercent(new QDoubleSpinBox(this))
    , m_nameLabel(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_apply(new QPushButton(this))
    , m_heads(new HeadsEditor(editor, this)) {
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_heading->setFont(headingFont);
    m_totalsLabel->setTextFormat(Qt::RichText);
    m_totalsLabel->setObjectName(QStringLiteral("planTotals"));
    m_note->setWordWrap(true);
    m_note->setEnabled(false);
    m_suggestLabel->setWordWrap(true);

    m_operations->setColumnCount(3);
    m_operations->setObjectName(QStringLiteral("planOperations"));
    m_operations->verticalHeader()->setVisible(false);
    m_operations->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_operations->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_operations->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_operations->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_operations->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    auto* removeSelected = new QAction(this);
    removeSelected->setShortcut(QKeySequence::Delete);
    removeSelected->setShortcutContext(Qt::WidgetShortcut);
    m_operations->addAction(removeSelected);
    connect(removeSelected, &QAction::triggered, this, [this] {
        if (m_operations->currentRow() >= 0)
            m_editor->removeOperation(m_operations->currentRow());
    });

    m_layers->setColumnCount(4);
    m_layers->verticalHeader()->setVisible(false);
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layers->setSelectionMode(QAbstractItemView::NoSelection);
    m_layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layers->horizontalHeader()->setStretchLastSection(true);

    // Plain "Undo" / "Redo" buttons (the step's name goes to the tooltip), so that a long step name
    // never widens the panel.
    QUndoStack* stack = editor->undoStack();
    connect(m_undo, &QToolButton::clicked, stack, &QUndoStack::undo);
    connect(m_redo, &QToolButton::clicked, stack, &QUndoStack::redo);
    connect(stack, &QUndoStack::canUndoChanged, m_undo, &QWidget::setEnabled);
    connect(stack, &QUndoStack::canRedoChanged, m_redo, &QWidget::setEnabled);
    connect(stack, &QUndoStack::undoTextChanged, m_undo, &QWidget::setToolTip);
    connect(stack, &QUndoStack::redoTextChanged, m_redo, &QWidget::setToolTip);
    m_undo->setEnabled(false);
    m_redo->setEnabled(false);
    // Ctrl+Z / Ctrl+Shift+Z live in the window's Edit menu (one undo stack, any focus).
    m_mlpPercent->setRange(1, 95);
    m_mlpPercent->setDecimals(0);
    m_mlpPercent->setValue(20);
    m_mlpPercent->setSuffix(QStringLiteral(" %"));
    m_apply->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    m_apply->setObjectName(QStringLiteral("applyPlan"));

    auto* tools = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*>{m_undo, m_redo, m_clear, m_load, m_save})
        tools->addWidget(w);
    tools->addStretch(1);
    auto* mlpRow = new QHBoxLayout;
    mlpRow->addWidget(m_mlpLabel);
    mlpRow->addWidget(m_mlpPercent);
    mlpRow->addStretch(1);

    auto* applyRow = new QHBoxLayout;
    applyRow->addWidget(m_nameLabel);
    applyRow->addWidget(m_name, 1);
    applyRow->addWidget(m_apply);

    m_suggestRow->addWidget(m_suggestLabel, 1);

    auto* tables = new QHBoxLayout;
    tables->addWidget(m_operations, 5);
    tables->addWidget(m_layers, 4);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_totalsLabel);
    layout->addWidget(m_note);
    layout->addLayout(tools);
    layout->addLayout(mlpRow);
    layout->addWidget(m_heads);
    layout->addLayout(tables, 1);
    layout->addLayout(m_suggestRow);
    layout->addLayout(applyRow);

    connect(editor, &PlanEditor::changed, this, &PlanPanel::refresh);
    connect(m_clear, &QPushButton::clicked, editor, &PlanEditor::clear);
    connect(m_load, &QPushButton::clicked, this, &PlanPanel::onLoad);
    connect(m_save, &QPushButton::clicked, this, &PlanPanel::onSave);
    connect(m_apply, &QPushButton::clicked, this, [this] { emit applyRequested(variantName()); });
    connect(m_name, &QLineEdit::returnPressed, m_apply, &QPushButton::click);
    retranslate();
}

void PlanPanel::setModel(const ModuleNode* root, const QString& dtype) {
    m_root = root;
    m_dtype = dtype;
    PlanDocument empty;
    empty.base = m_editor->plan().base;
    const PlanTotals bare = root ? computeTotals(*root, dtype, empty) : PlanTotals{};
    m_heads->setAvailable(
        !bare.headsAfter.isEmpty() && bare.headsAfter.front() > 0,
        root ? tr("Heads can be removed from models with separate q/k/v/o projections "
                  "(not GPT-2's fused c_attn).")
             : QString());
    m_suggested.clear();
    m_importance.clear();
    refresh();
}

void PlanPanel::setSuggestions(const QVector<int>& layers, const QVector<double>& importance) {
    m_suggested = layers;
    m_importance = importance;
    refreshSuggestions();
}

void PlanPanel::setApplyAvailable(bool available, const QString& reasonWhenNot) {
    m_applyAvailable = available;
    m_applyReason = reasonWhenNot;
    refresh();
}

void PlanPanel::setApplyRunning(bool running) {
    m_applyRunning = running;
    refresh();
}

double PlanPanel::mlpPercent() const {
    return m_mlpPercent->value();
}
void PlanPanel::setMlpPercent(double percent) {
    m_mlpPercent->setValue(percent);
}

QString PlanPanel::variantName() const {
    const QString name = m_name->text().trimmed();
    return name.isEmpty() ? m_name->placeholderText() : name;
}

QString PlanPanel::describe(const PlanOperation& op) const {
    const QString name = op.op();
    const QString where = op.coversAll()            ? tr("every layer")
                          : op.layers().size() == 1 ? tr("layer %1").arg(op.layers().front())
                                                    : tr("layers %1").arg(layerList(op.layers()));
    const auto& j = op.json;
    if (name == QLatin1String("remove_layers"))
        return op.layers().size() == 1 ? tr("Remove layer %1").arg(op.layers().front())
                                       : tr("Remove layers %1").arg(layerList(op.layers()));
    if (name == QLatin1String("bypass_attention"))
        return tr("Bypass the attention of %1").arg(where);
    if (name == QLatin1String("prune_mlp")) {
        const QString method = j.value(QStringLiteral("method")).toString(QStringLiteral("ppm"));
        if (j.contains(QStringLiteral("keep")))
            return tr("MLP of %1: keep %2 neurons (%3)")
                .arg(where)
                .arg(j.value(QStringLiteral("keep")).toInteger())
                .arg(method);
        if (j.contains(QStringLiteral("expansion")))
            return tr("MLP of %1: width %2 % of hidden (%3)")
                .arg(where, QLocale().toString(j.value(QStringLiteral("expansion")).toDouble()),
                     method);
        return tr("MLP of %1: remove %2 % of neurons (%3)")
            .arg(where, QLocale().toString(j.value(QStringLiteral("percent")).toDouble()), method);
    }
    if (name == QLatin1String("remove_neurons"))
        return tr("MLP of %1: remove %n listed neuron(s)", nullptr,
                  int(j.value(QStringLiteral("neurons")).toArray().size()))
            .arg(where);
    if (name == QLatin1String("prune_heads")) {
        QVector<int> listed;
        const bool groups = j.contains(QStringLiteral("kv_groups"));
        for (const auto& v :
             j.value(groups ? QStringLiteral("kv_groups") : QStringLiteral("query_heads"))
                 .toArray())
            listed << v.toInt();
        if (groups)
            return tr("Heads of %1: remove KV group(s) %2").arg(where, layerList(listed));
        if (j.contains(QStringLiteral("query_heads_per_group")))
            return tr("Heads of %1: remove %n query head(s) per KV group", nullptr,
                      j.value(QStringLiteral("query_heads_per_group")).toInt())
                .arg(where);
        return tr("Heads of %1: remove query heads %2").arg(where, layerList(listed));
    }
    return tr("%1 on %2").arg(name, where);
}

void PlanPanel::refresh() {
    const PlanDocument& plan = m_editor->plan();
    m_totals = m_root ? computeTotals(*m_root, m_dtype, plan) : PlanTotals{};
    m_speed = m_root ? estimateSpeed(*m_root, m_dtype, plan) : SpeedEstimate{};
    m_heads->setTotals(m_totals);
    const QLocale locale;
    const auto& t = m_totals;
    if (!m_root) {
        m_totalsLabel->setText(tr("Open a model to plan what to remove."));
    } else {
        const QString row =
            QStringLiteral("<tr><td style='padding-right:12px'>%1</td><td align='right'>%2</td>"
                           "<td style='padding:0 8px'>→</td><td align='right'><b>%3</b></td>"
                           "<td style='padding-left:8px'>%4</td></tr>");
        QString html = QStringLiteral("<table>");
        html += row.arg(tr("Parameters"), locale.toString(t.parametersBefore),
                        locale.toString(t.parametersAfter),
                        signedPercent(double(t.parametersBefore), double(t.parametersAfter)));
        html += row.arg(tr("Memory (%1)").arg(m_dtype), localBytes(t.bytesBefore),
                        localBytes(t.bytesAfter), signedPercent(t.bytesBefore, t.bytesAfter));
        html += row.arg(tr("Decoder layers"), QString::number(t.widthBefore.size()),
                        QString::number(t.layersAfter), QString());
        const auto times = [&](double x) {
            return locale.toString(x, 'f', 2) + QStringLiteral("×");
        };
        html +=
            row.arg(tr("Prefill speed, estimated (%1-token prompt)").arg(m_speed.sequence),
                    times(1.0), times(m_speed.prefill()), tr("from the matmul FLOPs per token"));
        html += row.arg(tr("Decode speed, estimated"), times(1.0), times(m_speed.decode()),
                        tr("from the weight bytes read per token"));
        html += QStringLiteral("</table>");
        m_totalsLabel->setText(html);
        m_totalsLabel->setToolTip(
            tr("Estimates from the model's shapes, not measurements: decode is bound by "
               "memory (weights read per token), prefill by compute (FLOPs). Measure with "
               "anatomist-cli compare --bench."));
    }
    QStringList notes;
    if (t.bypassed.contains(true))
        notes << tr(
            "Attention bypass saves compute, not memory: the parameters stay, and the export sets "
            "o_proj to zero so that stock loaders give the same outputs.");
    notes << t.notCounted;
    m_note->setText(notes.join(QLatin1Char('\n')));
    m_note->setVisible(!notes.isEmpty());

    m_operations->setRowCount(int(plan.operations.size()));
    for (int i = 0; i < plan.operations.size(); ++i) {
        auto* text = new QTableWidgetItem(describe(plan.operations[i]));
        text->setToolTip(text->text());
        m_operations->setItem(i, 0, text);
        QString saves;
        if (m_root) {
            const qint64 without = computeTotals(*m_root, m_dtype, plan.without(i)).parametersAfter;
            saves = without == t.parametersAfter
                        ? QStringLiteral("0")
                        : QStringLiteral("−") + locale.toString(t.parametersAfter < without
                                                                    ? without - t.parametersAfter
                                                                    : 0);
        }
        auto* savesItem = new QTableWidgetItem(saves);
        savesItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_operations->setItem(i, 1, savesItem);
        auto* remove = new QToolButton(m_operations);
        remove->setIcon(QIcon(QStringLiteral(":/icons/cancel.svg")));
        remove->setAutoRaise(true);
        remove->setToolTip(tr("Take this operation out of the plan"));
        remove->setObjectName(QStringLiteral("removeOperation%1").arg(i));
        connect(remove, &QToolButton::clicked, m_editor,
                [this, i] { m_editor->removeOperation(i); });
        m_operations->setCellWidget(i, 2, remove);
    }

    const int n = int(t.widthBefore.size());
    m_layers->setRowCount(n);
    for (int l = 0; l < n; ++l) {
        const bool removed = t.widthAfter[l] == 0 && t.widthBefore[l] != 0;
        QString status = removed         ? tr("removed")
                         : t.bypassed[l] ? tr("attention bypassed")
                                         : tr("kept");
        QString width = removed ? QStringLiteral("—")
                        : t.widthAfter[l] == t.widthBefore[l]
                            ? locale.toString(t.widthBefore[l])
                            : QStringLiteral("%1 → %2").arg(locale.toString(t.widthBefore[l]),
                                                            locale.toString(t.widthAfter[l]));
        const qint64 heads = m_editor->plan().base.numAttentionHeads;
        const qint64 kv = m_editor->plan().base.numKeyValueHeads;
        QString headsText;
        if (!removed && l < t.headsAfter.size() && t.headsAfter[l] > 0)
            headsText =
                t.headsAfter[l] == heads && t.kvHeadsAfter[l] == kv
                    ? tr("%1 (%2 KV)").arg(heads).arg(kv)
                    : tr("%1→%2 (%3 KV)").arg(heads).arg(t.headsAfter[l]).arg(t.kvHeadsAfter[l]);
        const bool headsChanged =
            !removed && l < t.headsAfter.size() && t.headsAfter[l] > 0 && t.headsAfter[l] != heads;
        const QStringList cells{QString::number(l), status, width, headsText};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (removed || t.bypassed[l] || t.widthAfter[l] != t.widthBefore[l] || headsChanged) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_layers->setItem(l, c, item);
        }
    }

    const bool canApply = m_root && m_applyAvailable && !plan.isEmpty() && !m_applyRunning;
    m_apply->setEnabled(canApply);
    m_apply->setToolTip(!m_applyAvailable ? m_applyReason
                        : plan.isEmpty()  ? tr("Mark layers, attention blocks or MLPs first")
                                          : tr("Build the variant in the background"));
    m_save->setEnabled(m_root && !plan.isEmpty());
    m_clear->setEnabled(!plan.isEmpty());
    m_load->setEnabled(m_root != nullptr);
    refreshSuggestions();
}

void PlanPanel::refreshSuggestions() {
    for (QPushButton* b : m_suggestButtons)
        b->deleteLater();
    m_suggestButtons.clear();
    const PlanDocument& plan = m_editor->plan();
    int shown = 0;
    for (int i = 0; i < m_suggested.size() && shown < 3; ++i) {
        const int layer = m_suggested[i];
        if (plan.isMarked(PlanPart::Layer, layer))
            continue;
        auto* b = new QPushButton(this);
        b->setObjectName(QStringLiteral("suggestLayer%1").arg(layer));
        const QString importance = QLocale().toString(m_importance.value(i), 'f', 3);
        b->setText(tr("Layer %1 (%2)").arg(layer).arg(importance));
        b->setToolTip(tr("Remove layer %1 (importance %2)").arg(layer).arg(importance));
        connect(b, &QPushButton::clicked, this, [this, layer] { acceptSuggestion(layer); });
        m_suggestRow->addWidget(b);
        m_suggestButtons << b;
        ++shown;
    }
    m_suggestLabel->setText(
        m_suggested.isEmpty()
            ? tr("Run layer similarity to get suggestions (the lowest-importance layers).")
        : shown ? tr("Suggested removals (importance):")
                : tr("Every suggested layer is in the plan."));
}

void PlanPanel::acceptSuggestion(int layer) {
    if (!m_editor->plan().isMarked(PlanPart::Layer, layer))
        m_editor->toggle(PlanPart::Layer, layer, mlpPercent());
}

bool PlanPanel::loadPlanFile(const QString& file) {
    PlanDocument plan;
    QString error;
    if (!PlanDocument::load(file, plan, error)) {
        emit errorOccurred(tr("Could not load the plan"), error);
        return false;
    }
    const QString mismatch = plan.checkBase(m_editor->plan().base);
    if (!mismatch.isEmpty()) {
        emit errorOccurred(tr("This plan is for another model"),
                           tr("%1: %2\n\nThe current plan is unchanged.")
                               .arg(QFileInfo(file).fileName(), mismatch));
        return false;
    }
    plan.base = m_editor->plan().base; // saved again, the plan names the model it fits
    m_editor->edit(plan, tr("Load %1").arg(QFileInfo(file).fileName()));
    return true;
}

bool PlanPanel::savePlanFile(const QString& file) {
    QString error;
    if (!m_editor->plan().save(file, error)) {
        emit errorOccurred(tr("Could not save the plan"), error);
        return false;
    }
    return true;
}

void PlanPanel::onLoad() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Load a pruning plan"), QString(),
                                                      tr("Pruning plans (*.json);;All files (*)"));
    if (!file.isEmpty())
        loadPlanFile(file);
}

void PlanPanel::onSave() {
    QString file =
        QFileDialog::getSaveFileName(this, tr("Save the pruning plan"), QStringLiteral("plan.json"),
                                     tr("Pruning plans (*.json)"));
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += QStringLiteral(".json");
    savePlanFile(file);
}

void PlanPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void PlanPanel::retranslate() {
    m_heading->setText(tr("Pruning plan"));
    m_operations->setHorizontalHeaderLabels({tr("Operation"), tr("Parameters saved"), QString()});
    m_layers->setHorizontalHeaderLabels({tr("Layer"), tr("Status"), tr("MLP width"), tr("Heads")});
    m_clear->setText(tr("Clear"));
    m_load->setText(tr("Load…"));
    m_save->setText(tr("Save…"));
    m_mlpLabel->setText(tr("MLP neurons removed when an MLP is ticked:"));
    m_nameLabel->setText(tr("Variant name:"));
    m_name->setPlaceholderText(tr("variant"));
    m_apply->setText(tr("Apply"));
    m_undo->setText(tr("Undo"));
    m_redo->setText(tr("Redo"));
    refresh();
}

} // namespace anatomist::widgets
