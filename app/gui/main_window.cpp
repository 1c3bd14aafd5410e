#include "main_window.h"

#include "analysis_views.h"
#include "compare_controller.h"
#include "distill_controller.h"
#include "export_controller.h"
#include "job_runner.h"
#include "language.h"
#include "model_controller.h"
#include "page_tabs.h"
#include "plan_controller.h"
#include "session_controller.h"
#include "similarity_controller.h"
#include "stage_names.h"
#include "widgets/compare_view.h"
#include "widgets/distill_panel.h"
#include "widgets/jobs_panel.h"
#include "widgets/module_details.h"
#include "widgets/module_tree_model.h"
#include "widgets/module_tree_view.h"
#include "widgets/neuron_view.h"
#include "widgets/overview_card.h"
#include "widgets/plan_editor.h"
#include "widgets/plan_panel.h"
#include "widgets/playground_view.h"
#include "widgets/plot_export.h"
#include "widgets/similarity_view.h"
#include "widgets/variants_panel.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QUndoStack>
#include <iostream>
#include <qcustomplot.h>

namespace anatomist::gui {

namespace {
// The name a model goes by in the title bar: its folder's name, or "parent/name" when the folder
// name says nothing (a folder called "model", a Hugging Face snapshot hash).
QString modelDisplayName(const QString& folder) {
    const QFileInfo info(folder);
    const QString name = info.fileName();
    static const QRegularExpression hash(QStringLiteral("^[0-9a-f]{40}$"));
    if (name.compare(QLatin1String("model"), Qt::CaseInsensitive) == 0 ||
        hash.match(name).hasMatch())
        return info.dir().dirName() + QLatin1Char('/') + name;
    return name;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    ,
    // The runner is the first child, so it is destroyed (and its thread stopped) before the
    // controllers whose closures it may still hold.
    m_runner(new JobRunner(this))
    , m_models(new ModelController(*m_runner, this))
    , m_tabs(new PageTabs(this))
    , m_overview(new widgets::OverviewCard(this))
    , m_similarityView(new widgets::SimilarityView(this))
    , m_treeView(new widgets::ModuleTreeView(m_models->treeModel(), this))
    , m_details(new widgets::ModuleDetails(this))
    , m_jobsPanel(new widgets::JobsPanel(this))
    , m_modelLabel(new QLabel(this))
    , m_jobLabel(new QLabel(this))
    , m_jobBar(new QProgressBar(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/anatomist.svg")));
    setAcceptDrops(true);
    m_similarity = new SimilarityController(*m_models, *m_runner, m_similarityView, this);
    // Two rows of tabs: the overview, then the analyses, then the pruning loop (plan → variants →
    // heal → compare and try side by side).
    m_tabs->addPage(m_overview, QIcon(QStringLiteral(":/icons/tree.svg")));
    m_analysisGroup = m_tabs->addGroup(QIcon(QStringLiteral(":/icons/similarity.svg")));
    m_pruningGroup = m_tabs->addGroup(QIcon(QStringLiteral(":/icons/run.svg")));
    m_tabs->addPage(m_analysisGroup, m_similarityView);
    m_analysis = new AnalysisViews(*m_models, *m_runner, m_tabs, m_analysisGroup, this);
    connect(m_analysis, &AnalysisViews::failed, this, &MainWindow::showError);
    m_plans = new PlanController(*m_models, *m_similarity, *m_runner, m_similarityView, this);
    m_tabs->addPage(m_pruningGroup, m_plans->panel());
    m_tabs->addPage(m_pruningGroup, m_plans->variantsPanel());
    m_distill = new DistillController(*m_models, *m_plans, *m_runner, this);
    m_tabs->addPage(m_pruningGroup, m_distill->panel());
    connect(m_distill, &DistillController::failed, this, &MainWindow::showError);
    m_compare = new CompareController(*m_models, *m_plans, *m_runner, this);
    m_export = new ExportController(*m_models, *m_plans, *m_runner, this);
    m_tabs->addPage(m_pruningGroup, m_compare->view());
    m_tabs->addPage(m_pruningGroup, m_compare->playground());
    setCentralWidget(m_tabs);
    createDocks();
    createActions();
    wireJobs();

    m_jobBar->setRange(0, 1000);
    m_jobBar->setMaximumWidth(180);
    m_jobBar->setVisible(false);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    statusBar()->addWidget(m_modelLabel, 1);
    statusBar()->addPermanentWidget(m_jobLabel);
    statusBar()->addPermanentWidget(m_jobBar);

    connect(m_models, &ModelController::loadStarted, this, [this](const QString& folder) {
        m_modelLabel->setText(tr("Loading %1…").arg(folder));
    });
    connect(m_models, &ModelController::modelLoaded, this, [this](const QString& folder) {
        const auto& o = m_models->overview();
        m_overview->setOverview(o);
        m_details->clear();
        m_selectedModule.clear();
        m_moduleShown = false;
        showLoadedModelLabel();
        setWindowTitle(tr("%1[*] — Anatomist").arg(modelDisplayName(folder)));
        widgets::setFigureSubject(modelDisplayName(folder)); // exported figures name their model
        // Layer similarity runs text through the model: nothing to run without a tokenizer.
        const bool hasTokenizer = m_models->hasTokenizer();
        m_runAction->setEnabled(hasTokenizer);
        m_similarityView->setRunEnabled(hasTokenizer);
        m_runAction->setToolTip(
            hasTokenizer ? QString()
                         : tr("This model folder has no tokenizer, so no text can be run "
                              "through it."));
    });
    connect(m_models, &ModelController::loadFailed, this,
            [this](const QString& folder, const QString& message) {
                // The previous model (if any) is still loaded and usable: the label keeps naming
                // it.
                if (m_models->model())
                    showLoadedModelLabel();
                else
                    m_modelLabel->setText(tr("Could not open %1").arg(folder));
                if (m_session && m_session->isOpening())
                    return; // the session reports it, naming the session file
                showError(tr("Could not open the model"), tr("%1\n\n%2").arg(folder, message));
            });
    connect(m_models, &ModelController::recentModelsChanged, this, &MainWindow::rebuildRecentMenu);
    connect(m_similarity, &SimilarityController::failed, this,
            [this](const QString& message) { showError(tr("Layer similarity failed"), message); });
    connect(m_plans, &PlanController::failed, this, &MainWindow::showError);
    connect(m_plans, &PlanController::variantAdded, this, [this](const QString& name) {
        statusBar()->showMessage(tr("Variant %1 added").arg(name), 8000);
        showView(QStringLiteral("variants"));
    });
    connect(m_compare, &CompareController::failed, this, &MainWindow::showError);
    connect(m_export, &ExportController::failed, this,
            [this](const QString& title, const QString&) {
                statusBar()->showMessage(title, 10000); // the dialog shows the message itself
            });
    connect(m_export, &ExportController::exported, this, [this](const QString& destination) {
        statusBar()->showMessage(tr("Exported to %1").arg(destination), 10000);
    });
    connect(m_plans->variantsPanel(), &widgets::VariantsPanel::compareRequested, this,
            [this](const QString& a, const QString& b) {
                m_compare->compare(a, b);
                showView(QStringLiteral("compare"));
            });
    connect(m_plans->variantsPanel(), &widgets::VariantsPanel::exportRequested, this,
            &MainWindow::openExportDialog);
    connect(m_treeView, &widgets::ModuleTreeView::moduleSelected, this,
            &MainWindow::onModuleSelected);
    connect(m_models, &ModelController::weightStatsReady, this,
            [this](const widgets::WeightStats& stats) {
                if (stats.name == m_selectedModule)
                    m_details->setStats(stats);
            });
    connect(m_similarityView, &widgets::SimilarityView::layerClicked, this, [this](int layer) {
        const QString name = m_models->layerModuleName(layer);
        if (!name.isEmpty()) {
            m_treeDock->show();
            m_treeDock->raise();
            m_treeView->selectModule(name);
        }
    });
    connect(m_analysis->neuronView(), &widgets::NeuronView::addToPlanRequested, this,
            [this](int layer, double percent, const QString& method) {
                m_plans->addMlpPruning(layer, percent, method);
                statusBar()->showMessage(tr("Added to the pruning plan"), 5000);
            });
    // Created last: its handlers run after the controllers' own (PlanController resets the plan on
    // a new model before a session restores one).
    m_session = new SessionController(*this, this);
    // A healed student lives in its run folder: the session stores that folder (not the plan, which
    // would rebuild the unhealed variant) and remembers the run.
    connect(m_distill, &DistillController::finished, this, [this](const QString& variant) {
        m_session->registerVariantFolder(variant, m_distill->runFolder());
        QStringList runs = m_session->distillRuns();
        if (!runs.contains(m_distill->runFolder()))
            m_session->setDistillRuns(runs << m_distill->runFolder());
    });
    connect(m_session, &SessionController::failed, this, &MainWindow::showError);
    connect(m_session, &SessionController::modifiedChanged, this, &QWidget::setWindowModified);
    connect(m_session, &SessionController::recentSessionsChanged, this,
            &MainWindow::rebuildRecentSessionsMenu);
    connect(m_session, &SessionController::restored, this, [this](const QString& file) {
        statusBar()->showMessage(tr("Session %1 opened").arg(QFileInfo(file).fileName()), 8000);
    });
    connect(m_models, &ModelController::loadRefused, this, [this](const QString&, const QString&) {
        m_modelLabel->setText(
            m_models->model()
                ? tr("%1 · %2 parameters")
                      .arg(m_models->folder(), widgets::humanCount(m_models->overview().parameters))
                : QString());
    });
    createSessionActions();
    retranslate();
    rebuildRecentMenu();
    rebuildRecentSessionsMenu();
    restoreLayout();
}

MainWindow::~MainWindow() {
    m_runner->shutdown();
}

void MainWindow::createDocks() {
    auto dock = [this](const char* name, QWidget* widget, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(this);
        d->setObjectName(QLatin1String(name)); // restoreState() finds docks by object name
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    // The left column (tree, details) runs down to the status bar; the Jobs panel sits under the
    // pages.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    m_treeDock = dock("moduleTreeDock", m_treeView, Qt::LeftDockWidgetArea);
    m_detailsDock = dock("detailsDock", m_details, Qt::RightDockWidgetArea);
    m_jobsDock = dock("jobsDock", m_jobsPanel, Qt::BottomDockWidgetArea);
}

void MainWindow::createActions() {
    m_fileMenu = menuBar()->addMenu(QString());
    m_openAction = m_fileMenu->addAction(QIcon(QStringLiteral(":/icons/open.svg")), QString(), this,
                                         &MainWindow::openFolderDialog);
    m_openAction->setShortcut(QKeySequence::Open);
    // A GGUF model is one file, which a folder chooser cannot pick.
    m_openGgufAction = m_fileMenu->addAction(QIcon(QStringLiteral(":/icons/open.svg")), QString(),
                                             this, &MainWindow::openGgufDialog);
    m_openGgufAction->setObjectName(QStringLiteral("openGgufAction"));
    m_openGgufAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_clearRecentAction = new QAction(this);
    connect(m_clearRecentAction, &QAction::triggered, m_models,
            &ModelController::clearRecentModels);
    m_exportAction = m_fileMenu->addAction(QIcon(QStringLiteral(":/icons/export.svg")), QString(),
                                           this, [this] { openExportDialog(QString()); });
    m_exportAction->setEnabled(false);
    connect(m_models, &ModelController::modelLoaded, m_exportAction,
            [this] { m_exportAction->setEnabled(true); });
    m_quitSeparator = m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QIcon(QStringLiteral(":/icons/quit.svg")), QString(), this,
                                         &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_editMenu = menuBar()->addMenu(QString());
    QUndoStack* undo = m_plans->editor()->undoStack();
    QAction* undoAction = undo->createUndoAction(this, tr("Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    QAction* redoAction = undo->createRedoAction(this, tr("Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    m_editMenu->addAction(undoAction);
    m_editMenu->addAction(redoAction);

    m_analysisMenu = menuBar()->addMenu(QString());
    m_runAction = m_analysisMenu->addAction(QIcon(QStringLiteral(":/icons/run.svg")), QString(),
                                            this, [this] {
                                                showView(QStringLiteral("similarity"));
                                                m_similarity->run();
                                            });
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runAction->setEnabled(false);
    m_cancelAction = m_analysisMenu->addAction(QIcon(QStringLiteral(":/icons/cancel.svg")),
                                               QString(), m_runner, &JobRunner::cancelAll);
    m_cancelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancelAction->setEnabled(false);

    m_viewMenu = menuBar()->addMenu(QString());
    for (auto* d : {m_treeDock, m_detailsDock, m_jobsDock})
        m_viewMenu->addAction(d->toggleViewAction());
    m_treeDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_detailsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    m_jobsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    m_viewMenu->addSeparator();
    m_languageMenu = m_viewMenu->addMenu(QString());
    auto* group = new QActionGroup(this);
    m_systemLanguage = m_languageMenu->addAction(QString());
    m_systemLanguage->setData(QString());
    m_languageActions << m_systemLanguage;
    for (const QString& code : availableLanguages()) {
        // Each language is named in itself, so it is never translated.
        const QString name = code == QLatin1String("es")   ? QStringLiteral("Español")
                             : code == QLatin1String("ca") ? QStringLiteral("Català")
                                                           : QStringLiteral("English");
        QAction* a = m_languageMenu->addAction(name);
        a->setData(code);
        m_languageActions << a;
    }
    const QString current = languageSetting();
    for (QAction* a : m_languageActions) {
        a->setCheckable(true);
        a->setChecked(a->data().toString() == current);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [a] {
            setLanguageSetting(a->data().toString());
            applyLanguage(a->data().toString()); // LanguageChange → every widget retranslates
        });
    }

    m_helpMenu = menuBar()->addMenu(QString());
    m_aboutAction = m_helpMenu->addAction(
        QIcon(QStringLiteral(":/icons/anatomist.svg")), QString(), this, [this] {
            QMessageBox::about(
                this, tr("About Anatomist"),
                tr("<b>Anatomist</b> %1<br>A desktop workbench for the anatomy of language "
                   "models: module trees, layer similarity and more.")
                    .arg(QCoreApplication::applicationVersion()));
        });
}

void MainWindow::wireJobs() {
    auto updateStatus = [this] {
        const int n = m_runner->activeJobs();
        m_jobBar->setVisible(n > 0);
        m_jobLabel->setText(n > 0 ? tr("%n job(s) running", nullptr, n) : QString());
        m_cancelAction->setEnabled(n > 0);
    };
    connect(m_runner, &JobRunner::jobQueued, this,
            [this, updateStatus](quint64 id, const QString& title) {
                m_jobsPanel->addJob(id, title);
                m_jobBar->setValue(0);
                updateStatus();
            });
    connect(m_runner, &JobRunner::jobStarted, m_jobsPanel, &widgets::JobsPanel::setStarted);
    connect(m_runner, &JobRunner::jobStale, this, [this](quint64, const QString& title) {
        statusBar()->showMessage(
            tr("Discarded the result of %1: the model changed meanwhile").arg(title), 8000);
    });
    connect(m_runner, &JobRunner::progress, this,
            [this](quint64 id, double f, const QString& stage) {
                m_jobsPanel->setProgress(
                    id, f, stageTitle(stage)); // core's English stage word, in the UI language
                m_jobBar->setValue(int(f * 1000));
            });
    connect(m_runner, &JobRunner::jobCancelled, this, [this](quint64 id) {
        statusBar()->showMessage(tr("Cancelled: %1").arg(m_runner->title(id)), 5000);
    });
    connect(m_runner, &JobRunner::jobEnded, this, [this, updateStatus](quint64 id) {
        m_jobsPanel->removeJob(id);
        updateStatus();
    });
    connect(m_jobsPanel, &widgets::JobsPanel::cancelRequested, m_runner, &JobRunner::cancel);
}

void MainWindow::retranslate() {
    // Short titles in the rows (the group says the rest); the full name is the tooltip.
    m_tabs->setPageTitle(m_overview, tr("Overview"));
    m_tabs->setGroupTitle(
        m_analysisGroup, tr("Analysis"),
        tr("Layer similarity, activations, contrastive pairs, neuron importance, logit lens"));
    m_tabs->setGroupTitle(
        m_pruningGroup, tr("Pruning"),
        tr("Pruning plan, variants, healing by distillation, comparison, playground"));
    m_tabs->setPageTitle(m_similarityView, tr("Similarity"), tr("Layer similarity"));
    m_tabs->setPageTitle(m_plans->panel(), tr("Plan"), tr("Pruning plan"));
    m_tabs->setPageTitle(m_plans->variantsPanel(), tr("Variants"));
    m_tabs->setPageTitle(m_distill->panel(), tr("Distillation"));
    m_tabs->setPageTitle(m_compare->view(), tr("Compare"));
    m_tabs->setPageTitle(m_compare->playground(), tr("Playground"));
    m_exportAction->setText(tr("&Export variant…"));
    m_exportAction->setStatusTip(
        tr("Write the base or a variant as a Hugging Face folder or a GGUF file"));
    m_editMenu->setTitle(tr("&Edit"));
    m_treeDock->setWindowTitle(tr("Modules"));
    m_detailsDock->setWindowTitle(tr("Details"));
    m_jobsDock->setWindowTitle(tr("Jobs"));
    m_fileMenu->setTitle(tr("&File"));
    m_openAction->setText(tr("&Open folder…"));
    m_openAction->setStatusTip(tr("Open a Hugging Face model folder"));
    m_openGgufAction->setText(tr("Open &GGUF file…"));
    m_openGgufAction->setStatusTip(tr("Open a llama.cpp GGUF model file"));
    m_recentMenu->setTitle(tr("Open &recent"));
    m_clearRecentAction->setText(tr("Clear list"));
    m_openSessionAction->setText(tr("Open &session…"));
    m_recentSessionsMenu->setTitle(tr("Recent s&essions"));
    m_saveSessionAction->setText(tr("&Save session"));
    m_saveSessionAsAction->setText(tr("Save session &as…"));
    m_clearRecentSessionsAction->setText(tr("Clear list"));
    m_quitAction->setText(tr("&Quit"));
    m_analysisMenu->setTitle(tr("&Analysis"));
    m_runAction->setText(tr("Run &layer similarity"));
    m_cancelAction->setText(tr("&Cancel all jobs"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_systemLanguage->setText(tr("System language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About Anatomist"));
    if (!m_models->model() && !m_models->isLoading()) {
        m_modelLabel->setText(
            tr("No model — open a folder (Ctrl+O) or a GGUF file, or drop one here"));
        setWindowTitle(tr("Anatomist[*]"));
    } else if (m_models->model() && !m_models->isLoading()) {
        showLoadedModelLabel(); // a live language switch: "parameters" and the number format
    }
    // Plot tick labels use their plot's locale (QCustomPlot's default is C): the UI language's
    // decimal separator, as in the tables next to them.
    for (QCustomPlot* plot : findChildren<QCustomPlot*>()) {
        plot->setLocale(QLocale());
        plot->replot();
    }
    if (m_moduleShown) // the Details labels come from the model controller, in the old language
        m_details->setModule(m_selectedModule.isEmpty() ? tr("model") : m_selectedModule,
                             m_models->describe(m_selectedModule));
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = m_models->recentModels();
    int i = 1;
    for (const QString& folder : recent) {
        QAction* a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(i++).arg(folder));
        connect(a, &QAction::triggered, this, [this, folder] { openModel(folder); });
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(m_clearRecentAction);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::openModel(const QString& path) {
    m_models->open(path);
}

void MainWindow::openFolderDialog() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a model folder"),
                                                             m_models->recentModels().value(0));
    if (!folder.isEmpty())
        openModel(folder);
}

QString MainWindow::ggufFileFilter() {
    // Both cases: name filters are case-sensitive on Linux.
    return tr("GGUF models (*.gguf *.GGUF);;All files (*)");
}

void MainWindow::openGgufDialog() {
    const QFileInfo recent(m_models->recentModels().value(0));
    const QString start = recent.isFile() ? recent.absolutePath() : recent.filePath();
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open a GGUF model"), start, ggufFileFilter());
    if (!file.isEmpty())
        openModel(file);
}

void MainWindow::showView(const QString& name) {
    if (m_analysis->showView(name))
        return;
    if (name == QLatin1String("similarity"))
        m_tabs->setCurrentPage(m_similarityView);
    else if (name == QLatin1String("overview") || name == QLatin1String("tree"))
        m_tabs->setCurrentPage(m_overview);
    else if (name == QLatin1String("plan"))
        m_tabs->setCurrentPage(m_plans->panel());
    else if (name == QLatin1String("variants"))
        m_tabs->setCurrentPage(m_plans->variantsPanel());
    else if (name == QLatin1String("distill"))
        m_tabs->setCurrentPage(m_distill->panel());
    else if (name == QLatin1String("compare"))
        m_tabs->setCurrentPage(m_compare->view());
    else if (name == QLatin1String("playground"))
        m_tabs->setCurrentPage(m_compare->playground());
    if (name == QLatin1String("tree") || name == QLatin1String("plan")) {
        m_treeDock->show();
        m_treeView->expandLayers();
    }
    if (name == QLatin1String("jobs"))
        m_jobsDock->show();
}

void MainWindow::openExportDialog(const QString& selected) {
    if (!m_models->model())
        return;
    auto* dialog = m_export->dialog(this, selected);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

QString MainWindow::currentView() const {
    QWidget* current = m_tabs->currentPage();
    if (current == m_overview)
        return QStringLiteral("overview");
    if (current == m_similarityView)
        return QStringLiteral("similarity");
    if (current == m_plans->panel())
        return QStringLiteral("plan");
    if (current == m_plans->variantsPanel())
        return QStringLiteral("variants");
    if (current == m_distill->panel())
        return QStringLiteral("distill");
    if (current == m_compare->view())
        return QStringLiteral("compare");
    if (current == m_compare->playground())
        return QStringLiteral("playground");
    return m_analysis->viewNameOf(current);
}

void MainWindow::createSessionActions() {
    m_openSessionAction = new QAction(QIcon(QStringLiteral(":/icons/open.svg")), QString(), this);
    m_openSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(m_openSessionAction, &QAction::triggered, this, &MainWindow::openSessionDialog);
    m_recentSessionsMenu = new QMenu(this);
    m_clearRecentSessionsAction = new QAction(this);
    connect(m_clearRecentSessionsAction, &QAction::triggered, m_session,
            &SessionController::clearRecentSessions);
    m_saveSessionAction = new QAction(this);
    m_saveSessionAction->setShortcut(QKeySequence::Save);
    connect(m_saveSessionAction, &QAction::triggered, this, [this] { saveSession(false); });
    m_saveSessionAsAction = new QAction(this);
    m_saveSessionAsAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveSessionAsAction, &QAction::triggered, this, [this] { saveSession(true); });
    m_fileMenu->insertSeparator(m_quitSeparator);
    m_fileMenu->insertAction(m_quitSeparator, m_openSessionAction);
    m_fileMenu->insertMenu(m_quitSeparator, m_recentSessionsMenu);
    m_fileMenu->insertAction(m_quitSeparator, m_saveSessionAction);
    m_fileMenu->insertAction(m_quitSeparator, m_saveSessionAsAction);
    // Files come and go while the window is open: grey the missing ones each time the menu opens.
    connect(m_fileMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentSessionsMenu);
}

void MainWindow::rebuildRecentSessionsMenu() {
    m_recentSessionsMenu->clear();
    const QStringList recent = m_session->recentSessions();
    int i = 1;
    for (const QString& file : recent) {
        const bool exists = QFileInfo::exists(file);
        QAction* a =
            m_recentSessionsMenu->addAction(exists ? QStringLiteral("&%1 %2").arg(i).arg(file)
                                                   : tr("&%1 %2 (missing)").arg(i).arg(file));
        ++i;
        a->setEnabled(exists); // greyed: it was moved or deleted; opening it again tells why
        a->setToolTip(exists ? file : tr("%1 no longer exists").arg(file));
        connect(a, &QAction::triggered, this, [this, file] { openSession(file); });
    }
    m_recentSessionsMenu->addSeparator();
    m_recentSessionsMenu->addAction(m_clearRecentSessionsAction);
    m_recentSessionsMenu->setEnabled(!recent.isEmpty());
    m_recentSessionsMenu->setToolTipsVisible(true);
}

void MainWindow::openSession(const QString& file) {
    if (!QFileInfo::exists(file)) {
        m_session->forgetRecent(file);
        showError(tr("Could not open the session"),
                  tr("%1 no longer exists; it was removed from the recent sessions.").arg(file));
        return;
    }
    m_session->open(file);
}

void MainWindow::openSessionDialog() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open a session"), m_session->currentFile(),
        tr("Anatomist sessions (*.anatomist);;JSON (*.json);;All files (*)"));
    if (!file.isEmpty())
        openSession(file);
}

bool MainWindow::saveSession(bool askForFile) {
    QString file = m_session->currentFile();
    if (askForFile || file.isEmpty()) {
        if (!m_interactive)
            return false;
        QFileDialog dialog(this, tr("Save the session"), file,
                           tr("Anatomist sessions (*.anatomist);;All files (*)"));
        dialog.setAcceptMode(QFileDialog::AcceptSave);
        dialog.setDefaultSuffix(QStringLiteral("anatomist"));
        if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
            return false;
        file = dialog.selectedFiles().front();
    }
    if (!m_session->save(file))
        return false;
    statusBar()->showMessage(tr("Session saved to %1").arg(file), 8000);
    return true;
}

void MainWindow::showLoadedModelLabel() {
    m_modelLabel->setText(
        tr("%1 · %2 parameters")
            .arg(m_models->folder(), widgets::humanCount(m_models->overview().parameters)));
}

void MainWindow::onModuleSelected(const QString& name) {
    m_details->setModule(name.isEmpty() ? tr("model") : name, m_models->describe(name));
    // Statistics of a large block take seconds: computed in the background, shown if still
    // selected.
    m_selectedModule = name;
    m_moduleShown = true;
    widgets::WeightStats pending;
    pending.name = name;
    pending.computing = true;
    m_details->setStats(pending);
    m_models->requestWeightStats(name);
}

void MainWindow::showError(const QString& title, const QString& message) {
    std::cerr << title.toStdString() << ": " << message.toStdString() << "\n";
    emit errorShown(title, message);
    statusBar()->showMessage(title, 10000);
    if (!m_interactive)
        return;
    // open(), not exec(): a nested event loop here would hold up whatever emitted the error (a
    // failed job's row would stay in the Jobs panel, "Loading … 0 %", until the box closes).
    auto* box = new QMessageBox(QMessageBox::Critical, title, title, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(message);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

QSize MainWindow::firstRunSize(const QSize& available) {
    // Most of the screen, but no wall of empty panels on a very large one.
    return (QSizeF(available) * 0.9).toSize().boundedTo(QSize(1920, 1200));
}

void MainWindow::restoreLayout() {
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First run: Qt's default size from the widgets' hints was ~1014×523 on a 1600×1000 screen.
        if (const QScreen* s = screen()) {
            const QRect available = s->availableGeometry();
            resize(firstRunSize(available.size()));
            move(available.center() - QPoint(width() / 2, height() / 2));
        }
    }
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray()))
        m_firstRunDocks = true; // sized in showEvent, once the window has its size
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!m_firstRunDocks)
        return;
    m_firstRunDocks = false;
    // After the first layout pass (dock sizes set before it are overridden by the size hints).
    QTimer::singleShot(0, this, [this] {
        const int w = width(), h = height();
        // Wide enough for the module names, no wider: the pages need the rest (the contrastive page
        // in Spanish ~1000 px when maximised at 1920 px).
        const int tree = std::clamp(w * 36 / 100, 360, 520);
        if (w < 1500) {
            // Laptop widths: the details go under the tree, so that the pages keep ~810 px at
            // 1280 px, as wide as the widest page (the comparison view) needs.
            splitDockWidget(m_treeDock, m_detailsDock, Qt::Vertical);
            resizeDocks({m_treeDock}, {tree}, Qt::Horizontal);
            resizeDocks({m_treeDock, m_detailsDock}, {h * 50 / 100, h * 40 / 100}, Qt::Vertical);
        } else {
            resizeDocks({m_treeDock, m_detailsDock}, {tree, std::clamp(w * 19 / 100, 230, 320)},
                        Qt::Horizontal);
        }
        // One quiet line when idle, room for one job's row when one runs.
        resizeDocks({m_jobsDock}, {std::max(56, m_jobsPanel->minimumSizeHint().height())},
                    Qt::Vertical);
    });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_interactive && m_session->isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"),
            tr("The plan or the variants changed since the session was saved. Save the session?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveSession(false))) {
            event->ignore();
            return;
        }
    }
    // A running distillation is stopped by shutdown() below, with a checkpoint; ask first.
    if (m_interactive && m_distill->isRunning() &&
        QMessageBox::question(
            this, tr("Stop the distillation?"),
            tr("A distillation is running. Stop it now? A checkpoint is kept in %1, and "
               "Continue in the Distillation tab picks up from there.")
                .arg(m_distill->runFolder())) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    // Cancel running jobs and join the worker thread before the window goes away.
    m_runner->shutdown();
    event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        const QFileInfo info(url.toLocalFile());
        if (info.isDir() || info.fileName() == QLatin1String("config.json") ||
            info.suffix().compare(QLatin1String("gguf"), Qt::CaseInsensitive) == 0) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty()) {
        openModel(urls.first().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace anatomist::gui
