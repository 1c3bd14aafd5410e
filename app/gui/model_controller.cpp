#include "model_controller.h"

#include "converters.h"
#include "job.h"
#include "job_runner.h"
#include "model/model_info.h"
#include "model/model_loader.h"
#include "widgets/module_tree_model.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QSettings>
#include <c10/core/InferenceMode.h>
#include <functional>

namespace anatomist::gui {

namespace {
constexpr int kMaxRecent = 10;
const char* kRecentKey = "recentModels";

void collectLayers(const widgets::ModuleNode& node, QStringList& out) {
    if (node.role == core::ModuleRole::Block)
        out << node.name;
    for (const auto& child : node.children)
        collectLayers(child, out);
}

const widgets::ModuleNode* findNode(const widgets::ModuleNode& node, const QString& name) {
    if (node.name == name)
        return &node;
    for (const auto& child : node.children)
        if (name.isEmpty() || child.name.isEmpty() || name == child.name ||
            name.startsWith(child.name + QLatin1Char('.')))
            if (auto* found = findNode(child, name))
                return found;
    return nullptr;
}
} // namespace

ModelController::ModelController(JobRunner& runner, QObject* parent)
    : QObject(parent)
    , m_runner(runner)
    , m_tree(new widgets::ModuleTreeModel(this)) {
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id == m_loadJob)
                    emit loadFailed(m_loadingFolder, message);
            });
    connect(&m_runner, &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id == m_loadJob)
            m_loadJob = 0;
        if (id == m_statsJob)
            m_statsJob = 0;
    });
}

ModelController::~ModelController() = default;

void ModelController::open(const QString& path, Check check) {
    const QFileInfo info(path);
    // A mistyped path must not fall back to its parent folder (which may hold another model).
    if (!info.exists()) {
        emit loadFailed(QDir::cleanPath(info.absoluteFilePath()),
                        tr("There is no file or folder at this path."));
        return;
    }
    // A folder (or a file inside it, such as config.json), or a llama.cpp .gguf file itself.
    const bool gguf =
        info.isFile() && info.suffix().compare(QLatin1String("gguf"), Qt::CaseInsensitive) == 0;
    const QString folder = info.isDir() || gguf ? info.absoluteFilePath() : info.absolutePath();
    // A file that is neither a .gguf nor part of a model folder (a text file, a picture): name it,
    // not the folder around it (whose missing config.json would say nothing about the choice).
    if (info.isFile() && !gguf && !QFileInfo::exists(folder + QStringLiteral("/config.json"))) {
        emit loadFailed(QDir::cleanPath(info.absoluteFilePath()),
                        tr("%1 is not a model: open a model folder, its config.json or a .gguf "
                           "file.")
                            .arg(info.fileName()));
        return;
    }
    if (m_loadJob)
        m_runner.cancel(m_loadJob);
    // folder() stays the loaded model's until the new one has loaded: a failed open keeps the old.
    m_loadingFolder = folder;
    emit loadStarted(folder);

    struct Loaded {
        std::shared_ptr<core::LoadedModel> model;
        widgets::ModuleNode tree;
        widgets::ModelOverview overview;
        QString dtype;
    };
    m_loadJob = m_runner.submit(
        tr("Loading %1").arg(QFileInfo(folder).fileName()),
        [this, folder, check](core::JobContext& job) -> JobRunner::Finish {
            auto result = std::make_shared<Loaded>();
            result->model = std::make_shared<core::LoadedModel>(
                core::loadModel(folder.toStdString(), core::LoadOptions{}, job));
            const auto summary = core::summarize(*result->model->model);
            result->tree =
                toModuleNode(core::describeModules(*result->model->model, result->model->stored));
            const auto& tok = result->model->tokenizer;
            result->overview = toOverview(
                summary, folder, tok ? QString::fromStdString(tok->kindName()) : QString());
            result->dtype = QString::fromStdString(summary.dtype);
            return [this, result, folder, check] {
                if (check) {
                    const QString refused = check(result->overview);
                    if (!refused.isEmpty()) {
                        emit loadRefused(folder, refused);
                        return;
                    }
                }
                m_model = result->model;
                m_overview = result->overview;
                m_layerNames.clear();
                collectLayers(result->tree, m_layerNames);
                m_tree->setTree(std::move(result->tree), result->dtype);
                m_folder = folder;
                m_runner.retireTag(m_tag); // results computed for the previous model are stale
                m_tag = QStringLiteral("model#%1").arg(++m_generation);
                addRecent(folder);
                emit modelLoaded(folder);
            };
        },
        {JobRunner::Lane::Model, {}});
}

QString ModelController::layerModuleName(int layer) const {
    return m_layerNames.value(layer);
}

namespace {
widgets::WeightStats computeWeightStats(const core::CausalLM& model, const QString& moduleName,
                                        int bins, qint64 maxParameters) {
    widgets::WeightStats stats;
    stats.name = moduleName;
    c10::InferenceMode guard;
    const std::string prefix = moduleName.toStdString();
    std::vector<torch::Tensor> tensors;
    for (const auto& p : model.named_parameters(true)) {
        if (prefix.empty() || p.key() == prefix || p.key().rfind(prefix + ".", 0) == 0) {
            tensors.push_back(p.value());
            stats.count += p.value().numel();
        }
    }
    if (tensors.empty() || stats.count > maxParameters)
        return stats;
    double sum = 0, sumSq = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& t : tensors) {
        const auto f = t.detach().to(torch::kFloat64);
        sum += f.sum().item<double>();
        sumSq += f.square().sum().item<double>();
        lo = std::min(lo, f.min().item<double>());
        hi = std::max(hi, f.max().item<double>());
    }
    const double n = double(stats.count);
    stats.min = lo;
    stats.max = hi;
    stats.mean = sum / n;
    stats.std = std::sqrt(std::max(0.0, sumSq / n - stats.mean * stats.mean));
    if (hi <= lo)
        hi = lo + 1e-6;
    torch::Tensor counts = torch::zeros({bins}, torch::kFloat64);
    for (const auto& t : tensors)
        counts += torch::histc(t.detach().to(torch::kFloat32).flatten(), bins, lo, hi)
                      .to(torch::kFloat64);
    for (int i = 0; i <= bins; ++i)
        stats.histogramEdges << lo + (hi - lo) * i / bins;
    for (int i = 0; i < bins; ++i)
        stats.histogramCounts << counts[i].item<double>();
    if (tensors.size() == 1 && tensors[0].dim() == 2) {
        const auto norms = tensors[0].detach().to(torch::kFloat32).norm(2, {1}).contiguous();
        const float* p = norms.data_ptr<float>();
        stats.rowNorms = QVector<double>(p, p + norms.numel());
    }
    return stats;
}
} // namespace

bool ModelController::storesInOut(const QString& parameterName) const {
    // A weight whose module is a GPT-2 Conv1D ([in, out] storage).
    const widgets::ModuleNode* root = m_tree->root();
    const int dot = int(parameterName.lastIndexOf(QLatin1Char('.')));
    const widgets::ModuleNode* owner =
        root && dot > 0 ? findNode(*root, parameterName.left(dot)) : nullptr;
    const widgets::ModuleNode* self = root ? findNode(*root, parameterName) : nullptr;
    return (owner && owner->role == core::ModuleRole::Conv1D) ||
           (self && self->role == core::ModuleRole::Conv1D);
}

void ModelController::requestWeightStats(const QString& moduleName, int bins) {
    if (!m_model)
        return;
    if (m_statsJob)
        m_runner.cancel(m_statsJob); // only the newest selection matters
    auto loaded = m_model;
    const bool inputs = storesInOut(moduleName);
    m_statsJob = m_runner.submit(
        tr("Weight statistics of %1").arg(moduleName.isEmpty() ? tr("the model") : moduleName),
        [this, loaded, moduleName, bins, inputs](core::JobContext& job) -> JobRunner::Finish {
            auto stats = std::make_shared<widgets::WeightStats>(
                computeWeightStats(*loaded->model, moduleName, bins, kMaxStatsParameters));
            stats->rowsAreInputs = inputs;
            job.throwIfCancelled();
            return [this, stats] { emit weightStatsReady(*stats); };
        },
        {JobRunner::Lane::Analysis, m_tag});
}

QString ModelController::describe(const QString& moduleName) const {
    const widgets::ModuleNode* root = m_tree->root();
    const widgets::ModuleNode* node = root ? findNode(*root, moduleName) : nullptr;
    if (!node)
        return {};
    const QLocale locale;
    const qint64 total = root->parameters;
    QString html = QStringLiteral("<table>");
    auto row = [&](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><td style='padding-right:8px'>%1</td><td>%2</td></tr>")
                    .arg(k, v.toHtmlEscaped());
    };
    row(tr("Kind"), widgets::ModuleTreeModel::displayKind(*node));
    if (!node->shape.isEmpty()) {
        QStringList dims;
        for (qint64 d : node->shape)
            dims << QString::number(d);
        row(tr("Shape"),
            QStringLiteral("[%1] %2").arg(dims.join(QStringLiteral(", ")), node->dtype));
    }
    if (!node->storedType.isEmpty())
        row(tr("Stored"),
            tr("%1, %2 in the file")
                .arg(node->storedType, widgets::humanBytes(double(node->storedBytes))));
    row(tr("Parameters"),
        tr("%1 (%2 % of the model)")
            .arg(locale.toString(node->parameters),
                 locale.toString(total ? 100.0 * double(node->parameters) / double(total) : 0.0,
                                 'f', 2)));
    if (widgets::ModuleTreeModel::isRemovable(*node))
        row(tr("Removing it saves"), tr("%1 parameters, %2 in float32, %3 in bfloat16")
                                         .arg(locale.toString(node->parameters),
                                              widgets::humanBytes(double(node->parameters) * 4),
                                              widgets::humanBytes(double(node->parameters) * 2)));
    if (!node->children.empty())
        row(tr("Children"), QString::number(node->children.size()));
    html += QStringLiteral("</table>");
    return html;
}

bool ModelController::hasTokenizer() const {
    return m_model && m_model->tokenizer;
}

QStringList ModelController::recentModels() const {
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void ModelController::clearRecentModels() {
    QSettings().remove(QLatin1String(kRecentKey));
    emit recentModelsChanged();
}

void ModelController::addRecent(const QString& folder) {
    QStringList list = recentModels();
    list.removeAll(folder);
    list.prepend(folder);
    while (list.size() > kMaxRecent)
        list.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), list);
    emit recentModelsChanged();
}

} // namespace anatomist::gui
