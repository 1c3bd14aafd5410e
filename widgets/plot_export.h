#pragma once
// Saving a QCustomPlot as PNG, SVG or PDF (chosen by the file's suffix), with a title band naming
// the figure and the model it is about, and a right-click "Export image…" for any plot.

#include <QString>
#include <functional>

class QCustomPlot;

namespace anatomist::widgets {

// What exported figures are about (the model's display name); the window sets it on every load.
void setFigureSubject(const QString& subject);
QString figureSubject();

// The name the user typed, with the suffix of the chosen filter ("… (*.svg)") when it has none,
// PNG when the filter says nothing.
QString withFilterSuffix(const QString& fileName, const QString& selectedFilter = QString());

// Returns false when the file could not be written. A non-empty title is drawn above the plot,
// followed by " — " and the figure subject when one is set.
bool exportPlot(QCustomPlot* plot, const QString& fileName, int width = 0, int height = 0,
                const QString& title = QString());

// Right-click menu on the plot: "Export image…" (PNG, SVG, PDF) named after baseName, titled by
// title() at the time of export.
void addExportMenu(QCustomPlot* plot, const QString& baseName, std::function<QString()> title);

} // namespace anatomist::widgets
