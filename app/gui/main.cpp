// anatomist: the desktop application.
//   anatomist [MODEL] [--language CODE] [--compare FILE]
//             [--screenshot FILE [--view
//             overview|tree|similarity|plan|variants|distill|compare|playground|
//              activations|contrastive|neurons|logit-lens] [--size WIDTHxHEIGHT | --maximized]]
//              [--plan FILE]
//             [--session FILE]
// With --screenshot the window is rendered at 1280×800 (offscreen unless a platform is set), once
// the model is loaded (and, for the similarity and analysis views, run on the built-in sample,
// default prompt or built-in prompt pairs); the PNG is written and the program exits (0 on
// success). The plan view runs layer similarity too (for its suggestions); --plan loads a plan
// into the plan panel, and the variants view then applies it; the distill view applies it too and
// heals the variant by a short distillation (40 steps) before the picture is taken. The compare
// view (and the playground) apply it too, then measure base against the variant (or generate with
// both) before the shot. --session opens a saved workspace (instead of MODEL); with --screenshot
// the window is rendered once it is restored (its variants rebuilt), on the session's tab unless
// --view is given.

#include "analysis_views.h"
#include "compare_controller.h"
#include "demo_model.h"
#include "distill_controller.h"
#include "language.h"
#include "main_window.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "process_environment.h"
#include "prune_adapter.h"
#include "session_controller.h"
#include "similarity_controller.h"
#include "widgets/distill_panel.h"
#include "widgets/module_tree_model.h"
#include "widgets/module_tree_view.h"
#include "widgets/plan_panel.h"
#include "widgets/playground_view.h"
#include "widgets/similarity_view.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <functional>
#include <iostream>

using namespace anatomist;

namespace {

QString demoModelFolder() {
    return QString::fromStdString(
        core::findDemoModel(QCoreApplication::applicationDirPath().toStdString()).string());
}

// The first 2-D parameter of decoder block 0 (a projection weight), for the tree screenshot.
QString firstLayerWeight(const widgets::ModuleNode& node, const QString& layer) {
    if (node.role == core::ModuleRole::Parameter && node.shape.size() == 2 &&
        node.name.startsWith(layer + QLatin1Char('.')))
        return node.name;
    for (const auto& child : node.children) {
        const QString found = firstLayerWeight(child, layer);
        if (!found.isEmpty())
            return found;
    }
    return {};
}

} // namespace

int main(int argc, char** argv) {
    anatomist::core::configureProcess();
    bool screenshotMode = false;
    bool printsAndExits = false; // --help and --version need no display (nor a window system)
    // QGuiApplication takes "-session ID" / "--session ID" out of argv (X11 session management)
    // before the parser sees it, so the session file is read here.
    QString sessionFile;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        screenshotMode |= arg == "--screenshot";
        printsAndExits |= arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" ||
                          arg == "--version";
        if ((arg == "--session" || arg == "-session") && i + 1 < argc)
            sessionFile = QString::fromLocal8Bit(argv[i + 1]);
        else if (arg.startsWith("--session="))
            sessionFile = QString::fromLocal8Bit(arg.mid(10));
    }
    if ((screenshotMode || printsAndExits) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    Q_INIT_RESOURCE(anatomist);
    QCoreApplication::setOrganizationName(QStringLiteral("Anatomist"));
    QCoreApplication::setApplicationName(QStringLiteral("anatomist"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ANATOMIST_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/anatomist.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A desktop workbench for the anatomy of language models"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QStringLiteral("Model folder (or its config.json)"),
                                 QStringLiteral("[MODEL]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the window to a PNG and exit."),
                                  QStringLiteral("FILE"));
    QCommandLineOption view(
        QStringLiteral("view"),
        QStringLiteral("View to show: overview, tree, similarity, plan, variants, distill, "
                       "compare, playground, activations, contrastive, neurons, logit-lens."),
        QStringLiteral("NAME"), QStringLiteral("overview"));
    QCommandLineOption language(QStringLiteral("language"),
                                QStringLiteral("UI language: en, es, ca."), QStringLiteral("CODE"));
    QCommandLineOption compare(
        QStringLiteral("compare"),
        QStringLiteral("Second dataset (text file) for the similarity view."),
        QStringLiteral("FILE"));
    QCommandLineOption size(QStringLiteral("size"),
                            QStringLiteral("Screenshot size, WIDTHxHEIGHT (1280x800)."),
                            QStringLiteral("SIZE"), QStringLiteral("1280x800"));
    QCommandLineOption plan(QStringLiteral("plan"),
                            QStringLiteral("Pruning plan (JSON) to load into the plan panel."),
                            QStringLiteral("FILE"));
    QCommandLineOption maximized(
        QStringLiteral("maximized"),
        QStringLiteral("With --screenshot: render at 1920×1080 instead of 1280×800."));
    QCommandLineOption session(QStringLiteral("session"),
                               QStringLiteral("Workspace session to open (File → Save session)."),
                               QStringLiteral("FILE"));
    parser.addOptions({screenshot, view, language, compare, size, plan, maximized, session});
    parser.process(app);
    if (parser.isSet(view)) {
        QStringList known{
            QStringLiteral("overview"), QStringLiteral("tree"),    QStringLiteral("similarity"),
            QStringLiteral("jobs"),     QStringLiteral("plan"),    QStringLiteral("variants"),
            QStringLiteral("distill"),  QStringLiteral("compare"), QStringLiteral("playground")};
        known += gui::AnalysisViews::viewNames();
        if (!known.contains(parser.value(view))) {
            std::cerr << "anatomist: unknown --view '" << parser.value(view).toStdString()
                      << "' (use one of: " << known.join(QStringLiteral(", ")).toStdString()
                      << ")\n";
            return 2;
        }
    }

    if (parser.isSet(language) && !gui::availableLanguages().contains(parser.value(language))) {
        std::cerr << "anatomist: no translation for --language '"
                  << parser.value(language).toStdString() << "' (use one of: "
                  << gui::availableLanguages().join(QStringLiteral(", ")).toStdString() << ")\n";
        return 2;
    }

    if (screenshotMode) {
        // Screenshots must not depend on (or change) the user's remembered layout.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(
            QSettings::IniFormat, QSettings::UserScope,
            QDir::tempPath() +
                QStringLiteral("/anatomist-screenshot-%1").arg(QCoreApplication::applicationPid()));
    }
    gui::applyLanguage(parser.isSet(language) ? parser.value(language) : gui::languageSetting());

    gui::MainWindow window;
    if (parser.isSet(compare))
        window.similarityView()->setCompareDatasetPath(parser.value(compare));
    QString model = parser.positionalArguments().value(0);
    if (parser.isSet(session))
        sessionFile = parser.value(session);
    // A session file given as the file to open (a file manager's "Open with Anatomist").
    if (sessionFile.isEmpty() && model.endsWith(QLatin1String(".anatomist"), Qt::CaseInsensitive)) {
        sessionFile = model;
        model.clear();
    }
    const bool sessionMode = !sessionFile.isEmpty();
    // Started without a model: the last one opened (if it is still there), else the demo model.
    if (model.isEmpty() && !screenshotMode && !sessionMode) {
        const QString last = window.models().recentModels().value(0);
        if (!last.isEmpty() && QFileInfo::exists(last))
            model = last;
    }
    if (model.isEmpty() && !sessionMode)
        model = demoModelFolder();
    if (!screenshotMode) {
        window.show();
        if (sessionMode)
            window.sessions().open(sessionFile);
        else if (!model.isEmpty())
            window.openModel(model);
        return app.exec();
    }

    window.setInteractive(false);
    if (!model.isEmpty())
        std::cerr << "anatomist: opening " << model.toStdString() << "\n";
    if (parser.isSet(maximized)) {
        window.resize(1920, 1080);
    } else {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        window.resize(std::max(400, wh.value(0).toInt()), std::max(300, wh.value(1).toInt()));
    }
    window.show();
    const QString file = parser.value(screenshot);
    const QString viewName = parser.value(view);
    int exitCode = 0;
    auto shoot = [&] {
        QTimer::singleShot(300, &window, [&] {
            if (!window.grab().save(file)) {
                std::cerr << "anatomist: could not write " << file.toStdString() << "\n";
                exitCode = 1;
            } else {
                std::cout << file.toStdString() << "\n";
            }
            window.close();
            app.exit(exitCode);
        });
    };
    QObject::connect(&window, &gui::MainWindow::errorShown, &window,
                     [&](const QString&, const QString&) {
                         exitCode = 2;
                         shoot();
                     });
    QObject::connect(&window.similarity(), &gui::SimilarityController::finished, &window, shoot);
    QObject::connect(&window.analysisViews(), &gui::AnalysisViews::finished, &window, shoot);
    QObject::connect(&window.sessions(), &gui::SessionController::restored, &window, [&] {
        if (parser.isSet(view))
            window.showView(viewName);
        shoot();
    });
    QTemporaryDir distillRuns;
    bool distillStarted = false;
    // compare / playground: measure or generate with the base and the newest row, then shoot.
    const bool compareView = viewName == QLatin1String("compare"),
               playgroundView = viewName == QLatin1String("playground");
    auto compareAndShoot = [&] {
        window.showView(viewName);
        auto& plans = window.plans();
        const QString b =
            plans.variantNames().isEmpty() ? plans.baseName() : plans.variantNames().last();
        window.comparison().compare(plans.baseName(), b);
        if (compareView)
            window.comparison().measure();
        else
            window.comparison().generate(window.comparison().playground()->request());
    };
    QObject::connect(&window.comparison(), &gui::CompareController::measured, &window, shoot);
    QObject::connect(&window.comparison(), &gui::CompareController::generated, &window, shoot);
    QObject::connect(&window.plans(), &gui::PlanController::variantAdded, &window, [&] {
        if (sessionMode)
            return; // a restored session shoots once every variant is back
        if (compareView || playgroundView) {
            compareAndShoot();
            return;
        }
        window.showView(viewName);
        if (viewName == QLatin1String("distill") && !distillStarted) {
            // A short run on the new variant, so that the curves have something to show.
            distillStarted = true;
            auto settings = window.distill().panel()->settings();
            settings.steps = 40;
            settings.learningRate = 1e-3;
            settings.batchSize = 2;
            settings.seqLen = 64;
            settings.runFolder = distillRuns.filePath(QStringLiteral("run"));
            window.distill().panel()->setSettings(settings);
            if (window.distill().start())
                return;
        }
        shoot();
    });
    QObject::connect(&window.models(), &gui::ModelController::modelLoaded, &window, [&] {
        if (sessionMode)
            return;
        window.showView(viewName);
        if (parser.isSet(plan) && !window.plans().panel()->loadPlanFile(parser.value(plan)))
            return; // errorShown shoots
        if ((viewName == QLatin1String("variants") || viewName == QLatin1String("distill") ||
             compareView || playgroundView) &&
            parser.isSet(plan) && gui::pruneEngineAvailable()) {
            window.plans().apply(QStringLiteral("variant"));
            return;
        }
        if (compareView || playgroundView) {
            compareAndShoot();
            return;
        }
        if (viewName == QLatin1String("plan")) {
            window.similarity().run();
            return;
        }
        if (viewName == QLatin1String("similarity")) {
            window.similarity().run();
            return;
        }
        if (window.analysisViews().runDefault(viewName))
            return;
        if (viewName == QLatin1String("tree") && window.models().treeModel()->root()) {
            const QString weight = firstLayerWeight(*window.models().treeModel()->root(),
                                                    window.models().layerModuleName(0));
            if (!weight.isEmpty())
                window.treeView()->selectModule(weight);
        }
        shoot();
    });
    if (sessionMode) {
        if (!window.sessions().open(sessionFile))
            return 2; // the message went to stderr
    } else if (model.isEmpty()) {
        shoot();
    } else {
        window.openModel(model);
    }
    return app.exec();
}
