#pragma once
// Owns the open model: loads it in the background through the job runner, publishes its module
// tree (a widgets::ModuleTreeModel) and overview, computes weight statistics for a module, and
// keeps the recent-models list (QSettings "recentModels").

#include "widgets/plot_data.h"

#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

namespace anatomist::core {
struct LoadedModel;
}
namespace anatomist::widgets {
class ModuleTreeModel;
}

namespace anatomist::gui {

class JobRunner;

class ModelController : public QObject {
    Q_OBJECT
public:
    ModelController(JobRunner& runner, QObject* parent = nullptr);
    ~ModelController() override;

    // Runs on the GUI thread once a model is loaded, before it replaces the open one: a non-empty
    // answer refuses it (loadRefused) and the open model stays.
    using Check = std::function<QString(const widgets::ModelOverview&)>;
    // Accepts a model folder or a file inside it (config.json). Loads in the background.
    void open(const QString& path, Check check = {});
    bool isLoading() const { return m_loadJob != 0; }

    std::shared_ptr<core::LoadedModel> model() const { return m_model; }
    QString folder() const { return m_folder; }
    // Tag of the loaded model for JobRunner::Options::tag ("model#N"); retired when it is replaced.
    QString modelTag() const { return m_tag; }
    widgets::ModuleTreeModel* treeModel() const { return m_tree; }
    const widgets::ModelOverview& overview() const { return m_overview; }

    // Full module name of decoder block `layer` (the layer-th DecoderLayer of the tree), or "".
    QString layerModuleName(int layer) const;
    // Weight statistics of the parameters at or below a module, computed in the background
    // (analysis lane, tagged with the model; a newer request cancels an older one):
    // weightStatsReady follows. Modules above kMaxStatsParameters get counts only.
    void requestWeightStats(const QString& moduleName, int bins = 60);
    // Rich text for the details panel (kind, shape, parameters, removal savings).
    QString describe(const QString& moduleName) const;

    // The loaded model came with a tokenizer (text can be run through it).
    bool hasTokenizer() const;
    QStringList recentModels() const;
    void clearRecentModels();

    static constexpr qint64 kMaxStatsParameters = 64'000'000;

signals:
    void loadStarted(const QString& folder);
    void modelLoaded(const QString& folder);
    void loadFailed(const QString& folder, const QString& message);
    void loadRefused(const QString& folder, const QString& message);
    void recentModelsChanged();
    void weightStatsReady(const widgets::WeightStats& stats);

private:
    bool storesInOut(const QString& parameterName) const;
    void addRecent(const QString& folder);

    JobRunner& m_runner;
    widgets::ModuleTreeModel* m_tree;
    std::shared_ptr<core::LoadedModel> m_model;
    widgets::ModelOverview m_overview;
    QStringList m_layerNames;
    QString m_folder;
    QString m_loadingFolder;
    quint64 m_statsJob = 0;
    quint64 m_loadJob = 0;
    QString m_tag;
    int m_generation = 0;
};

} // namespace anatomist::gui
