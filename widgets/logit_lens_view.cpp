#include "logit_lens_view.h"

#include "plot_export.h"
#include "plot_style.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {
QString percent(double p) {
    return QLocale().toString(p * 100, 'f', p >= 0.1 ? 0 : 1) + QStringLiteral(" %");
}
} // namespace

LogitLensView::LogitLensView(QWidget* parent)
    : QWidget(parent)
    , m_promptLabel(new QLabel(this))
    , m_prompt(new QLineEdit(this))
    , m_kLabel(new QLabel(this))
    , m_k(new QSpinBox(this))
    , m_run(new QPushButton(this))
    , m_status(new QLabel(this))
    , m_grid(new QTableWidget(this))
    , m_plot(new QCustomPlot(this)) {
    setObjectName(QStringLiteral("logitLensView"));
    m_run->setObjectName(QStringLiteral("runLogitLens"));
    m_run->setIcon(QIcon(QStringLiteral(":/icons/run.svg")));
    m_prompt->setClearButtonEnabled(true);
    m_k->setRange(1, 20);
    m_k->setValue(5);
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_grid->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_plot->setBackground(palette().base());
    m_plot->setMinimumWidth(220);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_grid);
    splitter->addWidget(m_plot);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    m_stack = placeholderStack(splitter, &m_message, this);

    auto* top = new QHBoxLayout;
    top->addWidget(m_promptLabel);
    top->addWidget(m_prompt, 1);
    top->addWidget(m_kLabel);
    top->addWidget(m_k);
    top->addWidget(m_run);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_stack, 1);
    m_status->setWordWrap(true);

    m_runControl.attach({m_run});
    connect(m_run, &QPushButton::clicked, this, &LogitLensView::runRequested);
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] {
        if (m_run->isEnabled())
            emit runRequested();
    });
    connect(m_grid, &QTableWidget::currentCellChanged, this, [this](int row, int column) {
        if (row >= 0 && column >= 0)
            showDistribution(row, column);
    });
    addExportMenu(m_plot, QStringLiteral("logit-lens"), [this] { return tr("Logit lens"); });
    retranslate();
    fillGrid();
}

QString LogitLensView::prompt() const {
    return m_prompt->text();
}
void LogitLensView::setPrompt(const QString& prompt) {
    m_prompt->setText(prompt);
    m_prompt->setCursorPosition(0);
}
int LogitLensView::topK() const {
    return m_k->value();
}
void LogitLensView::setTopK(int k) {
    m_k->setValue(k);
}

void LogitLensView::setResults(const LogitLensData& data) {
    m_data = data;
    fillGrid();
    retranslate();
}

void LogitLensView::clearResults() {
    setResults({});
}

void LogitLensView::setRunning(bool running) {
    m_runControl.setRunning(running);
    retranslate();
}

void LogitLensView::setRunEnabled(bool enabled, const QString& reason) {
    m_runControl.setEnabled(enabled, reason);
    retranslate();
}

void LogitLensView::fillGrid() {
    m_grid->clear();
    const int layers = int(m_data.layers.size());
    const int positions = m_data.tokens.size();
    m_grid->setRowCount(layers);
    m_grid->setColumnCount(positions);
    m_stack->setCurrentIndex(layers ? 1 : 0);
    if (!layers) {
        m_plot->clearPlottables();
        m_plot->replot();
        return;
    }
    QStringList columns, rows;
    for (int t = 0; t < positions; ++t)
        columns << QStringLiteral("%1\n%2").arg(t).arg(displayToken(m_data.tokens[t]));
    for (int l = 0; l < layers; ++l)
        rows << (l == layers - 1 ? tr("%1 (output)").arg(l) : QString::number(l));
    // A few layers fill the height; many scroll at their natural row height.
    m_grid->verticalHeader()->setSectionResizeMode(layers <= 12 ? QHeaderView::Stretch
                                                                : QHeaderView::ResizeToContents);
    m_grid->setHorizontalHeaderLabels(columns);
    m_grid->setVerticalHeaderLabels(rows);
    for (int l = 0; l < layers; ++l)
        for (int t = 0; t < positions && t < int(m_data.layers[std::size_t(l)].size()); ++t) {
            const auto& cell = m_data.layers[std::size_t(l)][std::size_t(t)];
            if (cell.probs.isEmpty())
                continue;
            const double p = cell.probs.front();
            auto* item = new QTableWidgetItem(
                QStringLiteral("%1\n%2").arg(displayToken(cell.tokens.value(0)), percent(p)));
            item->setTextAlignment(Qt::AlignCenter);
            // White → blue by probability; the text turns white on dark cells.
            const QColor shade = QColor::fromRgbF(1 - 0.75 * p, 1 - 0.55 * p, 1 - 0.2 * p);
            item->setBackground(shade);
            item->setForeground(p > 0.6 ? Qt::white : Qt::black);
            QStringList tip;
            tip << tr("layer %1, after token %2 “%3”:").arg(l).arg(t).arg(m_data.tokens[t]);
            for (int i = 0; i < cell.tokens.size(); ++i)
                tip << QStringLiteral("%1. %2  %3")
                           .arg(i + 1)
                           .arg(cell.tokens[i], percent(cell.probs[i]));
            item->setToolTip(tip.join(QLatin1Char('\n')));
            m_grid->setItem(l, t, item);
        }
    m_grid->setCurrentCell(layers - 1, positions - 1);
    showDistribution(layers - 1, positions - 1);
}

void LogitLensView::showDistribution(int layer, int position) {
    m_cellLayer = layer;
    m_cellPosition = position;
    m_plot->clearPlottables();
    m_plot->clearItems();
    if (layer < 0 || layer >= int(m_data.layers.size()) || position < 0 ||
        position >= int(m_data.layers[std::size_t(layer)].size())) {
        m_plot->replot();
        return;
    }
    const auto& cell = m_data.layers[std::size_t(layer)][std::size_t(position)];
    auto* bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(QColor(52, 101, 164));
    QStringList labels;
    double top = 0;
    for (int i = 0; i < cell.probs.size(); ++i) {
        bars->addData(i, cell.probs[i]);
        labels << displayToken(cell.tokens.value(i));
        top = std::max(top, cell.probs[i]);
    }
    setTextTicks(m_plot->yAxis, labels, 30);
    m_plot->yAxis->setRange(-0.6, cell.probs.size() - 0.4);
    m_plot->yAxis->setRangeReversed(true);
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->xAxis->setRange(0, std::max(0.05, top * 1.15));
    m_plot->xAxis->ticker()->setTickCount(3);
    m_plot->xAxis->setLabel(tr("probability"));
    m_plot->yAxis->setLabel(QString());
    for (int i = 0; i < cell.probs.size(); ++i) {
        auto* text = new QCPItemText(m_plot);
        text->position->setCoords(cell.probs[i], i);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        text->setPadding(QMargins(3, 0, 0, 0));
        text->setText(percent(cell.probs[i]));
        text->setClipToAxisRect(false);
    }
    m_plot->replot();
    retranslate();
}

void LogitLensView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        fillGrid();
    }
    QWidget::changeEvent(event);
}

void LogitLensView::retranslate() {
    m_promptLabel->setText(tr("Prompt:"));
    m_prompt->setPlaceholderText(tr("Type a prompt, then press Run"));
    m_kLabel->setText(tr("Top k:"));
    m_run->setText(m_runControl.running() ? tr("Running…") : tr("Run"));
    m_run->setToolTip(
        m_runControl.reason().isEmpty()
            ? tr("Decode every layer's residual stream with the final norm and the unembedding")
            : m_runControl.reason());
    if (m_data.layers.empty()) {
        m_status->setText(m_runControl.running() ? tr("Running the model on the prompt…")
                                                 : QString());
        m_message->setText(
            !m_runControl.reason().isEmpty()
                ? m_runControl.reason()
                : tr("Type a prompt and press Run to see which next token each layer "
                     "would predict if it were the last one."));
    } else {
        QString text =
            tr("Rows: the residual stream after each layer, decoded by the final norm and "
               "the unembedding; columns: the prompt's tokens. Each cell is the most "
               "probable next token and its probability (hover for the top %1).")
                .arg(m_data.k);
        if (m_cellLayer >= 0 && m_cellPosition >= 0 && m_cellPosition < m_data.tokens.size())
            text += QLatin1Char(' ') + tr("Right: layer %1 after “%2”.")
                                           .arg(m_cellLayer)
                                           .arg(displayToken(m_data.tokens[m_cellPosition]));
        m_status->setText(text);
    }
}

} // namespace anatomist::widgets
