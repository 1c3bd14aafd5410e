#include "plan_document.h"

#include "json_file.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace anatomist::widgets {

namespace {

const QStringList& knownOps() {
    static const QStringList ops{
        QStringLiteral("remove_layers"), QStringLiteral("bypass_attention"),
        QStringLiteral("prune_mlp"),     QStringLiteral("remove_neurons"),
        QStringLiteral("prune_heads"),   QStringLiteral("fairness_neurons")};
    return ops;
}

QJsonArray intArray(const QVector<int>& values) {
    QJsonArray a;
    for (int v : values)
        a.append(v);
    return a;
}

// Takes `layer` out of an operation's layers (an operation on every layer becomes one on the
// others); false when no layer is left.
bool dropLayer(PlanOperation& op, int layer, qint64 numLayers) {
    QVector<int> rest;
    if (op.coversAll()) {
        for (int l = 0; l < numLayers; ++l)
            rest << l;
    } else {
        rest = op.layers();
    }
    rest.removeAll(layer);
    if (rest.isEmpty())
        return false;
    op.json.remove(QStringLiteral("layer"));
    op.json[QStringLiteral("layers")] = intArray(rest);
    return true;
}

} // namespace

QJsonObject PlanBase::toJson() const {
    return {{QStringLiteral("model_type"), modelType},
            {QStringLiteral("num_hidden_layers"), numHiddenLayers},
            {QStringLiteral("hidden_size"), hiddenSize},
            {QStringLiteral("intermediate_size"), intermediateSize},
            {QStringLiteral("num_attention_heads"), numAttentionHeads},
            {QStringLiteral("num_key_value_heads"), numKeyValueHeads}};
}

PlanBase PlanBase::fromJson(const QJsonObject& json) {
    PlanBase b;
    b.modelType = json.value(QStringLiteral("model_type")).toString();
    b.numHiddenLayers = json.value(QStringLiteral("num_hidden_layers")).toInteger();
    b.hiddenSize = json.value(QStringLiteral("hidden_size")).toInteger();
    b.intermediateSize = json.value(QStringLiteral("intermediate_size")).toInteger();
    b.numAttentionHeads = json.value(QStringLiteral("num_attention_heads")).toInteger();
    b.numKeyValueHeads = json.value(QStringLiteral("num_key_value_heads")).toInteger();
    return b;
}

QString PlanBase::describe() const {
    return PlanDocument::tr("%1, %2 layers, hidden size %3, MLP width %4, %5 heads (%6 KV)")
        .arg(modelType)
        .arg(numHiddenLayers)
        .arg(hiddenSize)
        .arg(intermediateSize)
        .arg(numAttentionHeads)
        .arg(numKeyValueHeads);
}

QVector<int> PlanOperation::layers() const {
    QVector<int> out;
    if (json.contains(QStringLiteral("layer")))
        out << json.value(QStringLiteral("layer")).toInt();
    for (const auto& v : json.value(QStringLiteral("layers")).toArray())
        out << v.toInt();
    return out;
}

bool PlanOperation::coversAll() const {
    return !json.contains(QStringLiteral("layer")) && !json.contains(QStringLiteral("layers"));
}

bool PlanOperation::touches(int layer) const {
    return coversAll() || layers().contains(layer);
}

PlanOperation PlanOperation::removeLayer(int layer) {
    return {{{QStringLiteral("op"), QStringLiteral("remove_layers")},
             {QStringLiteral("layers"), QJsonArray{layer}}}};
}

PlanOperation PlanOperation::bypassAttention(int layer) {
    return {{{QStringLiteral("op"), QStringLiteral("bypass_attention")},
             {QStringLiteral("layers"), QJsonArray{layer}}}};
}

PlanOperation PlanOperation::pruneMlp(int layer, double percent, const QString& method) {
    return {{{QStringLiteral("op"), QStringLiteral("prune_mlp")},
             {QStringLiteral("layers"), QJsonArray{layer}},
             {QStringLiteral("method"), method},
             {QStringLiteral("percent"), percent}}};
}

PlanOperation PlanOperation::removeKvGroup(int layer, int group) {
    return {{{QStringLiteral("op"), QStringLiteral("prune_heads")},
             {QStringLiteral("layers"), QJsonArray{layer}},
             {QStringLiteral("kv_groups"), QJsonArray{group}}}};
}

PlanOperation PlanOperation::removeHeadsPerGroup(int layer, int perGroup) {
    PlanOperation op{{{QStringLiteral("op"), QStringLiteral("prune_heads")},
                      {QStringLiteral("query_heads_per_group"), perGroup},
                      {QStringLiteral("method"), QStringLiteral("l2")}}};
    if (layer >= 0)
        op.json.insert(QStringLiteral("layers"), QJsonArray{layer});
    return op;
}

bool PlanDocument::operator==(const PlanDocument& other) const {
    if (!(base == other.base) || operations.size() != other.operations.size())
        return false;
    for (qsizetype i = 0; i < operations.size(); ++i)
        if (operations[i].json != other.operations[i].json)
            return false;
    return true;
}

QJsonObject PlanDocument::toJson() const {
    QJsonArray ops;
    for (const auto& op : operations)
        ops.append(op.json);
    return {{QStringLiteral("format"), QStringLiteral("anatomist-plan")},
            {QStringLiteral("version"), 1},
            {QStringLiteral("base"), base.toJson()},
            {QStringLiteral("operations"), ops}};
}

bool PlanDocument::fromJson(const QJsonObject& json, const QString& source, PlanDocument& out,
                            QString& error) {
    if (json.value(QStringLiteral("format")).toString() != QLatin1String("anatomist-plan")) {
        error = tr("%1: not a pruning plan (\"format\" must be \"anatomist-plan\")").arg(source);
        return false;
    }
    if (json.value(QStringLiteral("version")).toInt() != 1) {
        error = tr("%1: plan version %2 is not supported (this version reads version 1)")
                    .arg(source, json.value(QStringLiteral("version")).toVariant().toString());
        return false;
    }
    if (!json.value(QStringLiteral("operations")).isArray()) {
        error = tr("%1: \"operations\" must be a list").arg(source);
        return false;
    }
    PlanDocument plan;
    plan.base = PlanBase::fromJson(json.value(QStringLiteral("base")).toObject());
    const auto ops = json.value(QStringLiteral("operations")).toArray();
    for (qsizetype i = 0; i < ops.size(); ++i) {
        const QJsonObject op = ops[i].toObject();
        if (!knownOps().contains(op.value(QStringLiteral("op")).toString())) {
            error = tr("%1: operation %2 has an unknown \"op\" (%3)")
                        .arg(source)
                        .arg(i)
                        .arg(QString::fromUtf8(QJsonDocument(op).toJson(QJsonDocument::Compact)));
            return false;
        }
        PlanOperation parsed{op};
        for (int layer : parsed.layers())
            if (plan.base.numHiddenLayers > 0 &&
                (layer < 0 || layer >= plan.base.numHiddenLayers)) {
                error = tr("%1: operation %2 (%3) names layer %4, but the base has %5 layers")
                            .arg(source)
                            .arg(i)
                            .arg(parsed.op())
                            .arg(layer)
                            .arg(plan.base.numHiddenLayers);
                return false;
            }
        plan.operations.push_back(parsed);
    }
    out = std::move(plan);
    return true;
}

bool PlanDocument::save(const QString& file, QString& error) const {
    return JsonFile::write(file, toJson(), error);
}

bool PlanDocument::load(const QString& file, PlanDocument& out, QString& error) {
    QJsonObject json;
    return JsonFile::read(file, json, error) &&
           fromJson(json, QFileInfo(file).fileName(), out, error);
}

QString PlanDocument::checkBase(const PlanBase& model) const {
    // As the engine does: only what the plan states is compared ("base" is optional, and a plan
    // written by hand may give only some fields).
    auto agrees = [](qint64 planned, qint64 actual) { return planned == 0 || planned == actual; };
    if ((base.modelType.isEmpty() || base.modelType == model.modelType) &&
        agrees(base.numHiddenLayers, model.numHiddenLayers) &&
        agrees(base.hiddenSize, model.hiddenSize) &&
        agrees(base.intermediateSize, model.intermediateSize) &&
        agrees(base.numAttentionHeads, model.numAttentionHeads) &&
        agrees(base.numKeyValueHeads, model.numKeyValueHeads))
        return {};
    return tr("This plan was made for another model.\nPlan: %1\nOpen model: %2")
        .arg(base.describe(), model.describe());
}

bool PlanDocument::opMarks(const PlanOperation& op, PlanPart part) {
    const QString name = op.op();
    switch (part) {
    case PlanPart::Layer:
        return name == QLatin1String("remove_layers");
    case PlanPart::Attention:
        return name == QLatin1String("bypass_attention");
    case PlanPart::Mlp:
        return name == QLatin1String("prune_mlp") || name == QLatin1String("remove_neurons");
    }
    return false;
}

bool PlanDocument::isMarked(PlanPart part, int layer) const {
    for (const auto& op : operations)
        if (opMarks(op, part) && op.touches(layer))
            return true;
    return false;
}

PlanDocument PlanDocument::toggled(PlanPart part, int layer, double mlpPercent) const {
    PlanDocument next = *this;
    if (!isMarked(part, layer)) {
        next.operations.push_back(part == PlanPart::Layer ? PlanOperation::removeLayer(layer)
                                  : part == PlanPart::Attention
                                      ? PlanOperation::bypassAttention(layer)
                                      : PlanOperation::pruneMlp(layer, mlpPercent));
        return next;
    }
    next.operations.clear();
    for (auto op : operations) {
        if (!opMarks(op, part) || !op.touches(layer)) {
            next.operations.push_back(op);
            continue;
        }
        // Keep the other layers of a multi-layer operation.
        if (!dropLayer(op, layer, base.numHiddenLayers))
            continue;
        if (op.op() == QLatin1String("remove_neurons")) // one layer only: it cannot keep others
            continue;
        next.operations.push_back(op);
    }
    return next;
}

PlanDocument PlanDocument::withMlpPruning(int layer, double percent, const QString& method) const {
    PlanDocument next = *this;
    next.operations.clear();
    for (auto op : operations) {
        if (op.op() != QLatin1String("prune_mlp") || (layer >= 0 && !op.touches(layer))) {
            next.operations.push_back(op);
            continue;
        }
        if (layer < 0)
            continue; // every layer gets the new operation
        if (dropLayer(op, layer, base.numHiddenLayers))
            next.operations.push_back(op);
    }
    PlanOperation added = PlanOperation::pruneMlp(std::max(layer, 0), percent, method);
    if (layer < 0)
        added.json.remove(QStringLiteral("layers"));
    next.operations.push_back(added);
    return next;
}

PlanDocument PlanDocument::without(int operationIndex) const {
    PlanDocument next = *this;
    if (operationIndex >= 0 && operationIndex < next.operations.size())
        next.operations.removeAt(operationIndex);
    return next;
}

} // namespace anatomist::widgets
