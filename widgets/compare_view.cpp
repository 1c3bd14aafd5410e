#include "compare_view.h"

#include "durable_save.h"
#include "plot_export.h"
#include "plot_style.h"

#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QTextStream>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {

const QColor kColorA(52, 101, 164);
const QColor kColorB(230, 126, 34);

bool measured(double v) {
    return !std::isnan(v);
}

QString csvField(QString s) {
    return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
           QLatin1Char('"');
}

} // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent)
    , m_pickA(new QComboBox(this))
    , m_pickB(new QComboBox(this))
    , m_versus(new QLabel(this))
    , m_measure(new QPushButton(this))
    , m_cancel(new QPushButton(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_table(new QTableWidget(RowCount, 3, this))
    , m_plot(new QCustomPlot(this))
    , m_exportPlot(new QPushButton(this))
    , m_exportData(new QPushButton(this))
    , m_changesHeading(new QLabel(this))
    , m_changes(new QTreeWidget(this)) {
    m_pickA->setObjectName(QStringLiteral("compareA"));
    m_pickB->setObjectName(QStringLiteral("compareB"));
    m_measure->setObjectName(QStringLiteral("measureComparison"));
    m_measure->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    m_cancel->setObjectName(QStringLiteral("cancelComparison"));
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_progress->setMaximumWidth(160);
    m_status->setWordWrap(true);
    m_exportPlot->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    m_exportData->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));

    auto* top = new QHBoxLayout;
    top->addWidget(m_pickA, 1);
    top->addWidget(m_versus);
    top->addWidget(m_pickB, 1);
    top->addWidget(m_measure);
    top->addWidget(m_cancel);
    top->addWidget(m_progress);

    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);
    // As tall as its rows, so that the parts list below gets the rest.
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_plot->setBackground(palette().base());
    m_plot->setMinimumHeight(200);
    m_plot->setMinimumWidth(280);
    auto* plotButtons = new QHBoxLayout;
    plotButtons->addStretch(1);
    plotButtons->addWidget(m_exportPlot);
    plotButtons->addWidget(m_exportData);
    auto* plotBox = new QWidget(this);
    auto* plotLayout = new QVBoxLayout(plotBox);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->addWidget(m_plot, 1);
    plotLayout->addLayout(plotButtons);

    m_changes->setObjectName(QStringLiteral("compareChanges"));
    m_changes->setColumnCount(3);
    m_changes->setRootIsDecorated(true);
    m_changes->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Numbers, then what was removed, on the left; the curves on the right.
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table);
    leftLayout->addWidget(m_status);
    leftLayout->addWidget(m_changesHeading);
    leftLayout->addWidget(m_changes, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(plotBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_pickA, &QComboBox::currentIndexChanged, this, &CompareView::emitSelection);
    connect(m_pickB, &QComboBox::currentIndexChanged, this, &CompareView::emitSelection);
    connect(m_measure, &QPushButton::clicked, this, &CompareView::measureRequested);
    connect(m_cancel, &QPushButton::clicked, this, &CompareView::cancelRequested);
    widgets::addExportMenu(m_plot, QStringLiteral("comparison"), [this] { return plotTitle(); });
    connect(m_exportPlot, &QPushButton::clicked, this, [this] {
        QString filter;
        const QString file = widgets::withFilterSuffix(
            QFileDialog::getSaveFileName(
                this, tr("Export plot"), QStringLiteral("comparison.png"),
                tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"), &filter),
            filter);
        if (!file.isEmpty() && !exportPlot(file))
            QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(file));
    });
    connect(m_exportData, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Export data"), QStringLiteral("comparison.csv"), tr("CSV table (*.csv)"));
        if (!file.isEmpty() && !exportData(file))
            QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(file));
    });
    retranslate();
}

void CompareView::setChoices(const QStringList& names) {
    const QString a = currentA(), b = currentB();
    m_updating = true;
    for (QComboBox* box : {m_pickA, m_pickB}) {
        box->clear();
        box->addItems(names);
    }
    m_updating = false;
    select(names.contains(a) ? a : names.value(0),
           names.contains(b) ? b : names.value(names.size() > 1 ? names.size() - 1 : 0));
}

void CompareView::select(const QString& a, const QString& b) {
    m_updating = true;
    m_pickA->setCurrentIndex(m_pickA->findText(a));
    m_pickB->setCurrentIndex(m_pickB->findText(b));
    m_updating = false;
    emitSelection();
}

QString CompareView::currentA() const {
    return m_pickA->currentText();
}
QString CompareView::currentB() const {
    return m_pickB->currentText();
}

void CompareView::emitSelection() {
    if (!m_updating)
        emit selectionChanged(currentA(), currentB());
}

void CompareView::setColumns(const CompareColumn& a, const CompareColumn& b) {
    m_a = a;
    m_b = b;
    rebuildTable();
    rebuildPlot();
}

void CompareView::setChanges(const QString& variant, const QVector<LayerChange>& changes) {
    m_changedName = variant;
    m_changeList = changes;
    rebuildChanges();
}

void CompareView::setMeasuring(bool measuring) {
    m_measure->setEnabled(!measuring);
    m_cancel->setEnabled(measuring);
    m_progress->setVisible(measuring);
    m_progress->setValue(0);
    m_pickA->setEnabled(!measuring);
    m_pickB->setEnabled(!measuring);
}

void CompareView::setProgress(double fraction, const QString& stage) {
    m_progress->setValue(int(std::lround(1000 * std::clamp(fraction, 0.0, 1.0))));
    m_progress->setFormat(stage.isEmpty() ? QStringLiteral("%p %")
                                          : stage + QStringLiteral(" %p %"));
}

void CompareView::setStatus(const QString& text) {
    m_status->setText(text);
}

void CompareView::rebuildTable() {
    const QLocale locale;
    auto item = [](const QString& text, QVariant value = {}) {
        auto* it = new QTableWidgetItem(text);
        it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        it->setData(Qt::UserRole, value);
        return it;
    };
    auto number = [&](double v, int decimals) {
        return measured(v) ? locale.toString(v, 'f', decimals) : tr("not measured");
    };
    auto percent = [&](double a, double b) {
        return a != 0 ? QStringLiteral(" (%1 %)").arg(locale.toString(100.0 * (b - a) / a, 'f', 1))
                      : QString();
    };
    auto signedText = [&](double d, int decimals) {
        return (d > 0 ? QStringLiteral("+") : QString()) + locale.toString(d, 'f', decimals);
    };
    // Columns: A, B, delta (B − A).
    m_table->setHorizontalHeaderLabels(
        {tr("A: %1").arg(m_a.name), tr("B: %1").arg(m_b.name), tr("Δ (B − A)")});
    const qint64 dParams = m_b.parameters - m_a.parameters;
    m_table->setItem(Parameters, 0, item(locale.toString(m_a.parameters), m_a.parameters));
    m_table->setItem(Parameters, 1, item(locale.toString(m_b.parameters), m_b.parameters));
    m_table->setItem(Parameters, 2,
                     item((dParams > 0 ? QStringLiteral("+") : QString()) +
                              locale.toString(dParams) +
                              percent(double(m_a.parameters), double(m_b.parameters)),
                          dParams));
    auto bytes = [&](double b) {
        return locale.formattedDataSize(qint64(b), 1, QLocale::DataSizeIecFormat);
    };
    m_table->setItem(Memory, 0, item(bytes(m_a.bytes), m_a.bytes));
    m_table->setItem(Memory, 1, item(bytes(m_b.bytes), m_b.bytes));
    m_table->setItem(Memory, 2,
                     item((m_b.bytes < m_a.bytes ? locale.negativeSign() : QStringLiteral("+")) +
                              bytes(std::abs(m_b.bytes - m_a.bytes)) +
                              percent(m_a.bytes, m_b.bytes),
                          m_b.bytes - m_a.bytes));
    m_table->setItem(Layers, 0, item(locale.toString(m_a.layers), m_a.layers));
    m_table->setItem(Layers, 1, item(locale.toString(m_b.layers), m_b.layers));
    m_table->setItem(Layers, 2,
                     item(signedText(m_b.layers - m_a.layers, 0), m_b.layers - m_a.layers));
    m_table->setItem(Widths, 0, item(m_a.widths));
    m_table->setItem(Widths, 1, item(m_b.widths));
    m_table->setItem(Widths, 2, item(m_a.widths == m_b.widths ? tr("same") : tr("differ")));
    for (int c = 0; c < 3; ++c)
        m_table->item(Widths, c)->setToolTip(c == 0 ? m_a.widths : c == 1 ? m_b.widths : QString());
    m_table->setItem(Perplexity, 0, item(number(m_a.perplexity, 3), m_a.perplexity));
    m_table->setItem(Perplexity, 1, item(number(m_b.perplexity, 3), m_b.perplexity));
    const bool ppl = measured(m_a.perplexity) && measured(m_b.perplexity);
    m_table->setItem(Perplexity, 2,
                     item(ppl ? signedText(m_b.perplexity - m_a.perplexity, 3) +
                                    percent(m_a.perplexity, m_b.perplexity)
                              : QString()));
    // Speeds: the ratio B / A is what transfers between machines.
    auto speedRow = [&](int row, double a, double b) {
        m_table->setItem(row, 0, item(number(a, 0), a));
        m_table->setItem(row, 1, item(number(b, 0), b));
        const bool both = measured(a) && measured(b) && a > 0;
        m_table->setItem(
            row, 2,
            item(both ? QStringLiteral("× %1").arg(locale.toString(b / a, 'f', 2)) : QString(),
                 both ? QVariant(b / a) : QVariant()));
    };
    speedRow(Prefill, m_a.prefillTokensPerSecond, m_b.prefillTokensPerSecond);
    speedRow(Decode, m_a.decodeTokensPerSecond, m_b.decodeTokensPerSecond);
    m_table->resizeColumnsToContents();
    // Never cut a number: the table is as wide as its columns.
    int width = m_table->verticalHeader()->sizeHint().width() + 2 * m_table->frameWidth();
    for (int c = 0; c < m_table->columnCount(); ++c)
        width += m_table->columnWidth(c);
    m_table->setMinimumWidth(width);
    m_table->resizeRowsToContents();
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int r = 0; r < m_table->rowCount(); ++r)
        height += m_table->rowHeight(r);
    m_table->setFixedHeight(height);
}

void CompareView::rebuildPlot() {
    m_plot->clearGraphs();
    m_plot->clearItems();
    QCPAxisRect* rect = m_plot->axisRect();
    // The legend sits below the axes so that it never covers a curve.
    if (m_plot->plotLayout()->rowCount() < 2) {
        auto* legend = new QCPLegend;
        m_plot->plotLayout()->addElement(1, 0, legend);
        m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
        legend->setLayer(QStringLiteral("legend"));
        legend->setBorderPen(Qt::NoPen);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        m_plot->legend = legend;
    }
    int rows = 0;
    double low = 1.0;
    const CompareColumn* columns[] = {&m_a, &m_b};
    const QColor colors[] = {kColorA, kColorB};
    for (int i = 0; i < 2; ++i) {
        const auto& c = *columns[i];
        if (c.blockByBaseLayer.isEmpty())
            continue;
        QCPGraph* g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        g->setName(i == 0 ? tr("A: %1").arg(c.name) : tr("B: %1").arg(c.name));
        QPen pen(colors[i], 2);
        if (i == 1)
            pen.setStyle(Qt::DashLine);
        g->setPen(pen);
        g->setScatterStyle(
            QCPScatterStyle(i == 0 ? QCPScatterStyle::ssCircle : QCPScatterStyle::ssDiamond, 8));
        // NaN (a removed layer) leaves a gap in the line.
        for (int l = 0; l < c.blockByBaseLayer.size(); ++l) {
            g->addData(l, c.blockByBaseLayer[l]);
            if (measured(c.blockByBaseLayer[l]))
                low = std::min(low, c.blockByBaseLayer[l]);
        }
        rows = std::max(rows, int(c.blockByBaseLayer.size()));
    }
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    x->setLabel(tr("base layer"));
    y->setLabel(tr("block cosine cos(x_in, x_out)"));
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    x->setTicker(ticker);
    x->setRange(-0.5, std::max(rows, 1) - 0.5);
    y->setRange(std::max(-1.0, std::floor(low * 10 - 0.5) / 10), 1.02);
    m_plot->legend->setVisible(m_plot->graphCount() > 0);
    if (m_plot->graphCount() == 0) {
        auto* text = new QCPItemText(m_plot);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setText(tr("Similarity curves appear after Measure."));
        text->setColor(palette().color(QPalette::Disabled, QPalette::Text));
    }
    m_exportPlot->setEnabled(m_plot->graphCount() > 0);
    m_plot->replot();
}

void CompareView::rebuildChanges() {
    m_changes->clear();
    const QLocale locale;
    const QBrush grey = palette().brush(QPalette::Disabled, QPalette::Text);
    auto width = [&](qint64 base, qint64 now) {
        return base == now
                   ? locale.toString(now)
                   : QStringLiteral("%1 → %2").arg(locale.toString(base), locale.toString(now));
    };
    for (const auto& c : m_changeList) {
        auto* layer = new QTreeWidgetItem(m_changes);
        layer->setText(0, tr("layer %1").arg(c.baseIndex));
        auto* attention = new QTreeWidgetItem(layer);
        attention->setText(0, QStringLiteral("self_attn"));
        auto* mlp = new QTreeWidgetItem(layer);
        mlp->setText(0, QStringLiteral("mlp"));
        if (c.removed) {
            layer->setText(1, tr("removed"));
            for (auto* it : {layer, attention, mlp})
                for (int col = 0; col < 3; ++col)
                    it->setForeground(col, grey);
            attention->setText(1, tr("removed"));
            mlp->setText(1, tr("removed"));
            QFont f = layer->font(0);
            f.setStrikeOut(true);
            for (auto* it : {layer, attention, mlp})
                it->setFont(0, f);
            continue;
        }
        const bool narrower = c.width != c.baseWidth, fewerHeads = c.heads != c.baseHeads;
        layer->setText(1,
                       c.attentionBypassed || narrower || fewerHeads ? tr("changed") : tr("kept"));
        attention->setText(1, c.attentionBypassed ? tr("bypassed")
                              : fewerHeads        ? tr("fewer heads")
                                                  : tr("kept"));
        attention->setText(2, tr("%1 heads").arg(width(c.baseHeads, c.heads)));
        if (c.attentionBypassed)
            for (int col = 0; col < 3; ++col)
                attention->setForeground(col, grey);
        mlp->setText(1, narrower ? tr("narrower") : tr("kept"));
        mlp->setText(2, tr("%1 neurons").arg(width(c.baseWidth, c.width)));
    }
    m_changes->expandAll();
    m_changesHeading->setText(
        m_changedName.isEmpty()
            ? tr("Removed parts: pick a variant to see what it removed from the base.")
            : tr("What “%1” keeps of the base (removed parts greyed out)").arg(m_changedName));
}

QString CompareView::plotTitle() const {
    return tr("Block similarity by base layer: %1 and %2").arg(m_a.name, m_b.name);
}

bool CompareView::exportPlot(const QString& fileName) const {
    if (QFileInfo(fileName).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0)
        return exportData(fileName);
    return widgets::exportPlot(m_plot, fileName, std::max(m_plot->width(), 900),
                               std::max(m_plot->height(), 600), plotTitle());
}

bool CompareView::exportData(const QString& fileName) const {
    QSaveFile file(fileName); // atomic: a failed or interrupted export leaves the old file
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QTextStream out(&file);
    out << "metric," << csvField(m_a.name) << ',' << csvField(m_b.name) << ",delta\n";
    const char* keys[RowCount] = {"parameters",
                                  "memory_bytes",
                                  "layers",
                                  "mlp_widths",
                                  "perplexity",
                                  "prefill_tokens_per_second",
                                  "decode_tokens_per_second"};
    for (int r = 0; r < RowCount; ++r) {
        out << keys[r];
        for (int c = 0; c < 3; ++c) {
            const auto* it = m_table->item(r, c);
            const QVariant v = it ? it->data(Qt::UserRole) : QVariant();
            out << ','
                << (v.isValid() ? QString::number(v.toDouble(), 'g', 12)
                                : csvField(it ? it->text() : QString()));
        }
        out << '\n';
    }
    out << "\nbase_layer,block_cos_a,block_cos_b\n";
    const int rows = int(std::max(m_a.blockByBaseLayer.size(), m_b.blockByBaseLayer.size()));
    auto cell = [](const QVector<double>& v, int l) {
        return l < v.size() && measured(v[l]) ? QString::number(v[l], 'g', 10) : QString();
    };
    for (int l = 0; l < rows; ++l)
        out << l << ',' << cell(m_a.blockByBaseLayer, l) << ',' << cell(m_b.blockByBaseLayer, l)
            << '\n';
    out.flush();
    return out.status() == QTextStream::Ok && commitDurably(file);
}

void CompareView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void CompareView::retranslate() {
    m_versus->setText(tr("versus"));
    m_pickA->setToolTip(tr("Model A (the reference of the delta column)"));
    m_pickB->setToolTip(tr("Model B"));
    m_measure->setText(tr("Measure"));
    m_measure->setToolTip(
        tr("Perplexity on the built-in sample, prefill and decode speed, and layer similarity "
           "of both models, in the background"));
    m_cancel->setText(tr("Cancel"));
    m_exportPlot->setText(tr("Export plot…"));
    m_exportData->setText(tr("Export data…"));
    m_table->setVerticalHeaderLabels({tr("Parameters"), tr("Memory"), tr("Decoder layers"),
                                      tr("MLP widths"), tr("Perplexity (sample)"),
                                      tr("Prefill tokens/s"), tr("Decode tokens/s")});
    m_changes->setHeaderLabels({tr("Part"), tr("Status"), tr("Size")});
    rebuildTable();
    rebuildPlot();
    rebuildChanges();
}

} // namespace anatomist::widgets
