#pragma once
// Workspace sessions (widgets::SessionDocument files): save the open model, the similarity
// datasets, the plan, the variants, the distillation runs and the open tab; open one back. Opening
// checks the file (JSON, format, version), that the model and every variant folder exist, and —
// once the model is loaded, before it replaces the open one — that every plan still fits it; any
// problem is one message naming the file (failed) and the workspace stays as it was. Plan variants
// are re-applied with the pruning engine (one job on the long lane, in the saved order); folder
// variants are loaded. Keeps the recent-sessions list (QSettings "recentSessions", at most
// kMaxRecent) and the "modified since saved" state of the plan and variants.

#include "widgets/plot_data.h"
#include "widgets/session_document.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <memory>

namespace anatomist::gui {

class MainWindow;

class SessionController : public QObject {
    Q_OBJECT
public:
    explicit SessionController(MainWindow& window, QObject* parent = nullptr);

    static constexpr int kMaxRecent = 8;

    // The workspace as a session document (the model must be open).
    widgets::SessionDocument capture() const;
    bool save(const QString& file);
    // Starts opening; false when the file is refused at once. restored() or failed() follows a
    // true.
    bool open(const QString& file);
    bool isOpening() const { return m_pending != nullptr; }

    QString currentFile() const { return m_file; }
    bool isModified() const { return m_modified; }
    void setModified(bool modified);

    QStringList recentSessions() const;
    void clearRecentSessions();
    void forgetRecent(const QString& file);

    // Variants that are not plans (a healed student, an imported folder): the folder a session
    // stores for them. Whoever adds such a variant to the PlanController registers its folder here.
    void registerVariantFolder(const QString& name, const QString& folder);
    // Distillation run folders (the distill panel's list); saved and restored as they are.
    QStringList distillRuns() const { return m_distillRuns; }
    void setDistillRuns(const QStringList& runs);

signals:
    void restored(const QString& file);
    void saved(const QString& file);
    void failed(const QString& title, const QString& message);
    void modifiedChanged(bool modified);
    void recentSessionsChanged();
    void distillRunsRestored(const QStringList& runs);

private:
    QString checkPlans(const widgets::SessionDocument& session, const QString& file,
                       const widgets::ModelOverview& model) const;
    void restore();
    void finishRestore();
    void abandon(const QString& message);
    void addRecent(const QString& file);

    MainWindow& m_window;
    QString m_file;
    bool m_modified = false;
    bool m_restoring = false;
    std::shared_ptr<widgets::SessionDocument> m_pending;
    QString m_pendingFile;
    quint64 m_variantsJob = 0;
    QHash<QString, QString> m_variantFolders;
    QStringList m_distillRuns;
};

} // namespace anatomist::gui
