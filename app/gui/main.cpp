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
#include "startup_timing.h"
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

// What must be known before QApplication exists.
struct EarlyArguments {
    bool screenshot = false;
    bool printsAndExits = false; // --help and --version need no display (nor a window system)
    QString sessionFile;
};

EarlyArguments scanEarly(int argc, char** argv) {
    // QGuiApplication takes "-session ID" / "--session ID" out of argv (X11 session management)
    // before the parser sees it, so the session file is read here.
    EarlyArguments early;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        early.screenshot |= arg == "--screenshot";
        early.printsAndExits |= arg == "-h" || arg == "--help" || arg == "--help-all" ||
                                arg == "-v" || arg == "--version";
        if ((arg == "--session" || arg == "-session") && i + 1 < argc)
            early.sessionFile = QString::fromLocal8Bit(argv[i + 1]);
        else if (arg.startsWith("--session="))
            early.sessionFile = QString::fromLocal8Bit(arg.mid(10));
    }
    return early;
}

// The parsed command line.
struct CommandLine {
    QString model;          // positional
    QString screenshotFile; // --screenshot
    QString view;           // --view (default "overview")
    bool viewSet = false;
    QString language; // "" = the remembered setting
    QString compare;  // "" = none
    QString size;
    QString plan; // "" = none
    bool maximized = false;
    QString session; // "" = none
};

// Parses (--help and --version exit here); 0 when valid, else the exit code after a message.
int parseCommandLine(QApplication& app, CommandLine& out) {
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
    out.model = parser.positionalArguments().value(0);
    out.screenshotFile = parser.value(screenshot);
    out.view = parser.value(view);
    out.viewSet = parser.isSet(view);
    out.language = parser.value(language);
    out.compare = parser.value(compare);
    out.size = parser.value(size);
    out.plan = parser.value(plan);
    out.maximized = parser.isSet(maximized);
    out.session = parser.value(session);
    if (out.viewSet) {
        QStringList known{
            QStringLiteral("overview"), QStringLiteral("tree"),    QStringLiteral("similarity"),
            QStringLiteral("jobs"),     QStringLiteral("plan"),    QStringLiteral("variants"),
            QStringLiteral("distill"),  QStringLiteral("compare"), QStringLiteral("playground")};
        known += gui::AnalysisViews::viewNames();
        if (!known.contains(out.view)) {
            std::cerr << "anatomist: unknown --view '" << out.view.toStdString()
                      << "' (use one of: " << known.join(QStringLiteral(", ")).toStdString()
                      << ")\n";
            return 2;
        }
    }
    if (parser.isSet(language) && !gui::availableLanguages().contains(out.language)) {
        std::cerr << "anatomist: no translation for --language '" << out.language.toStdString()
                  << "' (use one of: "
                  << gui::availableLanguages().join(QStringLiteral(", ")).toStdString() << ")\n";
        return 2;
    }
    return 0;
}

// --screenshot: drives the window to the requested view (loading, measuring, applying the plan,
// distilling as the view needs), grabs it once and quits with the exit code.
class ScreenshotRun {
public:
    ScreenshotRun(QApplication& app, gui::MainWindow& window, const CommandLine& options,
                  bool sessionMode)
        : m_app(app)
        , m_window(window)
        , m_options(options)
        , m_view(options.view)
        , m_sessionMode(sessionMode)
        , m_compareView(m_view == QLatin1String("compare"))
        , m_playgroundView(m_view == QLatin1String("playground")) {}

    int run(const QString& model, const QString& sessionFile) {
        m_window.setInteractive(false);
        if (!model.isEmpty())
            std::cerr << "anatomist: opening " << model.toStdString() << "\n";
        if (m_options.maximized) {
            m_window.resize(1920, 1080);
        } else {
            const QStringList wh = m_options.size.split(QLatin1Char('x'));
            m_window.resize(std::max(400, wh.value(0).toInt()), std::max(300, wh.value(1).toInt()));
        }
        m_window.show();
        connectSignals();
        if (m_sessionMode) {
            if (!m_window.sessions().open(sessionFile))
                return 2; // the message went to stderr
        } else if (model.isEmpty()) {
            shoot();
        } else {
            m_window.openModel(model);
        }
        return m_app.exec();
    }

private:
    void shoot() {
        QTimer::singleShot(300, &m_window, [this] {
            const QString file = m_options.screenshotFile;
            if (!m_window.grab().save(file)) {
                std::cerr << "anatomist: could not write " << file.toStdString() << "\n";
                m_exitCode = 1;
            } else {
                std::cout << file.toStdString() << "\n";
            }
            m_window.close();
            m_app.exit(m_exitCode);
        });
    }

    void connectSignals() {
        auto* w = &m_window;
        QObject::connect(w, &gui::MainWindow::errorShown, w,
                         [this](const QString&, const QString&) {
                             m_exitCode = 2;
                             shoot();
                         });
        auto shootNow = [this] { shoot(); };
        QObject::connect(&m_window.similarity(), &gui::SimilarityController::finished, w, shootNow);
        QObject::connect(&m_window.analysisViews(), &gui::AnalysisViews::finished, w, shootNow);
        QObject::connect(&m_window.sessions(), &gui::SessionController::restored, w, [this] {
            if (m_options.viewSet)
                m_window.showView(m_view);
            shoot();
        });
        QObject::connect(&m_window.comparison(), &gui::CompareController::measured, w, shootNow);
        QObject::connect(&m_window.comparison(), &gui::CompareController::generated, w, shootNow);
        QObject::connect(&m_window.plans(), &gui::PlanController::variantAdded, w,
                         [this] { onVariantAdded(); });
        QObject::connect(&m_window.models(), &gui::ModelController::modelLoaded, w,
                         [this] { onModelLoaded(); });
    }

    // compare / playground: measure or generate with the base and the newest row, then shoot.
    void compareAndShoot() {
        m_window.showView(m_view);
        auto& plans = m_window.plans();
        const QString b =
            plans.variantNames().isEmpty() ? plans.baseName() : plans.variantNames().last();
        m_window.comparison().compare(plans.baseName(), b);
        if (m_compareView)
            m_window.comparison().measure();
        else
            m_window.comparison().generate(m_window.comparison().playground()->request());
    }

    void onVariantAdded() {
        if (m_sessionMode)
            return; // a restored session shoots once every variant is back
        if (m_compareView || m_playgroundView) {
            compareAndShoot();
            return;
        }
        m_window.showView(m_view);
        if (m_view == QLatin1String("distill") && !m_distillStarted) {
            // A short run on the new variant, so that the curves have something to show.
            m_distillStarted = true;
            auto settings = m_window.distill().panel()->settings();
            settings.steps = 40;
            settings.learningRate = 1e-3;
            settings.batchSize = 2;
            settings.seqLen = 64;
            settings.runFolder = m_distillRuns.filePath(QStringLiteral("run"));
            m_window.distill().panel()->setSettings(settings);
            if (m_window.distill().start())
                return;
        }
        shoot();
    }

    void onModelLoaded() {
        if (m_sessionMode)
            return;
        m_window.showView(m_view);
        const bool hasPlan = !m_options.plan.isEmpty();
        if (hasPlan && !m_window.plans().panel()->loadPlanFile(m_options.plan))
            return; // errorShown shoots
        if ((m_view == QLatin1String("variants") || m_view == QLatin1String("distill") ||
             m_compareView || m_playgroundView) &&
            hasPlan && gui::pruneEngineAvailable()) {
            m_window.plans().apply(QStringLiteral("variant"));
            return;
        }
        if (m_compareView || m_playgroundView) {
            compareAndShoot();
            return;
        }
        if (m_view == QLatin1String("plan") || m_view == QLatin1String("similarity")) {
            m_window.similarity().run();
            return;
        }
        if (m_window.analysisViews().runDefault(m_view))
            return;
        if (m_view == QLatin1String("tree") && m_window.models().treeModel()->root()) {
            const QString weight = firstLayerWeight(*m_window.models().treeModel()->root(),
                                                    m_window.models().layerModuleName(0));
            if (!weight.isEmpty())
                m_window.treeView()->selectModule(weight);
        }
        shoot();
    }

    QApplication& m_app;
    gui::MainWindow& m_window;
    const CommandLine& m_options;
    const QString m_view;
    const bool m_sessionMode, m_compareView, m_playgroundView;
    int m_exitCode = 0;
    QTemporaryDir m_distillRuns;
    bool m_distillStarted = false;
};

} // namespace

int main(int argc, char** argv) {
    anatomist::core::configureProcess();
    const EarlyArguments early = scanEarly(argc, argv);
    if ((early.screenshot || early.printsAndExits) &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    Q_INIT_RESOURCE(anatomist);
    QCoreApplication::setOrganizationName(QStringLiteral("Anatomist"));
    QCoreApplication::setApplicationName(QStringLiteral("anatomist"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ANATOMIST_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/anatomist.svg")));

    CommandLine options;
    if (const int invalid = parseCommandLine(app, options))
        return invalid;
    if (early.screenshot) {
        // Screenshots must not depend on (or change) the user's remembered layout.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(
            QSettings::IniFormat, QSettings::UserScope,
            QDir::tempPath() +
                QStringLiteral("/anatomist-screenshot-%1").arg(QCoreApplication::applicationPid()));
    }
    gui::applyLanguage(options.language.isEmpty() ? gui::languageSetting() : options.language);

    gui::MainWindow window;
    if (!options.compare.isEmpty())
        window.similarityView()->setCompareDatasetPath(options.compare);
    QString model = options.model;
    QString sessionFile = options.session.isEmpty() ? early.sessionFile : options.session;
    // A session file given as the file to open (a file manager's "Open with Anatomist").
    if (sessionFile.isEmpty() && model.endsWith(QLatin1String(".anatomist"), Qt::CaseInsensitive)) {
        sessionFile = model;
        model.clear();
    }
    const bool sessionMode = !sessionFile.isEmpty();
    // Started without a model: the last one opened (if it is still there), else the demo model.
    if (model.isEmpty() && !early.screenshot && !sessionMode) {
        const QString last = window.models().recentModels().value(0);
        if (!last.isEmpty() && QFileInfo::exists(last))
            model = last;
    }
    if (model.isEmpty() && !sessionMode)
        model = demoModelFolder();
    if (early.screenshot)
        return ScreenshotRun(app, window, options, sessionMode).run(model, sessionFile);
    gui::watchStartupTiming(window);
    window.show();
    if (sessionMode)
        window.sessions().open(sessionFile);
    else if (!model.isEmpty())
        window.openModel(model);
    return app.exec();
}
