// The selection → plan → variant flow in the window, on the in-repository demo model: ticking a
// layer and an MLP in the module tree builds the CLI's plan JSON, the plan panel's totals equal an
// independent count from `anatomist-cli info --json`, undo/redo, save/load round trip, a plan for
// another model is refused and the plan kept, similarity suggestions are one click away, and Apply
// (when the pruning engine is in the build) adds a variant with the right parameter count.

#include "eval/perplexity.h"
#include "io/text_documents.h"
#include "job.h"
#include "main_window.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "prune_adapter.h"
#include "similarity_controller.h"
#include "test_support.h"
#include "widgets/module_tree_model.h"
#include "widgets/plan_editor.h"
#include "widgets/plan_panel.h"
#include "widgets/similarity_view.h"
#include "widgets/variants_panel.h"
#include "window_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>
#include <cmath>

using namespace anatomist;

namespace {

std::filesystem::path demoModel() {
    return test::sourceDir() / "resources/demo/model";
}

bool loadDemo(gui::MainWindow& window) {
    QSignalSpy loaded(&window.models(), &gui::ModelController::modelLoaded);
    window.openModel(QString::fromStdString(demoModel().string()));
    return loaded.wait(60000);
}

// Ticks the check box of a module in the tree, as a click on it would.
bool tick(gui::MainWindow& window, const QString& module, bool on = true) {
    auto* model = window.models().treeModel();
    const QModelIndex index = model->indexForName(module);
    if (!index.isValid() || !(model->flags(index) & Qt::ItemIsUserCheckable))
        return false;
    return model->setData(index, on ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

} // namespace

class TestPlanFlow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistPlanTest"), m_settings.path());
        const auto cli = test::runCli({"info", demoModel().string(), "--json"});
        QVERIFY2(cli.exitCode == 0, cli.err.c_str());
        m_info = cli.json()["summary"];
    }

    void markLayerAndMlpTotalsMatchCli() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        auto& plans = window.plans();
        QVERIFY(tick(window, QStringLiteral("model.layers.2")));
        plans.panel()->setMlpPercent(20);
        QVERIFY(tick(window, QStringLiteral("model.layers.0.mlp")));

        // The plan is the CLI's JSON.
        const QJsonObject json = plans.editor()->plan().toJson();
        QCOMPARE(json.value("format").toString(), QStringLiteral("anatomist-plan"));
        QCOMPARE(json.value("version").toInt(), 1);
        QCOMPARE(json.value("base").toObject().value("num_hidden_layers").toInteger(),
                 m_info["layers"].get<qint64>());
        QCOMPARE(json.value("base").toObject().value("intermediate_size").toInteger(),
                 m_info["intermediate_size"].get<qint64>());
        const QJsonArray ops = json.value("operations").toArray();
        QCOMPARE(ops.size(), 2);
        QCOMPARE(ops[0].toObject(),
                 (QJsonObject{{"op", "remove_layers"}, {"layers", QJsonArray{2}}}));
        QCOMPARE(ops[1].toObject().value("op").toString(), QStringLiteral("prune_mlp"));
        QCOMPARE(ops[1].toObject().value("layers").toArray(), QJsonArray{0});
        QCOMPARE(ops[1].toObject().value("percent").toDouble(), 20.0);

        // The tree shows the marks.
        auto* tree = window.models().treeModel();
        QCOMPARE(tree->indexForName("model.layers.2").data(Qt::CheckStateRole).toInt(),
                 int(Qt::Checked));
        QCOMPARE(tree->indexForName("model.layers.0.mlp").data(Qt::CheckStateRole).toInt(),
                 int(Qt::Checked));
        QCOMPARE(tree->indexForName("model.layers.1").data(Qt::CheckStateRole).toInt(),
                 int(Qt::Unchecked));
        QVERIFY(tree->indexForName("model.layers.2.mlp.up_proj.weight")
                    .data(Qt::FontRole)
                    .value<QFont>()
                    .strikeOut());

        // Independent count: the CLI's per-layer figures and ALGORITHMS.md §5 for the kept width.
        const qint64 total = m_info["parameters"].get<qint64>();
        const qint64 layer2 = m_info["parameters_per_layer"][2].get<qint64>();
        const qint64 mlp0 = m_info["mlp_parameters_per_layer"][0].get<qint64>();
        const qint64 width = m_info["intermediate_size"].get<qint64>();
        const qint64 kept =
            width - std::min<qint64>(qint64(std::floor(0.20 * double(width))), width - 1);
        const qint64 expected =
            total - layer2 - mlp0 / width * (width - kept); // gate, up, down: no biases
        const auto& totals = plans.panel()->totals();
        QCOMPARE(totals.parametersBefore, total);
        QCOMPARE(totals.parametersAfter, expected);
        QCOMPARE(totals.bytesBefore, double(total) * 4); // float32 demo
        QCOMPARE(totals.bytesAfter, double(expected) * 4);
        QCOMPARE(totals.layersAfter, int(m_info["layers"].get<qint64>()) - 1);
        QCOMPARE(totals.widthAfter[0], kept);
        QCOMPARE(totals.widthAfter[2], qint64(0));
        QCOMPARE(plans.panel()->operationsTable()->rowCount(), 2);

        // Bypass saves nothing, and says so.
        QVERIFY(tick(window, QStringLiteral("model.layers.1.self_attn")));
        QCOMPARE(plans.panel()->totals().parametersAfter, expected);
        QVERIFY(plans.panel()->totals().bypassed[1]);

        // Undo / redo / unticking / the per-row remove button.
        QUndoStack* undo = plans.editor()->undoStack();
        undo->undo();
        QCOMPARE(plans.editor()->plan().operations.size(), 2);
        undo->undo();
        QCOMPARE(plans.panel()->totals().parametersAfter, total - layer2);
        QCOMPARE(tree->indexForName("model.layers.0.mlp").data(Qt::CheckStateRole).toInt(),
                 int(Qt::Unchecked));
        undo->redo();
        QCOMPARE(plans.panel()->totals().parametersAfter, expected);
        QVERIFY(tick(window, QStringLiteral("model.layers.2"), false));
        QCOMPARE(plans.panel()->totals().parametersAfter, total - mlp0 / width * (width - kept));
        auto* remove = plans.panel()->findChild<QToolButton*>(QStringLiteral("removeOperation0"));
        QVERIFY(remove);
        remove->click();
        QVERIFY(plans.editor()->plan().isEmpty());
        QCOMPARE(plans.panel()->totals().parametersAfter, total);
    }

    void saveLoadRoundTripAndForeignPlanRefused() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        auto& plans = window.plans();
        QVERIFY(tick(window, QStringLiteral("model.layers.3")));
        QVERIFY(tick(window, QStringLiteral("model.layers.1.mlp")));
        const widgets::PlanDocument before = plans.editor()->plan();
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("plan.json"));
        QVERIFY(plans.panel()->savePlanFile(file));
        plans.editor()->clear();
        QVERIFY(plans.editor()->plan().isEmpty());
        QVERIFY(plans.panel()->loadPlanFile(file));
        QVERIFY(plans.editor()->plan() == before);
        QCOMPARE(plans.panel()->totals().parametersAfter,
                 widgets::computeTotals(*window.models().treeModel()->root(), "float32", before)
                     .parametersAfter);

        // A plan written for the engine's 5-layer example model.
        QJsonObject foreign = before.toJson();
        QJsonObject base = foreign.value("base").toObject();
        base["num_hidden_layers"] = 5;
        base["hidden_size"] = 64;
        foreign["base"] = base;
        const QString foreignFile = dir.filePath(QStringLiteral("foreign.json"));
        QFile out(foreignFile);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(foreign).toJson());
        out.close();
        QSignalSpy errors(&window, &gui::MainWindow::errorShown);
        QVERIFY(!plans.panel()->loadPlanFile(foreignFile));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0][1].toString().contains(QStringLiteral("another model")),
                 qPrintable(errors[0][1].toString()));
        QVERIFY(errors[0][1].toString().contains(QStringLiteral("5 layers")));
        QVERIFY(plans.editor()->plan() == before); // nothing lost

        // "base" is optional (docs/plan-format.md), as for the engine: a hand-written plan without
        // it loads, and takes the open model's base.
        QJsonObject bare = before.toJson();
        bare.remove(QStringLiteral("base"));
        const QString bareFile = dir.filePath(QStringLiteral("bare.json"));
        QFile bareOut(bareFile);
        QVERIFY(bareOut.open(QIODevice::WriteOnly));
        bareOut.write(QJsonDocument(bare).toJson());
        bareOut.close();
        plans.editor()->clear();
        QVERIFY(plans.panel()->loadPlanFile(bareFile));
        QVERIFY(plans.editor()->plan() == before);
        QCOMPARE(errors.size(), 1);

        // Broken JSON names the file.
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        QFile b(broken);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("{\"format\": \"anatomist-plan\", ");
        b.close();
        QVERIFY(!plans.panel()->loadPlanFile(broken));
        QVERIFY(errors.last()[1].toString().contains(QStringLiteral("broken.json")));
        QVERIFY(plans.editor()->plan() == before);
    }

    void suggestionsFromSimilarityOneClickAway() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        QSignalSpy done(&window.similarity(), &gui::SimilarityController::finished);
        window.similarity().run();
        QVERIFY(done.wait(120000));
        const auto& series = window.similarityView()->results().front();
        int lowest = 0;
        for (const auto& s : series.layers)
            if (s.importance < series.layers[std::size_t(lowest)].importance)
                lowest = s.layer;
        auto* button = window.plans().panel()->findChild<QPushButton*>(
            QStringLiteral("suggestLayer%1").arg(lowest));
        QVERIFY2(button, "no suggestion button for the lowest-importance layer");
        button->click();
        QVERIFY(window.plans().editor()->plan().isMarked(widgets::PlanPart::Layer, lowest));
    }

    void applyAddsVariant() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        auto& plans = window.plans();
        QCOMPARE(plans.variantsPanel()->rowCount(), 1); // the base
        QCOMPARE(plans.variantsPanel()->row(QStringLiteral("base"))->parameters,
                 m_info["parameters"].get<qint64>());
        QVERIFY(tick(window, QStringLiteral("model.layers.2")));
        plans.panel()->setMlpPercent(20);
        QVERIFY(tick(window, QStringLiteral("model.layers.0.mlp")));
        if (!gui::pruneEngineAvailable()) {
            // Without the engine Apply must be visibly unavailable, not pretend.
            QVERIFY(!plans.panel()->applyButton()->isEnabled());
            QVERIFY(plans.panel()->applyButton()->toolTip().contains(
                QStringLiteral("not part of this build")));
            return;
        }
        QVERIFY(plans.panel()->applyButton()->isEnabled());
        QSignalSpy added(&plans, &gui::PlanController::variantAdded);
        plans.apply(QStringLiteral("smaller"));
        QVERIFY(added.wait(120000));
        const auto* row = plans.variantsPanel()->row(QStringLiteral("smaller"));
        QVERIFY(row);
        QCOMPARE(row->parameters, plans.panel()->totals().parametersAfter);
        qint64 counted = 0;
        for (const auto& p : plans.variant(QStringLiteral("smaller"))->parameters())
            counted += p.numel();
        QCOMPARE(counted, row->parameters); // the demo has no tied weights
    }

    void perplexityOfBaseMatchesEngine() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        auto& plans = window.plans();
        QVERIFY(std::isnan(plans.variantsPanel()->row(QStringLiteral("base"))->perplexity));
        QSignalSpy measured(&plans, &gui::PlanController::perplexityMeasured);
        plans.variantsPanel()->measureButton()->click();
        QVERIFY(measured.wait(120000));
        // The same computation straight from core.
        const auto loaded = core::loadModel(demoModel(), {}, core::nullJobContext());
        const auto docs = core::tokenizeDocuments(
            *loaded.tokenizer,
            core::splitDocuments(gui::SimilarityController::sampleText().toStdString()));
        const double expected =
            core::evaluatePerplexity(*loaded.model, docs, {}, core::nullJobContext()).perplexity;
        const double shown = plans.variantsPanel()->row(QStringLiteral("base"))->perplexity;
        QVERIFY2(std::abs(shown - expected) <= 1e-9 * expected,
                 qPrintable(QStringLiteral("%1 vs %2").arg(shown).arg(expected)));
        QVERIFY(std::isfinite(expected) && expected > 1);
    }

private:
    QTemporaryDir m_settings;
    nlohmann::json m_info;
};

QTEST_MAIN(TestPlanFlow)
#include "tst_plan_flow.moc"
