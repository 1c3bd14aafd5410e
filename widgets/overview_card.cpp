#include "overview_card.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace anatomist::widgets {

OverviewCard::OverviewCard(QWidget* parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_card(new QLabel(this))
    , m_chart(new QCustomPlot(this)) {
    m_heading->setTextFormat(Qt::RichText);
    m_card->setTextFormat(Qt::RichText);
    m_card->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_card->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_chart->setMinimumHeight(150);
    m_chart->setBackground(palette().base());
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_card);
    layout->addWidget(m_chart, 1);
    retranslate();
}

void OverviewCard::setOverview(const ModelOverview& overview) {
    m_overview = overview;
    m_hasModel = true;
    retranslate();
}

void OverviewCard::clear() {
    m_overview = {};
    m_hasModel = false;
    retranslate();
}

void OverviewCard::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void OverviewCard::retranslate() {
    if (!m_hasModel) {
        m_heading->setText(tr("<b>No model loaded</b>"));
        m_card->setText(
            tr("Open a model folder with File ▸ Open folder… or drop it on the window."));
        fillChart();
        return;
    }
    const ModelOverview& o = m_overview;
    const QLocale locale;
    m_heading->setText(QStringLiteral("<b>%1</b> · %2")
                           .arg(o.family.toHtmlEscaped(), o.architecture.toHtmlEscaped()));
    auto row = [](const QString& key, const QString& value) {
        return QStringLiteral(
                   "<tr><td style='padding-right:10px;color:palette(mid)'>%1</td><td>%2</td></tr>")
            .arg(key, value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table>");
    html += row(tr("Layers"), locale.toString(o.layers));
    html += row(tr("Hidden size"), locale.toString(o.hiddenSize));
    html += row(tr("Heads / KV heads"), tr("%1 / %2 (GQA ×%3)")
                                            .arg(o.heads)
                                            .arg(o.kvHeads)
                                            .arg(o.kvHeads ? o.heads / o.kvHeads : 0));
    html += row(tr("Head dim"), locale.toString(o.headDim));
    html += row(tr("MLP"), tr("%1 (%2× hidden, %3)")
                               .arg(locale.toString(o.intermediateSize))
                               .arg(o.mlpExpansion, 0, 'f', 2)
                               .arg(o.activation));
    html += row(tr("Vocabulary"), locale.toString(o.vocabSize));
    html += row(tr("Context"), locale.toString(o.context));
    html += row(tr("Positions"), o.positions);
    if (o.slidingWindow > 0)
        html += row(
            tr("Sliding window"),
            tr("%1 on %2 of %3 layers").arg(o.slidingWindow).arg(o.slidingLayers).arg(o.layers));
    html += row(tr("Tied head"), o.tiedEmbeddings ? tr("yes") : tr("no"));
    html += row(tr("Tokenizer"), o.tokenizer.isEmpty() ? tr("none") : o.tokenizer);
    html += row(tr("Parameters"), QStringLiteral("%1 (%2)").arg(locale.toString(o.parameters),
                                                                humanCount(o.parameters)));
    html += row(tr("Memory"), tr("%1 in float32, %2 in bfloat16")
                                  .arg(humanBytes(double(o.parameters) * 4),
                                       humanBytes(double(o.parameters) * 2)));
    html += QStringLiteral("</table>");
    m_card->setText(html);
    fillChart();
}

void OverviewCard::fillChart() {
    m_chart->clearPlottables();
    m_chart->plotLayout()->clear();
    auto* rect = new QCPAxisRect(m_chart);
    m_chart->plotLayout()->addElement(0, 0, rect);
    m_chart->xAxis = rect->axis(QCPAxis::atBottom);
    m_chart->yAxis = rect->axis(QCPAxis::atLeft);
    auto* title = new QCPTextElement(m_chart, tr("Parameters by kind"),
                                     QFont(font().family(), 9, QFont::Bold));
    m_chart->plotLayout()->insertRow(0);
    m_chart->plotLayout()->addElement(0, 0, title);
    auto* bars = new QCPBars(m_chart->yAxis, m_chart->xAxis); // horizontal bars
    bars->setBrush(QColor(70, 130, 180));
    bars->setPen(Qt::NoPen);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    QVector<double> keys, values;
    for (int i = 0; i < m_overview.groups.size(); ++i) {
        keys << i;
        values << double(m_overview.groupParameters.value(i));
        const double pct =
            m_overview.parameters ? 100.0 * values.back() / double(m_overview.parameters) : 0;
        ticker->addTick(
            i, QStringLiteral("%1 %2 %").arg(groupLabel(m_overview.groups[i])).arg(pct, 0, 'f', 1));
    }
    bars->setData(keys, values);
    m_chart->yAxis->setTicker(ticker);
    m_chart->yAxis->grid()->setZeroLinePen(Qt::NoPen);
    m_chart->yAxis->setRange(-0.6, std::max<double>(0.6, keys.size() - 0.4));
    m_chart->yAxis->setRangeReversed(true);
    m_chart->xAxis->setLabel(tr("parameters"));
    m_chart->xAxis->setRange(
        0, values.isEmpty() ? 1 : *std::max_element(values.begin(), values.end()) * 1.05);
    m_chart->replot();
}

QString OverviewCard::groupLabel(core::ParamGroup group) const {
    switch (group) {
    case core::ParamGroup::Embedding:
        return tr("embedding");
    case core::ParamGroup::Positions:
        return tr("positions");
    case core::ParamGroup::Attention:
        return tr("attention");
    case core::ParamGroup::Mlp:
        return tr("MLP");
    case core::ParamGroup::Norm:
        return tr("norms");
    case core::ParamGroup::Head:
        return tr("head");
    }
    return {};
}

} // namespace anatomist::widgets
