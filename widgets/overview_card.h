#pragma once
// The architecture overview: a card with family, sizes, attention layout (GQA ratio), MLP
// expansion, vocabulary, context, positions and tied head, and a bar chart of parameters by kind.

#include "plot_data.h"

#include <QWidget>

class QCustomPlot;
class QFormLayout;
class QLabel;

namespace anatomist::widgets {

class OverviewCard : public QWidget {
    Q_OBJECT
public:
    explicit OverviewCard(QWidget* parent = nullptr);
    void setOverview(const ModelOverview& overview);
    void clear();
    QCustomPlot* chart() const { return m_chart; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void fillChart();
    QString groupLabel(core::ParamGroup group) const;

    ModelOverview m_overview;
    bool m_hasModel = false;
    QLabel* m_heading;
    QLabel* m_card;
    QCustomPlot* m_chart;
};

} // namespace anatomist::widgets
