#pragma once
// Shared look of the analysis plots: colour gradients (viridis for magnitudes, a blue–white–red
// diverging map for signed values), percentile clipping, locale-aware number text, token tick
// labels that thin out instead of overlapping, and the "nothing to show yet" placeholder.

#include <QString>
#include <QStringList>
#include <QVector>

class QCPAxis;
class QCPColorGradient;
class QCustomPlot;
class QLabel;
class QStackedWidget;
class QWidget;

namespace anatomist::widgets {

QCPColorGradient viridisGradient();
QCPColorGradient divergingGradient();

// The p-th percentile (0..100) of the values, linear interpolation between order statistics;
// 0 for an empty vector.
double percentile(QVector<double> values, double p);

// Colour range for a matrix: symmetric ±percentile(|v|) when the values have both signs (diverging
// = true), else [min, percentile(v)]. Never an empty range.
struct ColourRange {
    double lower = 0, upper = 1;
    bool diverging = false;
};
ColourRange clippedRange(const QVector<double>& values, double percentileClip);

// 4 significant digits in the current locale ("0,1234" in es/ca).
QString formatNumber(double value, int precision = 4);

// Text ticks at integer positions 0..labels.size()-1, at most maxLabels of them (every n-th).
void setTextTicks(QCPAxis* axis, const QStringList& labels, int maxLabels);

// A token as shown on an axis: SentencePiece's ▁ and GPT-2's Ġ as a visible space mark, newlines
// escaped, long tokens shortened.
QString displayToken(const QString& token);

// A plot with a centred message shown instead of empty axes until there is something to draw.
// Returns the stack; page 0 is the message label, page 1 the plot.
QStackedWidget* placeholderStack(QWidget* plotWidget, QLabel** message, QWidget* parent);

} // namespace anatomist::widgets
