#pragma once
// Attention heads in the plan (GQA-safe, the plan's prune_heads): for a chosen layer, its query
// heads grouped by the KV head they share, what the plan keeps of them, and two edits: remove a
// whole KV group (with its query heads), or remove N query heads from every group (lowest L2, so
// every group keeps the same count) of that layer or of every layer. Edits go to the PlanEditor.

#include "plan_totals.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace anatomist::widgets {

class PlanEditor;

class HeadsEditor : public QWidget {
    Q_OBJECT
public:
    explicit HeadsEditor(PlanEditor* editor, QWidget* parent = nullptr);

    // The totals of the current plan (heads kept per layer), refreshed by the plan panel.
    void setTotals(const PlanTotals& totals);
    // False (with the reason shown) when the model's heads cannot be edited (no q/k/v/o
    // projections).
    void setAvailable(bool available, const QString& reason = {});

    int layer() const;
    void setLayer(int layer);
    // The edits, as the buttons make them.
    void removeKvGroup(int group);
    void removePerGroup(int count, bool everyLayer);

    QPushButton* removeGroupButton() const { return m_removeGroup; }
    QPushButton* removePerGroupButton() const { return m_removePerGroup; }
    QLabel* groupsLabel() const { return m_groups; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void refresh();

    PlanEditor* m_editor;
    PlanTotals m_totals;
    bool m_available = false;
    QString m_reason;
    QLabel* m_title;
    QLabel* m_layerLabel;
    QSpinBox* m_layer;
    QLabel* m_groups;
    QLabel* m_groupLabel;
    QSpinBox* m_group;
    QPushButton* m_removeGroup;
    QLabel* m_perGroupLabel;
    QSpinBox* m_perGroup;
    QComboBox* m_scope;
    QPushButton* m_removePerGroup;
};

} // namespace anatomist::widgets
