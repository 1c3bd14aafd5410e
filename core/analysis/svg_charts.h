#pragma once
// Small self-contained SVG charts for reports (no scripts, no fonts or images fetched): a line
// chart over layers, a heatmap with its colour scale and a PCA scatter with arrows. Every number
// drawn is also in the report's tables; these only draw.

#include "analysis/activations.h"

#include <string>
#include <utility>
#include <vector>

namespace anatomist::core::svg {

std::string escapeXml(std::string_view text);
// A token as text: SentencePiece's ▁ and byte-level BPE's Ġ as spaces, leading spaces dropped
// (the token itself when nothing else is left).
std::string plainToken(std::string_view token);
std::string base64(std::string_view bytes);
std::string dataUri(const std::string& svg); // data:image/svg+xml;base64,...
std::string seriesColour(std::size_t index); // a fixed qualitative palette
std::string viridis(double t);               // t in [0, 1] → "#rrggbb"

struct Series {
    std::string name, colour;
    std::vector<double> values; // one per layer; NaN: no value (the line breaks)
    bool dashed = false;
};
// x = layer index 0..n-1; a legend under the plot; `mark` layers get a dotted vertical line.
std::string lineChart(const std::vector<Series>& series, const std::string& xLabel,
                      const std::string& yLabel, const std::vector<int>& mark = {}, int width = 760,
                      int height = 320);

// rows × columns (values[row][column] ≥ 0), viridis from 0 to the maximum, a colour bar on the
// right; each cell carries a <title> with its value (shown on hover where the SVG is inline).
std::string heatmap(const std::vector<std::string>& rowLabels,
                    const std::vector<std::string>& columnLabels,
                    const std::vector<std::vector<double>>& values, const std::string& xLabel,
                    const std::string& scaleLabel, int width = 760);

struct ScatterInput {
    FloatMatrix a, b; // [Ta, 2], [Tb, 2]
    std::vector<std::string> tokensA, tokensB;
    std::vector<int> differingA, differingB; // labelled in bold
    std::vector<std::pair<int, int>> arrows; // (row of a, row of b)
    std::vector<double> explained;           // two ratios
};
std::string pcaScatter(const ScatterInput& input, int width = 520, int height = 400);

} // namespace anatomist::core::svg
