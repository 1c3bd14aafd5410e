// The application around the job runner: the similarity view shows the engine's values, the GUI
// thread keeps running during a similarity run (longest event-loop stall measured and reported),
// cancel works, closing the window during a job exits cleanly, exports write files, and the UI
// retranslates live.

#include "analysis/layer_similarity.h"
#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "job.h"
#include "job_runner.h"
#include "language.h"
#include "main_window.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "page_tabs.h"
#include "similarity_controller.h"
#include "stall_meter.h"
#include "test_support.h"
#include "widgets/jobs_panel.h"
#include "widgets/module_details.h"
#include "widgets/module_tree_view.h"
#include "widgets/plot_export.h"
#include "widgets/similarity_view.h"
#include "window_test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>
#include <c10/core/InferenceMode.h>
#include <qcustomplot.h>

using namespace anatomist;

namespace {

const char* kModel = "models/stories260K";

QString modelPath() {
    return QString::fromStdString((test::sharedDir() / kModel).string());
}

bool loadInto(gui::MainWindow& window) {
    return test::loadInto(window, modelPath());
}

// Tokenized built-in sample, repeated so that a run lasts long enough to observe.
gui::SimilarityController::Documents sampleTokens(const core::Tokenizer& tokenizer, int repeat) {
    const auto docs = core::splitDocuments(gui::SimilarityController::sampleText().toStdString());
    const auto once = core::tokenizeDocuments(tokenizer, docs);
    gui::SimilarityController::Documents out;
    for (int i = 0; i < repeat; ++i)
        out.insert(out.end(), once.begin(), once.end());
    return out;
}

} // namespace

class TestGuiJobs : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistTest"), m_settings.path());
    }

    void similarityViewShowsEngineValues() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.resize(1280, 800);
        window.show();
        QVERIFY(loadInto(window));

        QSignalSpy done(&window.similarity(), &gui::SimilarityController::finished);
        window.similarity().run(); // built-in sample, through the tokenizer
        QVERIFY(done.wait(120000));

        // The same computation, synchronously, straight from core.
        const auto loaded = core::loadModel(modelPath().toStdString(), {}, core::nullJobContext());
        c10::InferenceMode guard;
        const auto docs = core::tokenizeDocuments(
            *loaded.tokenizer,
            core::splitDocuments(gui::SimilarityController::sampleText().toStdString()));
        const auto expected =
            core::measureLayerSimilarity(*loaded.model, docs, {}, core::nullJobContext());

        const auto& shown = window.similarityView()->results();
        QCOMPARE(shown.size(), std::size_t(1));
        QCOMPARE(shown[0].layers.size(), expected.layers.size());
        QCOMPARE(shown[0].tokens, expected.tokens);
        const double tol = 1e-9; // same inputs, same code: only thread scheduling could differ
        for (std::size_t l = 0; l < expected.layers.size(); ++l) {
            const auto& e = expected.layers[l];
            const auto& s = shown[0].layers[l];
            const std::string at = "layer " + std::to_string(l);
            ANATOMIST_COMPARE_NEAR(s.block, e.block, tol, at + " block");
            ANATOMIST_COMPARE_NEAR(s.attention, e.attention, tol, at + " attention");
            ANATOMIST_COMPARE_NEAR(s.mlp, e.mlp, tol, at + " mlp");
            ANATOMIST_COMPARE_NEAR(s.importance, e.importance, tol, at + " importance");
            const int li = int(l);
            ANATOMIST_COMPARE_NEAR(window.similarityView()->heatmapValue(li, 0), 1 - e.block, tol,
                                   at + " heat block");
            ANATOMIST_COMPARE_NEAR(window.similarityView()->heatmapValue(li, 1), 1 - e.attention,
                                   tol, at + " heat attn");
            ANATOMIST_COMPARE_NEAR(window.similarityView()->heatmapValue(li, 2), 1 - e.mlp, tol,
                                   at + " heat mlp");
        }

        // Hovering a heatmap cell names its layer, component and value (UI locale, 4 decimals).
        {
            auto* view = window.similarityView();
            window.showView(QStringLiteral("similarity"));
            QTest::qWait(50);
            view->plot()->replot();
            QCPAxisRect* heat = nullptr;
            for (QCPAxisRect* rect : view->plot()->axisRects())
                if (rect->axis(QCPAxis::atLeft)->range().contains(1.0) &&
                    rect->axis(QCPAxis::atLeft)->rangeReversed())
                    heat = rect;
            QVERIFY(heat);
            const QPoint cell(
                int(heat->axis(QCPAxis::atBottom)->coordToPixel(2)),
                int(heat->axis(QCPAxis::atLeft)->coordToPixel(1))); // layer 2, attention
            const QString text = view->hoverText(cell);
            const QString value = QLocale().toString(1 - expected.layers[2].attention, 'f', 4);
            QVERIFY2(text.contains(QStringLiteral("layer 2")) &&
                         text.contains(QStringLiteral("attention")) && text.contains(value),
                     qPrintable(text + QStringLiteral(" / expected ") + value));
            QVERIFY(view->hoverText(QPoint(-5, -5)).isEmpty());
        }

        // Exports.
        const QString out = QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT);
        for (const char* ext : {"png", "svg", "pdf"}) {
            const QString file = out + QStringLiteral("/layer_similarity.") + QLatin1String(ext);
            QVERIFY2(window.similarityView()->exportPlot(file), qPrintable(file));
            QVERIFY(QFileInfo(file).size() > 1000);
        }
        // Exported figures carry a title naming the model, and not the on-screen click hint.
        QFile svg(out + QStringLiteral("/layer_similarity.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray svgText = svg.readAll();
        QVERIFY(svgText.contains("Layer similarity — stories260K"));
        QVERIFY(!svgText.contains("click to select"));
        QCOMPARE(widgets::withFilterSuffix(QStringLiteral("/tmp/plot"),
                                           QStringLiteral("SVG image (*.svg)")),
                 QStringLiteral("/tmp/plot.svg"));
        QCOMPARE(widgets::withFilterSuffix(QStringLiteral("/tmp/plot")),
                 QStringLiteral("/tmp/plot.png"));
        QCOMPARE(widgets::withFilterSuffix(QStringLiteral("/tmp/plot.pdf"),
                                           QStringLiteral("SVG image (*.svg)")),
                 QStringLiteral("/tmp/plot.pdf"));
        for (const char* ext : {"csv", "json"}) {
            const QString file = out + QStringLiteral("/layer_similarity.") + QLatin1String(ext);
            QVERIFY(window.similarityView()->exportData(file));
            QVERIFY(QFileInfo(file).size() > 50);
        }
        QFile csv(out + QStringLiteral("/layer_similarity.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), qsizetype(expected.layers.size() + 1));
        // The JSON export is the CLI's record (core::toJson), the dataset named for the reader.
        const auto exported =
            test::readJson((out + QStringLiteral("/layer_similarity.json")).toStdString());
        QCOMPARE(exported.size(), std::size_t{1});
        auto cliRecord = core::toJson(expected);
        cliRecord["dataset"] = exported[0].at("dataset");
        QCOMPARE(exported[0].at("layers").size(), cliRecord.at("layers").size());
        for (std::size_t l = 0; l < cliRecord.at("layers").size(); ++l)
            for (const auto& [key, value] : cliRecord.at("layers")[l].items())
                QVERIFY(std::abs(exported[0].at("layers")[l].at(key).get<double>() -
                                 value.get<double>()) <= tol);
        QVERIFY(exported[0].at("removal_order") == cliRecord.at("removal_order"));
        QCOMPARE(exported[0].size(), cliRecord.size());

        // Clicking a layer in the plot selects that block in the module tree.
        QSignalSpy clicked(window.similarityView(), &widgets::SimilarityView::layerClicked);
        emit window.similarityView()->layerClicked(2);
        QCOMPARE(window.treeView()->treeView()->currentIndex().data(Qt::UserRole + 1).toString(),
                 window.models().layerModuleName(2));
        window.grab().save(out + QStringLiteral("/main_window_similarity.png"));
    }

    // A .jsonl dataset is read by its "text" fields (as the CLI does), not as raw JSON; a missing
    // comparison file is reported and the main result still shown.
    void jsonlDatasetAndMissingComparison() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(loadInto(window));
        QTemporaryDir dir;
        const QString jsonl = dir.filePath(QStringLiteral("stories.jsonl"));
        QFile file(jsonl);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"text\": \"Once upon a time there was a little cat.\"}\n"
                   "{\"text\": \"The dog ran to the park and played with a ball.\"}\n");
        file.close();
        window.similarityView()->setDatasetPath(jsonl);
        window.similarityView()->setCompareDatasetPath(dir.filePath(QStringLiteral("missing.txt")));
        QSignalSpy done(&window.similarity(), &gui::SimilarityController::finished);
        QSignalSpy failed(&window.similarity(), &gui::SimilarityController::failed);
        window.similarity().run();
        QVERIFY(done.wait(120000));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("missing.txt")),
                 qPrintable(failed.first().at(0).toString()));

        const auto loaded = core::loadModel(modelPath().toStdString(), {}, core::nullJobContext());
        c10::InferenceMode guard;
        const auto docs = core::tokenizeDocuments(
            *loaded.tokenizer, {"Once upon a time there was a little cat.",
                                "The dog ran to the park and played with a ball."});
        const auto expected =
            core::measureLayerSimilarity(*loaded.model, docs, {}, core::nullJobContext());
        const auto& shown = window.similarityView()->results();
        QCOMPARE(shown.size(), std::size_t(1));
        QCOMPARE(shown[0].tokens, expected.tokens);
        for (std::size_t l = 0; l < expected.layers.size(); ++l)
            ANATOMIST_COMPARE_NEAR(shown[0].layers[l].block, expected.layers[l].block, 1e-9,
                                   "layer " + std::to_string(l));
    }

    void stallDuringSimilarityRun() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.resize(1280, 800);
        window.show();
        QVERIFY(loadInto(window));
        const auto docs = sampleTokens(*window.models().model()->tokenizer, 8);
        QSignalSpy done(&window.similarity(), &gui::SimilarityController::finished);
        QSignalSpy progress(&window.jobs(), &gui::JobRunner::progress);
        QElapsedTimer clock;
        clock.start();
        test::StallMeter meter;
        window.similarity().runOnTokens({{QStringLiteral("sample ×8"), docs}});
        QVERIFY(done.wait(300000));
        const double seconds = double(clock.elapsed()) / 1000;
        const double worst = meter.worstMs();
        qInfo("event-loop stall during a %.2f s similarity run: longest %.1f ms (goal <= 50 ms); "
              "%d progress signals (%.1f Hz)",
              seconds, worst, int(progress.size()), double(progress.size()) / seconds);
        QFile report(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) + QStringLiteral("/stall.txt"));
        if (report.open(QIODevice::WriteOnly))
            report.write(
                QStringLiteral("run_seconds %1\nlongest_stall_ms %2\nprogress_signals %3\n")
                    .arg(seconds)
                    .arg(worst)
                    .arg(progress.size())
                    .toUtf8());
        QVERIFY2(double(progress.size()) <= seconds * 10 + 3, "progress not throttled to ~10 Hz");
        if (worst > 50)
            qWarning("stall %.1f ms is above the 50 ms goal", worst);
        QVERIFY2(worst < 250, "the GUI thread blocked during a job");
    }

    void cancelFromJobsPanel() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(loadInto(window));
        const auto docs = sampleTokens(*window.models().model()->tokenizer, 400);
        QSignalSpy started(&window.jobs(), &gui::JobRunner::jobStarted);
        QSignalSpy cancelled(&window.jobs(), &gui::JobRunner::jobCancelled);
        QSignalSpy finished(&window.similarity(), &gui::SimilarityController::finished);
        window.similarity().runOnTokens({{QStringLiteral("long"), docs}});
        const quint64 id = window.similarity().currentJob();
        QVERIFY(started.wait(10000));
        auto* button =
            window.jobsPanel()->findChild<QPushButton*>(QStringLiteral("cancelJob%1").arg(id));
        QVERIFY(button);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(cancelled.wait(10000));
        qInfo("cancel took effect after %lld ms", clock.elapsed());
        QCOMPARE(cancelled.front().at(0).toULongLong(), id);
        QCOMPARE(finished.size(), 0);
        QTRY_COMPARE(window.jobsPanel()->jobCount(), 0);
        QCOMPARE(window.jobs().activeJobs(), 0);
        QVERIFY(window.similarityView()->results().empty());
    }

    void closeDuringRunningJob() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        auto* window = new gui::MainWindow;
        window->setInteractive(false);
        window->show();
        QVERIFY(loadInto(*window));
        const auto docs = sampleTokens(*window->models().model()->tokenizer, 400);
        QSignalSpy started(&window->jobs(), &gui::JobRunner::jobStarted);
        window->similarity().runOnTokens({{QStringLiteral("long"), docs}});
        QVERIFY(started.wait(10000));
        QTest::qWait(200); // well inside the run
        QVERIFY(window->jobs().activeJobs() > 0);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window->close());
        delete window;
        qInfo("closing during a job took %lld ms", clock.elapsed());
        QVERIFY(clock.elapsed() < 10000);
        QTest::qWait(50); // any stray queued call would crash here
    }

    // A mistyped path is an error naming the path; the model that was open stays open, named in the
    // status bar, with its tree opened down to the decoder blocks.
    void failedOpenKeepsTheLoadedModel() {
        ANATOMIST_REQUIRE_SHARED(kModel);
        gui::MainWindow window;
        window.setInteractive(false);
        window.show();
        QVERIFY(loadInto(window));
        auto* tree = window.treeView()->findChild<QTreeView*>();
        QVERIFY(tree);
        int visibleBlocks = 0;
        const auto* model = tree->model();
        for (QModelIndex i = model->index(0, 0); i.isValid(); i = tree->indexBelow(i))
            visibleBlocks +=
                i.siblingAtColumn(1).data().toString() == QLatin1String("DecoderLayer");
        QCOMPARE(visibleBlocks, window.models().model()->model->numLayers());

        const QString folder = window.models().folder();
        QSignalSpy failed(&window.models(), &gui::ModelController::loadFailed);
        QSignalSpy errors(&window, &gui::MainWindow::errorShown);
        const QString typo = folder + QStringLiteral("/no-such-model");
        window.openModel(typo);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), typo);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(window.models().folder(), folder);
        QCOMPARE(window.jobs().activeJobs(), 0); // no "Loading … 0 %" row left behind
        QVERIFY(window.models().model());
        auto* label = window.findChild<QLabel*>(QStringLiteral("modelLabel"));
        QVERIFY(label);
        QVERIFY2(label->text().startsWith(folder), qPrintable(label->text()));
    }

    // Selecting a weight computes its statistics in the background; they match torch's own numbers
    // on the tensor, and a GPT-2 Conv1D weight ([in, out]) is labelled by input rows.
    void weightStatisticsInTheBackground() {
        const auto gpt2 = test::sharedDir() / "fixtures/arch/gpt2";
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/gpt2");
        gui::MainWindow window;
        window.setInteractive(false);
        window.show();
        QSignalSpy loaded(&window.models(), &gui::ModelController::modelLoaded);
        window.openModel(QString::fromStdString(gpt2.string()));
        QVERIFY(loaded.wait(60000));
        // This folder has no tokenizer: nothing can be run through it, and Run says so by being
        // off.
        auto* run =
            window.similarityView()->findChild<QPushButton*>(QStringLiteral("runSimilarity"));
        QVERIFY(run);
        QVERIFY(!run->isEnabled());
        const QString name = QStringLiteral("transformer.h.0.attn.c_attn.weight");
        QSignalSpy ready(&window.models(), &gui::ModelController::weightStatsReady);
        window.treeView()->selectModule(name);
        QVERIFY(window.details()->stats().computing || ready.count() > 0);
        QVERIFY(ready.count() > 0 || ready.wait(30000));
        const auto& shown = window.details()->stats();
        QVERIFY(!shown.computing);
        QCOMPARE(shown.name, name);
        QVERIFY(shown.rowsAreInputs);
        QVERIFY2(window.details()->rowAxisLabel().startsWith(QStringLiteral("input row")),
                 qPrintable(window.details()->rowAxisLabel()));

        const auto reference = core::loadModel(gpt2.string(), {}, core::nullJobContext());
        c10::InferenceMode guard;
        torch::Tensor weight;
        for (const auto& p : reference.model->named_parameters(true))
            if (p.key() == name.toStdString())
                weight = p.value().to(torch::kFloat64);
        QVERIFY(weight.defined());
        QCOMPARE(shown.count, qint64(weight.numel()));
        ANATOMIST_COMPARE_NEAR(shown.mean, weight.mean().item<double>(), 1e-9, "mean");
        ANATOMIST_COMPARE_NEAR(shown.std, weight.std(/*unbiased=*/false).item<double>(), 1e-7,
                               "std");
        const auto norms = weight.norm(2, {1});
        QCOMPARE(shown.rowNorms.size(), qsizetype(weight.size(0))); // Conv1D: rows are the inputs
        for (int r = 0; r < shown.rowNorms.size(); r += 7)
            ANATOMIST_COMPARE_NEAR(shown.rowNorms[r], norms[r].item<double>(), 1e-5,
                                   "row " + std::to_string(r));
    }

    void liveRetranslation() {
        gui::MainWindow window;
        gui::PageTabs* tabs = window.pages();
        QWidget* similarity = window.similarityView();
        QTabWidget* row = tabs->rowOf(similarity);
        QVERIFY(row && row != tabs);
        const int group = tabs->indexOf(row);
        auto title = [&] { return tabs->pageTitle(similarity); };
        auto toolTip = [&] { return tabs->pageToolTip(similarity); };
        gui::applyLanguage(QStringLiteral("es"));
        QTRY_COMPARE(tabs->tabText(group), QStringLiteral("Análisis"));
        QCOMPARE(title(), QStringLiteral("Similitud"));
        QCOMPARE(toolTip(), QStringLiteral("Similitud entre capas"));
        gui::applyLanguage(QStringLiteral("ca"));
        QTRY_COMPARE(toolTip(), QStringLiteral("Similitud entre capes"));
        QCOMPARE(tabs->tabText(group), QStringLiteral("Anàlisi"));
        gui::applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(toolTip(), QStringLiteral("Layer similarity"));
        QCOMPARE(title(), QStringLiteral("Similarity"));
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestGuiJobs)
#include "tst_gui_jobs.moc"
