#pragma once
// The main window only wires things together: the job runner, the model and similarity controllers,
// and the docks and views that show them. Menus, shortcuts, drag and drop, recent models, language,
// and the remembered geometry / dock layout live here; features live in their controllers.

#include <QMainWindow>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QDockWidget;

namespace anatomist::widgets {
class JobsPanel;
class ModuleDetails;
class ModuleTreeView;
class OverviewCard;
class PlanPanel;
class SimilarityView;
class VariantsPanel;
} // namespace anatomist::widgets

namespace anatomist::gui {

class AnalysisViews;
class DistillController;
class CompareController;
class ExportController;
class JobRunner;
class ModelController;
class PageTabs;
class PlanController;
class SessionController;
class SimilarityController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    JobRunner& jobs() const { return *m_runner; }
    ModelController& models() const { return *m_models; }
    SimilarityController& similarity() const { return *m_similarity; }
    AnalysisViews& analysisViews() const { return *m_analysis; }
    PlanController& plans() const { return *m_plans; }
    CompareController& comparison() const { return *m_compare; }
    ExportController& exporter() const { return *m_export; }
    SessionController& sessions() const { return *m_session; }
    DistillController& distill() const { return *m_distill; }
    widgets::SimilarityView* similarityView() const { return m_similarityView; }
    widgets::ModuleTreeView* treeView() const { return m_treeView; }
    widgets::ModuleDetails* details() const { return m_details; }
    widgets::JobsPanel* jobsPanel() const { return m_jobsPanel; }

    void openModel(const QString& path);
    // "overview", "tree", "similarity", "jobs", "plan", "variants", "distill", "compare",
    // "playground", or an AnalysisViews name
    // ("activations", ...)
    void showView(const QString& name);
    // Opens a session file; a file that no longer exists is reported and leaves the recent list.
    void openSession(const QString& file);
    // The showView name of the open tab ("" for a tab showView does not know).
    QString currentView() const;
    // File ▸ Open GGUF file…'s name filter.
    static QString ggufFileFilter();
    // When false (tests, screenshots), errors go to the status bar and stderr instead of dialogs.
    void setInteractive(bool interactive) { m_interactive = interactive; }
    // The tab rows; pages are the view widgets themselves (see PageTabs).
    PageTabs* pages() const { return m_tabs; }
    // The size of the first window (nothing remembered yet) on a screen with this available area.
    static QSize firstRunSize(const QSize& available);

signals:
    void errorShown(const QString& title, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createDocks();
    void wireJobs();
    void retranslate();
    void rebuildRecentMenu();
    void showError(const QString& title, const QString& message);
    void openExportDialog(const QString& selected);
    void onModuleSelected(const QString& name);
    // "FOLDER · N parameters" of the model that is loaded now.
    void showLoadedModelLabel();
    void openFolderDialog();
    void openGgufDialog();
    void restoreLayout();
    void createSessionActions();
    void rebuildRecentSessionsMenu();
    bool saveSession(bool askForFile);
    void openSessionDialog();

    JobRunner* m_runner;
    ModelController* m_models;
    SimilarityController* m_similarity = nullptr;
    AnalysisViews* m_analysis = nullptr;
    PlanController* m_plans = nullptr;
    CompareController* m_compare = nullptr;
    ExportController* m_export = nullptr;
    QAction* m_exportAction = nullptr;
    SessionController* m_session = nullptr;
    DistillController* m_distill = nullptr;
    PageTabs* m_tabs;
    int m_analysisGroup = -1;
    int m_pruningGroup = -1;
    widgets::OverviewCard* m_overview;
    widgets::SimilarityView* m_similarityView;
    widgets::ModuleTreeView* m_treeView;
    widgets::ModuleDetails* m_details;
    widgets::JobsPanel* m_jobsPanel;
    QDockWidget* m_treeDock;
    QDockWidget* m_detailsDock;
    QDockWidget* m_jobsDock;
    QMenu* m_fileMenu;
    QMenu* m_recentMenu;
    QMenu* m_editMenu;
    QMenu* m_analysisMenu;
    QMenu* m_viewMenu;
    QMenu* m_languageMenu;
    QMenu* m_helpMenu;
    QAction* m_openAction;
    QAction* m_openGgufAction;
    QAction* m_quitAction;
    QAction* m_quitSeparator = nullptr;
    QAction* m_openSessionAction = nullptr;
    QAction* m_saveSessionAction = nullptr;
    QAction* m_saveSessionAsAction = nullptr;
    QAction* m_clearRecentSessionsAction = nullptr;
    QMenu* m_recentSessionsMenu = nullptr;
    QAction* m_runAction;
    QAction* m_cancelAction;
    QAction* m_clearRecentAction;
    QAction* m_aboutAction;
    QAction* m_systemLanguage;
    QList<QAction*> m_languageActions;
    QString m_selectedModule;
    bool m_moduleShown = false; // the Details dock describes m_selectedModule ("" = the model)
    QLabel* m_modelLabel;
    QLabel* m_jobLabel;
    QProgressBar* m_jobBar;
    bool m_interactive = true;
    bool m_firstRunDocks = false; // no remembered dock layout: size the docks once shown
};

} // namespace anatomist::gui
