#pragma once
// The plan being edited, with undo/redo (QUndoStack of whole-plan snapshots: plans are a few
// operations, so snapshots are simpler and safer than inverse edits). Emits changed() after every
// edit, undo and redo.

#include "plan_document.h"

#include <QObject>

class QUndoStack;

namespace anatomist::widgets {

class PlanEditor : public QObject {
    Q_OBJECT
public:
    explicit PlanEditor(QObject* parent = nullptr);

    const PlanDocument& plan() const { return m_plan; }
    QUndoStack* undoStack() const { return m_undo; }

    // A new model: an empty plan for `base`, no history.
    void reset(const PlanBase& base);
    // A restored plan (a session): replaces the plan, no history.
    void reset(const PlanDocument& plan);
    // Replaces the plan as one undoable step named `text`; no-op when nothing changes.
    void edit(const PlanDocument& next, const QString& text);
    void toggle(PlanPart part, int layer, double mlpPercent);
    void removeOperation(int index);
    void clear();

signals:
    void changed();

private:
    friend class PlanSnapshotCommand;
    void set(const PlanDocument& plan);

    PlanDocument m_plan;
    QUndoStack* m_undo;
};

} // namespace anatomist::widgets
