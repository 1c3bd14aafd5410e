#pragma once
// The layer-similarity view (ALGORITHMS.md §2): choose a dataset (a text file or the built-in
// sample) and optionally a second one to compare, run, and see per-layer importance bars (block /
// attention / MLP), a layers × {block, attention, MLP} heatmap with a colour scale, and the second
// dataset's block importance overlaid as a curve. Clicking a layer emits layerClicked. The plot
// exports as PNG/SVG/PDF and the numbers as CSV/JSON. Runs nothing itself: it emits runRequested
// and receives results.

#include "plot_data.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPLegend;
class QCPAxisRect;
class QLabel;
class QStackedWidget;
class QPushButton;

namespace anatomist::widgets {

class SimilarityView : public QWidget {
    Q_OBJECT
public:
    explicit SimilarityView(QWidget* parent = nullptr);

    // "" stands for the built-in sample.
    QString datasetPath() const;
    // The name a result goes by: its file's name, or "built-in sample" (in the UI language) for an
    // empty SimilaritySeries::dataset.
    static QString datasetTitle(const SimilaritySeries& series);
    QString compareDatasetPath() const; // "" built-in sample, null QString() when none
    void setDatasetPath(const QString& path);
    void setCompareDatasetPath(const QString& path); // null: none

    // Results: index 0 is the primary dataset, 1 the optional comparison.
    void setResults(const std::vector<SimilaritySeries>& series);
    const std::vector<SimilaritySeries>& results() const { return m_series; }
    void clearResults();
    void setRunning(bool running);
    void setRunEnabled(bool enabled);

    // Heatmap cell (layer, component 0 block / 1 attention / 2 MLP) as displayed: importance 1 −
    // cos.
    double heatmapValue(int layer, int component) const;
    // What the tooltip says at this point of the plot ("" outside the bars and cells).
    QString hoverText(const QPoint& pos) const;
    QCustomPlot* plot() const { return m_plot; }

    bool exportPlot(const QString& fileName) const; // .png, .svg, .pdf
    bool exportData(const QString& fileName) const; // .csv, .json

signals:
    void runRequested();
    void layerClicked(int layer);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildPlot();
    static QStringList componentNames();         // block, attention, MLP (translated)
    QCPLegend* layOutPlot(QCPColorScale* scale); // the legend row, bars, heatmap and its scale
    void plotBars(); // the bars and the comparison's curve; sets the layer axis
    void plotHeatmap(QCPColorScale* scale);
    void browse(QComboBox* combo);
    void onExportPlot();
    void onExportData();

    std::vector<SimilaritySeries> m_series;
    QComboBox* m_dataset;
    QComboBox* m_compare;
    QPushButton* m_browse;
    QPushButton* m_browseCompare;
    QPushButton* m_run;
    QPushButton* m_exportPlot;
    QPushButton* m_exportData;
    QLabel* m_datasetLabel;
    QLabel* m_compareLabel;
    QLabel* m_status;
    QCustomPlot* m_plot;
    QStackedWidget* m_stack = nullptr;
    bool m_runAllowed = true;
    QLabel* m_message = nullptr;
    QCPAxisRect* m_barsRect = nullptr;
    QCPAxisRect* m_heatRect = nullptr;
    QCPColorMap* m_colorMap = nullptr;
    bool m_running = false;
};

} // namespace anatomist::widgets
