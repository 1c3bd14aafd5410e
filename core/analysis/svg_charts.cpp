#include "analysis/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace anatomist::core::svg {

namespace {

std::string px(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string tick(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", std::abs(v) < 1e-12 ? 0.0 : v);
    return buf;
}

// About five round steps covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
    if (!(hi > lo))
        return {lo};
    const double raw = (hi - lo) / 5.0;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    std::vector<double> out;
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
        out.push_back(v);
    return out;
}

std::string header(int width, int height) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
           "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) +
           " " + std::to_string(height) +
           "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">"
           "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>";
}

std::string text(double x, double y, std::string_view s, const char* anchor = "middle",
                 const std::string& extra = {}) {
    return "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\" text-anchor=\"" + anchor + "\"" + extra +
           ">" + escapeXml(s) + "</text>";
}

// Layer axis labels: every layer when they fit, else about twelve.
int layerStep(std::size_t n) {
    return n <= 16 ? 1 : int(std::ceil(double(n) / 12.0));
}

} // namespace

std::string plainToken(std::string_view t) {
    std::string s;
    for (std::size_t i = 0; i < t.size();) {
        if (t.substr(i, 3) == "\xE2\x96\x81") {
            s += ' ';
            i += 3;
        } else if (t.substr(i, 2) == "\xC4\xA0") {
            s += ' ';
            i += 2;
        } else {
            s += t[i++];
        }
    }
    const auto first = s.find_first_not_of(' ');
    return first == std::string::npos ? std::string(t) : s.substr(first);
}

std::string escapeXml(std::string_view in) {
    std::string out;
    for (char c : in)
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    return out;
}

std::string base64(std::string_view bytes) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 |
                           (unsigned char)bytes[i + 2];
        out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16;
        out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
    }
    return out;
}

std::string dataUri(const std::string& svg) {
    return "data:image/svg+xml;base64," + base64(svg);
}

std::string seriesColour(std::size_t i) {
    static const char* k[] = {"#3465a4", "#e67e22", "#2e8b57", "#8e44ad",
                              "#c0392b", "#7f8c8d", "#16a085", "#d4a017"};
    return k[i % 8];
}

std::string viridis(double t) {
    static const double stops[][3] = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 4.0;
    const int i = std::min(3, int(t));
    const double f = t - i;
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x",
                  int(std::lround(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]))),
                  int(std::lround(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]))),
                  int(std::lround(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]))));
    return buf;
}

std::string lineChart(const std::vector<Series>& series, const std::string& xLabel,
                      const std::string& yLabel, const std::vector<int>& mark, int width,
                      int height) {
    const int legendRows = int((series.size() + 3) / 4);
    const double left = 70, right = 20, top = 16, bottom = 52 + 20.0 * legendRows;
    const double pw = width - left - right, ph = height - top - bottom;
    std::size_t n = 1;
    double hi = 0, lo = 0;
    for (const auto& s : series) {
        n = std::max(n, s.values.size());
        for (double v : s.values)
            if (std::isfinite(v)) {
                hi = std::max(hi, v);
                lo = std::min(lo, v);
            }
    }
    if (hi <= lo)
        hi = lo + 1;
    hi += (hi - lo) * 0.05;
    const auto X = [&](double l) { return left + (n == 1 ? pw / 2 : pw * l / double(n - 1)); };
    const auto Y = [&](double v) { return top + ph * (1 - (v - lo) / (hi - lo)); };
    std::ostringstream o;
    o << header(width, height);
    for (double t : ticks(lo, hi)) {
        o << "<line x1=\"" << px(left) << "\" x2=\"" << px(left + pw) << "\" y1=\"" << px(Y(t))
          << "\" y2=\"" << px(Y(t)) << "\" stroke=\"#e3e3e3\"/>";
        o << text(left - 6, Y(t) + 4, tick(t), "end");
    }
    for (std::size_t l = 0; l < n; l += std::size_t(layerStep(n)))
        o << text(X(double(l)), top + ph + 16, std::to_string(l));
    for (int l : mark)
        o << "<line x1=\"" << px(X(l)) << "\" x2=\"" << px(X(l)) << "\" y1=\"" << px(top)
          << "\" y2=\"" << px(top + ph) << "\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>";
    o << "<rect x=\"" << px(left) << "\" y=\"" << px(top) << "\" width=\"" << px(pw)
      << "\" height=\"" << px(ph) << "\" fill=\"none\" stroke=\"#888\"/>";
    o << text(left + pw / 2, top + ph + 34, xLabel);
    o << text(16, top + ph / 2, yLabel, "middle",
              " transform=\"rotate(-90 16 " + px(top + ph / 2) + ")\"");
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        // A value that is not finite (a layer a variant removed) breaks the line.
        for (std::size_t l = 0; l < s.values.size();) {
            std::string points;
            for (; l < s.values.size() && std::isfinite(s.values[l]); ++l)
                points += px(X(double(l))) + "," + px(Y(s.values[l])) + " ";
            if (!points.empty())
                o << "<polyline fill=\"none\" stroke=\"" << s.colour << "\" stroke-width=\"2\""
                  << (s.dashed ? " stroke-dasharray=\"6,4\"" : "") << " points=\"" << points
                  << "\"/>";
            while (l < s.values.size() && !std::isfinite(s.values[l]))
                ++l;
        }
        if (s.values.size() <= 40)
            for (std::size_t l = 0; l < s.values.size(); ++l)
                if (std::isfinite(s.values[l]))
                    o << "<circle cx=\"" << px(X(double(l))) << "\" cy=\"" << px(Y(s.values[l]))
                      << "\" r=\"2.5\" fill=\"" << s.colour << "\"><title>" << escapeXml(s.name)
                      << ", layer " << l << ": " << tick(s.values[l]) << "</title></circle>";
        const double lx = left + double(i % 4) * (pw / 4),
                     ly = top + ph + 52 + 20.0 * double(i / 4);
        o << "<line x1=\"" << px(lx) << "\" x2=\"" << px(lx + 22) << "\" y1=\"" << px(ly - 4)
          << "\" y2=\"" << px(ly - 4) << "\" stroke=\"" << s.colour << "\" stroke-width=\"2\""
          << (s.dashed ? " stroke-dasharray=\"6,4\"" : "") << "/>";
        o << text(lx + 28, ly, s.name, "start");
    }
    o << "</svg>";
    return o.str();
}

std::string heatmap(const std::vector<std::string>& rowLabels,
                    const std::vector<std::string>& columnLabels,
                    const std::vector<std::vector<double>>& values, const std::string& xLabel,
                    const std::string& scaleLabel, int width) {
    const std::size_t rows = values.size(), cols = rows ? values.front().size() : 0;
    std::size_t labelChars = 4;
    for (const auto& l : rowLabels)
        labelChars = std::max(labelChars, std::min<std::size_t>(l.size(), 28));
    const double left = 12 + 7.0 * double(labelChars), right = 84, top = 24;
    const double cellH = rows > 30 ? 12 : 22;
    const double pw = width - left - right, ph = cellH * double(rows);
    const int height = int(top + ph + 48);
    double hi = 0;
    for (const auto& r : values)
        for (double v : r)
            if (std::isfinite(v))
                hi = std::max(hi, v);
    const double cw = cols ? pw / double(cols) : pw;
    std::ostringstream o;
    o << header(width, height);
    for (std::size_t r = 0; r < rows; ++r) {
        const double y = top + cellH * double(r);
        std::string label = r < rowLabels.size() ? rowLabels[r] : std::to_string(r);
        if (label.size() > 28)
            label = label.substr(0, 27) + "\xE2\x80\xA6";
        o << text(left - 6, y + cellH / 2 + 4, label, "end", rows > 30 ? " font-size=\"9\"" : "");
        for (std::size_t c = 0; c < cols; ++c) {
            const double v = values[r][c];
            o << "<rect x=\"" << px(left + cw * double(c)) << "\" y=\"" << px(y) << "\" width=\""
              << px(cw + 0.3) << "\" height=\"" << px(cellH + 0.3) << "\" fill=\""
              << viridis(hi > 0 ? v / hi : 0) << "\"><title>" << escapeXml(label) << ", "
              << escapeXml(c < columnLabels.size() ? columnLabels[c] : std::to_string(c)) << ": "
              << tick(v) << "</title></rect>";
        }
    }
    const int step = layerStep(cols);
    for (std::size_t c = 0; c < cols; c += std::size_t(step))
        o << text(left + cw * (double(c) + 0.5), top + ph + 16,
                  c < columnLabels.size() ? columnLabels[c] : std::to_string(c));
    o << text(left + pw / 2, top + ph + 36, xLabel);
    // Colour bar: 0 at the bottom, the maximum at the top.
    const double bx = left + pw + 16, bh = std::max(ph, 60.0);
    for (int i = 0; i < 32; ++i)
        o << "<rect x=\"" << px(bx) << "\" y=\"" << px(top + bh * (31 - i) / 32.0)
          << "\" width=\"14\" height=\"" << px(bh / 32.0 + 0.5) << "\" fill=\""
          << viridis((i + 0.5) / 32.0) << "\"/>";
    o << text(bx + 18, top + 10, tick(hi), "start") << text(bx + 18, top + bh, "0", "start");
    o << text(bx + 7, top - 8, scaleLabel, "middle", " font-size=\"10\"");
    o << "</svg>";
    return o.str();
}

std::string pcaScatter(const ScatterInput& in, int width, int height) {
    const double left = 60, right = 20, top = 16, bottom = 64;
    const double pw = width - left - right, ph = height - top - bottom;
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    bool first = true;
    for (const auto* m : {&in.a, &in.b})
        for (int r = 0; r < m->rows; ++r) {
            const double x = m->at(r, 0), y = m->at(r, 1);
            x0 = first ? x : std::min(x0, x), x1 = first ? x : std::max(x1, x);
            y0 = first ? y : std::min(y0, y), y1 = first ? y : std::max(y1, y);
            first = false;
        }
    const double mx = std::max(x1 - x0, 1e-9) * 0.08, my = std::max(y1 - y0, 1e-9) * 0.08;
    x0 -= mx, x1 += mx, y0 -= my, y1 += my;
    const auto X = [&](double v) { return left + pw * (v - x0) / (x1 - x0); };
    const auto Y = [&](double v) { return top + ph * (1 - (v - y0) / (y1 - y0)); };
    std::ostringstream o;
    o << header(width, height);
    o << "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" "
         "markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
         "fill=\"#888\"/></marker></defs>";
    for (double t : ticks(x0, x1))
        o << "<line x1=\"" << px(X(t)) << "\" x2=\"" << px(X(t)) << "\" y1=\"" << px(top)
          << "\" y2=\"" << px(top + ph) << "\" stroke=\"#eee\"/>"
          << text(X(t), top + ph + 16, tick(t));
    for (double t : ticks(y0, y1))
        o << "<line x1=\"" << px(left) << "\" x2=\"" << px(left + pw) << "\" y1=\"" << px(Y(t))
          << "\" y2=\"" << px(Y(t)) << "\" stroke=\"#eee\"/>"
          << text(left - 6, Y(t) + 4, tick(t), "end");
    o << "<rect x=\"" << px(left) << "\" y=\"" << px(top) << "\" width=\"" << px(pw)
      << "\" height=\"" << px(ph) << "\" fill=\"none\" stroke=\"#888\"/>";
    const auto pct = [&](std::size_t i) {
        return i < in.explained.size() ? tick(100.0 * in.explained[i]) + " % of variance"
                                       : std::string("?");
    };
    o << text(left + pw / 2, top + ph + 34, "PC1 (" + pct(0) + ")");
    o << text(16, top + ph / 2, "PC2 (" + pct(1) + ")", "middle",
              " transform=\"rotate(-90 16 " + px(top + ph / 2) + ")\"");
    for (const auto& [ia, ib] : in.arrows) {
        if (ia >= in.a.rows || ib >= in.b.rows)
            continue;
        const double ax = X(double(in.a.at(ia, 0))), ay = Y(double(in.a.at(ia, 1)));
        const double bx = X(double(in.b.at(ib, 0))), by = Y(double(in.b.at(ib, 1)));
        if (std::hypot(bx - ax, by - ay) > 4)
            o << "<line x1=\"" << px(ax) << "\" y1=\"" << px(ay) << "\" x2=\"" << px(bx)
              << "\" y2=\"" << px(by) << "\" stroke=\"#aaa\" marker-end=\"url(#arrow)\"/>";
    }
    const auto points = [&](const FloatMatrix& m, const std::vector<std::string>& tokens,
                            const std::vector<int>& differing, const char* colour, bool square) {
        for (int r = 0; r < m.rows; ++r) {
            const double x = X(double(m.at(r, 0))), y = Y(double(m.at(r, 1)));
            const std::string token =
                r < int(tokens.size()) ? plainToken(tokens[std::size_t(r)]) : "";
            o << (square ? "<rect x=\"" + px(x - 4) + "\" y=\"" + px(y - 4) +
                               "\" width=\"8\" height=\"8\""
                         : "<circle cx=\"" + px(x) + "\" cy=\"" + px(y) + "\" r=\"4.5\"")
              << " fill=\"" << colour << "\" fill-opacity=\"0.85\"><title>" << escapeXml(token)
              << " (" << r << ")</title>" << (square ? "</rect>" : "</circle>");
            if (std::find(differing.begin(), differing.end(), r) != differing.end())
                o << text(x + 7, y - 6, token, "start",
                          std::string(" font-weight=\"bold\" fill=\"") + colour + "\"");
        }
    };
    points(in.a, in.tokensA, in.differingA, "#3465a4", false);
    points(in.b, in.tokensB, in.differingB, "#e67e22", true);
    const double ly = height - 10;
    o << "<circle cx=\"" << px(left + 6) << "\" cy=\"" << px(ly - 4)
      << "\" r=\"4.5\" fill=\"#3465a4\"/>" << text(left + 16, ly, "prompt A", "start");
    o << "<rect x=\"" << px(left + 102) << "\" y=\"" << px(ly - 8)
      << "\" width=\"8\" height=\"8\" fill=\"#e67e22\"/>"
      << text(left + 116, ly, "prompt B", "start");
    o << "<line x1=\"" << px(left + 200) << "\" x2=\"" << px(left + 228) << "\" y1=\"" << px(ly - 4)
      << "\" y2=\"" << px(ly - 4) << "\" stroke=\"#aaa\" marker-end=\"url(#arrow)\"/>"
      << text(left + 234, ly, "A token \xE2\x86\x92 its aligned B token", "start");
    o << "</svg>";
    return o.str();
}

} // namespace anatomist::core::svg
