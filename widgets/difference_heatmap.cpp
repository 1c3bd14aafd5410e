#include "difference_heatmap.h"

#include "plot_export.h"
#include "plot_style.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QToolTip>
#include <cmath>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {
// The words a pair swaps, from the prompts' common first and last words: "he / she".
QString swapText(const ContrastivePairData& p) {
    const QStringList a = p.a.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QStringList b = p.b.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    qsizetype pre = 0, suf = 0;
    while (pre < a.size() && pre < b.size() && a[pre] == b[pre])
        ++pre;
    while (suf < a.size() - pre && suf < b.size() - pre &&
           a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
        ++suf;
    auto middle = [&](const QStringList& w) {
        const QString s = w.mid(pre, w.size() - pre - suf).join(QLatin1Char(' '));
        return s.isEmpty() ? QStringLiteral("—") : s;
    };
    return middle(a) + QStringLiteral(" / ") + middle(b);
}
} // namespace

DifferenceHeatmap::DifferenceHeatmap(QWidget* parent)
    : QWidget(parent)
    , m_metricLabel(new QLabel(this))
    , m_metric(new QComboBox(this))
    , m_componentLabel(new QLabel(this))
    , m_component(new QComboBox(this))
    , m_export(new QPushButton(this))
    , m_plot(new QCustomPlot(this)) {
    setObjectName(QStringLiteral("differenceHeatmap"));
    m_metric->addItem(QString(), int(Metric::Cosine));
    m_metric->addItem(QString(), int(Metric::MeanAbs));
    m_export->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    m_plot->setBackground(palette().base());
    m_plot->setMouseTracking(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_metricLabel);
    controls->addWidget(m_metric);
    controls->addSpacing(12);
    controls->addWidget(m_componentLabel);
    controls->addWidget(m_component);
    controls->addStretch(1);
    controls->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);
    connect(m_metric, &QComboBox::activated, this, [this] { rebuild(); });
    connect(m_component, &QComboBox::activated, this, [this] { rebuild(); });
    connect(m_export, &QPushButton::clicked, this, &DifferenceHeatmap::onExport);
    auto cellAt = [this](const QPointF& pos, int& row, int& layer) {
        if (!m_map || !m_map->keyAxis()->axisRect()->rect().contains(pos.toPoint()))
            return false;
        layer = int(std::lround(m_map->keyAxis()->pixelToCoord(pos.x())));
        row = int(std::lround(m_map->valueAxis()->pixelToCoord(pos.y())));
        return row >= 0 && row < m_rows && layer >= 0 && layer < m_columns;
    };
    connect(m_plot, &QCustomPlot::mouseMove, this, [this, cellAt](QMouseEvent* event) {
        int row = 0, layer = 0;
        if (cellAt(event->position(), row, layer))
            QToolTip::showText(event->globalPosition().toPoint(), hoverText(row, layer), m_plot);
        else
            QToolTip::hideText();
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this, cellAt](QMouseEvent* event) {
        int row = 0, layer = 0;
        if (cellAt(event->position(), row, layer))
            emit cellClicked(row, layer);
    });
    retranslate();
    rebuild();
}

void DifferenceHeatmap::setData(const ContrastiveSetData* data) {
    m_data = data;
    rebuildComponents();
    rebuild();
}

void DifferenceHeatmap::refresh() {
    rebuild();
}

void DifferenceHeatmap::setMetric(Metric metric) {
    m_metric->setCurrentIndex(m_metric->findData(int(metric)));
    rebuild();
}
DifferenceHeatmap::Metric DifferenceHeatmap::metric() const {
    return Metric(m_metric->currentData().toInt());
}

void DifferenceHeatmap::setComponent(const QString& component) {
    const int i = m_component->findData(component);
    if (i >= 0) {
        m_component->setCurrentIndex(i);
        rebuild();
    }
}
QString DifferenceHeatmap::component() const {
    return m_component->currentData().toString();
}

void DifferenceHeatmap::rebuildComponents() {
    const QString previous = component();
    m_component->clear();
    if (m_data && !m_data->pairs.empty())
        for (const auto& c : m_data->pairs.front().components)
            m_component->addItem(c.component, c.component);
    const int keep = m_component->findData(previous);
    // The residual stream (the last component, "out") says most about where the prompts diverge.
    m_component->setCurrentIndex(keep >= 0 ? keep : m_component->count() - 1);
}

double DifferenceHeatmap::value(int row, int layer) const {
    if (!m_data || row < 0 || row >= m_rows || layer < 0 || layer >= m_columns)
        return std::nan("");
    for (const auto& c : m_data->pairs[std::size_t(row)].components)
        if (c.component == component() && layer < int(c.layers.size())) {
            const auto& l = c.layers[std::size_t(layer)];
            return metric() == Metric::Cosine ? l.cosineDistance : l.stats.mean;
        }
    return std::nan("");
}

QString DifferenceHeatmap::rowLabel(int row) const {
    const auto& p = m_data->pairs[std::size_t(row)];
    const QString swap = swapText(p);
    return p.category.isEmpty() ? QStringLiteral("%1: %2").arg(row + 1).arg(swap)
                                : QStringLiteral("%1 %2: %3").arg(row + 1).arg(p.category, swap);
}

QString DifferenceHeatmap::hoverText(int row, int layer) const {
    const double v = value(row, layer);
    if (std::isnan(v))
        return {};
    const auto& p = m_data->pairs[std::size_t(row)];
    return tr("pair %1 (%2)\nlayer %3\n%4 of %5: %6")
        .arg(row + 1)
        .arg(p.category.isEmpty() ? swapText(p) : p.category + QStringLiteral(": ") + swapText(p))
        .arg(layer)
        .arg(m_metric->currentText(), component(), formatNumber(v));
}

void DifferenceHeatmap::rebuild() {
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_map = nullptr;
    m_scale = nullptr;
    m_rows = m_columns = 0;
    const bool empty = !m_data || m_data->pairs.empty() || m_data->pairs.front().components.empty();
    m_export->setEnabled(!empty);
    if (empty) {
        m_plot->replot();
        return;
    }
    m_rows = int(m_data->pairs.size());
    m_columns = int(m_data->pairs.front().components.front().layers.size());
    auto* rect = new QCPAxisRect(m_plot);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 0, rect);
    m_plot->plotLayout()->addElement(0, 1, m_scale);
    auto* margins = new QCPMarginGroup(m_plot);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_plot->xAxis = rect->axis(QCPAxis::atBottom);
    m_plot->yAxis = rect->axis(QCPAxis::atLeft);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    rect->setRangeDrag(Qt::Orientations());
    rect->setRangeZoom(Qt::Orientations());
    QStringList rowLabels, layerLabels;
    for (int r = 0; r < m_rows; ++r)
        rowLabels << rowLabel(r);
    for (int l = 0; l < m_columns; ++l)
        layerLabels << QString::number(l);
    const int rowPixels = fontMetrics().height() + 2;
    setTextTicks(y, rowLabels, std::max(4, (m_plot->height() - 60) / rowPixels));
    setTextTicks(x, layerLabels, std::max(4, m_plot->width() / 40));
    x->setRange(-0.5, m_columns - 0.5);
    y->setRange(-0.5, m_rows - 0.5);
    y->setRangeReversed(true);
    x->grid()->setVisible(false);
    y->grid()->setVisible(false);
    x->setLabel(tr("layer (click a cell to show that pair and layer)"));
    m_map = new QCPColorMap(x, y);
    m_map->setInterpolate(false);
    m_map->setColorScale(m_scale);
    m_map->data()->setSize(m_columns, m_rows);
    m_map->data()->setRange(QCPRange(0, std::max(1, m_columns - 1)),
                            QCPRange(0, std::max(1, m_rows - 1)));
    double top = 0;
    for (int r = 0; r < m_rows; ++r)
        for (int l = 0; l < m_columns; ++l) {
            const double v = value(r, l);
            m_map->data()->setCell(l, r, v);
            if (std::isfinite(v))
                top = std::max(top, v);
        }
    // A single row or column needs a second cell coordinate for the range: repeat the cell.
    if (m_columns == 1)
        m_map->data()->setKeyRange(QCPRange(0, 1));
    if (m_rows == 1)
        m_map->data()->setValueRange(QCPRange(0, 1));
    m_map->setGradient(viridisGradient());
    m_map->setDataRange(QCPRange(0, top > 0 ? top : 1));
    m_scale->axis()->setLabel(m_metric->currentText());
    m_plot->replot();
}

bool DifferenceHeatmap::exportTo(const QString& file) const {
    return exportPlot(m_plot, file, std::max(m_plot->width(), 900),
                      std::max(m_plot->height(), 500));
}

void DifferenceHeatmap::onExport() {
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export plot"), QStringLiteral("difference-heatmap.png"),
        tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"));
    if (!file.isEmpty() && !exportTo(file))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(file));
}

void DifferenceHeatmap::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        rebuild();
    }
    QWidget::changeEvent(event);
}

void DifferenceHeatmap::retranslate() {
    m_metricLabel->setText(tr("Metric:"));
    m_metric->setItemText(m_metric->findData(int(Metric::Cosine)), tr("cosine distance"));
    m_metric->setItemText(m_metric->findData(int(Metric::MeanAbs)), tr("mean |A − B|"));
    m_metric->setToolTip(tr("Cosine distance: 1 − cos of the aligned token vectors, averaged; it "
                            "ignores the size of the activations. Mean |A − B|: the mean absolute "
                            "difference, which grows with the activations."));
    m_componentLabel->setText(tr("Component:"));
    m_export->setText(tr("Export plot…"));
}

} // namespace anatomist::widgets
