#pragma once
// The pruning plan panel: the operations of a PlanEditor's plan (each with what it saves and a
// button to drop it), live totals before → after (parameters, memory, layers, estimated prefill and
// decode speed-up, per-layer MLP widths and heads), the attention heads editor,
// the lowest-importance layers of the last similarity run one click away, undo/redo, load/save as
// the CLI's plan JSON, and Apply. Knows the model only as its module tree (plain data).

#include "plan_totals.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QDoubleSpinBox;
class QHBoxLayout;
class QTableWidget;
class QToolButton;

namespace anatomist::widgets {

class HeadsEditor;
class PlanEditor;

class PlanPanel : public QWidget {
    Q_OBJECT
public:
    explicit PlanPanel(PlanEditor* editor, QWidget* parent = nullptr);

    // The tree the totals are computed from (owned by the caller, kept alive while shown); null:
    // none.
    void setModel(const ModuleNode* root, const QString& dtype);
    // Layers in the order they should be offered (lowest importance first), with their importance.
    void setSuggestions(const QVector<int>& layers, const QVector<double>& importance);
    // Apply is enabled only when the engine is available and the plan is not empty.
    void setApplyAvailable(bool available, const QString& reasonWhenNot);
    void setApplyRunning(bool running);

    double mlpPercent() const;
    void setMlpPercent(double percent);
    const PlanTotals& totals() const { return m_totals; }
    // Estimated prefill / decode speed-up of the plan (see estimateSpeed), shown with the totals.
    const SpeedEstimate& speed() const { return m_speed; }
    HeadsEditor* headsEditor() const { return m_heads; }
    QTableWidget* operationsTable() const { return m_operations; }
    QPushButton* applyButton() const { return m_apply; }
    QString variantName() const;

    // Without dialogs (tests, drops); errors go to errorOccurred. A plan made for another model is
    // refused and the current plan kept.
    bool loadPlanFile(const QString& file);
    bool savePlanFile(const QString& file);
    // The suggestion buttons' action: add the removal of `layer`.
    void acceptSuggestion(int layer);

signals:
    void applyRequested(const QString& variantName);
    void errorOccurred(const QString& title, const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void refresh();
    void refreshSuggestions();
    QString describe(const PlanOperation& op) const;
    void onLoad();
    void onSave();

    PlanEditor* m_editor;
    const ModuleNode* m_root = nullptr;
    QString m_dtype;
    PlanTotals m_totals;
    SpeedEstimate m_speed;
    QVector<int> m_suggested;
    QVector<double> m_importance;
    bool m_applyAvailable = false;
    bool m_applyRunning = false;
    QString m_applyReason;

    QLabel* m_heading;
    QLabel* m_totalsLabel;
    QLabel* m_note;
    QTableWidget* m_operations;
    QTableWidget* m_layers;
    QLabel* m_suggestLabel;
    QHBoxLayout* m_suggestRow;
    QList<QPushButton*> m_suggestButtons;
    QToolButton* m_undo;
    QToolButton* m_redo;
    QPushButton* m_clear;
    QPushButton* m_load;
    QPushButton* m_save;
    QLabel* m_mlpLabel;
    QDoubleSpinBox* m_mlpPercent;
    QLabel* m_nameLabel;
    QLineEdit* m_name;
    QPushButton* m_apply;
    HeadsEditor* m_heads;
};

} // namespace anatomist::widgets
