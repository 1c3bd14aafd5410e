#include "converters.h"

#include "analysis/layer_similarity.h"
#include "model/model_info.h"

#include <QJsonDocument>
#include <nlohmann/json.hpp>

namespace anatomist::gui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QVector<qint64> qv(const std::vector<int64_t>& v) {
    return QVector<qint64>(v.begin(), v.end());
}
} // namespace

widgets::ModuleNode toModuleNode(const core::ModuleInfo& info) {
    widgets::ModuleNode node;
    node.name = qs(info.name);
    node.localName = qs(info.localName);
    node.kind = qs(info.kind);
    node.role = info.role;
    node.shape = qv(info.shape);
    node.dtype = qs(info.dtype);
    node.parameters = info.parameters;
    node.storedType = qs(info.storedType);
    node.storedBytes = qint64(info.storedBytes);
    node.children.reserve(info.children.size());
    for (const auto& child : info.children)
        node.children.push_back(toModuleNode(child));
    return node;
}

widgets::ModelOverview toOverview(const core::ModelSummary& s, const QString& folder,
                                  const QString& tokenizer) {
    widgets::ModelOverview o;
    o.folder = folder;
    o.family = qs(s.family);
    o.modelType = qs(s.model_type);
    o.architecture = qs(s.architecture);
    o.activation = qs(s.activation);
    o.positions = qs(s.positions);
    o.dtype = qs(s.dtype);
    o.tokenizer = tokenizer;
    o.layers = s.layers;
    o.hiddenSize = s.hidden_size;
    o.heads = s.heads;
    o.kvHeads = s.kv_heads;
    o.headDim = s.head_dim;
    o.intermediateSize = s.intermediate_size;
    o.vocabSize = s.vocab_size;
    o.context = s.context;
    o.parameters = s.parameters;
    o.mlpExpansion = s.mlp_expansion;
    o.tiedEmbeddings = s.tied_embeddings;
    o.slidingLayers = s.sliding_layers;
    o.slidingWindow = s.sliding_window.value_or(0);
    for (const auto& [group, n] : s.parametersByGroup) {
        o.groups << group;
        o.groupParameters << n;
    }
    o.parametersPerLayer = qv(s.parametersPerLayer);
    o.attentionPerLayer = qv(s.attentionParametersPerLayer);
    o.mlpPerLayer = qv(s.mlpParametersPerLayer);
    return o;
}

widgets::SimilaritySeries toSeries(const core::SimilarityResult& r) {
    widgets::SimilaritySeries s;
    s.dataset = qs(r.dataset);
    s.documents = r.documents;
    s.tokens = r.tokens;
    s.seconds = r.seconds;
    for (const auto& l : r.layers)
        s.layers.push_back({l.layer, l.block, l.attention, l.mlp, l.importance});
    s.removalOrder = QVector<int>(r.removalOrder.begin(), r.removalOrder.end());
    // The JSON export writes the CLI's record (one schema, written by core::toJson).
    s.record = QJsonDocument::fromJson(QByteArray::fromStdString(core::toJson(r).dump())).object();
    return s;
}

} // namespace anatomist::gui
