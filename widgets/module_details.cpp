#include "module_details.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>
#include <numeric>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {

QCustomPlot* makePlot(QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumHeight(90); // the dock may sit under the module tree (1280 px screens)
    plot->setBackground(parent->palette().base());
    plot->xAxis->setTickLabelFont(QFont(plot->font().family(), 8));
    plot->yAxis->setTickLabelFont(QFont(plot->font().family(), 8));
    return plot;
}

} // namespace

ModuleDetails::ModuleDetails(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_description(new QLabel(this))
    , m_statsLabel(new QLabel(this))
    , m_histogram(makePlot(this))
    , m_rowNorms(makePlot(this)) {
    m_title->setTextFormat(Qt::RichText);
    // Long module names wrap at their dots instead of widening the dock (which then took width from
    // the pages, and by a different amount in each language).
    m_title->setWordWrap(true);
    m_description->setTextFormat(Qt::RichText);
    m_description->setWordWrap(true);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statsLabel->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_description);
    layout->addWidget(m_statsLabel);
    layout->addWidget(m_histogram, 30);
    layout->addWidget(m_rowNorms, 20);
    layout->addStretch(
        1); // without plots (nothing selected, a module without weights) the text stays at the top
    auto* bars = new QCPBars(m_histogram->xAxis, m_histogram->yAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(70, 130, 180));
    auto* graph = m_rowNorms->addGraph();
    graph->setPen(QPen(QColor(200, 90, 40), 1.2));
    retranslate();
    clear();
}

void ModuleDetails::setModule(const QString& title, const QString& description) {
    QString breakable = title.toHtmlEscaped();
    breakable.replace(QLatin1Char('.'),
                      QStringLiteral(".\u200b")); // a zero-width space: a line may break there
    m_title->setText(QStringLiteral("<b>%1</b>").arg(breakable));
    m_description->setText(description);
}

void ModuleDetails::clear() {
    m_title->setText(tr("No module selected"));
    m_description->clear();
    setStats({});
}

void ModuleDetails::setStats(const WeightStats& stats) {
    m_stats = stats;
    auto* bars = static_cast<QCPBars*>(m_histogram->plottable(0));
    QVector<double> centers;
    for (int i = 0; i + 1 < stats.histogramEdges.size(); ++i)
        centers << 0.5 * (stats.histogramEdges[i] + stats.histogramEdges[i + 1]);
    bars->setData(centers, stats.histogramCounts, true);
    if (stats.histogramEdges.size() > 1)
        bars->setWidth(stats.histogramEdges[1] - stats.histogramEdges[0]);
    m_histogram->rescaleAxes();
    m_histogram->yAxis->setRangeLower(0);
    QVector<double> rows(stats.rowNorms.size());
    std::iota(rows.begin(), rows.end(), 0.0);
    m_rowNorms->graph(0)->setData(rows, stats.rowNorms, true);
    m_rowNorms->rescaleAxes();
    m_rowNorms->setVisible(!stats.rowNorms.isEmpty());
    m_histogram->setVisible(!stats.histogramCounts.isEmpty());
    m_histogram->replot();
    m_rowNorms->replot();
    retranslate();
}

QString ModuleDetails::rowAxisLabel() const {
    return m_rowNorms->xAxis->label();
}

void ModuleDetails::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ModuleDetails::retranslate() {
    m_histogram->xAxis->setLabel(tr("weight value"));
    m_histogram->yAxis->setLabel(tr("count"));
    m_rowNorms->xAxis->setLabel(m_stats.rowsAreInputs ? tr("input row (Conv1D stores [in, out])")
                                                      : tr("output row"));
    m_rowNorms->yAxis->setLabel(tr("L2 norm"));
    const QLocale locale; // the UI language's decimal separator, as everywhere else
    if (m_stats.computing)
        m_statsLabel->setText(tr("Computing weight statistics…"));
    else if (m_stats.count > 0)
        m_statsLabel->setText(
            tr("%1 values · min %2 · max %3 · mean %4 · std %5")
                .arg(locale.toString(m_stats.count), locale.toString(m_stats.min, 'g', 4),
                     locale.toString(m_stats.max, 'g', 4), locale.toString(m_stats.mean, 'g', 4),
                     locale.toString(m_stats.std, 'g', 4)));
    else
        m_statsLabel->setText(tr("Select a module to see its weight statistics."));
    m_histogram->replot();
    m_rowNorms->replot();
}

} // namespace anatomist::widgets
