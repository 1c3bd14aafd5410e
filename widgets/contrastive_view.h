#pragma once
// Contrastive prompt pairs (ALGORITHMS.md §3): a pair editor (prompt A, prompt B, category) that a
// JSONL/CSV pair set can fill; per pair the mean |A − B| per layer of each component (lines), the
// PCA(2) scatter of both prompts' token vectors at a chosen component and layer with arrows from
// each A token to the B token it is aligned with, token labels and the explained variance on the
// axes, the metrics table and, in words, the alignment the engine used. Across the set: mean
// (solid) and max (dashed) across pairs, for all pairs or one category. Runs nothing itself.

#include "analysis_data.h"
#include "run_control.h"

#include <QPointF>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPAxisRect;
class QLabel;
class QPushButton;
class QSlider;
class QSplitter;
class QStackedWidget;
class QTableWidget;
class QTabWidget;

namespace anatomist::widgets {

class DifferenceHeatmap;

class ContrastiveView : public QWidget {
    Q_OBJECT
public:
    explicit ContrastiveView(QWidget* parent = nullptr);

    // The editor's rows (blank rows skipped); source names where they came from ("" = typed).
    std::vector<PromptPairData> pairs() const;
    // source: a file, ":…" (the built-in examples) or "set:NAME" (a default pair set).
    void setPairs(const std::vector<PromptPairData>& pairs, const QString& source = {});
    // The default pair sets offered in the "Pair set" box (after the built-in examples, before
    // "all of them"); choosing one emits pairSetRequested with its name, "" for the examples and
    // "*" for all sets.
    void setPairSetNames(const QStringList& names);
    QString pairsSource() const { return m_source; }

    void setResults(const ContrastiveSetData& data);
    const ContrastiveSetData& results() const { return m_data; }
    void clearResults();
    // The full result (with PCA) of one pair, asked for by detailsRequested.
    void setPairDetails(int index, const ContrastivePairData& pair);
    void setRunning(bool running);
    void showAuditWritten(const QString& htmlFile);
    void setRunEnabled(bool enabled, const QString& reason = {});

    int selectedPair() const { return m_selected; }
    void selectPair(int index);
    QString pcaComponent() const;
    void setPcaComponent(const QString& component);
    int pcaLayer() const;
    void setPcaLayer(int layer);
    // "" = the selected pair, "*" = all pairs, else a category.
    QString scope() const;
    void setScope(const QString& scope);

    // As drawn, for tests: the scatter points of prompt A (false) or B (true), the lines' values.
    QVector<QPointF> scatterPoints(bool promptB) const;
    double lineValue(int component, int layer, bool maxLine = false) const;
    QString alignmentText() const;
    QTableWidget* metricsTable() const { return m_metrics; }
    QCustomPlot* plot() const { return m_plot; }
    DifferenceHeatmap* heatmap() const { return m_heatmap; }
    void showHeatmap(bool show = true);

signals:
    void runRequested();
    void loadRequested(const QString& file);
    void detailsRequested(int pair);
    void pairSetRequested(const QString& name);
    // The user chose where to write the fairness audit report of the editor's pairs.
    void auditRequested(const QString& htmlFile);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildScopes();
    void rebuildPlot();
    void fillMetrics();
    void browse();
    void chooseAuditFile();
    void addRow(const PromptPairData& pair);
    const std::vector<ContrastiveAggregateData>* currentAggregate() const;

    ContrastiveSetData m_data;
    QString m_source;
    int m_selected = 0;
    RunControl m_runControl;
    QTableWidget* m_editor;
    QPushButton* m_load;
    QPushButton* m_add;
    QPushButton* m_remove;
    QPushButton* m_run;
    QLabel* m_pairSetLabel;
    QComboBox* m_pairSet;
    QPushButton* m_audit;
    QTabWidget* m_plotTabs;
    DifferenceHeatmap* m_heatmap;
    QLabel* m_sourceLabel;
    QLabel* m_scopeLabel;
    QComboBox* m_scope;
    QLabel* m_componentLabel;
    QComboBox* m_component;
    QLabel* m_layerLabel;
    QSlider* m_layer;
    QLabel* m_layerValue;
    QLabel* m_status;
    QLabel* m_message;
    QLabel* m_alignment;
    QStackedWidget* m_stack;
    QCustomPlot* m_plot;
    QCPAxisRect* m_linesRect = nullptr;
    QCPAxisRect* m_pcaRect = nullptr;
    QTableWidget* m_metrics;
    QSplitter* m_splitter;
};

} // namespace anatomist::widgets
