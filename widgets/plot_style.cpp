#include "plot_style.h"

#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace anatomist::widgets {

QCPColorGradient viridisGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    g.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    g.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    g.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    g.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    return g;
}

QCPColorGradient divergingGradient() {
    QCPColorGradient g; // ColorBrewer RdBu, blue = negative
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(0x05, 0x30, 0x61));
    g.setColorStopAt(0.25, QColor(0x43, 0x93, 0xc3));
    g.setColorStopAt(0.5, QColor(0xf7, 0xf7, 0xf7));
    g.setColorStopAt(0.75, QColor(0xd6, 0x60, 0x4d));
    g.setColorStopAt(1.0, QColor(0x67, 0x00, 0x1f));
    return g;
}

double percentile(QVector<double> values, double p) {
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * double(values.size() - 1);
    const auto lo = qsizetype(std::floor(pos));
    const auto hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (pos - double(lo));
}

ColourRange clippedRange(const QVector<double>& values, double clip) {
    ColourRange r;
    if (values.isEmpty())
        return r;
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    r.diverging = *mn < 0 && *mx > 0;
    if (r.diverging) {
        QVector<double> magnitudes(values.size());
        std::transform(values.begin(), values.end(), magnitudes.begin(),
                       [](double v) { return std::abs(v); });
        const double m = percentile(magnitudes, clip);
        r.lower = -m;
        r.upper = m;
    } else {
        r.lower = *mn;
        r.upper = percentile(values, clip);
    }
    if (!(r.upper > r.lower)) { // constant matrix: any non-empty range around it
        r.lower -= 0.5;
        r.upper = r.lower + 1;
    }
    return r;
}

QString formatNumber(double value, int precision) {
    // Large sums (L1 over thousands of elements) read better as grouped integers than as 1.2E+05.
    if (std::abs(value) >= 1e4 && std::abs(value) < 1e12)
        return QLocale().toString(value, 'f', 0);
    return QLocale().toString(value, 'g', precision);
}

void setTextTicks(QCPAxis* axis, const QStringList& labels, int maxLabels) {
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int step =
        std::max(1, int(std::ceil(double(labels.size()) / double(std::max(1, maxLabels)))));
    for (int i = 0; i < labels.size(); i += step)
        ticker->addTick(i, labels[i]);
    axis->setTicker(ticker);
}

QString displayToken(const QString& token) {
    QString t = token;
    t.replace(QChar(0x2581), QChar(0x2423)).replace(QChar(0x0120), QChar(0x2423)); // ▁, Ġ → ␣
    t.replace(QLatin1Char('\n'), QStringLiteral("\\n"))
        .replace(QChar(0x010A), QStringLiteral("\\n"));
    if (t.size() > 16)
        t = t.left(15) + QChar(0x2026);
    return t;
}

QStackedWidget* placeholderStack(QWidget* plotWidget, QLabel** message, QWidget* parent) {
    auto* stack = new QStackedWidget(parent);
    auto* label = new QLabel(stack);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setMargin(24);
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    label->setPalette(pal);
    stack->addWidget(label);
    stack->addWidget(plotWidget);
    *message = label;
    return stack;
}

} // namespace anatomist::widgets
