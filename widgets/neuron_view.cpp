#include "neuron_view.h"

#include "plan_totals.h"
#include "plot_export.h"
#include "plot_style.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QToolTip>
#include <numeric>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {
const QColor kColour(52, 101, 164);
const QColor kCurrent(230, 126, 34);

struct Quartiles {
    double min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
};
Quartiles quartiles(const QVector<double>& v) {
    return {percentile(v, 0), percentile(v, 25), percentile(v, 50), percentile(v, 75),
            percentile(v, 100)};
}
} // namespace

QStringList NeuronView::methodNames() {
    return {QStringLiteral("ppm"), QStringLiteral("vow"),        QStringLiteral("pon"),
            QStringLiteral("l2"),  QStringLiteral("activation"), QStringLiteral("fairness"),
            QStringLiteral("l1")};
}

NeuronView::NeuronView(QWidget* parent)
    : QWidget(parent)
    , m_method(new QComboBox(this))
    , m_methodLabel(new QLabel(this))
    , m_weightLabel(new QLabel(this))
    , m_weight(new QDoubleSpinBox(this))
    , m_run(new QPushButton(this))
    , m_layerLabel(new QLabel(this))
    , m_layer(new QSlider(Qt::Horizontal, this))
    , m_layerValue(new QLabel(this))
    , m_showLabel(new QLabel(this))
    , m_show(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_tableTitle(new QLabel(this))
    , m_plot(new QCustomPlot)
    , m_table(new QTableWidget(0, 3, this))
    , m_removeLabel(new QLabel(this))
    , m_removePercent(new QDoubleSpinBox(this))
    , m_removeScope(new QComboBox(this))
    , m_addToPlan(new QPushButton(this))
    , m_removeNote(new QLabel(this)) {
    setObjectName(QStringLiteral("neuronView"));
    m_run->setObjectName(QStringLiteral("runNeurons"));
    m_run->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    for (const QString& m : methodNames())
        m_method->addItem(QString(), m);
    m_weight->setRange(0, 1);
    m_weight->setSingleStep(0.1);
    m_weight->setValue(0.5);
    m_show->addItem(QString(), false);
    m_show->addItem(QString(), true);
    m_layer->setRange(0, 0);
    m_layer->setMinimumWidth(100);
    m_layerValue->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("000 / 000")));
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_stack = placeholderStack(m_plot, &m_message, this);
    m_plot->setBackground(palette().base());
    m_plot->setMouseTracking(true);
    m_status->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(m_methodLabel);
    top->addWidget(m_method, 1);
    top->addWidget(m_weightLabel);
    top->addWidget(m_weight);
    top->addWidget(m_run);
    auto* second = new QHBoxLayout;
    second->addWidget(m_layerLabel);
    second->addWidget(m_layer, 1);
    second->addWidget(m_layerValue);
    second->addSpacing(12);
    second->addWidget(m_showLabel);
    second->addWidget(m_show);
    m_removePercent->setObjectName(QStringLiteral("removePercent"));
    m_removePercent->setRange(0, 95);
    m_removePercent->setDecimals(0);
    m_removePercent->setValue(20);
    m_removePercent->setSuffix(QStringLiteral(" %"));
    m_removeScope->addItem(QString(), false);
    m_removeScope->addItem(QString(), true);
    m_addToPlan->setObjectName(QStringLiteral("addNeuronsToPlan"));
    m_addToPlan->setIcon(QIcon(QStringLiteral(":/icons/tree.svg")));
    m_removeNote->setEnabled(false);
    // The note must never widen the window (it is long in some languages): it wraps instead.
    m_removeNote->setWordWrap(true);
    m_removeNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* removal = new QHBoxLayout;
    removal->addWidget(m_removeLabel);
    removal->addWidget(m_removePercent);
    removal->addWidget(m_removeScope);
    removal->addWidget(m_addToPlan);
    removal->addWidget(m_removeNote, 1);
    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_tableTitle);
    tableLayout->addWidget(m_table, 1);
    m_tableTitle->setWordWrap(true);
    m_table->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("0000 000000 0.0000000")) + 60);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_stack);
    splitter->addWidget(tableBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(second);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
    layout->addLayout(removal);

    connect(m_removePercent, &QDoubleSpinBox::valueChanged, this, [this] {
        rebuildPlot();
        refreshRemoval();
    });
    connect(m_removeScope, &QComboBox::currentIndexChanged, this, &NeuronView::refreshRemoval);
    connect(m_addToPlan, &QPushButton::clicked, this, [this] {
        emit addToPlanRequested(removeEveryLayer() ? -1 : layer(), removePercent(), m_data.method);
    });

    m_runControl.attach({m_run});
    connect(m_run, &QPushButton::clicked, this, &NeuronView::runRequested);
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        retranslate();
        emit methodChanged();
    });
    connect(m_method, &QComboBox::activated, this, [this] {
        if (!m_data.layers.empty() && m_run->isEnabled())
            emit runRequested();
    });
    connect(m_layer, &QSlider::valueChanged, this, [this] {
        rebuildPlot();
        fillTable();
        refreshRemoval();
    });
    connect(m_show, &QComboBox::activated, this, [this] { rebuildPlot(); });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (m_layersRect && m_layersRect->rect().contains(event->pos())) {
            const int l = int(
                std::lround(m_layersRect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x())));
            if (l >= 0 && l < int(m_data.layers.size()))
                setLayer(l);
        }
    });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        if (m_layersRect && m_layersRect->rect().contains(event->pos())) {
            const int l = int(
                std::lround(m_layersRect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x())));
            if (l >= 0 && l < int(m_data.layers.size())) {
                const auto q = quartiles(m_data.layers[std::size_t(l)]);
                QToolTip::showText(
                    event->globalPosition().toPoint(),
                    tr("layer %1: min %2, quartiles %3 / %4 / %5, max %6 (click to show it)")
                        .arg(l)
                        .arg(formatNumber(q.min), formatNumber(q.q1), formatNumber(q.median),
                             formatNumber(q.q3), formatNumber(q.max)),
                    m_plot);
                return;
            }
        }
        if (m_distRect && m_distRect->rect().contains(event->pos()) && !m_data.layers.empty()) {
            const double x = m_distRect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x());
            const auto& s = m_data.layers[std::size_t(layer())];
            if (!histogram()) {
                const int rank = int(std::lround(x));
                const auto values = curveValues();
                if (rank >= 0 && rank < values.size()) {
                    QToolTip::showText(
                        event->globalPosition().toPoint(),
                        tr("rank %1: score %2").arg(rank + 1).arg(formatNumber(values[rank])),
                        m_plot);
                    return;
                }
            } else if (!s.isEmpty()) {
                QToolTip::showText(event->globalPosition().toPoint(),
                                   tr("score %1").arg(formatNumber(x)), m_plot);
                return;
            }
        }
        QToolTip::hideText();
    });
    addExportMenu(m_plot, QStringLiteral("neuron-importance"),
                  [this] { return tr("Neuron importance"); });
    retranslate();
    rebuildPlot();
    fillTable();
}

bool NeuronView::plannable(const QString& method) {
    // activation needs texts and fairness needs pairs, which a prune_mlp operation does not carry.
    static const QStringList ok{QStringLiteral("ppm"), QStringLiteral("vow"), QStringLiteral("pon"),
                                QStringLiteral("l2"), QStringLiteral("l1")};
    return ok.contains(method);
}

double NeuronView::removePercent() const {
    return m_removePercent->value();
}
void NeuronView::setRemovePercent(double percent) {
    m_removePercent->setValue(percent);
}
bool NeuronView::removeEveryLayer() const {
    return m_removeScope->currentData().toBool();
}
void NeuronView::setRemoveEveryLayer(bool every) {
    m_removeScope->setCurrentIndex(every ? 1 : 0);
}

void NeuronView::refreshRemoval() {
    const bool have = !m_data.layers.empty();
    const bool ok = have && plannable(m_data.method) && removePercent() > 0;
    m_addToPlan->setEnabled(ok);
    m_addToPlan->setToolTip(!have ? tr("Run the scores first")
                            : !plannable(m_data.method)
                                ? tr("The plan can remove neurons by PPM, VOW, PON, L2 or L1; "
                                     "choose one of those scores")
                            : removePercent() <= 0 ? tr("Choose a percentage above 0")
                                                   : tr("Add this removal to the pruning plan"));
    if (!have) {
        m_removeNote->clear();
        return;
    }
    const qint64 width =
        m_data.layers[std::size_t(std::clamp(layer(), 0, int(m_data.layers.size()) - 1))].size();
    const qint64 kept = keptWidthForPercent(width, removePercent());
    m_removeNote->setText(
        tr("layer %1 keeps %2 of %3 neurons; the %4 lowest-scored (red on the curve) go")
            .arg(layer())
            .arg(kept)
            .arg(width)
            .arg(width - kept));
}

QString NeuronView::method() const {
    return m_method->currentData().toString();
}
void NeuronView::setMethod(const QString& method) {
    const int i = m_method->findData(method);
    if (i >= 0)
        m_method->setCurrentIndex(i);
}
double NeuronView::fairnessWeight() const {
    return m_weight->value();
}
int NeuronView::layer() const {
    return m_layer->value();
}
void NeuronView::setLayer(int layer) {
    m_layer->setValue(layer);
}
bool NeuronView::histogram() const {
    return m_show->currentData().toBool();
}

void NeuronView::setResults(const NeuronScoresData& data) {
    m_data = data;
    const int layers = int(m_data.layers.size());
    m_layer->blockSignals(true);
    m_layer->setRange(0, std::max(0, layers - 1));
    m_layer->setValue(std::clamp(m_layer->value(), 0, std::max(0, layers - 1)));
    m_layer->blockSignals(false);
    retranslate();
    rebuildPlot();
    fillTable();
}

void NeuronView::clearResults() {
    setResults({});
}

void NeuronView::setRunning(bool running) {
    m_runControl.setRunning(running);
    retranslate();
}

void NeuronView::setRunEnabled(bool enabled, const QString& reason) {
    m_runControl.setEnabled(enabled, reason);
    retranslate();
}

void NeuronView::setSourceNote(const QString& note) {
    m_sourceNote = note;
    retranslate();
}

QVector<double> NeuronView::curveValues() const {
    if (m_data.layers.empty())
        return {};
    QVector<double> v =
        m_data.layers[std::size_t(std::clamp(layer(), 0, int(m_data.layers.size()) - 1))];
    std::sort(v.begin(), v.end(), std::greater<>());
    return v;
}

void NeuronView::rebuildPlot() {
    const int layers = int(m_data.layers.size());
    m_layerValue->setText(layers ? QStringLiteral("%1 / %2").arg(layer()).arg(layers - 1)
                                 : QStringLiteral("–"));
    m_layer->setEnabled(layers > 1);
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_distRect = m_layersRect = nullptr;
    if (m_data.layers.empty()) {
        m_stack->setCurrentIndex(0);
        m_plot->replot();
        return;
    }
    m_stack->setCurrentIndex(1);
    m_distRect = new QCPAxisRect(m_plot);
    m_layersRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_distRect);
    m_plot->plotLayout()->addElement(1, 0, m_layersRect);
    m_plot->plotLayout()->setRowStretchFactor(0, 3);
    m_plot->plotLayout()->setRowStretchFactor(1, 2);
    auto* margins = new QCPMarginGroup(m_plot);
    m_distRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_layersRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    QCPAxis* dx = m_distRect->axis(QCPAxis::atBottom);
    QCPAxis* dy = m_distRect->axis(QCPAxis::atLeft);
    const QVector<double> sorted = curveValues();
    const QString score = tr("%1 score").arg(m_data.method);
    if (!histogram()) {
        auto* g = m_plot->addGraph(dx, dy);
        g->setPen(QPen(kColour, 2));
        g->setBrush(QColor(52, 101, 164, 40));
        // The neurons the removal control would take (the lowest scores) in red.
        const qint64 kept = keptWidthForPercent(sorted.size(), removePercent());
        for (int i = 0; i < sorted.size() && i < kept; ++i)
            g->addData(i, sorted[i]);
        if (kept < sorted.size() && plannable(m_data.method)) {
            auto* cut = m_plot->addGraph(dx, dy);
            cut->setPen(QPen(QColor(204, 0, 0), 2));
            cut->setBrush(QColor(204, 0, 0, 50));
            for (qint64 i = std::max<qint64>(0, kept - 1); i < sorted.size(); ++i)
                cut->addData(double(i), sorted[i]);
        } else {
            for (qint64 i = kept; i < sorted.size(); ++i)
                g->addData(double(i), sorted[i]);
        }
        dx->setRange(-0.5, std::max<qsizetype>(1, sorted.size()) - 0.5);
        const double lo = sorted.isEmpty() ? 0 : sorted.back(),
                     hi = sorted.isEmpty() ? 1 : sorted.front();
        const double pad = std::max(1e-9, (hi - lo) * 0.05);
        dy->setRange(std::min(0.0, lo - pad), hi + pad);
        dx->setLabel(tr("neurons of layer %1, sorted by score (rank)").arg(layer()));
        dy->setLabel(score);
    } else {
        const int bins = std::clamp(int(sorted.size()) / 8, 5, 60);
        const double lo = sorted.isEmpty() ? 0 : sorted.back(),
                     hi = sorted.isEmpty() ? 1 : sorted.front();
        const double width = hi > lo ? (hi - lo) / bins : 1;
        QVector<double> counts(bins, 0);
        for (double v : sorted)
            counts[std::clamp(int((v - lo) / width), 0, bins - 1)] += 1;
        auto* bars = new QCPBars(dx, dy);
        bars->setPen(Qt::NoPen);
        bars->setBrush(kColour);
        bars->setWidth(width * 0.9);
        double top = 0;
        for (int b = 0; b < bins; ++b) {
            bars->addData(lo + (b + 0.5) * width, counts[b]);
            top = std::max(top, counts[b]);
        }
        dx->setRange(lo - width, hi + width);
        dy->setRange(0, top * 1.1);
        dx->setLabel(score);
        dy->setLabel(tr("neurons of layer %1").arg(layer()));
    }

    QCPAxis* lx = m_layersRect->axis(QCPAxis::atBottom);
    QCPAxis* ly = m_layersRect->axis(QCPAxis::atLeft);
    auto* boxes = new QCPStatisticalBox(lx, ly);
    auto* current = new QCPStatisticalBox(lx, ly);
    boxes->setBrush(QColor(52, 101, 164, 90));
    current->setBrush(QColor(230, 126, 34, 160));
    double lo = 0, hi = 0;
    for (int l = 0; l < layers; ++l) {
        const auto q = quartiles(m_data.layers[std::size_t(l)]);
        (l == layer() ? current : boxes)->addData(l, q.min, q.q1, q.median, q.q3, q.max);
        lo = l == 0 ? q.min : std::min(lo, q.min);
        hi = l == 0 ? q.max : std::max(hi, q.max);
    }
    boxes->setWidth(0.6);
    current->setWidth(0.6);
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(layers > 24 ? 4 : layers > 12 ? 2 : 1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    lx->setTicker(ticker);
    lx->setRange(-0.6, layers - 0.4);
    const double pad = std::max(1e-9, (hi - lo) * 0.05);
    ly->setRange(lo - pad, hi + pad);
    lx->setLabel(tr("layer (box: quartiles, whiskers: min and max; click to show it)"));
    ly->setLabel(score);
    m_plot->replot();
}

void NeuronView::fillTable() {
    m_table->setRowCount(0);
    m_table->setHorizontalHeaderLabels({tr("rank"), tr("neuron"), tr("score")});
    if (m_data.layers.empty()) {
        m_tableTitle->clear();
        return;
    }
    const auto& s =
        m_data.layers[std::size_t(std::clamp(layer(), 0, int(m_data.layers.size()) - 1))];
    QVector<int> order(s.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return s[a] > s[b]; });
    const int rows = std::min<int>(kTopRows, int(order.size()));
    m_table->setRowCount(rows);
    for (int r = 0; r < rows; ++r) {
        auto set = [&](int c, const QString& text) {
            auto* item = new QTableWidgetItem(text);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(r, c, item);
        };
        set(0, QString::number(r + 1));
        set(1, QString::number(order[r]));
        set(2, formatNumber(s[order[r]], 6));
    }
    m_tableTitle->setText(
        m_data.method == QLatin1String("fairness")
            ? tr("Layer %1: the %2 best pruning candidates (highest F_k) of %3 neurons")
                  .arg(layer())
                  .arg(rows)
                  .arg(s.size())
            : tr("Layer %1: the %2 most important of %3 neurons")
                  .arg(layer())
                  .arg(rows)
                  .arg(s.size()));
}

void NeuronView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        rebuildPlot();
        fillTable();
    }
    QWidget::changeEvent(event);
}

void NeuronView::retranslate() {
    const QStringList names{
        tr("PPM: peak-to-peak magnitude of gate and up rows"),
        tr("VOW: variance of gate and up rows"),
        tr("PON: product of the L1 norms of gate and up rows"),
        tr("L2: sum of the L2 norms of gate and up rows"),
        tr("activation-weighted: PPM × activation norm on a text"),
        tr("fairness F_k: bias on prompt pairs and low PPM (pruning candidates)"),
        tr("L1: norm of the c_fc neuron (plain GPT-2 MLP)")};
    for (int i = 0; i < m_method->count() && i < names.size(); ++i)
        m_method->setItemText(i, names[i]);
    m_methodLabel->setText(tr("Score:"));
    m_weightLabel->setText(tr("Fairness weight w:"));
    m_weight->setToolTip(tr("F_k = w · norm(bias_k) + (1 − w) · (1 − norm(PPM_k))"));
    const bool fairness = method() == QLatin1String("fairness");
    m_weightLabel->setVisible(fairness);
    m_weight->setVisible(fairness);
    m_layerLabel->setText(tr("Layer:"));
    m_removeLabel->setText(tr("Remove"));
    m_removeScope->setItemText(0, tr("of this layer's MLP neurons"));
    m_removeScope->setItemText(1, tr("of every layer's MLP neurons"));
    m_addToPlan->setText(tr("Add to plan"));
    refreshRemoval();
    m_showLabel->setText(tr("Show:"));
    m_show->setItemText(0, tr("sorted curve"));
    m_show->setItemText(1, tr("histogram"));
    m_run->setText(m_runControl.running() ? tr("Running…") : tr("Run"));
    m_run->setToolTip(m_runControl.reason().isEmpty() ? tr("Score every MLP neuron of every layer")
                                                      : m_runControl.reason());
    if (m_data.layers.empty()) {
        m_status->setText(m_runControl.running() ? tr("Scoring the neurons…") : m_sourceNote);
        m_message->setText(
            !m_runControl.reason().isEmpty()
                ? m_runControl.reason()
                : tr("Choose a score and press Run to see how the MLP neurons of each "
                     "layer rank. Higher is more important; for fairness F_k, higher is "
                     "a better neuron to remove."));
    } else {
        QString text = tr("%1 · %2 layers · %3 s")
                           .arg(m_data.method)
                           .arg(m_data.layers.size())
                           .arg(QLocale().toString(m_data.seconds, 'f', 2));
        if (m_data.tokens > 0)
            text += tr(" · %1 tokens read").arg(QLocale().toString(m_data.tokens));
        if (m_data.pairs > 0)
            text += tr(" · prompt pairs: %1").arg(m_data.pairs);
        if (!m_sourceNote.isEmpty())
            text += QStringLiteral(" · ") + m_sourceNote;
        m_status->setText(text);
    }
    fillTable();
}

} // namespace anatomist::widgets
