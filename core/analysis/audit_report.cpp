#include "analysis/audit_report.h"

#include "analysis/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <sstream>

namespace anatomist::core {

namespace {

using svg::escapeXml;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string join(const std::vector<int>& v) {
    std::string out;
    for (int x : v)
        out += (out.empty() ? "" : ", ") + std::to_string(x);
    return out;
}

const AuditSeries& ranking(const AuditGroup& g) {
    for (const auto& s : g.series)
        if (s.component == FairnessAuditResult::kRankingComponent)
            return s;
    return g.series.back();
}

double meanOf(const std::vector<double>& v) {
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

// The words where a and b differ, from their common prefix and suffix of words: "he / she".
std::string swapLabel(const ContrastivePairResult& p) {
    auto words = [](const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string w; in >> w;)
            out.push_back(w);
        return out;
    };
    const auto a = words(p.a), b = words(p.b);
    std::size_t pre = 0, suf = 0;
    while (pre < a.size() && pre < b.size() && a[pre] == b[pre])
        ++pre;
    while (suf < a.size() - pre && suf < b.size() - pre &&
           a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
        ++suf;
    auto middle = [&](const std::vector<std::string>& w) {
        std::string s;
        for (std::size_t i = pre; i < w.size() - suf; ++i)
            s += (s.empty() ? "" : " ") + w[i];
        return s.empty() ? std::string("\xE2\x80\x94") : s;
    };
    return middle(a) + " / " + middle(b);
}

// Every number with thousands separators: 935,040.
std::string grouped(int64_t v) {
    std::string digits = std::to_string(v < 0 ? -v : v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
}

// A <div> rather than <figure>: Qt's rich-text engine (the PDF) lays out only the HTML 4 blocks.
std::string figure(const std::string& svg, const std::string& caption) {
    return "<div class=\"figure\"><img alt=\"" + escapeXml(caption) + "\" src=\"" +
           svg::dataUri(svg) + "\"/></div>\n<p class=\"caption\">" + escapeXml(caption) + "</p>\n";
}

std::vector<std::string> layerLabels(std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t l = 0; l < n; ++l)
        out.push_back(std::to_string(l));
    return out;
}

// div.figure has line-height 100 %: Qt's rich text (the PDF) applies the body's 1.45 to the line an
// image sits on, which left 45 % of each chart's height blank under it.
const char* kStyle = R"css(
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;max-width:60em;margin:2em auto;padding:0 1.5em;line-height:1.45;font-size:14px}
h1{font-size:1.7em;margin-bottom:.2em;color:#1d3557}h2{font-size:1.3em;border-bottom:2px solid #1d3557;padding-bottom:.2em;margin-top:2em;color:#1d3557}
h3{font-size:1.1em;margin-top:1.5em}.subtitle{color:#555;margin-top:0}
table{border-collapse:collapse;margin:.8em 0;font-size:12px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}td,th{white-space:nowrap}td.t{white-space:normal}
th{background:#eef2f7}td.t,th.t{text-align:left}td.c,th.c{text-align:center}tr.peak td{background:#fff4d6}
div.figure{margin:1em 0 .2em 0;line-height:100%}div.figure img{max-width:100%;border:1px solid #ddd}p.caption{font-size:12px;color:#555;margin-top:0}
.note{background:#f6f8fa;border-left:4px solid #1d3557;padding:.6em 1em}pre{background:#f6f8fa;padding:.8em;white-space:pre-wrap;word-break:break-all}
.prompt{font-family:"DejaVu Sans Mono",monospace;font-size:12px}
)css";

std::string modelSection(const FairnessAuditResult& r) {
    const auto& m = r.model;
    std::ostringstream o;
    o << "<h2>Model</h2>\n<table>\n";
    auto row = [&](const char* k, const std::string& v) {
        o << "<tr><th class=\"t\">" << k << "</th><td class=\"t\">" << escapeXml(v)
          << "</td></tr>\n";
    };
    row("Path", m.path);
    row("Architecture", m.architecture);
    row("Parameters", grouped(m.parameters));
    row("Layers", std::to_string(m.layers));
    row("Hidden size", std::to_string(m.hiddenSize));
    row("MLP width", std::to_string(m.intermediateSize));
    row("Vocabulary", std::to_string(m.vocabSize));
    row("Compute dtype", m.dtype);
    row("SHA-256 of config.json", m.configSha256.empty() ? "(no config.json)" : m.configSha256);
    o << "</table>\n<h3>Pair sets</h3>\n<table><tr><th class=\"t\">Set</th><th>Pairs</th></tr>\n";
    for (const auto& [name, count] : r.sources)
        o << "<tr><td class=\"t\">" << escapeXml(name) << "</td><td>" << count << "</td></tr>\n";
    o << "</table>\n";
    return o.str();
}

std::string summarySection(const FairnessAuditResult& r) {
    std::ostringstream o;
    const auto& all = ranking(r.overall).cosine;
    const int peak = r.overall.topLayers.front();
    const AuditGroup* widest = &r.categories.front();
    for (const auto& g : r.categories)
        if (ranking(g).cosine[std::size_t(g.topLayers.front())] >
            ranking(*widest).cosine[std::size_t(widest->topLayers.front())])
            widest = &g;
    o << "<h2>Summary</h2>\n<p>" << r.contrastive.pairs.size() << " prompt pairs in "
      << r.categories.size()
      << " categories. Over all pairs, the residual stream of the two prompts "
      << "of a pair diverges most at layer <b>" << peak << "</b> (mean cosine distance "
      << num(all[std::size_t(peak)]) << "; most divergent layers " << join(r.overall.topLayers)
      << "). The category with the largest peak divergence is <b>" << escapeXml(widest->name)
      << "</b> (layer " << widest->topLayers.front() << ", "
      << num(ranking(*widest).cosine[std::size_t(widest->topLayers.front())]) << ").</p>\n";
    o << "<table><tr><th class=\"t\">Category</th><th>Pairs</th><th>Most divergent<br/>layers</th>"
         "<th>Peak cosine<br/>distance</th><th>Mean cosine distance<br/>(all layers)</th>"
         "<th>Mean |A &#8722; B|<br/>at the peak</th></tr>\n";
    auto line = [&](const AuditGroup& g, bool bold) {
        const auto& s = ranking(g);
        const auto p = std::size_t(g.topLayers.front());
        o << "<tr><td class=\"t\">" << (bold ? "<b>" : "") << escapeXml(g.name)
          << (bold ? "</b>" : "") << "</td><td>" << g.pairs.size() << "</td><td>"
          << join(g.topLayers) << "</td><td>" << num(s.cosine[p]) << "</td><td>"
          << num(meanOf(s.cosine)) << "</td><td>" << num(s.meanAbs[p]) << "</td></tr>\n";
    };
    for (const auto& g : r.categories)
        line(g, false);
    line(r.overall, true);
    o << "</table>\n";
    std::vector<svg::Series> series;
    std::vector<std::string> rows;
    std::vector<std::vector<double>> cells;
    for (std::size_t i = 0; i < r.categories.size(); ++i) {
        series.push_back(
            {r.categories[i].name, svg::seriesColour(i), ranking(r.categories[i]).cosine});
        rows.push_back(r.categories[i].name);
        cells.push_back(ranking(r.categories[i]).cosine);
    }
    series.push_back({"all pairs", "#222222", all, true});
    o << figure(
        svg::lineChart(series, "layer", "cosine distance (x_out)", r.overall.topLayers),
        "Figure 1. Mean cosine distance between the residual streams (x_out) of the two "
        "prompts of a pair, per layer and category; dotted lines: the most divergent layers "
        "over all pairs.");
    o << figure(svg::heatmap(rows, layerLabels(all.size()), cells, "layer", "cosine distance"),
                "Figure 2. The same numbers as a categories \xC3\x97 layers heatmap.");
    return o.str();
}

std::string layerTable(const AuditGroup& g) {
    std::ostringstream o;
    const auto& rs = ranking(g);
    const auto n = std::to_string(g.series.size());
    o << "<table><tr><th rowspan=\"2\">Layer</th><th colspan=\"" << n
      << "\">cosine distance</th><th colspan=\"" << n
      << "\">mean |A &#8722; B|</th><th colspan=\"2\">" << escapeXml(rs.component)
      << "</th></tr>\n<tr>";
    for (int twice = 0; twice < 2; ++twice)
        for (const auto& s : g.series)
            o << "<th>" << escapeXml(s.component) << "</th>";
    o << "<th>max over<br/>pairs</th><th>L2</th></tr>\n";
    for (std::size_t l = 0; l < rs.cosine.size(); ++l) {
        const bool peak =
            std::find(g.topLayers.begin(), g.topLayers.end(), int(l)) != g.topLayers.end();
        o << "<tr" << (peak ? " class=\"peak\"" : "") << "><td>" << l << "</td>";
        for (const auto& s : g.series)
            o << "<td>" << num(s.cosine[l]) << "</td>";
        for (const auto& s : g.series)
            o << "<td>" << num(s.meanAbs[l]) << "</td>";
        o << "<td>" << num(rs.maxAbs[l]) << "</td><td>" << num(rs.l2[l]) << "</td></tr>\n";
    }
    o << "</table>\n";
    return o.str();
}

std::string neuronTable(const std::vector<AuditNeuron>& neurons, std::size_t limit) {
    std::ostringstream o;
    o << "<table><tr><th>Rank</th><th>Layer</th><th>Neuron</th><th>bias<sub>k</sub></th>"
         "<th>F<sub>k</sub> (whole set)</th></tr>\n";
    for (std::size_t i = 0; i < std::min(limit, neurons.size()); ++i) {
        const auto& n = neurons[i];
        o << "<tr><td>" << i + 1 << "</td><td>" << n.layer << "</td><td>" << n.neuron << "</td><td>"
          << num(n.bias) << "</td><td>" << (n.fairness >= 0 ? num(n.fairness) : "&#8212;")
          << "</td></tr>\n";
    }
    o << "</table>\n";
    return o.str();
}

std::string categorySection(const FairnessAuditResult& r, const AuditGroup& g) {
    std::ostringstream o;
    const auto& set = r.contrastive;
    const int peak = g.topLayers.front();
    const auto& ex = set.pairs[g.examplePair];
    o << "<h2>Category: " << escapeXml(g.name) << "</h2>\n<p>" << g.pairs.size()
      << " pairs. Most divergent layers (cosine distance of x_out): <b>" << join(g.topLayers)
      << "</b>.</p>\n";
    std::vector<std::string> rows;
    std::vector<std::vector<double>> cells;
    for (std::size_t i : g.pairs) {
        rows.push_back(std::to_string(i + 1) + ": " + swapLabel(set.pairs[i]));
        cells.push_back(set.pairs[i]
                            .components[std::size_t(std::distance(g.series.data(), &ranking(g)))]
                            .cosinePerLayer());
    }
    o << figure(
        svg::heatmap(rows, layerLabels(cells.front().size()), cells, "layer", "cosine distance"),
        "Cosine distance of x_out per pair (rows: pair number and the words swapped) and layer.");
    o << "<p>Example: the pair that diverges most at layer " << peak << " (pair "
      << g.examplePair + 1 << ", alignment " << pairAlignmentName(ex.alignment)
      << "):<br/><span class=\"prompt\">A: " << escapeXml(ex.a)
      << "</span><br/><span class=\"prompt\">B: " << escapeXml(ex.b) << "</span></p>\n";
    svg::ScatterInput scatter{
        g.examplePca.pointsA, g.examplePca.pointsB, ex.tokensA, ex.tokensB,
        ex.differingA,        ex.differingB,        {},         g.examplePca.explained};
    const int na = int(ex.tokensA.size()), nb = int(ex.tokensB.size());
    if (ex.alignment == PairAlignment::Tokens)
        for (int t = 0; t < na; ++t)
            scatter.arrows.emplace_back(t, t);
    else if (ex.alignment == PairAlignment::PrefixSuffix) {
        for (int t = 0; t < int(ex.prefix); ++t)
            scatter.arrows.emplace_back(t, t);
        for (int s = 1; s <= int(ex.suffix); ++s)
            scatter.arrows.emplace_back(na - s, nb - s);
    }
    o << figure(svg::pcaScatter(scatter),
                "PCA(2) of both prompts' token vectors (x_out) at layer " + std::to_string(peak) +
                    "; the swapped words are labelled.");
    o << "<h3>Per layer</h3>\n" << layerTable(g);
    o << "<h3>Neurons with the largest bias in this category</h3>\n"
      << neuronTable(g.topNeurons, 10);
    return o.str();
}

// The mean ratio, then the change in colour: red widened, green narrowed.
std::string changeCells(const AuditMetricComparison& m) {
    const char* colour = m.change == "widened"    ? "#b03a2e"
                         : m.change == "narrowed" ? "#1e7b45"
                                                  : "#555";
    return "<td>" + (std::isfinite(m.meanRatio) ? num(m.meanRatio) : std::string("&#8212;")) +
           "</td><td class=\"c\"><span style=\"color:" + colour + "\">" + m.change + "</span></td>";
}

std::string optionalNum(const std::optional<double>& v) {
    return v ? num(*v) : "&#8212;";
}

const AuditCategoryComparison& groupOf(const AuditVariantComparison& v, std::size_t c) {
    return c == 0 ? v.overall : v.categories[c - 1];
}

// One metric per base layer: the base, then each variant's value and ratio (a table stays 2 + 2V
// columns wide, which fits the page for a few variants).
std::string comparisonLayerTable(const std::vector<AuditVariantComparison>& variants, std::size_t c,
                                 std::size_t metric, const char* title) {
    const auto& base = groupOf(variants.front(), c).metrics[metric].base;
    std::ostringstream o;
    o << "<table><tr><th rowspan=\"2\">Base<br/>layer</th><th colspan=\"" << 1 + 2 * variants.size()
      << "\">" << title << "</th></tr>\n<tr><th>base</th>";
    for (std::size_t v = 0; v < variants.size(); ++v)
        o << "<th>[" << v + 1 << "]</th><th>ratio</th>";
    o << "</tr>\n";
    for (std::size_t l = 0; l < base.size(); ++l) {
        o << "<tr><td>" << l << "</td><td>" << num(base[l]) << "</td>";
        for (const auto& v : variants) {
            const auto& m = groupOf(v, c).metrics[metric];
            o << "<td>" << optionalNum(m.variant[l]) << "</td><td>" << optionalNum(m.ratio(l))
              << "</td>";
        }
        o << "</tr>\n";
    }
    o << "</table>\n";
    return o.str();
}

std::string comparisonCategory(const std::vector<AuditVariantComparison>& variants, std::size_t c,
                               const AuditGroup& baseGroup) {
    const auto& first = groupOf(variants.front(), c);
    std::ostringstream o;
    o << "<h3>" << escapeXml(first.name) << "</h3>\n";
    std::vector<svg::Series> series{{"base", "#222222", first.metrics[0].base}};
    for (std::size_t v = 0; v < variants.size(); ++v) {
        std::vector<double> values;
        for (const auto& x : groupOf(variants[v], c).metrics[0].variant)
            values.push_back(x ? *x : std::nan(""));
        std::filesystem::path path(variants[v].name);
        if (path.filename().empty())
            path = path.parent_path(); // "pruned/"
        std::ostringstream label;
        label << '[' << v + 1 << "] " << path.filename().string();
        series.push_back({label.str(), svg::seriesColour(v), values, true});
    }
    o << figure(svg::lineChart(series, "base layer", "cosine distance (x_out)", baseGroup.topLayers,
                               760, 260),
                "Cosine distance of x_out per base layer, " + first.name +
                    ": the base (solid) and each variant at the base layer each of its layers came "
                    "from (dashed; a gap is a removed layer).");
    o << comparisonLayerTable(variants, c, 0, "cosine distance")
      << comparisonLayerTable(variants, c, 1, "mean |A &#8722; B|");
    return o.str();
}

std::string comparisonSection(const FairnessAuditResult& r,
                              const std::vector<AuditVariantComparison>& variants) {
    std::ostringstream o;
    o << "<h2>Before and after compression</h2>\n<p>The same pairs through each variant. A "
         "variant's "
         "layers are compared with the base layers they came from; the means below are over the "
         "base layers the variant kept, on both sides. A ratio above 1 means the compressed model "
         "separates the two prompts of a pair <b>more</b> than the base (the gap widened), below 1 "
         "less (narrowed); within "
      << num(kAuditChangeTolerance * 100) << " % it is unchanged.</p>\n";
    o << "<table><tr><th>#</th><th class=\"t\">Variant</th><th class=\"t\">Made by</th>"
         "<th class=\"t\">Base layers kept</th><th>Parameters</th><th>vs base</th></tr>\n";
    for (std::size_t v = 0; v < variants.size(); ++v) {
        const auto& x = variants[v];
        o << "<tr><td>" << v + 1 << "</td><td class=\"t\">" << escapeXml(x.name)
          << "</td><td class=\"t\">" << escapeXml(x.planSummary.empty() ? x.origin : x.planSummary)
          << "</td><td class=\"t\">" << join(x.keptLayers) << " (" << escapeXml(x.layerMap)
          << ")</td><td>" << grouped(x.audit.model.parameters) << "</td><td>"
          << num(100.0 * double(x.audit.model.parameters) /
                 double(std::max<int64_t>(1, r.model.parameters)))
          << " %</td></tr>\n";
    }
    o << "</table>\n<table><tr><th "
         "class=\"t\">Category</th><th>Variant</th><th>cosine<br/>base</th>"
         "<th>cosine<br/>variant</th><th>ratio</th><th class=\"c\">gap</th><th>|A &#8722; "
         "B|<br/>ratio</th>"
         "<th class=\"c\">|A &#8722; B|<br/>gap</th></tr>\n";
    for (std::size_t c = 0; c <= r.categories.size(); ++c)
        for (std::size_t v = 0; v < variants.size(); ++v) {
            const auto& g = groupOf(variants[v], c);
            o << "<tr><td class=\"t\">"
              << (v > 0    ? std::string()
                  : c == 0 ? "<b>all pairs</b>"
                           : escapeXml(g.name))
              << "</td><td>[" << v + 1 << "]</td><td>" << num(g.metrics[0].baseMean) << "</td><td>"
              << num(g.metrics[0].variantMean) << "</td>" << changeCells(g.metrics[0])
              << changeCells(g.metrics[1]) << "</tr>\n";
        }
    o << "</table>\n<p>Gap: the change of the mean over the kept layers. Differences per layer "
         "(variant &#8722; base) are in the JSON document.</p>\n";
    for (std::size_t c = 0; c <= r.categories.size(); ++c)
        o << comparisonCategory(variants, c, c == 0 ? r.overall : r.categories[c - 1]);
    return o.str();
}

const char* kMethod = R"html(
<h2>Method</h2>
<p>Each pair holds two prompts that are identical except for one attribute (for example
<i>he</i> / <i>she</i>). Both prompts go through the model once; at every layer Anatomist reads the
output of the attention block (<code>attn_out</code>), of the MLP (<code>mlp_out</code>) and the
residual stream after the block (<code>out</code>, x<sub>out</sub>). Tokens are compared position
by position; when the two prompts have different token counts, the common beginning and end are
compared token by token and the differing middle by its mean (or whole prompts by their means when
that is impossible); the alignment of every pair is in the JSON.</p>
<ul>
<li><b>Cosine distance</b> = 1 &#8722; cos(a<sub>t</sub>, b<sub>t</sub>), averaged over the compared
positions: how differently the two prompts are represented, whatever the scale of the activations.
Layers are ranked by it.</li>
<li><b>Mean |A &#8722; B|</b>: the mean absolute difference over every position and feature;
<b>L2</b>: the Euclidean norm of the whole difference matrix. Both grow with the size of the
activations, which usually grows with depth.</li>
<li><b>bias<sub>k</sub></b> of MLP neuron k = |mean activation on A &#8722; mean activation on B|
(down_proj input), averaged over the pairs. <b>F<sub>k</sub></b> = w&#183;norm(bias<sub>k</sub>) +
(1 &#8722; w)&#183;(1 &#8722; norm(PPM<sub>k</sub>)) over the whole set: a high F<sub>k</sub> marks
a neuron that carries much of the difference but little of the weights' magnitude, a candidate for
fairness-aware pruning.</li>
</ul>
<h2>What this report does not say</h2>
<div class="note"><ul>
<li>It measures where the model <i>represents</i> the two prompts differently, not whether its
output is unfair. A large distance can be legitimate (the word differs, after all); a small one does
not prove fairness. Compare continuations or probabilities of the two prompts before concluding.</li>
<li>Tokens before the swapped word are identical in a causal model, so their distance is zero and
they dilute the averages of long prompts. Compare layers and categories of one report, not absolute
values across pair sets or models.</li>
<li>The pair sets are small and written by hand; a category's numbers depend on its wording. The
sets cover a few attributes in English only.</li>
<li>Neuron bias is a mean over the pairs: a neuron may respond to the swapped word itself rather
than to the social category it stands for.</li>
</ul></div>
)html";

} // namespace

std::string auditReportHtml(const FairnessAuditResult& r, const AuditReportText& text) {
    return auditReportHtml(r, {}, text);
}

std::string auditReportHtml(const FairnessAuditResult& r,
                            const std::vector<AuditVariantComparison>& variants,
                            const AuditReportText& text) {
    std::ostringstream o;
    const auto name = r.model.path;
    o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Fairness "
         "audit: "
      << escapeXml(name) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
    o << "<h1>Fairness audit: " << escapeXml(name) << "</h1>\n<p class=\"subtitle\">"
      << escapeXml(r.model.architecture) << ", " << r.model.layers << " layers, "
      << grouped(r.model.parameters) << " parameters &#183; " << r.contrastive.pairs.size()
      << " prompt pairs &#183; " << escapeXml(text.generator) << "</p>\n";
    o << summarySection(r) << modelSection(r);
    if (!variants.empty())
        o << comparisonSection(r, variants);
    for (const auto& g : r.categories)
        o << categorySection(r, g);
    o << "<h2>Neurons that carry the most difference (all pairs)</h2>\n"
      << neuronTable(r.overall.topNeurons, r.overall.topNeurons.size());
    o << kMethod;
    o << "<h2>Reproduce</h2>\n<pre>" << escapeXml(text.commandLine) << "</pre>\n<p>The JSON "
      << "document (<code>--json</code>) holds every number of this report at full precision. "
      << "Computed in " << num(r.seconds) << " s.</p>\n</body>\n</html>\n";
    return o.str();
}

} // namespace anatomist::core
