// Workspace sessions and the selection → plan controls of issue 14, in the window, on the
// in-repository demo model: 20 % of a layer's MLP neurons through the neuron view's control plus a
// ticked layer, applied; the variant's parameter count equals core::countParameters of the engine's
// own output for the same plan; the session saved and reopened (in the same window after other
// edits, and in a fresh window) gives the same plan, the same variants with the same counts and the
// same tab. Corrupt, foreign, newer, missing-model, missing-variant and no-longer-fitting sessions
// each give their message naming the file, and the workspace stays as it was. The heads editor's
// KV-group removal: totals against a count by hand and against the engine. Recent sessions: at
// most 8, a missing one greyed and, when chosen, removed with a message.

#include "analysis_views.h"
#include "job.h"
#include "main_window.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "neuron_controller.h"
#include "plan_controller.h"
#include "prune/apply_plan.h"
#include "prune/prune_plan.h"
#include "session_controller.h"
#include "test_support.h"
#include "widgets/heads_editor.h"
#include "widgets/module_tree_model.h"
#include "widgets/neuron_view.h"
#include "widgets/plan_editor.h"
#include "widgets/plan_panel.h"
#include "widgets/session_document.h"
#include "widgets/variants_panel.h"
#include "window_test_support.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace anatomist;

namespace {

using test::demoModel;

bool loadDemo(gui::MainWindow& window) {
    return test::loadInto(window);
}

bool tick(gui::MainWindow& window, const QString& module) {
    auto* model = window.models().treeModel();
    const QModelIndex index = model->indexForName(module);
    return index.isValid() && model->setData(index, Qt::Checked, Qt::CheckStateRole);
}

// Parameters of the engine's own output for `plan` on a freshly loaded demo model.
qint64 engineCount(const widgets::PlanDocument& plan) {
    const auto base = core::loadModel(demoModel().toStdString(), {}, core::nullJobContext());
    const auto json = nlohmann::json::parse(QJsonDocument(plan.toJson()).toJson().toStdString());
    auto result =
        core::applyPlan(*base.model, core::prunePlanFromJson(json), {}, core::nullJobContext());
    return qint64(core::countParameters(*result.model));
}

struct Snapshot {
    widgets::PlanDocument plan;
    QStringList variants;
    QString modelTag;
    QString view;
    bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(gui::MainWindow& w) {
    return {w.plans().editor()->plan(), w.plans().variantNames(), w.models().modelTag(),
            w.currentView()};
}

bool openAndWait(gui::MainWindow& window, const QString& file) {
    QSignalSpy restored(&window.sessions(), &gui::SessionController::restored);
    QSignalSpy failed(&window.sessions(), &gui::SessionController::failed);
    if (!window.sessions().open(file))
        return false;
    QElapsedTimer timer;
    timer.start();
    while (restored.isEmpty() && failed.isEmpty() && timer.elapsed() < 120000)
        QTest::qWait(20);
    return !restored.isEmpty();
}

void writeFile(const QString& file, const QByteArray& bytes) {
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes);
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistSessionTest"), m_settings.path());
    }

    void neuronsLayerApplySaveReopen() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        auto& plans = window.plans();

        // 20 % of layer 0's MLP neurons through the neuron view's control.
        auto* neurons = window.analysisViews().neuronView();
        QVERIFY(!neurons->addToPlanButton()->isEnabled()); // no scores yet
        neurons->setMethod(QStringLiteral("ppm"));
        QSignalSpy scored(&window.analysisViews().neurons(), &gui::NeuronController::finished);
        window.analysisViews().neurons().run();
        QVERIFY(scored.wait(120000));
        neurons->setLayer(0);
        neurons->setRemoveEveryLayer(false);
        neurons->setRemovePercent(20);
        QVERIFY(neurons->addToPlanButton()->isEnabled());
        neurons->addToPlanButton()->click();
        QVERIFY(tick(window, QStringLiteral("model.layers.2")));

        const QJsonArray ops = plans.editor()->plan().toJson().value("operations").toArray();
        QCOMPARE(ops.size(), 2);
        QCOMPARE(ops[0].toObject().value("op").toString(), QStringLiteral("prune_mlp"));
        QCOMPARE(ops[0].toObject().value("layers").toArray(), QJsonArray{0});
        QCOMPARE(ops[0].toObject().value("method").toString(), QStringLiteral("ppm"));
        QCOMPARE(ops[0].toObject().value("percent").toDouble(), 20.0);
        QCOMPARE(ops[1].toObject(),
                 (QJsonObject{{"op", "remove_layers"}, {"layers", QJsonArray{2}}}));

        QSignalSpy added(&plans, &gui::PlanController::variantAdded);
        plans.apply(QStringLiteral("smaller"));
        QVERIFY(added.wait(120000));
        const qint64 expected = engineCount(plans.editor()->plan());
        QCOMPARE(plans.variantsPanel()->row(QStringLiteral("smaller"))->parameters, expected);
        QCOMPARE(qint64(core::countParameters(*plans.variant(QStringLiteral("smaller")))),
                 expected);
        QCOMPARE(plans.panel()->totals().parametersAfter, expected);

        QVERIFY(window.isWindowModified());
        window.showView(QStringLiteral("plan"));
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("work.anatomist"));
        QVERIFY(window.sessions().save(file));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(window.sessions().recentSessions().value(0), QFileInfo(file).absoluteFilePath());
        const Snapshot saved = snapshot(window);

        // Another state: a different plan, the model opened again (variants gone), another tab.
        QVERIFY(tick(window, QStringLiteral("model.layers.1")));
        QVERIFY(window.isWindowModified());
        QVERIFY(loadDemo(window));
        QCOMPARE(plans.variantNames().size(), 0);
        window.showView(QStringLiteral("similarity"));

        QVERIFY(openAndWait(window, file));
        QVERIFY(plans.editor()->plan() == saved.plan);
        QCOMPARE(plans.variantNames(), saved.variants);
        QCOMPARE(plans.variantsPanel()->row(QStringLiteral("smaller"))->parameters, expected);
        QCOMPARE(window.currentView(), QStringLiteral("plan"));
        QVERIFY(!window.isWindowModified());

        // A fresh window: the same workspace.
        gui::MainWindow fresh;
        fresh.setInteractive(false);
        QVERIFY(openAndWait(fresh, file));
        QVERIFY(fresh.plans().editor()->plan() == saved.plan);
        QCOMPARE(fresh.plans().variantNames(), saved.variants);
        QCOMPARE(qint64(core::countParameters(*fresh.plans().variant(QStringLiteral("smaller")))),
                 expected);
        QCOMPARE(fresh.plans().variantPlan(QStringLiteral("smaller")),
                 plans.variantPlan(QStringLiteral("smaller")));
        QCOMPARE(fresh.currentView(), QStringLiteral("plan"));
        QCOMPARE(QFileInfo(fresh.models().folder()).canonicalFilePath(),
                 QFileInfo(demoModel()).canonicalFilePath());
    }

    void badSessionsLeaveTheWorkspace() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        QVERIFY(tick(window, QStringLiteral("model.layers.3")));
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("good.anatomist"));
        QVERIFY(window.sessions().save(good));
        QVERIFY(
            tick(window, QStringLiteral("model.layers.1.mlp"))); // unsaved work that must survive
        window.showView(QStringLiteral("variants"));
        const Snapshot before = snapshot(window);
        QFile in(good);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QJsonObject session = QJsonDocument::fromJson(in.readAll()).object();

        auto edited = [&](const QString& name, const std::function<void(QJsonObject&)>& change) {
            QJsonObject s = session;
            change(s);
            const QString file = dir.filePath(name);
            writeFile(file, QJsonDocument(s).toJson());
            return file;
        };
        const QString corrupt = dir.filePath(QStringLiteral("corrupt.anatomist"));
        writeFile(corrupt, "{\"format\": \"anatomist-session\", \"version\": 1, ");
        const QString foreign = dir.filePath(QStringLiteral("foreign.anatomist"));
        writeFile(foreign,
                  QJsonDocument(window.plans().editor()->plan().toJson()).toJson()); // a plan file
        const QString newer =
            edited(QStringLiteral("newer.anatomist"), [](QJsonObject& s) { s["version"] = 7; });
        const QString noModel = edited(QStringLiteral("nomodel.anatomist"), [&](QJsonObject& s) {
            s["model"] = dir.filePath(QStringLiteral("gone"));
        });
        const QString noVariant =
            edited(QStringLiteral("novariant.anatomist"), [&](QJsonObject& s) {
                s["variants"] = QJsonArray{
                    QJsonObject{{"name", "healed"}, {"path", dir.filePath("healed-gone")}}};
            });
        const QString misfit = edited(QStringLiteral("misfit.anatomist"), [](QJsonObject& s) {
            QJsonObject plan = s["plan"].toObject();
            QJsonObject base = plan["base"].toObject();
            base["num_hidden_layers"] = 5; // made for a 5-layer model
            plan["base"] = base;
            s["plan"] = plan;
        });

        const QList<std::pair<QString, QString>> cases{
            {corrupt, QStringLiteral("not valid JSON")},
            {foreign, QStringLiteral("not an Anatomist session")},
            {newer, QStringLiteral("newer Anatomist (session version 7")},
            {noModel, QStringLiteral("is missing")},
            {noVariant, QStringLiteral("folder of variant healed is missing")},
            {misfit, QStringLiteral("no longer fits the model")},
        };
        for (const auto& [file, expected] : cases) {
            QSignalSpy errors(&window, &gui::MainWindow::errorShown);
            window.sessions().open(file);
            QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 120000);
            const QString message = errors.last()[1].toString();
            QVERIFY2(message.contains(QFileInfo(file).fileName()), qPrintable(message));
            QVERIFY2(message.contains(expected), qPrintable(message));
            QVERIFY2(snapshot(window) == before, qPrintable(file));
            QVERIFY(!window.sessions().isOpening());
            QVERIFY(window.isWindowModified());
        }
        QVERIFY(openAndWait(window, good)); // the good one still opens
        QVERIFY(window.plans().editor()->plan().isMarked(widgets::PlanPart::Layer, 3));
        QVERIFY(!window.plans().editor()->plan().isMarked(widgets::PlanPart::Mlp, 1));
    }

    void headsEditorMatchesEngine() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        auto& plans = window.plans();
        auto* heads = plans.panel()->headsEditor();
        // The demo: 4 query heads, 4 KV heads (groups of one): whole groups only.
        QVERIFY(heads->removeGroupButton()->isEnabled());
        QVERIFY(!heads->removePerGroupButton()->isEnabled());
        QVERIFY(heads->groupsLabel()->text().contains(QStringLiteral("KV 3: q3")));
        heads->setLayer(1);
        heads->removeKvGroup(2);
        const QJsonObject op = plans.editor()->plan().operations.value(0).json;
        QCOMPARE(op, (QJsonObject{{"op", "prune_heads"},
                                  {"layers", QJsonArray{1}},
                                  {"kv_groups", QJsonArray{2}}}));
        // q, k, v, o of the demo are 128 × 128 (4 heads × head_dim 32): a quarter of each goes.
        const qint64 before = plans.panel()->totals().parametersBefore;
        QCOMPARE(plans.panel()->totals().parametersAfter, before - 4 * 128 * 128 / 4);
        QCOMPARE(plans.panel()->totals().headsAfter[1], qint64(3));
        QCOMPARE(plans.panel()->totals().parametersAfter, engineCount(plans.editor()->plan()));
        QVERIFY(plans.panel()->speed().decode() > 1.0);
        QVERIFY(plans.panel()->speed().prefill() > 1.0);
    }

    void recentSessions() {
        QSettings().remove(QStringLiteral("recentSessions"));
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        QTemporaryDir dir;
        for (int i = 0; i < 10; ++i)
            QVERIFY(window.sessions().save(dir.filePath(QStringLiteral("s%1.anatomist").arg(i))));
        const QStringList recent = window.sessions().recentSessions();
        QCOMPARE(recent.size(), gui::SessionController::kMaxRecent);
        QCOMPARE(recent.front(), dir.filePath(QStringLiteral("s9.anatomist")));
        QVERIFY(QFile::remove(recent.front()));
        // The File menu's submenu greys the missing one.
        QMenu* sessionsMenu = nullptr;
        for (QAction* a : window.menuBar()->actions())
            for (QAction* b : a->menu() ? a->menu()->actions() : QList<QAction*>{})
                if (b->menu() && b->menu()->actions().size() == recent.size() + 2)
                    sessionsMenu = b->menu();
        QVERIFY(sessionsMenu);
        window.sessions().setModified(false);
        emit window.sessions().recentSessionsChanged(); // the menu is rebuilt when it changes
        QVERIFY(!sessionsMenu->actions().front()->isEnabled());
        QVERIFY(sessionsMenu->actions().front()->text().contains(QStringLiteral("missing")));
        QVERIFY(sessionsMenu->actions().at(1)->isEnabled());
        QSignalSpy errors(&window, &gui::MainWindow::errorShown);
        window.openSession(recent.front());
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors[0][1].toString().contains(QStringLiteral("s9.anatomist")));
        QVERIFY(!window.sessions().recentSessions().contains(recent.front()));
    }

    // `anatomist --session FILE` (QGuiApplication consumes --session for X11 session management, so
    // the executable must read it first): a good session renders, a bad one exits 2 naming the
    // file.
    void commandLineSession() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(loadDemo(window));
        QVERIFY(tick(window, QStringLiteral("model.layers.2")));
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("cli.anatomist"));
        QVERIFY(window.sessions().save(good));
        const QString bad = dir.filePath(QStringLiteral("bad.anatomist"));
        writeFile(bad, "{\"format\": \"anatomist-session\", \"version\": 99, \"model\": \"x\"}");
        auto run = [&](const QString& session, const QString& png) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(QStringLiteral(ANATOMIST_GUI_BINARY),
                    {QStringLiteral("--session"), session, QStringLiteral("--screenshot"), png});
            p.waitForFinished(120000);
            return std::make_pair(p.exitCode(), QString::fromLocal8Bit(p.readAll()));
        };
        const auto [okCode, okOut] = run(good, dir.filePath(QStringLiteral("good.png")));
        QVERIFY2(okCode == 0, qPrintable(okOut));
        QVERIFY(QImage(dir.filePath(QStringLiteral("good.png"))).width() == 1280);
        const auto [badCode, badOut] = run(bad, dir.filePath(QStringLiteral("bad.png")));
        QCOMPARE(badCode, 2);
        QVERIFY2(badOut.contains(QStringLiteral("bad.anatomist")) &&
                     badOut.contains(QStringLiteral("version 99")),
                 qPrintable(badOut));
    }

    void documentRoundTrip() {
        widgets::SessionDocument s;
        s.modelPath = QStringLiteral("/models/demo");
        s.datasets.insert(QStringLiteral("similarity"), QString(""));
        s.datasets.insert(QStringLiteral("similarity_compare"), QStringLiteral("/data/b.txt"));
        s.variants.push_back({QStringLiteral("healed"),
                              QStringLiteral("distilled"),
                              {},
                              QStringLiteral("/runs/healed")});
        s.distillRuns << QStringLiteral("/runs/r1");
        s.view = QStringLiteral("variants");
        widgets::SessionDocument back;
        QString error;
        QVERIFY2(widgets::SessionDocument::fromJson(s.toJson(), "x", "", back, error),
                 qPrintable(error));
        QVERIFY(back == s);
        // Relative paths are read against the session file's folder.
        QJsonObject relative = s.toJson();
        relative["model"] = QStringLiteral("models/demo");
        QVERIFY(widgets::SessionDocument::fromJson(relative, "x", "/home/u", back, error));
        QCOMPARE(back.modelPath, QStringLiteral("/home/u/models/demo"));
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestSession)
#include "tst_session.moc"
