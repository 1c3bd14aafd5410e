// The analysis views of issue 15 in the main window, on stories260K: each view, filled by its
// controller through the job runner, shows exactly the engine's numbers (1e-9), the contrastive
// PCA scatter equals `anatomist-cli analyze contrastive --details` coordinates, the heatmap's bins
// and colour clipping follow their definitions (recomputed here), and bad pair files give an error
// naming the file and the line.

#include "activation_controller.h"
#include "analysis/activations.h"
#include "analysis/datasets.h"
#include "analysis/logit_lens.h"
#include "analysis/neuron_importance.h"
#include "analysis/pair_sets.h"
#include "analysis_views.h"
#include "contrastive_controller.h"
#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "job.h"
#include "logit_lens_controller.h"
#include "main_window.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "neuron_controller.h"
#include "similarity_controller.h"
#include "test_support.h"
#include "widgets/activation_view.h"
#include "widgets/contrastive_view.h"
#include "widgets/difference_heatmap.h"
#include "widgets/logit_lens_view.h"
#include "widgets/neuron_view.h"
#include "window_test_support.h"

#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <c10/core/InferenceMode.h>
#include <fstream>
#include <qcustomplot.h>

using namespace anatomist;

namespace {

const char* kModel = "models/stories260K";
constexpr double kTol = 1e-9; // same inputs, same code: only the thread differs

QString modelPath() {
    return QString::fromStdString((test::sharedDir() / kModel).string());
}

bool loadInto(gui::MainWindow& window) {
    return test::loadInto(window, modelPath());
}

core::LoadedModel loadDirect() {
    return core::loadModel(modelPath().toStdString(), {}, core::nullJobContext());
}

// First n lines of a shared pair file, written to dir.
std::string pairSubset(const test::TempDir& dir, int n) {
    std::ifstream in(test::sharedDir() / "data/pairs_stories.jsonl");
    std::string line, out;
    for (int i = 0; i < n && std::getline(in, line); ++i)
        out += line + "\n";
    const auto path = dir / "pairs.jsonl";
    test::writeText(path, out);
    return path.string();
}

} // namespace

// Every number of `expected` at 1e-9 in `actual`, every string and key equal; timings and the
// command line (which names the writer) are skipped.
static void compareJson(const nlohmann::json& actual, const nlohmann::json& expected,
                        const std::string& at, std::vector<std::string>& differences) {
    if (expected.is_object()) {
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            if (it.key() == "seconds" || it.key() == "command_line")
                continue;
            if (!actual.contains(it.key()))
                differences.push_back(at + "/" + it.key() + " missing");
            else
                compareJson(actual[it.key()], it.value(), at + "/" + it.key(), differences);
        }
    } else if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size()) {
            differences.push_back(at + ": array sizes differ");
            return;
        }
        for (std::size_t i = 0; i < expected.size(); ++i)
            compareJson(actual[i], expected[i], at + "/" + std::to_string(i), differences);
    } else if (expected.is_number()) {
        if (!actual.is_number() || std::abs(actual.get<double>() - expected.get<double>()) > 1e-9)
            differences.push_back(at + ": " + actual.dump() + " != " + expected.dump());
    } else if (actual != expected) {
        differences.push_back(at + ": " + actual.dump() + " != " + expected.dump());
    }
}

class TestAnalysisViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistTest"), m_settings.path());
    }

    void activationViewShowsEngineValues() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.resize(1280, 800);
        window.show();
        QVERIFY(loadInto(window));
        auto& views = window.analysisViews();
        auto* view = views.activationView();
        const QString prompt = QStringLiteral("Once upon a time, there was a cat.");
        view->setPrompt(prompt);
        view->setComponent(QStringLiteral("gate"));
        QSignalSpy done(&views.activations(), &gui::ViewController::finished);
        views.runDefault(QStringLiteral("activations"));
        QVERIFY(done.wait(60000));

        const auto loaded = loadDirect();
        const auto ids = core::promptIds(*loaded.tokenizer, prompt.toStdString());
        const auto expected =
            core::captureActivations(*loaded.model, ids, core::TapPoint::Gate, {},
                                     core::nullJobContext(), loaded.tokenizer.get());
        const auto& shown = view->results();
        QCOMPARE(shown.component, QStringLiteral("gate"));
        QCOMPARE(int(shown.layers.size()), loaded.model->numLayers());
        QCOMPARE(shown.tokens.size(), qsizetype(ids.size()));
        for (std::size_t t = 0; t < ids.size(); ++t)
            QCOMPARE(shown.tokens[qsizetype(t)],
                     QString::fromStdString(loaded.tokenizer->idToToken(ids[t])));
        for (std::size_t l = 0; l < expected.matrices.size(); ++l) {
            const auto& e = expected.matrices[l];
            const auto& s = shown.layers[l];
            QCOMPARE(s.rows, int(e.rows));
            QCOMPARE(s.cols, int(e.cols));
            for (int64_t i = 0; i < e.rows * e.cols; ++i)
                ANATOMIST_COMPARE_NEAR(s.values[qsizetype(i)], e.values[std::size_t(i)], kTol,
                                       "layer " + std::to_string(l) + " element " +
                                           std::to_string(i));
            ANATOMIST_COMPARE_NEAR(shown.meanAbsPerLayer[qsizetype(l)],
                                   expected.meanAbsAllLayers[l], kTol,
                                   "mean |activation| layer " + std::to_string(l));
        }

        // Layer 3 as drawn: 172 gate neurons ≤ kExactSpan, so every cell is exact; gate values are
        // signed, so the map is diverging and clipped at ±the 99th percentile of |v|.
        view->setLayer(3);
        const auto& m = expected.matrices[3];
        QCOMPARE(view->effectiveBinWidth(), 1);
        for (int r = 0; r < int(m.rows); ++r)
            for (int c = 0; c < int(m.cols); ++c)
                ANATOMIST_COMPARE_NEAR(view->displayedCell(r, c), m.at(r, c), kTol, "cell");
        std::vector<double> magnitudes;
        for (float v : m.values)
            magnitudes.push_back(std::abs(double(v)));
        std::sort(magnitudes.begin(), magnitudes.end());
        const double pos = 0.99 * double(magnitudes.size() - 1);
        const auto lo = std::size_t(pos);
        const double p99 =
            magnitudes[lo] + (magnitudes[lo + 1] - magnitudes[lo]) * (pos - double(lo));
        QVERIFY(view->isDiverging());
        ANATOMIST_COMPARE_NEAR(view->colourUpper(), p99, kTol, "colour clip");
        ANATOMIST_COMPARE_NEAR(view->colourLower(), -p99, kTol, "colour clip");
        const QString hover = view->hoverText(2, 5);
        QVERIFY2(hover.contains(shown.tokens[2]) && hover.contains(QStringLiteral("neuron 5")),
                 qPrintable(hover));
        window.grab().save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                           QStringLiteral("/activations.png"));
    }

    void wideLayersAreBinnedUntilZoomed() {
        widgets::ActivationView view;
        view.resize(1000, 600);
        view.show();
        widgets::ActivationData data;
        data.component = QStringLiteral("act");
        const int rows = 3, cols = 1000;
        widgets::Matrix m{rows, cols, {}};
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                m.values << std::sin(0.37 * c + r) * (c % 7); // signed, uneven
        data.layers = {m, m};
        data.tokens = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        data.meanAbsPerLayer = {1, 2};
        view.setResults(data);
        QCOMPARE(view.binWidth(), 64);
        QCOMPARE(view.effectiveBinWidth(), 64);
        // Bin 15 holds neurons 960..999 (40 of them): its colour is their mean.
        for (int b : {0, 7, 15}) {
            const int begin = b * 64, end = std::min(cols, begin + 64);
            double sum = 0;
            for (int c = begin; c < end; ++c)
                sum += m.at(1, c);
            ANATOMIST_COMPARE_NEAR(view.displayedCell(1, b), sum / (end - begin), kTol, "bin mean");
        }
        view.zoomNeurons(100, 300);
        QTRY_COMPARE(view.effectiveBinWidth(), 1);
        ANATOMIST_COMPARE_NEAR(view.displayedCell(2, 250), m.at(2, 250), kTol, "exact after zoom");
        view.zoomNeurons(-0.5, cols - 0.5);
        QTRY_COMPARE(view.effectiveBinWidth(), 64);
    }

    void contrastiveScatterEqualsCli() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        ANATOMIST_REQUIRE_SHARED("data/pairs_stories.jsonl");
        test::TempDir dir;
        const std::string pairs = pairSubset(dir, 3);
        gui::MainWindow window;
        window.setInteractive(false);
        window.resize(1280, 800);
        window.show();
        QVERIFY(loadInto(window));
        auto& views = window.analysisViews();
        auto* view = views.contrastiveView();
        QSignalSpy loadedPairs(&views.contrastive(), &gui::ContrastiveController::pairsLoaded);
        views.contrastive().loadPairs(QString::fromStdString(pairs));
        QVERIFY(loadedPairs.wait(20000));
        QCOMPARE(view->pairs().size(), std::size_t(3));
        QSignalSpy done(&views.contrastive(), &gui::ViewController::finished);
        views.contrastive().run();
        QVERIFY(done.wait(60000));

        const auto cli = test::runCli({"analyze", "contrastive", modelPath().toStdString(),
                                       "--pairs", pairs, "--details", "--json"});
        QCOMPARE(cli.exitCode, 0);
        const auto json = cli.json();
        const auto& shown = view->results();
        QCOMPARE(shown.pairs.size(), json["pairs"].size());
        for (std::size_t p = 0; p < shown.pairs.size(); ++p) {
            const auto& jp = json["pairs"][p];
            view->selectPair(int(p));
            QCOMPARE(shown.pairs[p].alignment,
                     QString::fromStdString(jp["alignment"].get<std::string>()));
            QVERIFY(view->alignmentText().contains(jp["alignment"] == "tokens"
                                                       ? QStringLiteral("token by token")
                                                       : QStringLiteral("Alignment")));
            for (const auto& jc : jp["components"]) {
                const QString component =
                    QString::fromStdString(jc["component"].get<std::string>());
                view->setPcaComponent(component);
                for (const auto& jl : jc["layers"]) {
                    const int layer = jl["index"].get<int>();
                    view->setPcaLayer(layer);
                    for (bool b : {false, true}) {
                        const auto points = view->scatterPoints(b);
                        const auto& jm = jl["pca"][b ? "b" : "a"]["values"];
                        QCOMPARE(points.size(), qsizetype(jm.size()));
                        for (std::size_t r = 0; r < jm.size(); ++r) {
                            const std::string at =
                                "pair " + std::to_string(p) + " " + component.toStdString() +
                                " layer " + std::to_string(layer) + " row " + std::to_string(r);
                            ANATOMIST_COMPARE_NEAR(points[qsizetype(r)].x(), jm[r][0].get<double>(),
                                                   kTol, at + " x");
                            ANATOMIST_COMPARE_NEAR(points[qsizetype(r)].y(), jm[r][1].get<double>(),
                                                   kTol, at + " y");
                        }
                    }
                    const QString axis =
                        view->plot()->axisRectCount() > 1
                            ? view->plot()->axisRect(1)->axis(QCPAxis::atBottom)->label()
                            : QString();
                    QVERIFY2(
                        axis.contains(QLocale().toString(
                            jl["pca"]["explained_variance_ratio"][0].get<double>() * 100, 'f', 1)),
                        qPrintable(axis));
                }
            }
            // The lines: mean |diff| per layer per component, as the CLI's mean_per_layer.
            for (std::size_t c = 0; c < jp["components"].size(); ++c) {
                const auto& means = jp["components"][c]["mean_per_layer"];
                for (std::size_t l = 0; l < means.size(); ++l)
                    ANATOMIST_COMPARE_NEAR(view->lineValue(int(c), int(l)), means[l].get<double>(),
                                           kTol, "mean line");
                ANATOMIST_COMPARE_NEAR(shown.pairs[p].components[c].overall.l2,
                                       jp["components"][c]["overall"]["l2"].get<double>(), kTol,
                                       "overall l2");
            }
            QCOMPARE(view->metricsTable()->rowCount(), int(jp["components"].size()) + 1);
        }
        // Across the set: mean and max across pairs.
        view->setScope(QStringLiteral("*"));
        for (std::size_t c = 0; c < json["aggregate"].size(); ++c) {
            const auto& agg = json["aggregate"][c];
            for (std::size_t l = 0; l < agg["mean_across_pairs"].size(); ++l) {
                ANATOMIST_COMPARE_NEAR(view->lineValue(int(c), int(l)),
                                       agg["mean_across_pairs"][l].get<double>(), kTol,
                                       "mean across pairs");
                ANATOMIST_COMPARE_NEAR(view->lineValue(int(c), int(l), true),
                                       agg["max_across_pairs"][l].get<double>(), kTol,
                                       "max across pairs");
            }
        }
        window.grab().save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                           QStringLiteral("/contrastive.png"));
    }

    // A default pair set by name, the difference heatmap against the CLI, the audit report export.
    void pairSetHeatmapAndAuditExport() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.resize(1280, 800);
        window.show();
        QVERIFY(loadInto(window));
        auto& views = window.analysisViews();
        auto* view = views.contrastiveView();
        QSignalSpy loadedPairs(&views.contrastive(), &gui::ContrastiveController::pairsLoaded);
        views.contrastive().loadPairSet(QStringLiteral("religion"));
        QVERIFY(loadedPairs.wait(20000));
        while (view->pairsSource() !=
               QLatin1String("set:religion")) // the start-up examples may come first
            QVERIFY(loadedPairs.wait(20000));
        QCOMPARE(view->pairs().size(), core::loadPairSet("religion").size());
        QSignalSpy done(&views.contrastive(), &gui::ViewController::finished);
        views.contrastive().run();
        QVERIFY(done.wait(60000));
        const auto cli = test::runCli(
            {"analyze", "contrastive", modelPath().toStdString(), "--pairs", "religion", "--json"});
        QCOMPARE(cli.exitCode, 0);
        const auto json = cli.json();
        auto* heatmap = view->heatmap();
        QCOMPARE(heatmap->rows(), int(json["pairs"].size()));
        QCOMPARE(heatmap->columns(), int(json["pairs"][0]["components"][0]["layers"].size()));
        QCOMPARE(heatmap->component(), QStringLiteral("out"));
        for (std::size_t p = 0; p < json["pairs"].size(); ++p)
            for (const auto& jl : json["pairs"][p]["components"][2]["layers"])
                ANATOMIST_COMPARE_NEAR(heatmap->value(int(p), jl["index"].get<int>()),
                                       jl["cosine_distance"].get<double>(), kTol, "heatmap cell");
        view->showHeatmap();
        window.grab().save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                           QStringLiteral("/contrastive-heatmap.png"));
        // Export audit report: the same core function as `anatomist-cli audit`, written in the
        // background.
        test::TempDir dir;
        const QString file = QString::fromStdString((dir / "audit.html").string());
        QSignalSpy written(&views.contrastive(), &gui::ContrastiveController::auditWritten);
        views.contrastive().exportAudit(file);
        QVERIFY(written.wait(120000));
        const QString html = QString::fromStdString(test::readText(dir / "audit.html"));
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("Category: religion")));
        QVERIFY(html.contains(QStringLiteral("--pairs religion")));

        // The other two types of the dialog's filters, as `audit --json` and `audit --pdf` write
        // them.
        const QString jsonFile = QString::fromStdString((dir / "audit.json").string());
        views.contrastive().exportAudit(jsonFile);
        QVERIFY(written.wait(120000));
        const auto shownJson = test::readJson(dir / "audit.json");
        QVERIFY(shownJson["command_line"].get<std::string>().find(
                    "--json '" + jsonFile.toStdString() + "'") != std::string::npos);
        const auto cliAudit =
            test::runCli({"audit", modelPath().toStdString(), "--pairs", "religion", "--out",
                          (dir / "cli.html").string(), "--json", (dir / "cli.json").string()});
        QCOMPARE(cliAudit.exitCode, 0);
        std::vector<std::string> differences;
        compareJson(shownJson, test::readJson(dir / "cli.json"), "", differences);
        QVERIFY2(differences.empty(), differences.empty() ? "" : differences.front().c_str());

        const QString pdfFile = QString::fromStdString((dir / "audit.pdf").string());
        views.contrastive().exportAudit(pdfFile);
        QVERIFY(written.wait(120000));
        const std::string pdf = test::readBytes(dir / "audit.pdf");
        QVERIFY(pdf.rfind("%PDF-", 0) == 0);
        QVERIFY2(pdf.find("/Type /Page") != std::string::npos ||
                     pdf.find("/Type/Page") != std::string::npos,
                 "no page in the PDF");
        QVERIFY(pdf.size() > 20000); // tables and embedded charts, not an empty page
    }

    void badPairFilesNameFileAndLine_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing b")
            << "pairs.jsonl" << QByteArray("{\"a\": \"x\", \"b\": \"y\"}\n{\"a\": \"only a\"}\n")
            << "pairs.jsonl:2:";
        QTest::newRow("empty prompt")
            << "pairs.jsonl" << QByteArray("{\"a\": \"\", \"b\": \"y\"}\n") << "pairs.jsonl:1:";
        QTest::newRow("bad utf-8")
            << "pairs.jsonl"
            << QByteArray("{\"a\": \"ok\", \"b\": \"y\"}\n{\"a\": \"\xff\xfe\", \"b\": \"y\"}\n")
            << "pairs.jsonl:2:";
        QTest::newRow("csv header")
            << "pairs.csv" << QByteArray("first,second\nx,y\n") << "pairs.csv:1:";
    }

    void badPairFilesNameFileAndLine() {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        test::TempDir dir;
        const auto path = dir / name.toStdString();
        test::writeBytes(path, content.toStdString());
        gui::MainWindow window;
        window.setInteractive(false);
        QSignalSpy errors(&window, &gui::MainWindow::errorShown);
        auto& views = window.analysisViews();
        QSignalSpy builtIn(&views.contrastive(), &gui::ContrastiveController::pairsLoaded);
        QVERIFY(builtIn.wait(20000)); // the built-in pairs, read at start-up
        const auto before = views.contrastiveView()->pairs().size();
        views.contrastive().loadPairs(QString::fromStdString(path.string()));
        QVERIFY(errors.wait(20000));
        const QString message = errors.last().at(1).toString();
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(views.contrastiveView()->pairs().size(), before); // the editor keeps its pairs
    }

    void neuronViewShowsEngineScores() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(loadInto(window));
        auto& views = window.analysisViews();
        auto* view = views.neuronView();
        const auto loaded = loadDirect();
        for (const QString& method : {QStringLiteral("ppm"), QStringLiteral("activation")}) {
            view->setMethod(method);
            QSignalSpy done(&views.neurons(), &gui::ViewController::finished);
            views.neurons().run();
            QVERIFY(done.wait(60000));
            std::vector<std::vector<core::TokenId>> documents;
            if (method == QLatin1String("activation"))
                documents = core::tokenizeDocuments(
                    *loaded.tokenizer,
                    core::splitDocuments(gui::SimilarityController::sampleText().toStdString()));
            const auto expected = core::scoreNeurons(
                *loaded.model, *core::parseNeuronScoreMethod(method.toStdString()), documents,
                core::nullJobContext());
            const auto& shown = view->results();
            QCOMPARE(shown.method, method);
            QCOMPARE(shown.layers.size(), expected.layers.size());
            for (std::size_t l = 0; l < expected.layers.size(); ++l)
                for (std::size_t k = 0; k < expected.layers[l].size(); ++k)
                    ANATOMIST_COMPARE_NEAR(shown.layers[l][qsizetype(k)], expected.layers[l][k],
                                           kTol, method.toStdString());
            view->setLayer(2);
            const auto& s = expected.layers[2];
            const auto best = std::max_element(s.begin(), s.end()) - s.begin();
            QCOMPARE(view->topTable()->item(0, 1)->text().toLongLong(), qint64(best));
            const auto curve = view->curveValues();
            ANATOMIST_COMPARE_NEAR(curve.front(), *std::max_element(s.begin(), s.end()), kTol,
                                   "curve max");
            ANATOMIST_COMPARE_NEAR(curve.back(), *std::min_element(s.begin(), s.end()), kTol,
                                   "curve min");
        }
    }

    void fairnessScoresFollowTheFormulaAndTheCli() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(
            loadInto(window)); // the built-in pairs are read before the model (jobs run in order)
        auto& views = window.analysisViews();
        const auto rows = views.contrastiveView()->pairs();
        QCOMPARE(rows.size(), std::size_t(6));
        views.neuronView()->setMethod(QStringLiteral("fairness"));
        QSignalSpy done(&views.neurons(), &gui::ViewController::finished);
        views.neurons().run();
        QVERIFY(done.wait(60000));
        const auto& shown = views.neuronView()->results();
        QCOMPARE(shown.method, QStringLiteral("fairness"));
        QCOMPARE(shown.pairs, 6);

        // F_k = w·norm(bias_k) + (1 − w)·(1 − norm(PPM_k)), w = 0.5, min-max norms, by hand.
        const auto loaded = loadDirect();
        std::vector<std::pair<std::vector<core::TokenId>, std::vector<core::TokenId>>> ids;
        std::string jsonl;
        for (const auto& p : rows) {
            ids.emplace_back(core::promptIds(*loaded.tokenizer, p.a.toStdString()),
                             core::promptIds(*loaded.tokenizer, p.b.toStdString()));
            jsonl += nlohmann::json{{"a", p.a.toStdString()},
                                    {"b", p.b.toStdString()},
                                    {"category", p.category.toStdString()}}
                         .dump() +
                     "\n";
        }
        const auto bias = core::measureNeuronBias(*loaded.model, ids, core::nullJobContext());
        const auto ppm = core::scoreNeurons(*loaded.model, core::NeuronScoreMethod::Ppm, {},
                                            core::nullJobContext());
        for (std::size_t l = 0; l < ppm.layers.size(); ++l) {
            const auto b = bias.mean[l].to(torch::kFloat64).contiguous();
            const double* bv = b.data_ptr<double>();
            const auto& pv = ppm.layers[l];
            const auto [bmin, bmax] = std::minmax_element(bv, bv + b.numel());
            const auto [pmin, pmax] = std::minmax_element(pv.begin(), pv.end());
            for (std::size_t k = 0; k < pv.size(); ++k) {
                const double nb = (bv[k] - *bmin) / (*bmax - *bmin);
                const double np = (double(pv[k]) - *pmin) / (double(*pmax) - *pmin);
                ANATOMIST_COMPARE_NEAR(
                    shown.layers[l][qsizetype(k)], 0.5 * nb + 0.5 * (1 - np), 1e-5,
                    "F layer " + std::to_string(l) + " neuron " + std::to_string(k));
            }
        }
        // The CLI computes the same scores from the same pairs.
        test::TempDir dir;
        test::writeText(dir / "pairs.jsonl", jsonl);
        const auto cli =
            test::runCli({"analyze", "importance", modelPath().toStdString(), "--method",
                          "fairness", "--pairs", (dir / "pairs.jsonl").string(), "--json"});
        QCOMPARE(cli.exitCode, 0);
        const auto json = cli.json();
        for (std::size_t l = 0; l < json["layers"].size(); ++l)
            for (std::size_t k = 0; k < json["layers"][l]["scores"].size(); ++k)
                ANATOMIST_COMPARE_NEAR(shown.layers[l][qsizetype(k)],
                                       json["layers"][l]["scores"][k].get<double>(), kTol, "CLI");
    }

    void logitLensShowsEngineValues() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(loadInto(window));
        auto& views = window.analysisViews();
        auto* view = views.logitLensView();
        view->setTopK(4);
        QSignalSpy done(&views.logitLens(), &gui::ViewController::finished);
        views.runDefault(QStringLiteral("logit-lens"));
        QVERIFY(done.wait(60000));
        const auto loaded = loadDirect();
        const auto ids = core::promptIds(*loaded.tokenizer, view->prompt().toStdString());
        const auto expected =
            core::logitLens(*loaded.model, ids, 4, core::nullJobContext(), loaded.tokenizer.get());
        const auto& shown = view->results();
        QCOMPARE(shown.layers.size(), expected.layers.size());
        for (std::size_t l = 0; l < expected.layers.size(); ++l)
            for (std::size_t t = 0; t < ids.size(); ++t)
                for (int i = 0; i < 4; ++i) {
                    QCOMPARE(shown.layers[l][t].tokens[i],
                             QString::fromStdString(expected.layers[l][t].tokens[std::size_t(i)]));
                    ANATOMIST_COMPARE_NEAR(shown.layers[l][t].probs[i],
                                           expected.layers[l][t].probs[std::size_t(i)], kTol,
                                           "prob");
                }
        // Independent check: the last layer's row is the model's own next-token distribution.
        c10::InferenceMode guard;
        const auto idTensor =
            torch::tensor(std::vector<int64_t>(ids.begin(), ids.end())).unsqueeze(0);
        const auto probs =
            torch::softmax(loaded.model->forward(idTensor).logits[0].to(torch::kFloat64), -1);
        const auto& last = shown.layers.back();
        for (std::size_t t = 0; t < ids.size(); ++t) {
            const auto top = probs[int64_t(t)].topk(4);
            for (int i = 0; i < 4; ++i)
                ANATOMIST_COMPARE_NEAR(last[t].probs[i], std::get<0>(top)[i].item<double>(), 1e-6,
                                       "final layer = model");
        }
        QCOMPARE(view->grid()->rowCount(), int(expected.layers.size()));
        QCOMPARE(view->grid()->columnCount(), int(ids.size()));
        QVERIFY(view->grid()->item(0, 0)->toolTip().contains(shown.layers[0][0].tokens[3]));
    }

    void analysisViewNamesAndDisabledRun() {
        gui::MainWindow window;
        QVERIFY(!window.analysisViews().runDefault(QStringLiteral("nonsense")));
        for (const QString& name : gui::AnalysisViews::viewNames())
            QVERIFY(window.analysisViews().showView(name));
        // No model yet: Run is disabled and the empty view says why.
        auto* run = window.analysisViews().activationView()->findChild<QPushButton*>(
            QStringLiteral("runActivations"));
        QVERIFY(run);
        QVERIFY(!run->isEnabled());
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestAnalysisViews)
#include "tst_analysis_views.moc"
