#pragma once
// The difference heatmap of the contrastive view (ALGORITHMS.md §3): pairs × layers of one
// difference metric (mean |A − B| or cosine distance) of one component, viridis from 0 to the
// largest value with its colour scale, the value, pair and layer on hover, a click selects the
// pair and layer, and the plot exports like the others (PNG, SVG, PDF). Draws plain data only.

#include "analysis_data.h"

#include <QWidget>

class QComboBox;
class QCPColorMap;
class QCPColorScale;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace anatomist::widgets {

class DifferenceHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit DifferenceHeatmap(QWidget* parent = nullptr);

    enum class Metric { MeanAbs, Cosine };
    void setData(const ContrastiveSetData* data); // not owned; null = nothing to show
    void refresh();                               // after the data changed in place
    void setMetric(Metric metric);
    Metric metric() const;
    void setComponent(const QString& component);
    QString component() const;

    // As drawn, for tests and the export: rows (pairs) × columns (layers); the value and hover
    // text of a cell; an empty string outside the map.
    int rows() const { return m_rows; }
    int columns() const { return m_columns; }
    double value(int row, int layer) const;
    QString hoverText(int row, int layer) const;
    QCustomPlot* plot() const { return m_plot; }
    bool exportTo(const QString& file) const;

signals:
    void cellClicked(int pair, int layer);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuild();
    void rebuildComponents();
    QString rowLabel(int row) const;
    void onExport();

    const ContrastiveSetData* m_data = nullptr;
    int m_rows = 0, m_columns = 0;
    QLabel* m_metricLabel;
    QComboBox* m_metric;
    QLabel* m_componentLabel;
    QComboBox* m_component;
    QPushButton* m_export;
    QCustomPlot* m_plot;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
};

} // namespace anatomist::widgets
