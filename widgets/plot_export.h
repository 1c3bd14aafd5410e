#pragma once
// Saving a QCustomPlot as PNG, SVG or PDF (chosen by the file's suffix).

#include <QString>

class QCustomPlot;

namespace anatomist::widgets {

// Returns false when the file could not be written.
bool exportPlot(QCustomPlot* plot, const QString& fileName, int width = 0, int height = 0);

} // namespace anatomist::widgets
