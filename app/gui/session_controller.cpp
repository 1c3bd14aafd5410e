#include "session_controller.h"

#include "job.h"
#include "job_runner.h"
#include "main_window.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "prune_adapter.h"
#include "widgets/plan_editor.h"
#include "widgets/similarity_view.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>

namespace anatomist::gui {

namespace {
const char* kRecentKey = "recentSessions";
const QString kSimilarity = QStringLiteral("similarity");
const QString kCompare = QStringLiteral("similarity_compare");
} // namespace

SessionController::SessionController(MainWindow& window, QObject* parent)
    : QObject(parent)
    , m_window(window) {
    auto touched = [this] {
        if (!m_restoring && !m_pending)
            setModified(true);
    };
    connect(m_window.plans().editor(), &widgets::PlanEditor::changed, this, touched);
    connect(&m_window.plans(), &PlanController::variantAdded, this, touched);
    // A model opened by hand starts a fresh workspace (PlanController, connected first, has reset
    // the plan and the variants by now).
    connect(&m_window.models(), &ModelController::modelLoaded, this, [this] {
        if (m_pending) {
            restore();
            return;
        }
        m_variantFolders.clear();
        setModified(false);
    });
    connect(&m_window.models(), &ModelController::loadRefused, this,
            [this](const QString&, const QString& message) { abandon(message); });
    connect(&m_window.models(), &ModelController::loadFailed, this,
            [this](const QString& folder, const QString& message) {
                if (m_pending)
                    abandon(tr("%1: the model %2 could not be opened: %3")
                                .arg(m_pendingFile, folder, message));
            });
    connect(&m_window.jobs(), &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id == m_variantsJob) {
                    m_variantsJob = 0;
                    m_restoring = false;
                    const QString file = m_pendingFile;
                    m_pending.reset();
                    emit failed(tr("Could not restore the variants"),
                                tr("%1: %2").arg(file, message));
                }
            });
    connect(&m_window.jobs(), &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id == m_variantsJob) { // cancelled, or stale because another model was opened meanwhile
            m_variantsJob = 0;
            m_restoring = false;
            m_pending.reset();
        }
    });
}

void SessionController::setModified(bool modified) {
    if (m_modified == modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

widgets::SessionDocument SessionController::capture() const {
    widgets::SessionDocument s;
    s.modelPath = m_window.models().folder();
    s.datasets.insert(kSimilarity, m_window.similarityView()->datasetPath());
    const QString compare = m_window.similarityView()->compareDatasetPath();
    if (!compare.isNull())
        s.datasets.insert(kCompare, compare);
    const auto& plans = m_window.plans();
    if (!plans.editor()->plan().isEmpty())
        s.plan = plans.editor()->plan().toJson();
    for (const QString& name : plans.variantNames()) {
        widgets::SessionVariant v;
        v.name = name;
        v.summary = plans.variantSummary(name);
        // A folder wins over a plan: a healed student keeps its plan (for its lineage) but only the
        // folder holds the trained weights; re-applying the plan would give back the unhealed
        // variant.
        const QString plan = plans.variantPlan(name);
        v.path = m_variantFolders.value(name);
        if (v.path.isEmpty() && !plan.isEmpty())
            v.plan = QJsonDocument::fromJson(plan.toUtf8()).object();
        if (!v.plan.isEmpty() || !v.path.isEmpty()) // a variant with neither cannot be rebuilt
            s.variants.push_back(v);
    }
    s.distillRuns = m_distillRuns;
    s.view = m_window.currentView();
    return s;
}

bool SessionController::save(const QString& file) {
    if (!m_window.models().model()) {
        emit failed(tr("Could not save the session"),
                    tr("Open a model first: a session starts from a model."));
        return false;
    }
    QString error;
    if (!capture().save(file, error)) {
        emit failed(tr("Could not save the session"), error);
        return false;
    }
    m_file = QFileInfo(file).absoluteFilePath();
    addRecent(m_file);
    setModified(false);
    emit saved(m_file);
    return true;
}

QString SessionController::checkPlans(const widgets::SessionDocument& session, const QString& file,
                                      const widgets::ModelOverview& model) const {
    const widgets::PlanBase base = PlanController::baseOf(model);
    for (const auto& [label, json] : session.plans()) {
        widgets::PlanDocument plan;
        QString error;
        if (!widgets::PlanDocument::fromJson(json, label, plan, error))
            return tr("%1: %2").arg(file, error);
        const QString mismatch = plan.checkBase(base);
        if (!mismatch.isEmpty())
            return tr("%1: %2 no longer fits the model %3.\n%4")
                .arg(file, label, session.modelPath, mismatch);
    }
    return {};
}

bool SessionController::open(const QString& file) {
    const QString title = tr("Could not open the session");
    auto session = std::make_shared<widgets::SessionDocument>();
    QString error;
    if (!widgets::SessionDocument::load(file, *session, error)) {
        emit failed(title, error);
        return false;
    }
    if (!QFileInfo::exists(session->modelPath)) {
        emit failed(
            title,
            tr("%1: the model %2 is missing (moved or deleted?)").arg(file, session->modelPath));
        return false;
    }
    for (const auto& v : session->variants)
        if (v.plan.isEmpty() && !QFileInfo(v.path).isDir()) {
            emit failed(
                title, tr("%1: the folder of variant %2 is missing: %3").arg(file, v.name, v.path));
            return false;
        }
    // A session still opening is superseded (its model load is cancelled by the new one).
    m_pending = session;
    m_pendingFile = QFileInfo(file).absoluteFilePath();
    const QString pendingFile = m_pendingFile;
    m_window.models().open(session->modelPath,
                           [this, session, pendingFile](const widgets::ModelOverview& model) {
                               return checkPlans(*session, pendingFile, model);
                           });
    return true;
}

void SessionController::abandon(const QString& message) {
    if (!m_pending)
        return;
    m_pending.reset();
    emit failed(tr("Could not open the session"), message);
}

void SessionController::restore() {
    m_restoring = true;
    const widgets::SessionDocument& s = *m_pending;
    auto* similarity = m_window.similarityView();
    if (s.datasets.contains(kSimilarity))
        similarity->setDatasetPath(s.datasets.value(kSimilarity));
    similarity->setCompareDatasetPath(s.datasets.contains(kCompare) ? s.datasets.value(kCompare)
                                                                    : QString());
    auto& plans = m_window.plans();
    if (!s.plan.isEmpty()) {
        widgets::PlanDocument plan;
        QString error;
        if (widgets::PlanDocument::fromJson(s.plan, m_pendingFile, plan, error)) // checked on open
            plans.editor()->reset(plan);
    }
    m_variantFolders.clear();
    if (s.variants.isEmpty()) {
        finishRestore();
        return;
    }
    auto loaded = m_window.models().model();
    const QVector<widgets::SessionVariant> variants = s.variants;
    struct Rebuilt {
        widgets::SessionVariant saved;
        std::shared_ptr<core::CausalLM> model;
    };
    m_variantsJob = m_window.jobs().submit(
        tr("Restoring %n variant(s)", nullptr, int(variants.size())),
        [this, loaded, variants](core::JobContext& job) -> JobRunner::Finish {
            auto rebuilt = std::make_shared<std::vector<Rebuilt>>();
            const double share = 1.0 / double(variants.size());
            for (qsizetype i = 0; i < variants.size(); ++i) {
                core::SubJobContext sub(job, share * double(i), share * double(i + 1));
                const auto& v = variants[i];
                std::shared_ptr<core::CausalLM> model;
                if (!v.plan.isEmpty())
                    model =
                        applyPlanWithEngine(
                            *loaded->model,
                            QJsonDocument(v.plan).toJson(QJsonDocument::Compact).toStdString(), sub)
                            .model;
                else
                    model = core::loadModel(v.path.toStdString(), core::LoadOptions{}, sub).model;
                rebuilt->push_back({v, std::move(model)});
            }
            return [this, rebuilt] {
                m_variantsJob = 0;
                for (const auto& r : *rebuilt) {
                    const QString plan =
                        r.saved.plan.isEmpty()
                            ? QString()
                            : QString::fromUtf8(
                                  QJsonDocument(r.saved.plan).toJson(QJsonDocument::Compact));
                    const QString name =
                        m_window.plans().addVariant(r.saved.name, r.model, r.saved.summary, plan);
                    if (!r.saved.path.isEmpty())
                        m_variantFolders.insert(name, r.saved.path);
                }
                finishRestore();
            };
        },
        {JobRunner::Lane::Long, m_window.models().modelTag()});
}

void SessionController::finishRestore() {
    const widgets::SessionDocument s = *m_pending;
    m_pending.reset();
    m_distillRuns = s.distillRuns;
    emit distillRunsRestored(m_distillRuns);
    if (!s.view.isEmpty())
        m_window.showView(s.view);
    m_file = m_pendingFile;
    m_restoring = false;
    addRecent(m_file);
    setModified(false);
    emit restored(m_file);
}

void SessionController::registerVariantFolder(const QString& name, const QString& folder) {
    m_variantFolders.insert(name, QFileInfo(folder).absoluteFilePath());
}

void SessionController::setDistillRuns(const QStringList& runs) {
    if (runs == m_distillRuns)
        return;
    m_distillRuns = runs;
    if (!m_restoring && !m_pending)
        setModified(true);
}

QStringList SessionController::recentSessions() const {
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void SessionController::addRecent(const QString& file) {
    QStringList recent = recentSessions();
    recent.removeAll(file);
    recent.prepend(file);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), recent);
    emit recentSessionsChanged();
}

void SessionController::forgetRecent(const QString& file) {
    QStringList recent = recentSessions();
    if (recent.removeAll(file) == 0)
        return;
    QSettings().setValue(QLatin1String(kRecentKey), recent);
    emit recentSessionsChanged();
}

void SessionController::clearRecentSessions() {
    QSettings().remove(QLatin1String(kRecentKey));
    emit recentSessionsChanged();
}

} // namespace anatomist::gui
