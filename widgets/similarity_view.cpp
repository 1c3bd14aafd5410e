#include "similarity_view.h"

#include "durable_save.h"
#include "plot_export.h"
#include "plot_style.h"

#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStackedWidget>
#include <QTextStream>
#include <QToolTip>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {

constexpr int kNone = -1; // item data of "(none)" in the comparison box
const QColor kColors[] = {QColor(52, 101, 164), QColor(230, 126, 34), QColor(46, 139, 87)};

double component(const LayerScores& s, int c) {
    return c == 0 ? 1.0 - s.block : c == 1 ? 1.0 - s.attention : 1.0 - s.mlp;
}

// The layer under a pixel of a plot whose x axis counts layers (bars and heatmap share it).
int layerAtPixel(QCPAxisRect* rect, const QPoint& pos) {
    return int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x())));
}

} // namespace

SimilarityView::SimilarityView(QWidget* parent)
    : QWidget(parent)
    , m_dataset(new QComboBox(this))
    , m_compare(new QComboBox(this))
    , m_browse(new QPushButton(this))
    , m_browseCompare(new QPushButton(this))
    , m_run(new QPushButton(this))
    , m_exportPlot(new QPushButton(this))
    , m_exportData(new QPushButton(this))
    , m_datasetLabel(new QLabel(this))
    , m_compareLabel(new QLabel(this))
    , m_status(new QLabel(this))
    , m_plot(new QCustomPlot(this)) {
    m_dataset->addItem(QString(), QString(""));
    m_compare->addItem(QString(), kNone);
    m_compare->addItem(QString(), QString(""));
    m_run->setObjectName(QStringLiteral("runSimilarity"));
    m_run->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    m_exportPlot->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    m_exportData->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    auto* grid = new QGridLayout(this);
    grid->addWidget(m_datasetLabel, 0, 0);
    grid->addWidget(m_dataset, 0, 1);
    grid->addWidget(m_browse, 0, 2);
    grid->addWidget(m_run, 0, 3);
    grid->addWidget(m_exportPlot, 0, 4);
    grid->addWidget(m_compareLabel, 1, 0);
    grid->addWidget(m_compare, 1, 1);
    grid->addWidget(m_browseCompare, 1, 2);
    grid->addWidget(m_status, 1, 3);
    grid->addWidget(m_exportData, 1, 4);
    m_status->setWordWrap(true);
    m_stack = placeholderStack(m_plot, &m_message, this);
    grid->addWidget(m_stack, 2, 0, 1, 5);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(2, 1);
    m_plot->setBackground(palette().base());

    connect(m_run, &QPushButton::clicked, this, &SimilarityView::runRequested);
    connect(m_browse, &QPushButton::clicked, this, [this] { browse(m_dataset); });
    connect(m_browseCompare, &QPushButton::clicked, this, [this] { browse(m_compare); });
    connect(m_exportPlot, &QPushButton::clicked, this, &SimilarityView::onExportPlot);
    connect(m_exportData, &QPushButton::clicked, this, &SimilarityView::onExportData);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (m_series.empty())
            return;
        for (QCPAxisRect* rect : {m_barsRect, m_heatRect}) {
            if (rect && rect->rect().contains(event->pos())) {
                const int layer = layerAtPixel(rect, event->pos());
                if (layer >= 0 && layer < int(m_series.front().layers.size()))
                    emit layerClicked(layer);
            }
        }
    });
    // Hover: the exact numbers behind a bar group or a heatmap cell.
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const QString text = hoverText(event->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(m_plot->mapToGlobal(event->pos()), text, m_plot);
    });
    retranslate();
    rebuildPlot();
}

QString SimilarityView::hoverText(const QPoint& pos) const {
    if (m_series.empty())
        return {};
    const QLocale locale;
    const int layers = int(m_series.front().layers.size());
    if (m_heatRect && m_heatRect->rect().contains(pos)) {
        const int layer = layerAtPixel(m_heatRect, pos);
        const int component =
            int(std::lround(m_heatRect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y())));
        if (layer < 0 || layer >= layers || component < 0 || component > 2)
            return {};
        const QStringList names = componentNames();
        return tr("layer %1 · %2: 1 − cos = %3")
            .arg(layer)
            .arg(names[component], locale.toString(heatmapValue(layer, component), 'f', 4));
    }
    if (m_barsRect && m_barsRect->rect().contains(pos)) {
        const int layer = layerAtPixel(m_barsRect, pos);
        if (layer < 0 || layer >= layers)
            return {};
        QStringList lines{tr("layer %1 (1 − cos)").arg(layer)};
        for (const auto& series : m_series) {
            if (layer >= int(series.layers.size()))
                continue;
            const auto& l = series.layers[std::size_t(layer)];
            lines << tr("%1: block %2 · attention %3 · MLP %4")
                         .arg(datasetTitle(series), locale.toString(1 - l.block, 'f', 4),
                              locale.toString(1 - l.attention, 'f', 4),
                              locale.toString(1 - l.mlp, 'f', 4));
        }
        return lines.join(QLatin1Char('\n'));
    }
    return {};
}

QString SimilarityView::datasetTitle(const SimilaritySeries& series) {
    // An empty name is the built-in sample: named here, so a live language switch renames it.
    return series.dataset.isEmpty() ? tr("built-in sample") : QFileInfo(series.dataset).fileName();
}

QString SimilarityView::datasetPath() const {
    return m_dataset->currentData().toString();
}

QString SimilarityView::compareDatasetPath() const {
    const QVariant v = m_compare->currentData();
    if (v.typeId() == QMetaType::Int && v.toInt() == kNone)
        return QString();
    return v.toString().isNull() ? QString("") : v.toString();
}

void SimilarityView::setDatasetPath(const QString& path) {
    int i = m_dataset->findData(path);
    if (i < 0) {
        m_dataset->addItem(QFileInfo(path).fileName(), path);
        i = m_dataset->count() - 1;
    }
    m_dataset->setCurrentIndex(i);
}

void SimilarityView::setCompareDatasetPath(const QString& path) {
    if (path.isNull()) {
        m_compare->setCurrentIndex(0);
        return;
    }
    int i = path.isEmpty() ? 1 : m_compare->findData(path);
    if (i < 0) {
        m_compare->addItem(QFileInfo(path).fileName(), path);
        i = m_compare->count() - 1;
    }
    m_compare->setCurrentIndex(i);
}

void SimilarityView::browse(QComboBox* combo) {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Choose a dataset"), QString(),
                                     tr("Text datasets (*.txt *.jsonl *.ndjson);;All files (*)"));
    if (file.isEmpty())
        return;
    if (combo == m_dataset)
        setDatasetPath(file);
    else
        setCompareDatasetPath(file);
}

void SimilarityView::setResults(const std::vector<SimilaritySeries>& series) {
    m_series = series;
    rebuildPlot();
    retranslate();
}

void SimilarityView::clearResults() {
    setResults({});
}

void SimilarityView::setRunning(bool running) {
    m_running = running;
    m_run->setEnabled(m_runAllowed && !running);
    retranslate();
}

void SimilarityView::setRunEnabled(bool enabled) {
    m_runAllowed = enabled;
    m_run->setEnabled(enabled && !m_running);
}

double SimilarityView::heatmapValue(int layer, int comp) const {
    if (!m_colorMap)
        return std::nan("");
    return m_colorMap->data()->cell(layer, comp);
}

void SimilarityView::rebuildPlot() {
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_colorMap = nullptr;
    auto* scale = new QCPColorScale(m_plot);
    QCPLegend* legend = layOutPlot(scale);
    plotBars();
    // Filled before the heatmap exists, so that it lists the bars and the curve only.
    for (int i = 0; i < m_plot->plottableCount(); ++i)
        legend->addItem(new QCPPlottableLegendItem(legend, m_plot->plottable(i)));
    legend->setVisible(!m_series.empty());
    plotHeatmap(scale);
    m_plot->replot();
}

QStringList SimilarityView::componentNames() {
    return {tr("block"), tr("attention"), tr("MLP")};
}

QCPLegend* SimilarityView::layOutPlot(QCPColorScale* scale) {
    m_barsRect = new QCPAxisRect(m_plot);
    m_heatRect = new QCPAxisRect(m_plot);
    auto* margins = new QCPMarginGroup(m_plot);
    // The legend is a row above the bars, filled across: inside the axes it covered the bars of
    // the last layers (and needed 50 % of empty headroom above the tallest bar).
    auto* legend = new QCPLegend;
    m_plot->legend = legend;
    m_plot->setAutoAddPlottableToLegend(false); // added by rebuildPlot, once each
    m_plot->plotLayout()->addElement(0, 0, legend);
    m_plot->plotLayout()->addElement(1, 0, m_barsRect);
    m_plot->plotLayout()->addElement(2, 0, m_heatRect);
    m_plot->plotLayout()->addElement(2, 1, scale);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->plotLayout()->setRowStretchFactor(1, 3);
    m_plot->plotLayout()->setRowStretchFactor(2, 2);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.02);
    m_barsRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_heatRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_plot->xAxis = m_barsRect->axis(QCPAxis::atBottom);
    m_plot->yAxis = m_barsRect->axis(QCPAxis::atLeft);
    m_barsRect->setupFullAxesBox(false);
    m_barsRect->axis(QCPAxis::atTop)->setVisible(false);
    m_barsRect->axis(QCPAxis::atRight)->setVisible(false);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(QFont(font().family(), 8));
    legend->setBorderPen(Qt::NoPen);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(4);
    legend->setIconSize(18, 10);
    return legend;
}

void SimilarityView::plotBars() {
    const int layers = m_series.empty() ? 0 : int(m_series.front().layers.size());
    QCPAxis* bx = m_barsRect->axis(QCPAxis::atBottom);
    QCPAxis* by = m_barsRect->axis(QCPAxis::atLeft);
    auto* group = new QCPBarsGroup(m_plot);
    const QStringList names = componentNames();
    double maxValue = 0;
    for (int c = 0; c < 3; ++c) {
        auto* bars = new QCPBars(bx, by);
        // Dataset names only tell the bars from the comparison's curve; the status line names them.
        bars->setName(m_series.size() < 2 ? names[c]
                                          : tr("%1 (%2)").arg(names[c], datasetTitle(m_series[0])));
        bars->setBrush(kColors[c]);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.25);
        bars->setBarsGroup(group);
        if (!m_series.empty())
            for (const auto& s : m_series[0].layers) {
                bars->addData(s.layer, component(s, c));
                maxValue = std::max(maxValue, component(s, c));
            }
    }
    if (m_series.size() > 1) {
        auto* graph = new QCPGraph(bx, by);
        graph->setName(tr("block (%1)").arg(datasetTitle(m_series[1])));
        graph->setPen(QPen(QColor(192, 57, 43), 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
        for (const auto& s : m_series[1].layers) {
            graph->addData(s.layer, 1.0 - s.block);
            maxValue = std::max(maxValue, 1.0 - s.block);
        }
    }
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(layers > 24 ? 4 : layers > 12 ? 2 : 1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    bx->setTicker(ticker);
    bx->grid()->setZeroLinePen(Qt::NoPen);
    bx->setRange(-0.6, std::max(0, layers - 1) + 0.6);
    by->setRange(0, maxValue > 0 ? maxValue * 1.08 : 1);
    by->setLabel(tr("importance (1 − cos)"));
    bx->setLabel(tr("layer"));
}

void SimilarityView::plotHeatmap(QCPColorScale* scale) {
    const int layers = m_series.empty() ? 0 : int(m_series.front().layers.size());
    QCPAxis* hx = m_heatRect->axis(QCPAxis::atBottom);
    QCPAxis* hy = m_heatRect->axis(QCPAxis::atLeft);
    m_colorMap = new QCPColorMap(hx, hy);
    m_colorMap->data()->setSize(std::max(layers, 1), 3);
    m_colorMap->data()->setRange(QCPRange(0, std::max(layers - 1, 0)), QCPRange(0, 2));
    if (layers == 0)
        m_colorMap->data()->fill(0);
    for (int l = 0; l < layers; ++l)
        for (int c = 0; c < 3; ++c)
            m_colorMap->data()->setCell(l, c, component(m_series[0].layers[std::size_t(l)], c));
    m_colorMap->setColorScale(scale);
    QCPColorGradient viridis; // perceptually uniform, no white end that reads as "missing"
    viridis.clearColorStops();
    viridis.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    viridis.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    viridis.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    viridis.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    viridis.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    m_colorMap->setGradient(viridis);
    m_colorMap->setInterpolate(false);
    m_colorMap->rescaleDataRange(true);
    scale->axis()->setLabel(tr("1 − cos"));
    const QStringList names = componentNames();
    QSharedPointer<QCPAxisTickerText> rows(new QCPAxisTickerText);
    for (int c = 0; c < 3; ++c)
        rows->addTick(c, names[c]);
    hy->setTicker(rows);
    hy->setRange(-0.5, 2.5);
    hy->setRangeReversed(true);
    // The bars' layer axis, shared.
    QCPAxis* bx = m_barsRect->axis(QCPAxis::atBottom);
    hx->setTicker(bx->ticker());
    hx->setRange(bx->range());
    hx->setLabel(tr("layer (click to select it in the module tree)"));
}

bool SimilarityView::exportPlot(const QString& fileName) const {
    // The on-screen hint about clicking means nothing on paper.
    QCPAxis* heatX = m_heatRect ? m_heatRect->axis(QCPAxis::atBottom) : nullptr;
    const QString screenLabel = heatX ? heatX->label() : QString();
    if (heatX)
        heatX->setLabel(tr("layer"));
    const bool ok = widgets::exportPlot(m_plot, fileName, std::max(m_plot->width(), 900),
                                        std::max(m_plot->height(), 600), tr("Layer similarity"));
    if (heatX)
        heatX->setLabel(screenLabel);
    return ok;
}

bool SimilarityView::exportData(const QString& fileName) const {
    QSaveFile file(fileName); // atomic: a failed or interrupted export leaves the old file
    if (!file.open(QIODevice::WriteOnly))
        return false;
    if (QFileInfo(fileName).suffix().toLower() == QLatin1String("json")) {
        QJsonArray all;
        for (const auto& s : m_series) {
            QJsonObject record = s.record;
            record[QStringLiteral("dataset")] = datasetTitle(s);
            all.append(record);
        }
        const QByteArray bytes = QJsonDocument(all).toJson();
        return file.write(bytes) == bytes.size() && commitDurably(file);
    }
    QTextStream out(&file);
    out << "dataset,layer,block_cos,attention_cos,mlp_cos,importance\n";
    for (const auto& s : m_series)
        for (const auto& l : s.layers)
            out << '"' << datasetTitle(s).replace('"', "\"\"") << "\"," << l.layer << ','
                << QString::number(l.block, 'g', 10) << ',' << QString::number(l.attention, 'g', 10)
                << ',' << QString::number(l.mlp, 'g', 10) << ','
                << QString::number(l.importance, 'g', 10) << '\n';
    out.flush();
    return out.status() == QTextStream::Ok && commitDurably(file);
}

void SimilarityView::onExportPlot() {
    QString filter;
    const QString file = withFilterSuffix(
        QFileDialog::getSaveFileName(
            this, tr("Export plot"), QStringLiteral("layer-similarity.png"),
            tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"), &filter),
        filter);
    if (!file.isEmpty() && !exportPlot(file))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(file));
}

void SimilarityView::onExportData() {
    QString filter;
    const QString file =
        withFilterSuffix(QFileDialog::getSaveFileName(
                             this, tr("Export data"), QStringLiteral("layer-similarity.csv"),
                             tr("CSV table (*.csv);;JSON (*.json)"), &filter),
                         filter);
    if (!file.isEmpty() && !exportData(file))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(file));
}

void SimilarityView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        rebuildPlot();
    }
    QWidget::changeEvent(event);
}

void SimilarityView::retranslate() {
    m_datasetLabel->setText(tr("Dataset:"));
    m_compareLabel->setText(tr("Compare with:"));
    m_dataset->setItemText(0, tr("Built-in sample"));
    m_compare->setItemText(0, tr("(none)"));
    m_compare->setItemText(1, tr("Built-in sample"));
    m_browse->setText(tr("Browse…"));
    m_browseCompare->setText(tr("Browse…"));
    m_run->setText(m_running ? tr("Running…") : tr("Run"));
    m_run->setToolTip(tr("Measure layer similarity on the dataset (Ctrl+R)"));
    m_exportPlot->setText(tr("Export plot…"));
    m_exportData->setText(tr("Export data…"));
    const QLocale locale;
    if (m_series.empty()) {
        m_status->setText(m_running ? tr("Measuring…") : tr("No results yet"));
        m_message->setText(
            m_running ? tr("Measuring layer similarity…")
                      : tr("Press Run to measure how much each layer changes its input: "
                           "1 − cosine similarity of the hidden states before and after each "
                           "block, its attention and its MLP."));
    } else {
        // Every dataset's counts, the comparison's too.
        QStringList parts;
        for (const auto& series : m_series)
            parts << tr("%1: %2 documents, %3 tokens, %4 s")
                         .arg(datasetTitle(series), locale.toString(series.documents),
                              locale.toString(series.tokens),
                              locale.toString(series.seconds, 'f', 2));
        m_status->setText(parts.join(QStringLiteral(" · ")));
    }
    m_stack->setCurrentIndex(m_series.empty() ? 0 : 1);
    m_exportPlot->setEnabled(!m_series.empty());
    m_exportData->setEnabled(!m_series.empty());
}

} // namespace anatomist::widgets
