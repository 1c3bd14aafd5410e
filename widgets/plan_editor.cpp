#include "plan_editor.h"

#include <QUndoStack>

namespace anatomist::widgets {

class PlanSnapshotCommand : public QUndoCommand {
public:
    PlanSnapshotCommand(PlanEditor& editor, PlanDocument before, PlanDocument after,
                        const QString& text)
        : QUndoCommand(text)
        , m_editor(editor)
        , m_before(std::move(before))
        , m_after(std::move(after)) {}
    void undo() override { m_editor.set(m_before); }
    void redo() override { m_editor.set(m_after); }

private:
    PlanEditor& m_editor;
    PlanDocument m_before, m_after;
};

PlanEditor::PlanEditor(QObject* parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this)) {}

void PlanEditor::reset(const PlanBase& base) {
    m_undo->clear();
    PlanDocument empty;
    empty.base = base;
    set(empty);
}

void PlanEditor::reset(const PlanDocument& plan) {
    m_undo->clear();
    set(plan);
}

void PlanEditor::set(const PlanDocument& plan) {
    m_plan = plan;
    emit changed();
}

void PlanEditor::edit(const PlanDocument& next, const QString& text) {
    if (next == m_plan)
        return;
    m_undo->push(new PlanSnapshotCommand(*this, m_plan, next, text)); // push() runs redo()
}

void PlanEditor::toggle(PlanPart part, int layer, double mlpPercent) {
    const bool marked = m_plan.isMarked(part, layer);
    const QString what = part == PlanPart::Layer       ? tr("layer %1").arg(layer)
                         : part == PlanPart::Attention ? tr("attention of layer %1").arg(layer)
                                                       : tr("MLP of layer %1").arg(layer);
    edit(m_plan.toggled(part, layer, mlpPercent),
         marked ? tr("Keep %1").arg(what) : tr("Remove %1").arg(what));
}

void PlanEditor::removeOperation(int index) {
    edit(m_plan.without(index), tr("Remove operation"));
}

void PlanEditor::clear() {
    PlanDocument empty;
    empty.base = m_plan.base;
    edit(empty, tr("Clear the plan"));
}

} // namespace anatomist::widgets
