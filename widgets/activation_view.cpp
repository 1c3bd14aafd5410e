#include "activation_view.h"

#include "plot_export.h"
#include "plot_style.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolTip>
#include <cmath>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {
const QColor kBarColour(52, 101, 164);
const QColor kCurrentColour(230, 126, 34);
} // namespace

QStringList ActivationView::componentNames() {
    return {QStringLiteral("attn_norm"), QStringLiteral("attn_out"), QStringLiteral("mlp_out"),
            QStringLiteral("gate"),      QStringLiteral("up"),       QStringLiteral("act"),
            QStringLiteral("out"),       QStringLiteral("q"),        QStringLiteral("k"),
            QStringLiteral("v")};
}

ActivationView::ActivationView(QWidget* parent)
    : QWidget(parent)
    , m_prompt(new QLineEdit(this))
    , m_component(new QComboBox(this))
    , m_run(new QPushButton(this))
    , m_layer(new QSlider(Qt::Horizontal, this))
    , m_bin(new QComboBox(this))
    , m_clip(new QSpinBox(this))
    , m_promptLabel(new QLabel(this))
    , m_componentLabel(new QLabel(this))
    , m_layerLabel(new QLabel(this))
    , m_layerValue(new QLabel(this))
    , m_binLabel(new QLabel(this))
    , m_clipLabel(new QLabel(this))
    , m_status(new QLabel(this))
    , m_plot(new QCustomPlot) {
    setObjectName(QStringLiteral("activationView"));
    m_run->setObjectName(QStringLiteral("runActivations"));
    m_run->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    m_prompt->setClearButtonEnabled(true);
    for (const QString& c : componentNames())
        m_component->addItem(c, c);
    m_component->setCurrentIndex(m_component->findData(QStringLiteral("mlp_out")));
    for (int w : {1, 8, 16, 32, 64, 128})
        m_bin->addItem(QString(), w);
    m_bin->setCurrentIndex(m_bin->findData(64));
    m_clip->setRange(50, 100);
    m_clip->setValue(99);
    m_layer->setRange(0, 0);
    m_layer->setPageStep(1);
    m_layer->setMinimumWidth(120);
    m_layerValue->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("000 / 000")));
    m_stack = placeholderStack(m_plot, &m_message, this);

    auto* top = new QHBoxLayout;
    top->addWidget(m_promptLabel);
    top->addWidget(m_prompt, 1);
    top->addWidget(m_componentLabel);
    top->addWidget(m_component);
    top->addWidget(m_run);
    auto* second = new QHBoxLayout;
    second->addWidget(m_layerLabel);
    second->addWidget(m_layer, 1);
    second->addWidget(m_layerValue);
    // Display settings on their own row: in one row with the layer slider they made this tab the
    // widest page of the window (≈680 px), squeezing the module tree at 1280 px.
    auto* third = new QHBoxLayout;
    third->addWidget(m_binLabel);
    third->addWidget(m_bin);
    third->addSpacing(12);
    third->addWidget(m_clipLabel);
    third->addWidget(m_clip);
    third->addStretch(1);
    // A long status line wraps instead of forcing the whole window wider.
    m_status->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(second);
    layout->addLayout(third);
    layout->addWidget(m_status);
    layout->addWidget(m_stack, 1);
    m_plot->setBackground(palette().base());
    m_plot->setMouseTracking(true);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    m_runControl.attach({m_run});
    connect(m_run, &QPushButton::clicked, this, &ActivationView::runRequested);
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] {
        if (m_run->isEnabled())
            emit runRequested();
    });
    connect(m_component, &QComboBox::activated, this, [this] {
        if (!m_data.layers.empty() && m_run->isEnabled())
            emit runRequested(); // a new component needs a new forward
    });
    connect(m_layer, &QSlider::valueChanged, this, [this] {
        updateLayerLabel();
        refillColourMap();
    });
    connect(m_bin, &QComboBox::activated, this, [this] { refillColourMap(); });
    connect(m_clip, &QSpinBox::valueChanged, this, [this] { refillColourMap(); });
    connect(m_plot, &QCustomPlot::mouseMove, this, &ActivationView::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (!m_barsRect || !m_barsRect->rect().contains(event->pos()))
            return;
        const int l =
            int(std::lround(m_barsRect->axis(QCPAxis::atLeft)->pixelToCoord(event->pos().y())));
        if (l >= 0 && l < int(m_data.layers.size()))
            setLayer(l);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        if (!m_data.layers.empty())
            zoomNeurons(-0.5, m_data.layers.front().cols - 0.5);
    });
    addExportMenu(m_plot, QStringLiteral("activations"), [this] { return tr("Activations"); });
    retranslate();
    rebuildPlot();
}

QString ActivationView::prompt() const {
    return m_prompt->text();
}
void ActivationView::setPrompt(const QString& prompt) {
    m_prompt->setText(prompt);
    m_prompt->setCursorPosition(0);
}
QString ActivationView::component() const {
    return m_component->currentData().toString();
}
void ActivationView::setComponent(const QString& name) {
    const int i = m_component->findData(name);
    if (i >= 0)
        m_component->setCurrentIndex(i);
}
int ActivationView::layer() const {
    return m_layer->value();
}
void ActivationView::setLayer(int layer) {
    m_layer->setValue(layer);
}
int ActivationView::binWidth() const {
    return m_bin->currentData().toInt();
}
double ActivationView::clipPercentile() const {
    return m_clip->value();
}

void ActivationView::setResults(const ActivationData& data) {
    m_data = data;
    const int layers = int(m_data.layers.size());
    m_layer->blockSignals(true);
    m_layer->setRange(0, std::max(0, layers - 1));
    m_layer->setValue(std::clamp(m_layer->value(), 0, std::max(0, layers - 1)));
    m_layer->blockSignals(false);
    rebuildPlot();
    retranslate();
}

void ActivationView::clearResults() {
    setResults({});
}

void ActivationView::setRunning(bool running) {
    m_runControl.setRunning(running);
    retranslate();
}

void ActivationView::setRunEnabled(bool enabled, const QString& reason) {
    m_runControl.setEnabled(enabled, reason);
    retranslate();
}

double ActivationView::displayedCell(int token, int binColumn) const {
    if (!m_colorMap || m_data.layers.empty())
        return std::nan("");
    return m_colorMap->data()->cell(binColumn, token);
}

double ActivationView::colourLower() const {
    return m_colorMap ? m_colorMap->dataRange().lower : 0;
}
double ActivationView::colourUpper() const {
    return m_colorMap ? m_colorMap->dataRange().upper : 0;
}

void ActivationView::zoomNeurons(double lower, double upper) {
    if (m_heatRect) {
        m_heatRect->axis(QCPAxis::atBottom)->setRange(lower, upper);
        m_plot->replot();
    }
}

void ActivationView::rebuildPlot() {
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_colorMap = nullptr;
    m_heatRect = m_barsRect = nullptr;
    m_bars = m_current = nullptr;
    m_scale = nullptr;
    if (m_data.layers.empty()) {
        m_stack->setCurrentIndex(0);
        m_plot->replot();
        return;
    }
    m_stack->setCurrentIndex(1);
    const Matrix& first = m_data.layers.front();
    m_heatRect = new QCPAxisRect(m_plot);
    m_barsRect = new QCPAxisRect(m_plot);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_heatRect);
    m_plot->plotLayout()->addElement(0, 1, m_scale);
    m_plot->plotLayout()->addElement(0, 2, m_barsRect);
    m_plot->plotLayout()->setColumnStretchFactor(0, 1);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.01);
    m_plot->plotLayout()->setColumnStretchFactor(2, 0.36);
    auto* margins = new QCPMarginGroup(m_plot);
    m_heatRect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_barsRect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_plot->xAxis = m_heatRect->axis(QCPAxis::atBottom);
    m_plot->yAxis = m_heatRect->axis(QCPAxis::atLeft);

    QCPAxis* hx = m_heatRect->axis(QCPAxis::atBottom);
    QCPAxis* hy = m_heatRect->axis(QCPAxis::atLeft);
    m_heatRect->setRangeDrag(Qt::Horizontal);
    m_heatRect->setRangeZoom(Qt::Horizontal);
    m_heatRect->setRangeZoomAxes(hx, nullptr);
    m_heatRect->setRangeDragAxes(hx, nullptr);
    m_barsRect->setRangeDrag(Qt::Orientations());
    m_barsRect->setRangeZoom(Qt::Orientations());
    QStringList labels;
    for (const QString& t : m_data.tokens)
        labels << displayToken(t);
    const int rowPixels = fontMetrics().height() + 2;
    setTextTicks(hy, labels, std::max(8, (m_plot->height() - 80) / rowPixels));
    hy->setRange(-0.5, first.rows - 0.5);
    hy->setRangeReversed(true);
    hy->grid()->setVisible(false);
    hx->grid()->setVisible(false);
    hx->setRange(-0.5, first.cols - 0.5);
    m_colorMap = new QCPColorMap(hx, hy);
    m_colorMap->setInterpolate(false);
    m_colorMap->setColorScale(m_scale);
    connect(
        hx, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& r) {
            if (m_data.layers.empty())
                return;
            const double lo = -0.5, hi = m_data.layers.front().cols - 0.5;
            QCPRange bounded = r;
            if (bounded.size() > hi - lo)
                bounded = QCPRange(lo, hi);
            if (bounded.lower < lo)
                bounded = QCPRange(lo, lo + bounded.size());
            if (bounded.upper > hi)
                bounded = QCPRange(hi - bounded.size(), hi);
            if (bounded != r) {
                m_heatRect->axis(QCPAxis::atBottom)->setRange(bounded);
                return;
            }
            const int before = m_effectiveBin;
            const int wanted = (m_data.layers.front().cols <= kExactSpan || r.size() <= kExactSpan)
                                   ? 1
                                   : binWidth();
            if (wanted != before)
                QMetaObject::invokeMethod(
                    this, [this] { refillColourMap(); }, Qt::QueuedConnection);
        });

    QCPAxis* by = m_barsRect->axis(QCPAxis::atLeft);
    QCPAxis* bx = m_barsRect->axis(QCPAxis::atBottom);
    m_bars = new QCPBars(by, bx);
    m_current = new QCPBars(by, bx);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(kBarColour);
    m_current->setPen(Qt::NoPen);
    m_current->setBrush(kCurrentColour);
    double maxMean = 0;
    for (int l = 0; l < m_data.meanAbsPerLayer.size(); ++l) {
        m_bars->addData(l, m_data.meanAbsPerLayer[l]);
        maxMean = std::max(maxMean, m_data.meanAbsPerLayer[l]);
    }
    const int layers = int(m_data.layers.size());
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(layers > 24 ? 4 : layers > 12 ? 2 : 1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    by->setTicker(ticker);
    by->setRange(-0.6, layers - 0.4);
    by->setRangeReversed(true);
    bx->setRange(0, maxMean > 0 ? maxMean * 1.1 : 1);
    bx->ticker()->setTickCount(2);
    refillColourMap();
    retranslate();
}

void ActivationView::refillColourMap() {
    updateLayerLabel();
    if (!m_colorMap || m_data.layers.empty())
        return;
    const int l = std::clamp(layer(), 0, int(m_data.layers.size()) - 1);
    const Matrix& m = m_data.layers[std::size_t(l)];
    const double span = m_heatRect->axis(QCPAxis::atBottom)->range().size();
    m_effectiveBin = (m.cols <= kExactSpan || span <= kExactSpan) ? 1 : binWidth();
    m_bin->setEnabled(m.cols > kExactSpan); // narrow layers are always drawn exactly
    const int bin = m_effectiveBin;
    const int bins = (m.cols + bin - 1) / bin;
    auto* data = m_colorMap->data();
    data->setSize(bins, m.rows);
    // Cell centres sit at the centre of each bin in neuron coordinates.
    const double firstCentre = (std::min(bin, m.cols) - 1) / 2.0;
    const double lastCentre =
        (bins - 1) * bin + (std::min(bin, m.cols - (bins - 1) * bin) - 1) / 2.0;
    data->setRange(QCPRange(firstCentre, bins > 1 ? lastCentre : firstCentre + 1),
                   QCPRange(0, std::max(1, m.rows - 1)));
    for (int r = 0; r < m.rows; ++r)
        for (int b = 0; b < bins; ++b) {
            const int begin = b * bin, end = std::min(m.cols, begin + bin);
            double sum = 0;
            for (int c = begin; c < end; ++c)
                sum += m.at(r, c);
            data->setCell(b, r, sum / double(end - begin));
        }
    const ColourRange range = clippedRange(m.values, clipPercentile());
    m_diverging = range.diverging;
    m_colorMap->setGradient(range.diverging ? divergingGradient() : viridisGradient());
    m_colorMap->setDataRange(QCPRange(range.lower, range.upper));
    if (m_current) {
        m_current->data()->clear();
        if (l < m_data.meanAbsPerLayer.size())
            m_current->addData(l, m_data.meanAbsPerLayer[l]);
    }
    retranslate();
    m_plot->replot();
}

void ActivationView::updateLayerLabel() {
    const int layers = int(m_data.layers.size());
    m_layerValue->setText(layers ? QStringLiteral("%1 / %2").arg(layer()).arg(layers - 1)
                                 : QStringLiteral("–"));
    m_layer->setEnabled(layers > 1);
}

QString ActivationView::hoverText(int token, int neuron) const {
    if (m_data.layers.empty())
        return {};
    const Matrix& m =
        m_data.layers[std::size_t(std::clamp(layer(), 0, int(m_data.layers.size()) - 1))];
    if (token < 0 || token >= m.rows || neuron < 0 || neuron >= m.cols)
        return {};
    const QString tok = token < m_data.tokens.size() ? m_data.tokens[token] : QString();
    QString text = tr("token %1 “%2”\nneuron %3: %4")
                       .arg(token)
                       .arg(tok)
                       .arg(neuron)
                       .arg(formatNumber(m.at(token, neuron)));
    if (m_effectiveBin > 1) {
        const int begin = neuron / m_effectiveBin * m_effectiveBin;
        const int end = std::min(m.cols, begin + m_effectiveBin);
        text += QLatin1Char('\n') +
                tr("neurons %1–%2 (colour = their mean): %3")
                    .arg(begin)
                    .arg(end - 1)
                    .arg(formatNumber(displayedCell(token, neuron / m_effectiveBin)));
    }
    return text;
}

void ActivationView::onMouseMove(QMouseEvent* event) {
    if (m_data.layers.empty())
        return;
    if (m_heatRect && m_heatRect->rect().contains(event->pos())) {
        const int neuron =
            int(std::lround(m_heatRect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x())));
        const int token =
            int(std::lround(m_heatRect->axis(QCPAxis::atLeft)->pixelToCoord(event->pos().y())));
        QToolTip::showText(event->globalPosition().toPoint(), hoverText(token, neuron), m_plot);
        return;
    }
    if (m_barsRect && m_barsRect->rect().contains(event->pos())) {
        const int l =
            int(std::lround(m_barsRect->axis(QCPAxis::atLeft)->pixelToCoord(event->pos().y())));
        if (l >= 0 && l < m_data.meanAbsPerLayer.size()) {
            QToolTip::showText(event->globalPosition().toPoint(),
                               tr("layer %1: mean |activation| %2 (click to show it)")
                                   .arg(l)
                                   .arg(formatNumber(m_data.meanAbsPerLayer[l])),
                               m_plot);
            return;
        }
    }
    QToolTip::hideText();
}

void ActivationView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ActivationView::retranslate() {
    m_promptLabel->setText(tr("Prompt:"));
    m_prompt->setPlaceholderText(tr("Type a prompt, then press Run"));
    m_componentLabel->setText(tr("Component:"));
    m_layerLabel->setText(tr("Layer:"));
    m_binLabel->setText(tr("Neuron bins:"));
    m_clipLabel->setText(tr("Clip colours at percentile:"));
    m_clip->setToolTip(
        tr("Values beyond this percentile of |activation| get the end colour, so that "
           "a few outliers do not wash out the map"));
    for (int i = 0; i < m_bin->count(); ++i) {
        const int w = m_bin->itemData(i).toInt();
        m_bin->setItemText(i, w == 1 ? tr("exact") : tr("%1 neurons").arg(w));
    }
    m_bin->setToolTip(tr("Wide layers are shown as the mean of each bin until you zoom in to %1 "
                         "neurons or fewer (mouse wheel on the map; double-click resets)")
                          .arg(kExactSpan));
    m_component->setToolTip(
        tr("attn_norm: input of attention · attn_out: attention output · "
           "mlp_out: MLP output · gate/up: MLP projections · act: input of "
           "down_proj · out: residual stream after the block · q/k/v: attention "
           "projections"));
    m_run->setText(m_runControl.running() ? tr("Running…") : tr("Run"));
    m_run->setToolTip(m_runControl.reason().isEmpty() ? tr("Capture the activations of this prompt")
                                                      : m_runControl.reason());
    if (m_data.layers.empty()) {
        m_status->setText(m_runControl.running() ? tr("Running the model on the prompt…")
                                                 : QString());
        m_message->setText(
            !m_runControl.reason().isEmpty()
                ? m_runControl.reason()
                : tr("Type a prompt and press Run to see, for every token, the "
                     "activations of each neuron of the chosen component, layer by layer."));
    } else {
        const Matrix& m =
            m_data.layers[std::size_t(std::clamp(layer(), 0, int(m_data.layers.size()) - 1))];
        m_status->setText(tr("%1 · %2 tokens × %3 neurons · layer %4 of %5 · mean |activation| %6")
                              .arg(m_data.component)
                              .arg(m.rows)
                              .arg(m.cols)
                              .arg(layer())
                              .arg(m_data.layers.size() - 1)
                              .arg(formatNumber(m_data.meanAbsPerLayer.value(layer()))));
    }
    if (m_heatRect) {
        m_heatRect->axis(QCPAxis::atLeft)->setLabel(tr("token"));
        m_heatRect->axis(QCPAxis::atBottom)
            ->setLabel(
                m_effectiveBin > 1
                    ? tr("neuron (mean of each %1; zoom in for single neurons)").arg(m_effectiveBin)
                    : tr("neuron"));
        m_scale->axis()->setLabel(
            tr("%1 (clipped at percentile %2)").arg(m_data.component).arg(clipPercentile()));
        m_barsRect->axis(QCPAxis::atLeft)->setLabel(tr("layer"));
        m_barsRect->axis(QCPAxis::atBottom)->setLabel(tr("mean |activation|"));
    }
}

} // namespace anatomist::widgets
