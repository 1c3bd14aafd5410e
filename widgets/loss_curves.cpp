#include "loss_curves.h"

#include "durable_save.h"
#include "plot_export.h"

#include <QCheckBox>
#include <QEvent>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {
const QList<QColor> kTermColours{QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                                 QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                 QColor(0xe3, 0x77, 0xc2)};
}

LossCurves::LossCurves(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_log(new QCheckBox(this))
    , m_redrawTimer(new QTimer(this)) {
    m_redrawTimer->setSingleShot(true);
    m_redrawTimer->setInterval(kRedrawIntervalMs);
    connect(m_redrawTimer, &QTimer::timeout, this, [this] {
        if (m_stale && isVisible())
            rebuildGraphs();
    });
    // Each curve as one polyline instead of a segment per point (much cheaper wide lines).
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->plotLayout()->clear();
    m_lossRect = new QCPAxisRect(m_plot);
    m_evalRect = new QCPAxisRect(m_plot);
    // The legend is a row above the plots, filled across: inside the plot it hid the curves of
    // narrow windows.
    m_plot->legend = new QCPLegend;
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(3);
    m_plot->legend->setBorderPen(Qt::NoPen);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9);
    m_plot->legend->setFont(legendFont);
    m_plot->legend->setIconSize(18, 10);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->addElement(1, 0, m_lossRect);
    m_plot->plotLayout()->addElement(2, 0, m_evalRect);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->plotLayout()->setRowStretchFactor(1, 3);
    m_plot->plotLayout()->setRowStretchFactor(2, 2);
    m_plot->legend->setLayer(QStringLiteral("legend"));
    m_plot->legend->setVisible(true);
    // Both plots share the step axis: align their left and right edges.
    auto* margins = new QCPMarginGroup(m_plot);
    for (QCPAxisRect* rect : {m_lossRect, m_evalRect})
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_lossRect->axis(QCPAxis::atRight)->setVisible(true);
    m_evalRect->axis(QCPAxis::atRight)->setVisible(true);
    m_evalRect->axis(QCPAxis::atRight)->setTickLabels(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setBackground(palette().base());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_log);
    layout->addWidget(m_plot, 1);
    connect(m_log, &QCheckBox::toggled, this, &LossCurves::setLogScale);
    retranslate();
}

void LossCurves::clear() {
    m_steps.clear();
    m_loss.clear();
    m_lr.clear();
    m_evalSteps.clear();
    m_evalPerplexity.clear();
    m_terms.clear();
    m_teacher = std::nan("");
    rebuildGraphs();
}

void LossCurves::addEvents(const QList<QJsonObject>& events) {
    for (const QJsonObject& e : events) {
        const QString type = e.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("train_step")) {
            m_steps << e.value(QStringLiteral("step")).toDouble();
            m_loss << e.value(QStringLiteral("loss")).toDouble(std::nan(""));
            m_lr << e.value(QStringLiteral("lr")).toDouble(std::nan(""));
            const QJsonObject terms = e.value(QStringLiteral("terms")).toObject();
            for (auto it = terms.begin(); it != terms.end(); ++it)
                if (!m_terms.contains(it.key()))
                    m_terms.insert(it.key(), QVector<double>(m_steps.size() - 1, std::nan("")));
            for (auto it = m_terms.begin(); it != m_terms.end(); ++it)
                it.value() << terms.value(it.key()).toDouble(std::nan(""));
        } else if (type == QLatin1String("train_eval")) {
            m_evalSteps << e.value(QStringLiteral("step")).toDouble();
            m_evalPerplexity << e.value(QStringLiteral("perplexity")).toDouble(std::nan(""));
        } else if (type == QLatin1String("train_reference")) {
            m_teacher = e.value(QStringLiteral("teacher_perplexity")).toDouble(std::nan(""));
            // The student before its first step: where the perplexity curve starts.
            if (e.contains(QStringLiteral("student_perplexity"))) {
                m_evalSteps << 0;
                m_evalPerplexity
                    << e.value(QStringLiteral("student_perplexity")).toDouble(std::nan(""));
            }
        }
    }
    scheduleRedraw();
}

void LossCurves::scheduleRedraw() {
    m_stale = true;
    if (!m_redrawTimer->isActive())
        m_redrawTimer->start();
}

void LossCurves::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_stale)
        scheduleRedraw();
}

void LossCurves::rebuildGraphs() const {
    m_redrawTimer->stop();
    m_stale = false;
    ++m_redraws;
    m_plot->clearGraphs();
    auto add = [&](QCPAxisRect* rect, QCPAxis* valueAxis, const QVector<double>& x,
                   const QVector<double>& y, const QString& name, const QColor& colour) {
        QCPGraph* g = m_plot->addGraph(rect->axis(QCPAxis::atBottom), valueAxis);
        g->setData(x, y, true);
        g->setName(name);
        g->setPen(QPen(colour, 1.5));
        return g;
    };
    QCPAxis* left = m_lossRect->axis(QCPAxis::atLeft);
    add(m_lossRect, left, m_steps, m_loss, tr("total loss"), QColor(0x1f, 0x77, 0xb4));
    int i = 0;
    for (auto it = m_terms.cbegin(); it != m_terms.cend(); ++it, ++i)
        add(m_lossRect, left, m_steps, it.value(), it.key(), kTermColours[i % kTermColours.size()]);
    QCPGraph* lr = add(m_lossRect, m_lossRect->axis(QCPAxis::atRight), m_steps, m_lr,
                       tr("learning rate"), QColor(0xff, 0x7f, 0x0e));
    lr->setPen(QPen(QColor(0xff, 0x7f, 0x0e), 1, Qt::DashLine));
    QCPAxis* evalAxis = m_evalRect->axis(QCPAxis::atLeft);
    QCPGraph* ppl = add(m_evalRect, evalAxis, m_evalSteps, m_evalPerplexity,
                        tr("held-out perplexity"), QColor(0x1f, 0x77, 0xb4));
    ppl->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    if (!std::isnan(m_teacher) && !m_steps.isEmpty()) {
        const double from = m_evalSteps.isEmpty() ? m_steps.front()
                                                  : std::min(m_steps.front(), m_evalSteps.front());
        QCPGraph* teacher = add(m_evalRect, evalAxis, {from, m_steps.back()},
                                {m_teacher, m_teacher}, tr("teacher"), Qt::gray);
        teacher->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    }
    for (QCPAxisRect* rect : {m_lossRect, m_evalRect}) {
        for (QCPAxis* axis : rect->axes())
            axis->rescale(true);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossCurves::setLogScale(bool log) {
    if (m_log->isChecked() != log)
        m_log->setChecked(log);
    for (QCPAxis* axis : {m_lossRect->axis(QCPAxis::atLeft), m_evalRect->axis(QCPAxis::atLeft)}) {
        axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (log)
            axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        else
            axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    rebuildGraphs();
}

bool LossCurves::exportPlot(const QString& file) const {
    if (m_stale)
        rebuildGraphs();
    return widgets::exportPlot(m_plot, file, 0, 0, tr("Training curves"));
}

bool LossCurves::exportCsv(const QString& file) const {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    QTextStream s(&out);
    const QLocale c = QLocale::c();
    auto num = [&](double v) { return std::isnan(v) ? QString() : c.toString(v, 'g', 10); };
    s << "step,loss,lr";
    for (const QString& t : m_terms.keys())
        s << ',' << t;
    s << ",perplexity\n";
    for (int i = 0; i < m_steps.size(); ++i) {
        s << num(m_steps[i]) << ',' << num(m_loss[i]) << ',' << num(m_lr[i]);
        for (const auto& values : m_terms)
            s << ',' << num(values.value(i, std::nan("")));
        const qsizetype e = m_evalSteps.indexOf(m_steps[i]);
        s << ',' << (e >= 0 ? num(m_evalPerplexity[e]) : QString()) << '\n';
    }
    s.flush();
    return s.status() == QTextStream::Ok && commitDurably(out);
}

void LossCurves::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LossCurves::retranslate() {
    m_log->setText(tr("Logarithmic loss and perplexity axes"));
    m_lossRect->axis(QCPAxis::atBottom)->setLabel(tr("step"));
    m_lossRect->axis(QCPAxis::atLeft)->setLabel(tr("loss"));
    m_lossRect->axis(QCPAxis::atRight)->setLabel(tr("learning rate"));
    m_evalRect->axis(QCPAxis::atBottom)->setLabel(tr("step"));
    m_evalRect->axis(QCPAxis::atLeft)->setLabel(tr("perplexity"));
    rebuildGraphs();
}

} // namespace anatomist::widgets
