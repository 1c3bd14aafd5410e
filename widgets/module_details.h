#pragma once
// Details of the selected module: what it is, its parameters and removal savings, and the weight
// statistics of its tensors (histogram of values; L2 norm per output row) drawn with QCustomPlot.

#include "plot_data.h"

#include <QWidget>

class QCustomPlot;
class QLabel;

namespace anatomist::widgets {

class ModuleDetails : public QWidget {
    Q_OBJECT
public:
    explicit ModuleDetails(QWidget* parent = nullptr);

    // `description` is preformatted rich text about the module (kind, shape, savings ...).
    void setModule(const QString& title, const QString& description);
    void setStats(const WeightStats& stats);
    void clear();

    const WeightStats& stats() const { return m_stats; }
    QString rowAxisLabel() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    QLabel* m_title;
    QLabel* m_description;
    QLabel* m_statsLabel;
    QCustomPlot* m_histogram;
    QCustomPlot* m_rowNorms;
    WeightStats m_stats;
};

} // namespace anatomist::widgets
