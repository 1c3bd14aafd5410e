// Compare → playground → export in the window, on the in-repository demo model with a variant made
// by the plan panel (layer 2 removed, 20 % of layer 0's MLP): the comparison table's parameter
// numbers equal the engine's counts and an independent count from `anatomist-cli info --json`, the
// delta is their difference, the removed layer is greyed out, the similarity curves have one point
// per layer of each model, the perplexity equals core's, Cancel stops a queued measurement; the
// playground's text equals core::generate called directly (greedy and seeded sampling); an HF
// folder export reloads with the model loader to the same logits (and the record of `prune`), GGUF
// exports of a depth-only variant and of the width-pruned one (llama.cpp's deci) reopen to the same
// logits, and a second export onto the same folder is refused with a message naming it.

#include "compare_controller.h"
#include "eval/perplexity.h"
#include "export_controller.h"
#include "io/text_documents.h"
#include "job.h"
#include "job_runner.h"
#include "main_window.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "prune/apply_plan.h"
#include "prune/variant_record.h"
#include "prune_adapter.h"
#include "similarity_controller.h"
#include "test_support.h"
#include "widgets/compare_view.h"
#include "widgets/export_dialog.h"
#include "widgets/module_tree_model.h"
#include "widgets/plan_editor.h"
#include "widgets/plan_panel.h"
#include "widgets/playground_view.h"
#include "widgets/variants_panel.h"
#include "window_test_support.h"

#include <QCheckBox>
#include <QFile>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTreeWidget>
#include <QtTest>
#include <atomic>
#include <cmath>
#include <qcustomplot.h>

using namespace anatomist;

namespace {

std::filesystem::path demoModel() {
    return test::sourceDir() / "resources/demo/model";
}

bool tick(gui::MainWindow& window, const QString& module) {
    auto* model = window.models().treeModel();
    const QModelIndex index = model->indexForName(module);
    return index.isValid() && model->setData(index, Qt::Checked, Qt::CheckStateRole);
}

torch::Tensor logits(core::CausalLM& model) {
    torch::NoGradGuard noGrad;
    const auto ids = torch::tensor({1, 17, 203, 45, 99, 311, 7, 64}, torch::kLong).unsqueeze(0);
    return model.forward(ids).logits;
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

int finitePoints(QCPGraph* graph) {
    int n = 0;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        n += std::isfinite(it->value) ? 1 : 0;
    return n;
}

} // namespace

class TestCompareFlow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistCompareTest"), m_settings.path());
        QVERIFY2(gui::pruneEngineAvailable(), "the compare flow needs the pruning engine");
        const auto cli = test::runCli({"info", demoModel().string(), "--json"});
        QVERIFY2(cli.exitCode == 0, cli.err.c_str());
        m_info = cli.json()["summary"];

        m_window = std::make_unique<gui::MainWindow>();
        m_window->setInteractive(false);
        QSignalSpy loaded(&m_window->models(), &gui::ModelController::modelLoaded);
        m_window->openModel(QString::fromStdString(demoModel().string()));
        QVERIFY(loaded.wait(60000));
        auto& plans = m_window->plans();
        QVERIFY(tick(*m_window, QStringLiteral("model.layers.2")));
        plans.panel()->setMlpPercent(20);
        QVERIFY(tick(*m_window, QStringLiteral("model.layers.0.mlp")));
        QSignalSpy added(&plans, &gui::PlanController::variantAdded);
        plans.apply(QStringLiteral("smaller"));
        QVERIFY(added.wait(60000));
        // A depth-only variant (plain llama architecture in GGUF).
        plans.editor()->clear();
        QVERIFY(tick(*m_window, QStringLiteral("model.layers.3")));
        plans.apply(QStringLiteral("shallower"));
        QVERIFY(added.wait(60000));
    }

    void cleanupTestCase() { m_window.reset(); }

    void tableMatchesEngineCounts() {
        auto& plans = m_window->plans();
        auto* view = m_window->comparison().view();
        // Selecting the two rows of the variants panel opens their comparison.
        auto* rows = plans.variantsPanel()->table();
        rows->clearSelection();
        rows->selectRow(0);
        rows->setSelectionMode(QAbstractItemView::MultiSelection);
        rows->selectRow(1);
        rows->setSelectionMode(QAbstractItemView::ExtendedSelection);
        QCOMPARE(view->currentA(), QStringLiteral("base"));
        QCOMPARE(view->currentB(), QStringLiteral("smaller"));

        const qint64 base = core::countParameters(*m_window->models().model()->model);
        const qint64 variant = core::countParameters(*plans.variant(QStringLiteral("smaller")));
        // Independent: the CLI's per-layer counts and the kept width of ALGORITHMS.md §5.
        const qint64 width = m_info["intermediate_size"].get<qint64>();
        const qint64 kept = width - qint64(std::floor(0.20 * double(width)));
        const qint64 expected =
            m_info["parameters"].get<qint64>() - m_info["parameters_per_layer"][2].get<qint64>() -
            m_info["mlp_parameters_per_layer"][0].get<qint64>() / width * (width - kept);
        QCOMPARE(base, m_info["parameters"].get<qint64>());
        QCOMPARE(variant, expected);
        auto* table = view->table();
        using Row = widgets::CompareView::Row;
        QCOMPARE(table->item(Row::Parameters, 0)->data(Qt::UserRole).toLongLong(), base);
        QCOMPARE(table->item(Row::Parameters, 1)->data(Qt::UserRole).toLongLong(), variant);
        QCOMPARE(table->item(Row::Parameters, 2)->data(Qt::UserRole).toLongLong(), variant - base);
        QCOMPARE(table->item(Row::Parameters, 0)->text(), QLocale().toString(base));
        QVERIFY2(
            table->item(Row::Parameters, 2)->text().startsWith(QLocale().toString(variant - base)),
            qPrintable(table->item(Row::Parameters, 2)->text()));
        QCOMPARE(table->item(Row::Memory, 1)->data(Qt::UserRole).toDouble(),
                 double(variant) * 4); // float32
        QCOMPARE(table->item(Row::Layers, 0)->data(Qt::UserRole).toInt(), 4);
        QCOMPARE(table->item(Row::Layers, 1)->data(Qt::UserRole).toInt(), 3);
        QCOMPARE(table->item(Row::Layers, 2)->data(Qt::UserRole).toInt(), -1);
        QCOMPARE(table->item(Row::Widths, 0)->text(), QStringLiteral("%1 × 4").arg(width));
        QCOMPARE(table->item(Row::Widths, 1)->text(),
                 QStringLiteral("%1, %2 × 2").arg(kept).arg(width));

        // The removed layer is greyed and struck out; layer 0's MLP is narrower.
        auto* tree = view->changesTree();
        QCOMPARE(tree->topLevelItemCount(), 4);
        QCOMPARE(tree->topLevelItem(2)->text(1), QStringLiteral("removed"));
        QVERIFY(tree->topLevelItem(2)->font(0).strikeOut());
        QCOMPARE(tree->topLevelItem(2)->foreground(0).color(),
                 view->palette().color(QPalette::Disabled, QPalette::Text));
        QCOMPARE(tree->topLevelItem(1)->text(1), QStringLiteral("kept"));
        QCOMPARE(tree->topLevelItem(0)->child(1)->text(2),
                 QStringLiteral("%1 → %2 neurons").arg(width).arg(kept));
    }

    void measureGivesCurvesPerplexityAndSpeed() {
        auto* view = m_window->comparison().view();
        view->select(QStringLiteral("base"), QStringLiteral("smaller"));
        QSignalSpy measured(&m_window->comparison(), &gui::CompareController::measured);
        view->measureButton()->click();
        QVERIFY(view->cancelButton()->isEnabled());
        QVERIFY(measured.wait(120000));
        QVERIFY(!view->cancelButton()->isEnabled());
        auto* plot = view->plot();
        QCOMPARE(plot->graphCount(), 2);
        QCOMPARE(finitePoints(plot->graph(0)), 4);
        QCOMPARE(finitePoints(plot->graph(1)), 3);
        QVERIFY(std::isnan(view->columnB().blockByBaseLayer[2])); // the removed layer is a gap
        // Layer 1 is untouched and reads the same residual stream only if layer 0 is too; it is not
        // (its MLP was narrowed), so the curves differ there but both are cosines.
        for (double c : view->columnA().blockByBaseLayer)
            QVERIFY(c > -1 && c <= 1.0 + 1e-9);

        // Perplexity: the same protocol as core's evaluatePerplexity on the built-in sample.
        auto loaded = m_window->models().model();
        const auto docs = core::tokenizeDocuments(
            *loaded->tokenizer,
            core::splitDocuments(gui::SimilarityController::sampleText().toStdString()));
        const double baseP =
            core::evaluatePerplexity(*loaded->model, docs, {}, core::nullJobContext()).perplexity;
        const double variantP =
            core::evaluatePerplexity(*m_window->plans().variant(QStringLiteral("smaller")), docs,
                                     {}, core::nullJobContext())
                .perplexity;
        QVERIFY2(std::abs(view->columnA().perplexity - baseP) <= 1e-9 * baseP,
                 qPrintable(QStringLiteral("%1 vs %2").arg(view->columnA().perplexity).arg(baseP)));
        QVERIFY(std::abs(view->columnB().perplexity - variantP) <= 1e-9 * variantP);
        QVERIFY(view->columnA().prefillTokensPerSecond > 0 &&
                view->columnB().decodeTokensPerSecond > 0);
        using Row = widgets::CompareView::Row;
        QCOMPARE(view->table()->item(Row::Prefill, 2)->data(Qt::UserRole).toDouble(),
                 view->columnB().prefillTokensPerSecond / view->columnA().prefillTokensPerSecond);

        // CSV: the table, then one row per base layer.
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("comparison.csv"));
        QVERIFY(view->exportData(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.value(1), QStringLiteral("parameters,%1,%2,%3")
                                     .arg(view->columnA().parameters)
                                     .arg(view->columnB().parameters)
                                     .arg(view->columnB().parameters - view->columnA().parameters));
        QCOMPARE(lines.size(), 1 + widgets::CompareView::RowCount + 1 + 4);
        const QString layer2 = lines.value(lines.size() - 2); // removed in B: an empty cell
        QVERIFY2(layer2.startsWith(QStringLiteral("2,")) && layer2.endsWith(QLatin1Char(',')),
                 qPrintable(layer2));
        QVERIFY(lines.last().startsWith(QStringLiteral("3,")) &&
                !lines.last().endsWith(QLatin1Char(',')));
        QVERIFY(view->exportPlot(dir.filePath(QStringLiteral("comparison.png"))));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("comparison.png"))).size() > 1000);
    }

    void measureCancelledWhileQueued() {
        // A job holding the analysis lane keeps the measurement queued, so Cancel meets it there.
        auto& runner = m_window->jobs();
        std::atomic<bool> release{false};
        const quint64 blocker = runner.submit(QStringLiteral("hold the lane"),
                                              [&](core::JobContext&) -> gui::JobRunner::Finish {
                                                  while (!release.load())
                                                      QThread::msleep(5);
                                                  return {};
                                              });
        auto* view = m_window->comparison().view();
        QSignalSpy cancelled(&runner, &gui::JobRunner::jobCancelled);
        view->measureButton()->click();
        const quint64 measure = m_window->comparison().measureJob();
        QVERIFY(measure != 0 && runner.isQueued(measure));
        QVERIFY(view->cancelButton()->isEnabled());
        view->cancelButton()->click();
        QCOMPARE(cancelled.size(), 1);
        QCOMPARE(cancelled[0][0].toULongLong(), measure);
        QCOMPARE(m_window->comparison().measureJob(), quint64(0));
        QVERIFY(view->measureButton()->isEnabled() && !view->cancelButton()->isEnabled());
        release = true;
        QSignalSpy ended(&runner, &gui::JobRunner::jobEnded);
        QVERIFY(ended.wait(10000) || !runner.isRunning(blocker));
    }

    void playgroundMatchesCoreGenerate() {
        auto& comparison = m_window->comparison();
        auto* playground = comparison.playground();
        auto loaded = m_window->models().model();
        const QString prompt = QStringLiteral("Once upon a time");
        playground->setPrompt(prompt);
        playground->select(QStringLiteral("base"), QStringLiteral("smaller"));
        playground->maxTokensBox()->setValue(12);
        const auto ids = loaded->tokenizer->encodeIds(prompt.toStdString(), true);
        auto expected = [&](core::CausalLM& model, bool greedy, uint64_t seed) {
            core::GenerateOptions o;
            o.maxNewTokens = 12;
            o.greedy = greedy;
            o.temperature = 0.8;
            o.seed = seed;
            if (loaded->tokenizer->eosId())
                o.stopIds.push_back(*loaded->tokenizer->eosId());
            for (auto id : loaded->config.eos_token_ids)
                o.stopIds.push_back(core::TokenId(id));
            const auto r = core::generate(model, ids, o, core::nullJobContext());
            return QString::fromStdString(loaded->tokenizer->decode(r.newIds, true));
        };
        auto& variant = *m_window->plans().variant(QStringLiteral("smaller"));
        for (const bool greedy : {true, false}) {
            playground->samplingBox()->setChecked(!greedy);
            playground->seedBox()->setValue(7);
            QSignalSpy generated(&comparison, &gui::CompareController::generated);
            playground->generateButton()->click();
            QVERIFY(generated.wait(60000));
            const QString left = expected(*loaded->model, greedy, 7),
                          right = expected(variant, greedy, 7);
            QVERIFY(!left.isEmpty());
            QCOMPARE(playground->answerText(0), left);
            QCOMPARE(playground->answerText(1), right);
        }
    }

    void exportRoundTrips() {
        auto& exporter = m_window->exporter();
        auto& variant = *m_window->plans().variant(QStringLiteral("smaller"));
        const auto reference = logits(variant);
        QTemporaryDir dir;

        // What the dialog says for this variant (per-layer MLP widths).
        auto* dialog = exporter.dialog(m_window.get(), QStringLiteral("smaller"));
        QCOMPARE(dialog->request().name, QStringLiteral("smaller"));
        const QString hfText = dialog->consequencesLabel()->text();
        QVERIFY2(hfText.contains(QStringLiteral("anatomist_layer_intermediate_sizes")) &&
                     hfText.contains(QStringLiteral("Stock transformers cannot load")),
                 qPrintable(hfText));

        // Hugging Face folder, through the dialog's request.
        const QString folder = dir.filePath(QStringLiteral("smaller-hf"));
        dialog->setRequest({QStringLiteral("smaller"), false, QStringLiteral("f32"), folder});
        QVERIFY(dialog->exportButton()->isEnabled());
        QSignalSpy exported(&exporter, &gui::ExportController::exported);
        dialog->exportButton()->click();
        QVERIFY(exported.wait(60000));
        QVERIFY(dialog->resultLabel()->text().contains(QStringLiteral("smaller-hf")));
        const auto reloaded = core::loadModel(folder.toStdString(), {}, core::nullJobContext());
        QCOMPARE(reloaded.model->numLayers(), 3);
        QVERIFY(reloaded.tokenizer);
        const double hfDiff = maxDiff(logits(*reloaded.model), reference);
        QVERIFY2(hfDiff < 1e-5, qPrintable(QString::number(hfDiff)));
        const auto record =
            core::readVariantRecord(std::filesystem::path(folder.toStdString()) / "variant.json");
        QCOMPARE(record.keptLayers, (std::vector<int>{0, 1, 3}));
        QCOMPARE(record.parametersAfter, core::countParameters(variant));
        QVERIFY(!record.stockCompatible);

        // The same folder again: refused, nothing lost.
        QSignalSpy failed(&exporter, &gui::ExportController::failed);
        QVERIFY(exporter.start({QStringLiteral("smaller"), false, QStringLiteral("f32"), folder}) !=
                0);
        QVERIFY(failed.wait(60000));
        QVERIFY2(failed[0][1].toString().contains(QStringLiteral("not empty")) &&
                     failed[0][1].toString().contains(QStringLiteral("smaller-hf")),
                 qPrintable(failed[0][1].toString()));
        QVERIFY(QFile::exists(folder + QStringLiteral("/model.safetensors")));

        // Nothing is ever written into the base model's folder.
        const QString inside = QString::fromStdString((demoModel() / "copy.gguf").string());
        QCOMPARE(exporter.start({QStringLiteral("smaller"), true, QStringLiteral("f32"), inside}),
                 quint64(0));
        QVERIFY(
            failed.last()[1].toString().contains(QStringLiteral("inside the base model's folder")));
        QVERIFY(!QFile::exists(inside));

        // GGUF (f32) of the depth-only variant, reopened by the GGUF reader.
        auto& shallower = *m_window->plans().variant(QStringLiteral("shallower"));
        const QString gguf = dir.filePath(QStringLiteral("shallower.gguf"));
        QVERIFY(exporter.start({QStringLiteral("shallower"), true, QStringLiteral("f32"), gguf}) !=
                0);
        QVERIFY(exported.wait(60000));
        const auto reopened = core::loadModel(gguf.toStdString(), {}, core::nullJobContext());
        QCOMPARE(reopened.model->numLayers(), 3);
        QVERIFY(reopened.tokenizer);
        const double ggufDiff = maxDiff(logits(*reopened.model), logits(shallower));
        QVERIFY2(ggufDiff < 1e-4, qPrintable(QString::number(ggufDiff)));
        // The width-pruned variant goes to GGUF as llama.cpp's deci architecture, which the dialog
        // says, and comes back with its per-layer widths.
        const QString deci = dir.filePath(QStringLiteral("smaller.gguf"));
        dialog->setRequest({QStringLiteral("smaller"), true, QStringLiteral("f32"), deci});
        QVERIFY(dialog->consequencesLabel()->text().contains(
            QStringLiteral("deci.feed_forward_length")));
        QVERIFY(dialog->exportButton()->isEnabled());
        dialog->exportButton()->click();
        QVERIFY(exported.wait(60000));
        const auto widths = core::loadModel(deci.toStdString(), {}, core::nullJobContext());
        QCOMPARE(widths.model->config().layer_intermediate_sizes,
                 variant.config().layer_intermediate_sizes);
        const double deciDiff = maxDiff(logits(*widths.model), reference);
        QVERIFY2(deciDiff < 1e-4, qPrintable(QString::number(deciDiff)));
        dialog->adjustSize();
        dialog->grab().save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                            QStringLiteral("/export-dialog.png"));
        dialog->close();
    }

private:
    QTemporaryDir m_settings;
    nlohmann::json m_info;
    std::unique_ptr<gui::MainWindow> m_window;
};

QTEST_MAIN(TestCompareFlow)
#include "tst_compare_flow.moc"
