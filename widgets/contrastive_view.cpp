#include "contrastive_view.h"

#include "difference_heatmap.h"
#include "plot_export.h"
#include "plot_style.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolTip>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {
const QColor kComponentColours[] = {QColor(52, 101, 164), QColor(230, 126, 34),
                                    QColor(46, 139, 87),  QColor(142, 68, 173),
                                    QColor(192, 57, 43),  QColor(127, 140, 141)};
const QColor kColourA(52, 101, 164);
const QColor kColourB(230, 126, 34);
QColor componentColour(std::size_t i) {
    return kComponentColours[i % 6];
}

QString number(double v) {
    return formatNumber(v);
}

// Pairs of (A row, B row) the engine compared token by token: every row for equal lengths, the
// common prefix and suffix for unequal ones.
std::vector<std::pair<int, int>> alignedRows(const ContrastivePairData& p) {
    std::vector<std::pair<int, int>> out;
    const int na = int(p.tokensA.size()), nb = int(p.tokensB.size());
    if (p.alignment == QLatin1String("tokens")) {
        for (int i = 0; i < std::min(na, nb); ++i)
            out.emplace_back(i, i);
    } else if (p.alignment == QLatin1String("prefix_suffix")) {
        for (int i = 0; i < p.prefix; ++i)
            out.emplace_back(i, i);
        for (int s = 1; s <= p.suffix; ++s)
            out.emplace_back(na - s, nb - s);
    }
    return out;
}
} // namespace

ContrastiveView::ContrastiveView(QWidget* parent)
    : QWidget(parent)
    , m_editor(new QTableWidget(0, 3, this))
    , m_load(new QPushButton(this))
    , m_add(new QPushButton(this))
    , m_remove(new QPushButton(this))
    , m_run(new QPushButton(this))
    , m_pairSetLabel(new QLabel(this))
    , m_pairSet(new QComboBox(this))
    , m_audit(new QPushButton(this))
    , m_plotTabs(new QTabWidget(this))
    , m_heatmap(new DifferenceHeatmap(this))
    , m_sourceLabel(new QLabel(this))
    , m_scopeLabel(new QLabel(this))
    , m_scope(new QComboBox(this))
    , m_componentLabel(new QLabel(this))
    , m_component(new QComboBox(this))
    , m_layerLabel(new QLabel(this))
    , m_layer(new QSlider(Qt::Horizontal, this))
    , m_layerValue(new QLabel(this))
    , m_status(new QLabel(this))
    , m_alignment(new QLabel(this))
    , m_plot(new QCustomPlot)
    , m_metrics(new QTableWidget(this))
    , m_splitter(new QSplitter(Qt::Vertical, this)) {
    setObjectName(QStringLiteral("contrastiveView"));
    m_run->setObjectName(QStringLiteral("runContrastive"));
    m_run->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    m_load->setIcon(QIcon(QStringLiteral(":/icons/open.svg")));
    m_editor->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_editor->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_editor->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_editor->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_editor->setSelectionMode(QAbstractItemView::SingleSelection);
    m_editor->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->verticalHeader()->setVisible(false);
    m_metrics->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_metrics->horizontalHeader()->setStretchLastSection(true);
    m_layer->setRange(0, 0);
    m_layer->setMinimumWidth(100);
    m_layerValue->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("000 / 000")));
    m_alignment->setWordWrap(true);
    m_alignment->setTextFormat(Qt::RichText);
    m_stack = placeholderStack(m_plot, &m_message, this);
    m_plot->setBackground(palette().base());
    m_plot->setMouseTracking(true);
    m_plot->setAutoAddPlottableToLegend(false);

    auto* editorBox = new QWidget(this);
    auto* buttons = new QHBoxLayout;
    m_pairSet->setObjectName(QStringLiteral("pairSet"));
    m_sourceLabel->setWordWrap(true); // gives way to the buttons in narrow windows
    m_pairSet->addItem(QString(), QString());
    m_audit->setObjectName(QStringLiteral("exportAudit"));
    m_audit->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    buttons->addWidget(m_pairSetLabel);
    buttons->addWidget(m_pairSet);
    buttons->addWidget(m_load);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_sourceLabel, 1);
    buttons->addWidget(m_audit);
    buttons->addWidget(m_run);
    auto* editorLayout = new QVBoxLayout(editorBox);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addLayout(buttons);
    editorLayout->addWidget(m_editor);

    auto* plotBox = new QWidget(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_scopeLabel);
    controls->addWidget(m_scope, 1);
    controls->addSpacing(12);
    controls->addWidget(m_componentLabel);
    controls->addWidget(m_component);
    controls->addWidget(m_layerLabel);
    controls->addWidget(m_layer, 1);
    controls->addWidget(m_layerValue);
    auto* plotLayout = new QVBoxLayout(plotBox);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->addLayout(controls);
    plotLayout->addWidget(m_status);
    m_plotTabs->setDocumentMode(true);
    m_plotTabs->addTab(m_stack, QString());
    m_plotTabs->addTab(m_heatmap, QString());
    plotLayout->addWidget(m_plotTabs, 1);

    auto* metricsBox = new QWidget(this);
    auto* metricsLayout = new QVBoxLayout(metricsBox);
    metricsLayout->setContentsMargins(0, 0, 0, 0);
    metricsLayout->addWidget(m_alignment);
    metricsLayout->addWidget(m_metrics, 1);

    m_splitter->addWidget(editorBox);
    m_splitter->addWidget(plotBox);
    m_splitter->addWidget(metricsBox);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 6);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({140, 420, 160});
    m_splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);

    m_runControl.attach({m_run, m_audit});
    connect(m_run, &QPushButton::clicked, this, &ContrastiveView::runRequested);
    connect(m_load, &QPushButton::clicked, this, &ContrastiveView::browse);
    connect(m_audit, &QPushButton::clicked, this, &ContrastiveView::chooseAuditFile);
    connect(m_pairSet, &QComboBox::activated, this,
            [this] { emit pairSetRequested(m_pairSet->currentData().toString()); });
    connect(m_heatmap, &DifferenceHeatmap::cellClicked, this, [this](int pair, int layer) {
        selectPair(pair);
        setPcaLayer(layer);
        m_plotTabs->setCurrentIndex(0);
    });
    connect(m_add, &QPushButton::clicked, this, [this] {
        addRow({});
        m_editor->setCurrentCell(m_editor->rowCount() - 1, 0);
        m_editor->editItem(m_editor->item(m_editor->rowCount() - 1, 0));
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const int row = m_editor->currentRow();
        if (row >= 0)
            m_editor->removeRow(row);
        m_source.clear();
        retranslate();
    });
    connect(m_editor, &QTableWidget::itemChanged, this, [this] {
        if (!m_source.isEmpty() && !signalsBlocked()) {
            m_source.clear();
            retranslate();
        }
    });
    connect(m_editor, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0 && row < int(m_data.pairs.size()) && row != m_selected)
            selectPair(row);
    });
    connect(m_scope, &QComboBox::activated, this, [this] {
        rebuildPlot();
        fillMetrics();
    });
    connect(m_component, &QComboBox::activated, this, [this] { rebuildPlot(); });
    connect(m_layer, &QSlider::valueChanged, this, [this] { rebuildPlot(); });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        if (m_linesRect && m_linesRect->rect().contains(event->pos())) {
            const int l = int(
                std::lround(m_linesRect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x())));
            QStringList lines;
            for (int i = 0; i < m_plot->graphCount(); ++i) {
                auto* g = m_plot->graph(i);
                if (g->keyAxis() != m_linesRect->axis(QCPAxis::atBottom))
                    continue;
                auto it = g->data()->findBegin(l, false);
                if (it != g->data()->constEnd() && int(std::lround(it->key)) == l)
                    lines << QStringLiteral("%1: %2").arg(g->name(), number(it->value));
            }
            if (!lines.isEmpty()) {
                QToolTip::showText(event->globalPosition().toPoint(),
                                   tr("layer %1").arg(l) + QLatin1Char('\n') +
                                       lines.join(QLatin1Char('\n')),
                                   m_plot);
                return;
            }
        }
        QToolTip::hideText();
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (m_linesRect && m_linesRect->rect().contains(event->pos())) {
            const int l = int(
                std::lround(m_linesRect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x())));
            if (l >= 0 && l <= m_layer->maximum())
                setPcaLayer(l);
        }
    });
    retranslate();
    rebuildScopes();
    rebuildPlot();
    fillMetrics();
}

std::vector<PromptPairData> ContrastiveView::pairs() const {
    std::vector<PromptPairData> out;
    for (int r = 0; r < m_editor->rowCount(); ++r) {
        auto text = [&](int c) {
            return m_editor->item(r, c) ? m_editor->item(r, c)->text() : QString();
        };
        PromptPairData p{text(0), text(1), text(2).trimmed()};
        if (p.a.trimmed().isEmpty() && p.b.trimmed().isEmpty() && p.category.isEmpty())
            continue;
        out.push_back(p);
    }
    return out;
}

void ContrastiveView::addRow(const PromptPairData& pair) {
    const int row = m_editor->rowCount();
    m_editor->insertRow(row);
    m_editor->setItem(row, 0, new QTableWidgetItem(pair.a));
    m_editor->setItem(row, 1, new QTableWidgetItem(pair.b));
    m_editor->setItem(row, 2, new QTableWidgetItem(pair.category));
    for (int c = 0; c < 2; ++c)
        m_editor->item(row, c)->setToolTip(c == 0 ? pair.a : pair.b);
}

void ContrastiveView::setPairs(const std::vector<PromptPairData>& pairs, const QString& source) {
    blockSignals(true);
    m_editor->setRowCount(0);
    for (const auto& p : pairs)
        addRow(p);
    blockSignals(false);
    m_source = source;
    retranslate();
}

void ContrastiveView::setPairSetNames(const QStringList& names) {
    while (m_pairSet->count() > 1)
        m_pairSet->removeItem(1);
    for (const QString& n : names)
        m_pairSet->addItem(n, n);
    if (!names.isEmpty())
        m_pairSet->addItem(QString(), QStringLiteral("*"));
    retranslate();
}

void ContrastiveView::showAuditWritten(const QString& htmlFile) {
    m_status->setText(tr("Audit report written to %1").arg(QDir::toNativeSeparators(htmlFile)));
}

void ContrastiveView::showHeatmap(bool show) {
    m_plotTabs->setCurrentIndex(show ? 1 : 0);
}

void ContrastiveView::chooseAuditFile() {
    // The same three outputs as `anatomist-cli audit` (--out, --pdf, --json); the chosen filter
    // decides the type, and a name typed without an extension gets the filter's.
    QString filter;
    const QString file = withFilterSuffix(
        QFileDialog::getSaveFileName(
            this, tr("Export audit report"), QStringLiteral("fairness-audit.html"),
            tr("HTML report (*.html);;PDF document (*.pdf);;JSON data (*.json)"), &filter),
        filter);
    if (!file.isEmpty())
        emit auditRequested(file);
}

void ContrastiveView::browse() {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Load prompt pairs"), QString(),
                                     tr("Prompt pairs (*.jsonl *.ndjson *.csv);;All files (*)"));
    if (!file.isEmpty())
        emit loadRequested(file);
}

void ContrastiveView::setResults(const ContrastiveSetData& data) {
    m_data = data;
    m_selected = m_data.pairs.empty() ? 0 : std::clamp(m_selected, 0, int(m_data.pairs.size()) - 1);
    const QString previousComponent = pcaComponent();
    m_component->clear();
    int layers = 0;
    if (!m_data.pairs.empty()) {
        for (const auto& c : m_data.pairs.front().components)
            m_component->addItem(c.component, c.component);
        layers = m_data.pairs.front().components.empty()
                     ? 0
                     : int(m_data.pairs.front().components.front().layers.size());
    }
    const int keep = m_component->findData(previousComponent);
    m_component->setCurrentIndex(keep >= 0 ? keep : std::max(0, m_component->count() - 1));
    m_layer->blockSignals(true);
    m_layer->setRange(0, std::max(0, layers - 1));
    if (layers > 0 && m_layer->value() == 0)
        m_layer->setValue(layers / 2);
    m_layer->blockSignals(false);
    rebuildScopes();
    retranslate();
    rebuildPlot();
    fillMetrics();
    m_heatmap->setData(&m_data);
    if (!m_data.pairs.empty() && !m_data.pairs[std::size_t(m_selected)].hasDetails())
        emit detailsRequested(m_selected);
}

void ContrastiveView::clearResults() {
    setResults({});
}

void ContrastiveView::setPairDetails(int index, const ContrastivePairData& pair) {
    if (index < 0 || index >= int(m_data.pairs.size()))
        return;
    m_data.pairs[std::size_t(index)] = pair;
    if (index == m_selected) {
        rebuildPlot();
        fillMetrics();
    }
}

void ContrastiveView::setRunning(bool running) {
    m_runControl.setRunning(running);
    m_load->setEnabled(!running);
    m_pairSet->setEnabled(!running);
    retranslate();
}

void ContrastiveView::setRunEnabled(bool enabled, const QString& reason) {
    m_runControl.setEnabled(enabled, reason);
    retranslate();
}

void ContrastiveView::selectPair(int index) {
    if (index < 0 || index >= int(m_data.pairs.size()))
        return;
    m_selected = index;
    if (m_editor->currentRow() != index && index < m_editor->rowCount())
        m_editor->setCurrentCell(index, 0);
    if (m_scope->currentIndex() != 0)
        m_scope->setCurrentIndex(0);
    rebuildPlot();
    fillMetrics();
    if (!m_data.pairs[std::size_t(index)].hasDetails())
        emit detailsRequested(index);
}

QString ContrastiveView::pcaComponent() const {
    return m_component->currentData().toString();
}
void ContrastiveView::setPcaComponent(const QString& component) {
    const int i = m_component->findData(component);
    if (i >= 0) {
        m_component->setCurrentIndex(i);
        rebuildPlot();
    }
}
int ContrastiveView::pcaLayer() const {
    return m_layer->value();
}
void ContrastiveView::setPcaLayer(int layer) {
    m_layer->setValue(layer);
}

QString ContrastiveView::scope() const {
    return m_scope->currentData().toString();
}
void ContrastiveView::setScope(const QString& scope) {
    const int i = m_scope->findData(scope);
    if (i >= 0) {
        m_scope->setCurrentIndex(i);
        rebuildPlot();
        fillMetrics();
    }
}

void ContrastiveView::rebuildScopes() {
    const QString previous = scope();
    m_scope->clear();
    m_scope->addItem(QString(), QString(""));
    if (m_data.pairs.size() > 1) {
        m_scope->addItem(QString(), QStringLiteral("*"));
        if (m_data.byCategory.size() > 1 ||
            (m_data.byCategory.size() == 1 && !m_data.byCategory.begin()->first.isEmpty()))
            for (const auto& [category, aggregate] : m_data.byCategory)
                m_scope->addItem(QString(), category);
    }
    const int i = m_scope->findData(previous);
    m_scope->setCurrentIndex(i >= 0 ? i : 0);
    retranslate();
}

const std::vector<ContrastiveAggregateData>* ContrastiveView::currentAggregate() const {
    const QString s = scope();
    if (s.isEmpty())
        return nullptr;
    if (s == QLatin1String("*"))
        return &m_data.aggregate;
    auto it = m_data.byCategory.find(s);
    return it == m_data.byCategory.end() ? nullptr : &it->second;
}

QVector<QPointF> ContrastiveView::scatterPoints(bool promptB) const {
    QVector<QPointF> out;
    if (m_data.pairs.empty())
        return out;
    const auto& pair = m_data.pairs[std::size_t(m_selected)];
    for (const auto& c : pair.components)
        if (c.component == pcaComponent() && pcaLayer() < int(c.layers.size())) {
            const Matrix& m = promptB ? c.layers[std::size_t(pcaLayer())].pcaB
                                      : c.layers[std::size_t(pcaLayer())].pcaA;
            for (int r = 0; r < m.rows; ++r)
                out.push_back(QPointF(m.at(r, 0), m.at(r, 1)));
        }
    return out;
}

double ContrastiveView::lineValue(int component, int layer, bool maxLine) const {
    int seen = 0;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        auto* g = m_plot->graph(i);
        if (!m_linesRect || g->keyAxis() != m_linesRect->axis(QCPAxis::atBottom))
            continue;
        const bool isMax = g->property("max").toBool();
        if (isMax != maxLine)
            continue;
        if (seen++ == component) {
            auto it = g->data()->findBegin(layer, false);
            return it == g->data()->constEnd() ? std::nan("") : it->value;
        }
    }
    return std::nan("");
}

QString ContrastiveView::alignmentText() const {
    return m_alignment->text();
}

void ContrastiveView::rebuildPlot() {
    const int layers = m_layer->maximum() + 1;
    m_layerValue->setText(m_data.pairs.empty()
                              ? QStringLiteral("–")
                              : QStringLiteral("%1 / %2").arg(pcaLayer()).arg(layers - 1));
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    m_linesRect = m_pcaRect = nullptr;
    if (m_data.pairs.empty()) {
        m_stack->setCurrentIndex(0);
        m_plot->replot();
        return;
    }
    m_stack->setCurrentIndex(1);
    const auto& pair = m_data.pairs[std::size_t(m_selected)];
    const auto* aggregate = currentAggregate();
    m_linesRect = new QCPAxisRect(m_plot);
    m_pcaRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_linesRect);
    m_plot->plotLayout()->addElement(0, 1, m_pcaRect);
    auto* margins = new QCPMarginGroup(m_plot);
    m_linesRect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_pcaRect->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    // Lines: mean |diff| per layer per component (pair), or mean / max across pairs (aggregate).
    QCPAxis* lx = m_linesRect->axis(QCPAxis::atBottom);
    QCPAxis* ly = m_linesRect->axis(QCPAxis::atLeft);
    double top = 0;
    auto addLine = [&](const QString& name, const QVector<double>& values, QColor colour,
                       bool dashed) {
        auto* g = m_plot->addGraph(lx, ly);
        g->setName(name);
        g->setProperty("max", dashed);
        QPen pen(colour, 2);
        if (dashed)
            pen.setStyle(Qt::DashLine);
        g->setPen(pen);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, dashed ? 3 : 5));
        for (int l = 0; l < values.size(); ++l) {
            g->addData(l, values[l]);
            top = std::max(top, values[l]);
        }
    };
    if (aggregate) {
        for (std::size_t c = 0; c < aggregate->size(); ++c)
            addLine((*aggregate)[c].component, (*aggregate)[c].meanAcrossPairs, componentColour(c),
                    false);
        for (std::size_t c = 0; c < aggregate->size(); ++c)
            addLine(tr("%1 max").arg((*aggregate)[c].component), (*aggregate)[c].maxAcrossPairs,
                    componentColour(c), true);
    } else {
        for (std::size_t c = 0; c < pair.components.size(); ++c) {
            QVector<double> v;
            for (const auto& l : pair.components[c].layers)
                v << l.stats.mean;
            addLine(pair.components[c].component, v, componentColour(c), false);
        }
    }
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(layers > 24 ? 4 : layers > 12 ? 2 : 1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    lx->setTicker(ticker);
    lx->setRange(-0.3, std::max(1, layers - 1) + 0.3);
    ly->setRange(0, top > 0 ? top * 1.08 : 1);
    lx->setLabel(tr("layer (click to show its PCA)"));
    ly->setLabel(aggregate ? tr("mean |A − B| (solid: mean, dashed: max across pairs)")
                           : tr("mean |A − B|"));
    // The legend goes below the axes so that it never covers a line.
    auto* legend = new QCPLegend;
    auto* legendRect = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, legendRect);
    legendRect->addElement(0, 0, legend);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(QFont(font().family(), font().pointSize() - 1));
    legend->setBorderPen(Qt::NoPen);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(3);
    for (int i = 0; i < m_plot->graphCount(); ++i)
        legend->addItem(new QCPPlottableLegendItem(legend, m_plot->graph(i)));
    legendRect->setMargins(QMargins(0, 0, 0, 0));
    auto* pcaLegend = new QCPLegend;
    auto* pcaLegendRect = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 1, pcaLegendRect);
    pcaLegendRect->addElement(0, 0, pcaLegend);
    pcaLegend->setLayer(QStringLiteral("legend"));
    pcaLegend->setFont(legend->font());
    pcaLegend->setBorderPen(Qt::NoPen);
    pcaLegend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);

    // PCA scatter of the selected pair at the chosen component and layer.
    QCPAxis* px = m_pcaRect->axis(QCPAxis::atBottom);
    QCPAxis* py = m_pcaRect->axis(QCPAxis::atLeft);
    const ContrastiveLayerData* layer = nullptr;
    for (const auto& c : pair.components)
        if (c.component == pcaComponent() && pcaLayer() < int(c.layers.size()))
            layer = &c.layers[std::size_t(pcaLayer())];
    if (!layer || layer->pcaA.rows == 0) {
        px->setLabel(tr("PC1"));
        py->setLabel(tr("PC2"));
        auto* wait = new QCPItemText(m_plot);
        wait->setClipAxisRect(m_pcaRect);
        wait->position->setAxisRect(m_pcaRect);
        wait->position->setType(QCPItemPosition::ptAxisRectRatio);
        wait->position->setCoords(0.5, 0.5);
        wait->setText(tr("Computing the PCA of this pair…"));
        m_plot->replot();
        return;
    }
    const double e1 = layer->explained.value(0) * 100, e2 = layer->explained.value(1) * 100;
    px->setLabel(tr("PC1 (%1 % of variance)").arg(QLocale().toString(e1, 'f', 1)));
    py->setLabel(tr("PC2 (%1 % of variance)").arg(QLocale().toString(e2, 'f', 1)));
    auto addPoints = [&](const Matrix& m, QColor colour, QCPScatterStyle::ScatterShape shape,
                         const QString& name) {
        auto* g = m_plot->addGraph(px, py);
        g->setName(name);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(shape, colour, colour, 7));
        for (int r = 0; r < m.rows; ++r)
            g->addData(m.at(r, 0), m.at(r, 1));
        return g;
    };
    addPoints(layer->pcaA, kColourA, QCPScatterStyle::ssCircle, tr("A"));
    addPoints(layer->pcaB, kColourB, QCPScatterStyle::ssSquare, tr("B"));
    for (const auto& [ra, rb] : alignedRows(pair)) {
        if (ra >= layer->pcaA.rows || rb >= layer->pcaB.rows)
            continue;
        auto* arrow = new QCPItemLine(m_plot);
        arrow->setClipAxisRect(m_pcaRect);
        arrow->start->setAxes(px, py);
        arrow->end->setAxes(px, py);
        arrow->start->setCoords(layer->pcaA.at(ra, 0), layer->pcaA.at(ra, 1));
        arrow->end->setCoords(layer->pcaB.at(rb, 0), layer->pcaB.at(rb, 1));
        arrow->setPen(QPen(QColor(120, 120, 120, 160), 1));
        arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 7, 9));
    }
    // Labels: the differing tokens always (bold, in the prompt's colour); the others while few.
    const bool labelAll = layer->pcaA.rows + layer->pcaB.rows <= 16;
    auto label = [&](const Matrix& m, const QStringList& tokens, const QVector<int>& differing,
                     QColor colour) {
        for (int r = 0; r < m.rows && r < tokens.size(); ++r) {
            const bool diff = differing.contains(r);
            if (!diff && !labelAll)
                continue;
            auto* text = new QCPItemText(m_plot);
            text->setClipAxisRect(m_pcaRect);
            text->position->setAxes(px, py);
            text->position->setCoords(m.at(r, 0), m.at(r, 1));
            text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
            text->setPadding(QMargins(4, 0, 0, 2));
            text->setText(displayToken(tokens[r]));
            QFont f = font();
            f.setPointSizeF(f.pointSizeF() - (diff ? 0 : 1.5));
            f.setBold(diff);
            text->setFont(f);
            text->setColor(diff ? colour.darker(130) : QColor(90, 90, 90));
        }
    };
    label(layer->pcaA, pair.tokensA, pair.differingA, kColourA);
    label(layer->pcaB, pair.tokensB, pair.differingB, kColourB);
    double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
    bool first = true;
    for (const Matrix* m : {&layer->pcaA, &layer->pcaB})
        for (int r = 0; r < m->rows; ++r) {
            const double x = m->at(r, 0), y = m->at(r, 1);
            xmin = first ? x : std::min(xmin, x);
            xmax = first ? x : std::max(xmax, x);
            ymin = first ? y : std::min(ymin, y);
            ymax = first ? y : std::max(ymax, y);
            first = false;
        }
    const double padX = std::max(1e-6, (xmax - xmin) * 0.12),
                 padY = std::max(1e-6, (ymax - ymin) * 0.12);
    px->setRange(xmin - padX, xmax + padX * 1.6); // room on the right for labels
    px->ticker()->setTickCount(4);
    py->ticker()->setTickCount(4);
    py->setRange(ymin - padY, ymax + padY * 1.4);
    for (int i = 0; i < m_plot->graphCount(); ++i)
        if (m_plot->graph(i)->keyAxis() == px)
            pcaLegend->addItem(new QCPPlottableLegendItem(pcaLegend, m_plot->graph(i)));
    m_plot->replot();
}

void ContrastiveView::fillMetrics() {
    m_metrics->clear();
    m_metrics->setRowCount(0);
    m_alignment->clear();
    if (m_data.pairs.empty()) {
        m_metrics->setColumnCount(0);
        return;
    }
    auto cell = [this](int r, int c, const QString& text) {
        auto* item = new QTableWidgetItem(text);
        if (c > 0)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_metrics->setItem(r, c, item);
    };
    const QString yes = tr("yes"), no = tr("no");
    if (const auto* aggregate = currentAggregate()) {
        m_metrics->setColumnCount(6);
        m_metrics->setHorizontalHeaderLabels({tr("component"), tr("mean over layers"),
                                              tr("max across pairs"), tr("last / first layer"),
                                              tr("layer of max"), tr("increasing")});
        m_metrics->setRowCount(int(aggregate->size()));
        for (std::size_t i = 0; i < aggregate->size(); ++i) {
            const auto& a = (*aggregate)[i];
            double mean = 0, max = 0;
            for (double v : a.meanAcrossPairs)
                mean += v / double(std::max<qsizetype>(1, a.meanAcrossPairs.size()));
            for (double v : a.maxAcrossPairs)
                max = std::max(max, v);
            const int r = int(i);
            cell(r, 0, a.component);
            cell(r, 1, number(mean));
            cell(r, 2, number(max));
            cell(r, 3, number(a.progression.firstToLastRatio));
            cell(r, 4, QString::number(a.progression.layerWithMaxDiff));
            cell(r, 5, a.progression.increasing ? yes : no);
        }
        int count = 0;
        for (const auto& p : m_data.pairs)
            count += scope() == QLatin1String("*") || p.category == scope();
        m_alignment->setText(
            tr("Pairs in this group: %1. Each pair's alignment is shown when it is selected.")
                .arg(count));
        return;
    }
    const auto& p = m_data.pairs[std::size_t(m_selected)];
    m_metrics->setColumnCount(10);
    m_metrics->setHorizontalHeaderLabels({tr("component"), tr("mean"), tr("max"), tr("min"),
                                          tr("std"), tr("L1"), tr("L2"), tr("last / first layer"),
                                          tr("layer of max"), tr("increasing")});
    m_metrics->setRowCount(int(p.components.size()) + 1);
    auto statsRow = [&](int r, const QString& name, const DiffStatsData& s) {
        cell(r, 0, name);
        cell(r, 1, number(s.mean));
        cell(r, 2, number(s.max));
        cell(r, 3, number(s.min));
        cell(r, 4, number(s.std));
        cell(r, 5, number(s.l1));
        cell(r, 6, number(s.l2));
    };
    for (std::size_t i = 0; i < p.components.size(); ++i) {
        const auto& c = p.components[i];
        statsRow(int(i), c.component, c.overall);
        cell(int(i), 7, number(c.progression.firstToLastRatio));
        cell(int(i), 8, QString::number(c.progression.layerWithMaxDiff));
        cell(int(i), 9, c.progression.increasing ? yes : no);
    }
    statsRow(int(p.components.size()), tr("all components"), p.overall);
    const int na = int(p.tokensA.size()), nb = int(p.tokensB.size());
    QString how;
    if (p.alignment == QLatin1String("tokens"))
        how = tr("<b>Alignment: token by token.</b> Both prompts have %1 tokens; row t of A is "
                 "compared "
                 "with row t of B.")
                  .arg(na);
    else if (p.alignment == QLatin1String("prefix_suffix"))
        how =
            tr("<b>Alignment: common prefix and suffix.</b> A has %1 tokens and B %2: the first %3 "
               "and the last %4 tokens are compared row by row, and the differing spans (A tokens "
               "%5–%6, B tokens %7–%8) by their means.")
                .arg(na)
                .arg(nb)
                .arg(p.prefix)
                .arg(p.suffix)
                .arg(p.prefix)
                .arg(na - p.suffix - 1)
                .arg(p.prefix)
                .arg(nb - p.suffix - 1);
    else
        how = tr("<b>Alignment: mean-pooled.</b> A has %1 tokens and B %2; each prompt's token "
                 "vectors are averaged and the two means compared.")
                  .arg(na)
                  .arg(nb);
    m_alignment->setText(how + QLatin1Char(' ') +
                         tr("Statistics are over every element of |A − B| of all layers."));
}

void ContrastiveView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        rebuildPlot();
        fillMetrics();
    }
    QWidget::changeEvent(event);
}

void ContrastiveView::retranslate() {
    m_editor->setHorizontalHeaderLabels({tr("Prompt A"), tr("Prompt B"), tr("Category")});
    m_load->setText(tr("Load pairs…"));
    m_load->setToolTip(
        tr("Read a pair set: JSONL with \"a\", \"b\" and optional \"category\", or CSV "
           "with a header row naming those columns"));
    m_add->setText(tr("Add pair"));
    m_remove->setText(tr("Remove pair"));
    m_run->setText(m_runControl.running() ? tr("Running…") : tr("Run"));
    m_run->setToolTip(m_runControl.reason().isEmpty()
                          ? tr("Compare the activations of every pair (attn_out, mlp_out, out)")
                          : m_runControl.reason());
    const int n = int(pairs().size());
    if (m_source.isEmpty())
        m_sourceLabel->setText(tr("Pairs: %1").arg(n));
    else if (m_source.startsWith(QLatin1Char(':')))
        m_sourceLabel->setText(tr("Pairs: %1 (built-in examples)").arg(n));
    else if (m_source == QLatin1String("set:*"))
        m_sourceLabel->setText(tr("Pairs: %1 (all default sets)").arg(n));
    else if (m_source.startsWith(QLatin1String("set:")))
        m_sourceLabel->setText(tr("Pairs: %1 (default set “%2”)").arg(n).arg(m_source.mid(4)));
    else
        m_sourceLabel->setText(
            tr("Pairs: %1 (from %2)").arg(n).arg(QFileInfo(m_source).fileName()));
    m_pairSetLabel->setText(tr("Pair set:"));
    m_pairSet->setToolTip(
        tr("The project's own prompt pairs for one bias category, or the built-in examples"));
    m_pairSet->setItemText(0, tr("examples"));
    if (m_pairSet->count() > 1)
        m_pairSet->setItemText(m_pairSet->count() - 1, tr("all categories"));
    // Wide enough for the names (capped: the row also holds the buttons and the source).
    int widest = 0;
    for (int i = 0; i < m_pairSet->count(); ++i)
        widest = std::max(widest, fontMetrics().horizontalAdvance(m_pairSet->itemText(i)));
    m_pairSet->setMinimumWidth(std::min(widest, fontMetrics().averageCharWidth() * 12) + 36);
    m_audit->setText(tr("Export audit report…"));
    m_audit->setToolTip(
        m_runControl.reason().isEmpty()
            ? tr("Run the fairness audit on these pairs and write a self-contained "
                 "HTML report, a PDF or the JSON numbers (the same as anatomist-cli audit)")
            : m_runControl.reason());
    m_plotTabs->setTabText(0, tr("Per layer and PCA"));
    m_plotTabs->setTabText(1, tr("Difference heatmap"));
    m_scopeLabel->setText(tr("Show:"));
    for (int i = 0; i < m_scope->count(); ++i) {
        const QString d = m_scope->itemData(i).toString();
        if (d.isEmpty())
            m_scope->setItemText(
                i, m_data.pairs.empty()
                       ? tr("selected pair")
                       : tr("pair %1: %2")
                             .arg(m_selected + 1)
                             .arg(m_data.pairs[std::size_t(m_selected)].category.isEmpty()
                                      ? m_data.pairs[std::size_t(m_selected)].a.left(40)
                                      : m_data.pairs[std::size_t(m_selected)].category));
        else if (d == QLatin1String("*"))
            m_scope->setItemText(
                i, tr("all pairs (%1): mean and max across pairs").arg(m_data.pairs.size()));
        else
            m_scope->setItemText(i, tr("category “%1”").arg(d));
    }
    m_componentLabel->setText(tr("PCA of:"));
    m_layerLabel->setText(tr("at layer:"));
    if (m_data.pairs.empty()) {
        m_status->setText(m_runControl.running() ? tr("Comparing the pairs…") : QString());
        m_message->setText(
            !m_runControl.reason().isEmpty()
                ? m_runControl.reason()
                : tr("Type prompt pairs that differ in one attribute (or load a pair set) "
                     "and press Run to see where in the model the two prompts diverge."));
    } else {
        m_status->setText(tr("Pairs compared: %1, in %2 s")
                              .arg(m_data.pairs.size())
                              .arg(QLocale().toString(m_data.seconds, 'f', 2)));
    }
}

} // namespace anatomist::widgets
