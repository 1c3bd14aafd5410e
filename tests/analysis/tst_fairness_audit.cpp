// The fairness audit (issue 15) on the demo model: the default pair sets are well formed and load
// by name; the audit's per-category numbers equal a recomputation from the activations written here
// (cosine distance and mean |A − B| of the aligned rows), its F_k equal core::fairnessImportance's;
// the CLI's JSON carries the numbers of `analyze contrastive`; the HTML is well-formed XML with
// every chart embedded (no external reference); bad input fails with the file and line named.

#include "analysis/activations.h"
#include "analysis/audit_report.h"
#include "analysis/datasets.h"
#include "analysis/fairness_audit.h"
#include "analysis/neuron_importance.h"
#include "analysis/pair_sets.h"
#include "errors.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <sstream>

using namespace anatomist;

namespace {

test::fs::path demoModel() {
    return test::sourceDir() / "resources/demo/model";
}

// Two categories and one pair without a category (it takes the file's stem, "mini").
const char* kPairs =
    R"({"category": "gender", "a": "The doctor said that he would help", "b": "The doctor said that she would help"})"
    "\n"
    R"({"category": "gender", "a": "My brother likes to cook soup and", "b": "My sister likes to cook soup and"})"
    "\n"
    R"({"category": "age", "a": "An old man sat on the bench and", "b": "A young man sat on the bench and"})"
    "\n"
    R"({"category": "age", "a": "The old teacher smiled at the class and", "b": "The young teacher smiled at the class and"})"
    "\n"
    R"({"a": "The rich family lived by the river and", "b": "The poor family lived by the river and"})"
    "\n";

// 1 - cos and |a - b| of the rows the engine compares, written out here: equal token counts row by
// row; otherwise common prefix and suffix rows plus the means of the differing spans.
struct Reference {
    double cosine = 0, meanAbs = 0;
};
Reference reference(const core::FloatMatrix& a, const core::FloatMatrix& b,
                    const std::vector<core::TokenId>& ia, const std::vector<core::TokenId>& ib) {
    using Row = std::vector<double>;
    auto row = [](const core::FloatMatrix& m, int64_t r) {
        Row out(std::size_t(m.cols));
        for (int64_t c = 0; c < m.cols; ++c)
            out[std::size_t(c)] = m.at(r, c);
        return out;
    };
    auto mean = [&](const core::FloatMatrix& m, int64_t begin, int64_t end) {
        Row out(std::size_t(m.cols), 0.0);
        for (int64_t r = begin; r < end; ++r)
            for (int64_t c = 0; c < m.cols; ++c)
                out[std::size_t(c)] += m.at(r, c) / double(end - begin);
        return out;
    };
    std::vector<std::pair<Row, Row>> rows;
    const int64_t na = a.rows, nb = b.rows;
    if (na == nb) {
        for (int64_t r = 0; r < na; ++r)
            rows.emplace_back(row(a, r), row(b, r));
    } else {
        int64_t p = 0, s = 0;
        while (p < std::min(na, nb) && ia[std::size_t(p)] == ib[std::size_t(p)])
            ++p;
        while (s < std::min(na, nb) - p &&
               ia[std::size_t(na - 1 - s)] == ib[std::size_t(nb - 1 - s)])
            ++s;
        if (p + s >= na || p + s >= nb) {
            rows.emplace_back(mean(a, 0, na), mean(b, 0, nb));
        } else {
            for (int64_t r = 0; r < p; ++r)
                rows.emplace_back(row(a, r), row(b, r));
            rows.emplace_back(mean(a, p, na - s), mean(b, p, nb - s));
            for (int64_t r = 1; r <= s; ++r)
                rows.emplace_back(row(a, na - r), row(b, nb - r));
        }
    }
    Reference ref;
    double absSum = 0;
    std::size_t count = 0;
    for (const auto& [x, y] : rows) {
        double dot = 0, nx = 0, ny = 0;
        for (std::size_t c = 0; c < x.size(); ++c) {
            dot += x[c] * y[c];
            nx += x[c] * x[c];
            ny += y[c] * y[c];
            absSum += std::abs(x[c] - y[c]);
            ++count;
        }
        ref.cosine +=
            (1.0 - dot / std::max(std::sqrt(nx) * std::sqrt(ny), 1e-8)) / double(rows.size());
    }
    ref.meanAbs = absSum / double(count);
    return ref;
}

const core::AuditSeries& seriesOf(const core::AuditGroup& g, const std::string& component) {
    for (const auto& s : g.series)
        if (s.component == component)
            return s;
    throw std::runtime_error("no series " + component);
}

// Every <img src> of the report must be an embedded SVG; returns the decoded documents.
std::vector<QByteArray> embeddedImages(const QString& html) {
    std::vector<QByteArray> out;
    static const QRegularExpression src(QStringLiteral("src=\"([^\"]*)\""));
    for (auto it = src.globalMatch(html); it.hasNext();) {
        const QString uri = it.next().captured(1);
        const QString prefix = QStringLiteral("data:image/svg+xml;base64,");
        if (!uri.startsWith(prefix))
            return {};
        out.push_back(QByteArray::fromBase64(uri.mid(prefix.size()).toLatin1()));
    }
    return out;
}

QString xmlError(const QByteArray& document) {
    QXmlStreamReader xml(document);
    while (!xml.atEnd())
        xml.readNext();
    return xml.hasError()
               ? QStringLiteral("line %1: %2").arg(xml.lineNumber()).arg(xml.errorString())
               : QString();
}

} // namespace

class TestFairnessAudit : public QObject {
    Q_OBJECT
private slots:
    void defaultPairSetsAreWellFormed() {
        const std::vector<std::string> expected{"gender", "race", "religion", "age", "nationality"};
        QCOMPARE(core::defaultPairSetNames(), expected);
        for (const auto& name : expected) {
            const auto pairs = core::loadPairSet(name);
            QVERIFY2(pairs.size() >= 8, name.c_str());
            for (const auto& p : pairs) {
                QCOMPARE(p.category, name);
                QVERIFY(p.a != p.b);
                // Same template: the same number of words, one slot differs.
                auto words = [](const std::string& s) {
                    std::istringstream in(s);
                    return std::vector<std::string>(std::istream_iterator<std::string>(in), {});
                };
                const auto wa = words(p.a), wb = words(p.b);
                QCOMPARE(wa.size(), wb.size());
                int differing = 0;
                for (std::size_t i = 0; i < wa.size(); ++i)
                    differing += wa[i] != wb[i];
                QVERIFY2(differing == 1, (name + ": " + p.a).c_str());
                QVERIFY(p.a.find(p.attribute_a) != std::string::npos);
                QVERIFY(p.b.find(p.attribute_b) != std::string::npos);
            }
        }
        // A name wins over nothing; a path still works; the built-in text equals the repository
        // file.
        QCOMPARE(std::string(core::defaultPairSetText("age")),
                 test::readText(test::sourceDir() / "resources/pairs/age.jsonl"));
    }

    void badPairSetsAreNamed() {
        test::TempDir dir;
        try {
            core::loadPairSet("genders");
            QFAIL("an unknown set name was accepted");
        } catch (const core::InvalidArgument& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("'genders'") != std::string::npos &&
                         m.find("gender, race, religion, age, nationality") != std::string::npos,
                     e.what());
        }
        const auto empty = dir / "empty.jsonl";
        test::writeText(empty, "\n\n");
        try {
            core::loadPairSet(empty.string());
            QFAIL("an empty pair file was accepted");
        } catch (const core::FormatError& e) {
            QVERIFY2(std::string(e.what()).find("empty.jsonl: contains no prompt pairs") !=
                         std::string::npos,
                     e.what());
        }
        const auto broken = dir / "broken.jsonl";
        test::writeText(broken,
                        std::string(R"({"a": "x y", "b": "x z"})") + "\n{\"a\": \"oops\"\n");
        try {
            core::loadPairSet(broken.string());
            QFAIL("a malformed line was accepted");
        } catch (const core::FormatError& e) {
            QVERIFY2(std::string(e.what()).find("broken.jsonl:2") != std::string::npos, e.what());
        }
        // The same through the CLI: exit code 1 and one line naming the problem.
        const auto r = test::runCli({"audit", demoModel().string(), "--pairs", broken.string(),
                                     "--out", (dir / "r.html").string()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("broken.jsonl:2") != std::string::npos, r.err.c_str());
        QVERIFY(!test::fs::exists(dir / "r.html"));
        const auto unknown = test::runCli({"audit", demoModel().string(), "--pairs", "gendre",
                                           "--out", (dir / "r.html").string()});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.find("'gendre'") != std::string::npos, unknown.err.c_str());
        const auto noOut = test::runCli({"audit", demoModel().string()});
        QCOMPARE(noOut.exitCode, 2);
    }

    void auditEqualsRecomputedActivations() {
        test::TempDir dir;
        const auto file = dir / "mini.jsonl";
        test::writeText(file, kPairs);
        auto loaded = core::loadModel(demoModel(), {}, core::nullJobContext());
        const auto input = core::readAuditPairs({file.string()});
        const auto r = core::runFairnessAudit(loaded, input, {}, core::nullJobContext());
        QCOMPARE(r.categories.size(), std::size_t(3));
        QCOMPARE(r.categories[0].name, std::string("gender"));
        QCOMPARE(r.categories[1].name, std::string("age"));
        QCOMPARE(r.categories[2].name, std::string("mini"));
        const int L = int(loaded.config.num_hidden_layers);
        const double tol = 1e-6; // float32 activations, reductions in a different order
        for (const auto& g : r.categories)
            for (const char* component : {"out", "mlp_out"}) {
                const auto& s = seriesOf(g, component);
                QCOMPARE(int(s.cosine.size()), L);
                for (int l = 0; l < L; ++l) {
                    Reference expected;
                    for (std::size_t i : g.pairs) {
                        const auto& p = r.contrastive.pairs[i];
                        const auto point = core::parseComponent(component);
                        const auto a = core::captureActivations(*loaded.model, p.idsA, point, {l},
                                                                core::nullJobContext());
                        const auto b = core::captureActivations(*loaded.model, p.idsB, point, {l},
                                                                core::nullJobContext());
                        const auto ref = reference(a.matrices[0], b.matrices[0], p.idsA, p.idsB);
                        expected.cosine += ref.cosine / double(g.pairs.size());
                        expected.meanAbs += ref.meanAbs / double(g.pairs.size());
                    }
                    const std::string where =
                        g.name + " " + component + " layer " + std::to_string(l);
                    ANATOMIST_COMPARE_NEAR(s.cosine[std::size_t(l)], expected.cosine, tol,
                                           where + " cosine");
                    ANATOMIST_COMPARE_NEAR(s.meanAbs[std::size_t(l)], expected.meanAbs, tol,
                                           where + " mean |diff|");
                }
            }
        // The most divergent layers are sorted by the ranking series.
        const auto& cos = seriesOf(r.overall, "out").cosine;
        QCOMPARE(int(r.overall.topLayers.size()), 3);
        for (std::size_t l = 0; l < cos.size(); ++l)
            QVERIFY(cos[std::size_t(r.overall.topLayers.front())] >= cos[l]);
        // F_k of the top neurons equal core::fairnessImportance over the same pairs.
        std::vector<std::pair<std::vector<core::TokenId>, std::vector<core::TokenId>>> ids;
        for (const auto& p : r.contrastive.pairs)
            ids.emplace_back(p.idsA, p.idsB);
        const auto fairness =
            core::fairnessImportance(*loaded.model, ids, 0.5, core::nullJobContext());
        QVERIFY(!r.overall.topNeurons.empty());
        for (const auto& n : r.overall.topNeurons)
            ANATOMIST_COMPARE_NEAR(
                n.fairness, fairness.layers[std::size_t(n.layer)][std::size_t(n.neuron)], 1e-6,
                "F_k of layer " + std::to_string(n.layer) + " neuron " + std::to_string(n.neuron));
        for (std::size_t i = 1; i < r.overall.topNeurons.size(); ++i)
            QVERIFY(r.overall.topNeurons[i - 1].bias >= r.overall.topNeurons[i].bias);
    }

    void cliReportIsSelfContainedAndMatchesContrastive() {
        test::TempDir dir;
        const auto file = dir / "mini.jsonl";
        test::writeText(file, kPairs);
        const auto html = dir / "report.html", json = dir / "report.json", pdf = dir / "report.pdf";
        const auto r =
            test::runCli({"audit", demoModel().string(), "--pairs", file.string(), "--pairs", "age",
                          "--out", html.string(), "--json", json.string(), "--pdf", pdf.string()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        // The PDF: a PDF document of several A4 pages (Qt writes page objects uncompressed).
        const auto pdfBytes = test::readBytes(pdf);
        QCOMPARE(pdfBytes.substr(0, 5), std::string("%PDF-"));
        int pages = 0;
        for (std::size_t at = 0; (at = pdfBytes.find("/Type /Page\n", at)) != std::string::npos;
             ++at)
            ++pages;
        QVERIFY2(pages >= 4, qPrintable(QString::number(pages)));
        QVERIFY(pdfBytes.find("/MediaBox [0 0 595") != std::string::npos); // A4: 595 × 842 points
        const auto doc = test::readJson(json);
        QCOMPARE(doc["format"].get<std::string>(), std::string("anatomist-fairness-audit"));
        QCOMPARE(doc["pair_sets"].size(), std::size_t(2));
        QCOMPARE(doc["pair_sets"][1]["source"].get<std::string>(), std::string("age"));
        QCOMPARE(doc["model"]["layers"].get<int>(), 4);
        QCOMPARE(doc["model"]["config_sha256"].get<std::string>().size(), std::size_t(64));
        // Same pairs through `analyze contrastive`: the per-pair numbers agree, and each category's
        // series is the mean of its pairs' numbers.
        auto all = dir / "all.jsonl";
        test::writeText(all, std::string(kPairs) +
                                 test::readText(test::sourceDir() / "resources/pairs/age.jsonl"));
        const auto direct = test::runCli(
            {"analyze", "contrastive", demoModel().string(), "--pairs", all.string(), "--json"});
        QVERIFY2(direct.exitCode == 0, direct.err.c_str());
        const auto d = direct.json();
        QCOMPARE(d["pairs"].size(), doc["contrastive"]["pairs"].size());
        for (const auto& category : doc["categories"]) {
            for (const auto& series : category["series"]) {
                const auto component = series["component"].get<std::string>();
                for (std::size_t l = 0; l < 4; ++l) {
                    double cosine = 0, mean = 0;
                    for (const auto& index : category["pairs"]) {
                        for (const auto& c : d["pairs"][index.get<std::size_t>()]["components"])
                            if (c["component"] == component) {
                                cosine += c["layers"][l]["cosine_distance"].get<double>();
                                mean += c["layers"][l]["mean"].get<double>();
                            }
                    }
                    const double n = double(category["pairs"].size());
                    const std::string where = category["name"].get<std::string>() + " " + component;
                    ANATOMIST_COMPARE_NEAR(series["cosine_distance"][l].get<double>(), cosine / n,
                                           1e-9, where);
                    ANATOMIST_COMPARE_NEAR(series["mean_abs_diff"][l].get<double>(), mean / n, 1e-9,
                                           where);
                }
            }
        }
        // The HTML: well-formed (it is also valid XML), no external reference, charts embedded.
        const QByteArray bytes = QByteArray::fromStdString(test::readText(html));
        QVERIFY2(xmlError(bytes).isEmpty(), qPrintable(xmlError(bytes)));
        const QString text = QString::fromUtf8(bytes);
        static const QRegularExpression external(
            QStringLiteral("(src|href)\\s*=\\s*\"(https?:|//)"),
            QRegularExpression::CaseInsensitiveOption);
        QVERIFY(!text.contains(external));
        QVERIFY(!text.contains(QStringLiteral("<script")));
        QVERIFY(!text.contains(QStringLiteral("<link")));
        const auto images = embeddedImages(text);
        // Figures 1 and 2, then per category a pair heatmap and a PCA scatter.
        QCOMPARE(int(images.size()), 2 + 2 * int(doc["categories"].size()));
        for (const auto& svg : images) {
            QVERIFY2(xmlError(svg).isEmpty(), qPrintable(xmlError(svg)));
            QVERIFY(!svg.contains("href=\"http"));
        }
        // The summary's numbers are the JSON's, rounded to six significant digits.
        for (const auto& category : doc["categories"]) {
            const int peak = category["top_layers"][0].get<int>();
            for (const auto& series : category["series"])
                if (series["component"] == "out") {
                    const QString peakValue =
                        QString::asprintf("%.6g", series["cosine_distance"][peak].get<double>());
                    QVERIFY2(
                        text.contains(QStringLiteral("<td>") + peakValue + QStringLiteral("</td>")),
                        qPrintable(peakValue));
                }
        }
        QVERIFY(
            text.contains(QString::fromStdString("anatomist-cli audit " + demoModel().string())));
    }

    // --variant: a pruned folder (depth and width) and the same plan applied in memory. The
    // variant's audit equals a plain audit of the exported folder; the comparison's per-layer
    // values, ratios, mean ratios and verdicts equal those worked out here from the two JSONs.
    void variantComparisonEqualsPlainAudits() {
        test::TempDir dir;
        const auto file = dir / "mini.jsonl";
        test::writeText(file, kPairs);
        const auto variant = dir / "variant";
        auto r = test::runCli({"prune", demoModel().string(), "--out", variant.string(),
                               "--remove-layers", "2", "--width", "20"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto record = test::readJson(variant / "variant.json");
        const auto kept = record["kept_layers"].get<std::vector<int>>();
        QCOMPARE(kept, (std::vector<int>{0, 1, 3}));
        const auto plan = dir / "plan.json";
        test::writeText(plan, record["plan"].dump());
        const auto html = dir / "report.html", json = dir / "report.json";
        r = test::runCli({"audit", demoModel().string(), "--pairs", file.string(), "--variant",
                          variant.string(), "--variant", plan.string(), "--out", html.string(),
                          "--json", json.string()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto plainJson = dir / "plain.json";
        r = test::runCli({"audit", variant.string(), "--pairs", file.string(), "--out",
                          (dir / "plain.html").string(), "--json", plainJson.string()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto doc = test::readJson(json), plain = test::readJson(plainJson);
        QCOMPARE(doc["variants"].size(), std::size_t(2));
        auto outSeries = [](const nlohmann::json& group) {
            for (const auto& s : group["series"])
                if (s["component"] == "out")
                    return s;
            throw std::runtime_error("no out series");
        };
        for (const auto& v : doc["variants"]) {
            const auto where = v["path"].get<std::string>();
            QCOMPARE(v["kept_layers"].get<std::vector<int>>(), kept);
            QCOMPARE(v["layers"].get<int>(), 3);
            QCOMPARE(v["parameters"].get<int64_t>(), record["parameters"]["after"].get<int64_t>());
            // The variant's own audit is the plain audit of the folder.
            QCOMPARE(v["audit"]["categories"].size(), plain["categories"].size());
            for (std::size_t c = 0; c < plain["categories"].size(); ++c)
                for (const char* key : {"cosine_distance", "mean_abs_diff"})
                    for (std::size_t l = 0; l < kept.size(); ++l)
                        ANATOMIST_COMPARE_NEAR(
                            outSeries(v["audit"]["categories"][c])[key][l].get<double>(),
                            outSeries(plain["categories"][c])[key][l].get<double>(), 1e-6,
                            where + " " + key);
            // The comparison from the base's and the plain variant's JSONs.
            QCOMPARE(v["comparison"].size(), plain["categories"].size() + 1);
            for (std::size_t c = 0; c < v["comparison"].size(); ++c) {
                const auto& cmp = v["comparison"][c];
                const auto& baseGroup = c == 0 ? doc["overall"] : doc["categories"][c - 1];
                const auto& varGroup = c == 0 ? plain["overall"] : plain["categories"][c - 1];
                QCOMPARE(cmp["category"], baseGroup["name"]);
                QCOMPARE(cmp["metrics"].size(), std::size_t(2));
                for (const auto& m : cmp["metrics"]) {
                    const auto key = m["metric"].get<std::string>();
                    const auto base = outSeries(baseGroup)[key].get<std::vector<double>>();
                    const auto var = outSeries(varGroup)[key].get<std::vector<double>>();
                    double sumBase = 0, sumVar = 0;
                    for (int l = 0; l < 4; ++l) {
                        const auto at = std::find(kept.begin(), kept.end(), l);
                        const std::string cell = where + " " + cmp["category"].get<std::string>() +
                                                 " " + key + " layer " + std::to_string(l);
                        ANATOMIST_COMPARE_NEAR(m["base"][l].get<double>(), base[std::size_t(l)], 0,
                                               cell);
                        if (at == kept.end()) {
                            QVERIFY2(m["variant"][l].is_null() && m["ratio"][l].is_null() &&
                                         m["difference"][l].is_null(),
                                     cell.c_str());
                            continue;
                        }
                        const double x = var[std::size_t(at - kept.begin())],
                                     b = base[std::size_t(l)];
                        sumBase += b;
                        sumVar += x;
                        ANATOMIST_COMPARE_NEAR(m["variant"][l].get<double>(), x, 1e-6, cell);
                        ANATOMIST_COMPARE_NEAR(m["difference"][l].get<double>(), x - b, 1e-6, cell);
                        ANATOMIST_COMPARE_NEAR(m["ratio"][l].get<double>(), x / b,
                                               1e-5 * std::abs(x / b), cell);
                    }
                    const double ratio = sumVar / sumBase;
                    ANATOMIST_COMPARE_NEAR(m["base_mean"].get<double>(), sumBase / 3, 1e-12,
                                           where + " base mean");
                    ANATOMIST_COMPARE_NEAR(m["mean_ratio"].get<double>(), ratio, 1e-5 * ratio,
                                           where + " ratio");
                    const std::string change = ratio > 1.001   ? "widened"
                                               : ratio < 0.999 ? "narrowed"
                                                               : "unchanged";
                    QCOMPARE(m["change"].get<std::string>(), change);
                }
            }
        }
        QCOMPARE(doc["variants"][0]["layer_map"].get<std::string>(), std::string("variant.json"));
        QCOMPARE(doc["variants"][1]["layer_map"].get<std::string>(), std::string("plan"));
        // The report: the section, one more chart per group, the mean ratios as in the JSON.
        const QString text = QString::fromStdString(test::readText(html));
        QVERIFY(text.contains(QStringLiteral("Before and after compression")));
        const auto images = embeddedImages(text);
        QCOMPARE(int(images.size()),
                 2 + 2 * int(doc["categories"].size()) + int(doc["categories"].size()) + 1);
        for (const auto& svg : images)
            QVERIFY2(xmlError(svg).isEmpty(), qPrintable(xmlError(svg)));
        QVERIFY2(xmlError(text.toUtf8()).isEmpty(), qPrintable(xmlError(text.toUtf8())));
        for (const auto& cmp : doc["variants"][0]["comparison"]) {
            const auto& m = cmp["metrics"][0];
            const QString cell = QStringLiteral("<td>") +
                                 QString::asprintf("%.6g", m["mean_ratio"].get<double>()) +
                                 QStringLiteral("</td>");
            QVERIFY2(text.contains(cell + QStringLiteral("<td class=\"c\"><span style=\"color:")),
                     qPrintable(cell));
        }
    }

    void badVariantsAreNamed() {
        test::TempDir dir;
        const auto file = dir / "mini.jsonl";
        test::writeText(file, kPairs);
        // A shallower folder without variant.json: no layer map.
        const auto variant = dir / "variant";
        auto r = test::runCli(
            {"prune", demoModel().string(), "--out", variant.string(), "--remove-layers", "1"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        test::fs::remove(variant / "variant.json");
        r = test::runCli({"audit", demoModel().string(), "--pairs", file.string(), "--variant",
                          variant.string(), "--out", (dir / "r.html").string()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("no variant.json") != std::string::npos &&
                     r.err.find(variant.string()) != std::string::npos,
                 r.err.c_str());
        QVERIFY(!test::fs::exists(dir / "r.html"));
        // A plan that needs data is refused, naming the plan.
        const auto plan = dir / "fair.json";
        test::writeText(plan, R"({"format": "anatomist-plan", "version": 1, "operations": [)"
                              R"({"op": "fairness_neurons", "pairs": "x.jsonl", "count": 4}]})");
        r = test::runCli({"audit", demoModel().string(), "--pairs", file.string(), "--variant",
                          plan.string(), "--out", (dir / "r.html").string()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("fair.json: operation fairness_neurons needs data") !=
                     std::string::npos,
                 r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestFairnessAudit)
#include "tst_fairness_audit.moc"
