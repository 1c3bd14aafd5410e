#include "plan_totals.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <cmath>
#include <functional>

namespace anatomist::widgets {

namespace {

void forEachLeaf(const ModuleNode& node, const std::function<void(const ModuleNode&)>& f) {
    if (node.role == core::ModuleRole::Parameter)
        f(node);
    for (const auto& child : node.children)
        forEachLeaf(child, f);
}

double leafBytes(const ModuleNode& leaf, const QString& dtype) {
    return double(leaf.parameters) * bytesPerValue(leaf.dtype.isEmpty() ? dtype : leaf.dtype);
}

// The MLP width of a layer: the dimension its gate/up rows (or GPT-2's c_fc columns) share.
qint64 mlpWidth(const ModuleNode& mlp, qint64 configured) {
    qint64 widest = 0;
    bool hasConfigured = false;
    forEachLeaf(mlp, [&](const ModuleNode& leaf) {
        for (qint64 d : leaf.shape) {
            hasConfigured |= d == configured;
            widest = std::max(widest, d);
        }
    });
    return hasConfigured ? configured : widest;
}

// The share of a tensor a plan keeps: `kept` of `of` slices along one dimension.
struct Share {
    qint64 kept = 1, of = 1;
    qint64 removedFrom(qint64 parameters) const {
        return of > 0 ? parameters / of * (of - kept) : 0;
    }
    double fraction() const { return of > 0 ? double(kept) / double(of) : 1.0; }
};

// What the plan keeps of one base layer.
struct LayerKeep {
    bool removed = false, bypassed = false;
    qint64 width = 0, kept = 0;      // MLP neurons
    qint64 heads = 0, kvHeads = 0;   // query / KV heads of the base
    QVector<bool> queryKept, kvKept; // per head
    qint64 headsKept() const { return queryKept.count(true); }
    qint64 kvHeadsKept() const { return kvKept.count(true); }
};

// The module a parameter belongs to ("q_proj" for "model.layers.0.self_attn.q_proj.weight").
QString ownerOf(const ModuleNode& leaf) {
    return leaf.name.section(QLatin1Char('.'), -2, -2);
}

bool hasQueryProjection(const ModuleNode& attention) {
    bool found = false;
    forEachLeaf(attention,
                [&](const ModuleNode& leaf) { found |= ownerOf(leaf) == QLatin1String("q_proj"); });
    return found;
}

// The share of `leaf` (a parameter of layer `a`) that the plan keeps; `inAttention` / `inMlp` say
// which block it sits in.
Share shareOf(const ModuleNode& leaf, bool inAttention, bool inMlp, const LayerKeep& k) {
    if (inMlp && k.kept < k.width && k.width > 0 && leaf.shape.contains(k.width))
        return {k.kept, k.width};
    if (inAttention && k.heads > 0) {
        const QString owner = ownerOf(leaf);
        const bool weight = leaf.name.endsWith(QLatin1String(".weight"));
        if (owner == QLatin1String("q_proj") || (owner == QLatin1String("o_proj") && weight))
            return {k.headsKept(), k.heads};
        if (owner == QLatin1String("k_proj") || owner == QLatin1String("v_proj"))
            return {k.kvHeadsKept(), k.kvHeads};
    }
    return {};
}

void forEachLayerLeaf(const LayerAnatomy& a,
                      const std::function<void(const ModuleNode&, bool, bool)>& f) {
    for (const auto& child : a.layer->children) {
        const bool attention = &child == a.attention, mlp = &child == a.mlp;
        forEachLeaf(child, [&](const ModuleNode& leaf) { f(leaf, attention, mlp); });
    }
}

void applyHeads(const QJsonObject& j, LayerKeep& k) {
    if (k.heads <= 0 || k.kvHeads <= 0 || k.heads % k.kvHeads != 0)
        return;
    const qint64 group = k.heads / k.kvHeads;
    for (const auto& g : j.value(QStringLiteral("kv_groups")).toArray()) {
        const qint64 index = g.toInteger(-1);
        if (index < 0 || index >= k.kvHeads)
            continue;
        k.kvKept[index] = false;
        for (qint64 h = index * group; h < (index + 1) * group; ++h)
            k.queryKept[h] = false;
    }
    for (const auto& h : j.value(QStringLiteral("query_heads")).toArray())
        if (h.toInteger(-1) >= 0 && h.toInteger(-1) < k.heads)
            k.queryKept[h.toInteger()] = false;
    const qint64 n = j.value(QStringLiteral("query_heads_per_group")).toInteger(0);
    for (qint64 g = 0; g < k.kvHeads && n > 0; ++g) {
        qint64 left = n;
        for (qint64 h = g * group; h < (g + 1) * group && left > 0; ++h)
            if (k.queryKept[h]) {
                k.queryKept[h] = false;
                --left;
            }
    }
}

QString layersText(const PlanOperation& op) {
    if (op.coversAll())
        return QCoreApplication::translate("PlanTotals", "every layer");
    QStringList s;
    for (int l : op.layers())
        s << QString::number(l);
    return QCoreApplication::translate("PlanTotals", "layer(s) %1")
        .arg(s.join(QStringLiteral(", ")));
}

// Walks the plan's operations into one LayerKeep per base layer; operations the tree cannot count
// are described in `notCounted`.
std::vector<LayerKeep> layerKeeps(const std::vector<LayerAnatomy>& layers, const PlanDocument& plan,
                                  QStringList* notCounted) {
    const int n = int(layers.size());
    std::vector<LayerKeep> keeps(static_cast<std::size_t>(n));
    for (int l = 0; l < n; ++l) {
        auto& k = keeps[std::size_t(l)];
        k.width = k.kept = layers[std::size_t(l)].mlp
                               ? mlpWidth(*layers[std::size_t(l)].mlp, plan.base.intermediateSize)
                               : 0;
        const bool countable = layers[std::size_t(l)].attention &&
                               hasQueryProjection(*layers[std::size_t(l)].attention);
        k.heads = countable ? plan.base.numAttentionHeads : 0;
        k.kvHeads =
            countable ? (plan.base.numKeyValueHeads > 0 ? plan.base.numKeyValueHeads : k.heads) : 0;
        k.queryKept = QVector<bool>(k.heads, true);
        k.kvKept = QVector<bool>(k.kvHeads, true);
    }
    const qint64 hidden = plan.base.hiddenSize;
    for (const auto& op : plan.operations) {
        const QString name = op.op();
        const auto& j = op.json;
        bool uncounted = false;
        for (int l = 0; l < n; ++l) {
            if (!op.touches(l))
                continue;
            auto& k = keeps[std::size_t(l)];
            const qint64 width = k.width;
            if (name == QLatin1String("remove_layers")) {
                k.removed = true;
            } else if (name == QLatin1String("bypass_attention")) {
                k.bypassed = true;
            } else if (name == QLatin1String("prune_mlp")) {
                double percent = j.value(QStringLiteral("percent")).toDouble(0);
                if (j.contains(QStringLiteral("expansion")) && width > 0)
                    percent = (1 - (j.value(QStringLiteral("expansion")).toDouble() / 100.0 *
                                    double(hidden)) /
                                       double(width)) *
                              100.0;
                qint64 kept = keptWidthForPercent(width, std::max(0.0, percent),
                                                  j.value(QStringLiteral("divisor")).toInteger(0));
                if (j.contains(QStringLiteral("keep")))
                    kept =
                        std::clamp<qint64>(j.value(QStringLiteral("keep")).toInteger(), 1, width);
                k.kept = std::min(k.kept, kept);
            } else if (name == QLatin1String("remove_neurons")) {
                k.kept = std::max<qint64>(
                    1, k.kept - j.value(QStringLiteral("neurons")).toArray().size());
            } else if (name == QLatin1String("fairness_neurons")) {
                k.kept = std::max<qint64>(1, k.kept - j.value(QStringLiteral("count")).toInteger());
            } else if (name == QLatin1String("prune_heads")) {
                if (k.heads > 0)
                    applyHeads(j, k);
                else
                    uncounted = true;
            }
        }
        if (uncounted && notCounted)
            *notCounted << QCoreApplication::translate(
                               "PlanTotals", "%1 on %2 (head removal is not in these totals)")
                               .arg(name, layersText(op));
    }
    return keeps;
}

} // namespace

std::vector<LayerAnatomy> layerAnatomy(const ModuleNode& root) {
    std::vector<LayerAnatomy> out;
    std::function<void(const ModuleNode&)> visit = [&](const ModuleNode& node) {
        if (node.role == core::ModuleRole::Block) {
            LayerAnatomy a;
            a.layer = &node;
            for (const auto& child : node.children) {
                if (child.role == core::ModuleRole::Attention)
                    a.attention = &child;
                else if (child.role == core::ModuleRole::Mlp)
                    a.mlp = &child;
            }
            out.push_back(a);
            return;
        }
        for (const auto& child : node.children)
            visit(child);
    };
    visit(root);
    return out;
}

bool partOf(const std::vector<LayerAnatomy>& layers, const QString& moduleName, int& layer,
            PlanPart& part) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& a = layers[i];
        layer = int(i);
        if (a.layer->name == moduleName) {
            part = PlanPart::Layer;
            return true;
        }
        if (a.attention && a.attention->name == moduleName) {
            part = PlanPart::Attention;
            return true;
        }
        if (a.mlp && a.mlp->name == moduleName) {
            part = PlanPart::Mlp;
            return true;
        }
    }
    return false;
}

qint64 keptWidthForPercent(qint64 width, double percent, qint64 divisor) {
    if (width <= 0)
        return 0;
    qint64 k =
        width - std::min<qint64>(qint64(std::floor(percent / 100.0 * double(width))), width - 1);
    if (divisor > 0)
        k = qint64(std::llround(double(k) / double(divisor))) * divisor;
    return std::clamp<qint64>(k, 1, width);
}

PlanTotals computeTotals(const ModuleNode& root, const QString& dtype, const PlanDocument& plan) {
    PlanTotals t;
    t.parametersBefore = root.parameters;
    forEachLeaf(root, [&](const ModuleNode& leaf) { t.bytesBefore += leafBytes(leaf, dtype); });
    const auto layers = layerAnatomy(root);
    const auto keeps = layerKeeps(layers, plan, &t.notCounted);
    qint64 removedParams = 0;
    double removedBytes = 0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& k = keeps[l];
        t.widthBefore << k.width;
        t.widthAfter << (k.removed ? 0 : k.kept);
        t.bypassed << (!k.removed && k.bypassed);
        t.headsAfter << (k.removed ? 0 : k.headsKept());
        t.kvHeadsAfter << (k.removed ? 0 : k.kvHeadsKept());
        if (k.removed) {
            removedParams += layers[l].layer->parameters;
            forEachLeaf(*layers[l].layer,
                        [&](const ModuleNode& leaf) { removedBytes += leafBytes(leaf, dtype); });
            continue;
        }
        ++t.layersAfter;
        forEachLayerLeaf(layers[l], [&](const ModuleNode& leaf, bool attention, bool mlp) {
            const qint64 removed = shareOf(leaf, attention, mlp, k).removedFrom(leaf.parameters);
            removedParams += removed;
            removedBytes +=
                double(removed) * bytesPerValue(leaf.dtype.isEmpty() ? dtype : leaf.dtype);
        });
    }
    t.parametersAfter = t.parametersBefore - removedParams;
    t.bytesAfter = t.bytesBefore - removedBytes;
    return t;
}

SpeedEstimate estimateSpeed(const ModuleNode& root, const QString& dtype, const PlanDocument& plan,
                            int sequence) {
    SpeedEstimate e;
    e.sequence = sequence;
    const auto layers = layerAnatomy(root);
    const auto keeps = layerKeeps(layers, plan, nullptr);
    QSet<const ModuleNode*> inLayers;
    for (const auto& a : layers)
        inLayers.insert(a.layer);
    // Outside the layers: embeddings are looked up (one row), everything else is read; without an
    // output head of its own, the head is the (tied) token embedding, the largest embedding table.
    double outsideBytes = 0, outsideFlops = 0, largestEmbedding = 0, largestEmbeddingBytes = 0;
    bool hasHead = false;
    std::function<void(const ModuleNode&, bool)> outside = [&](const ModuleNode& node,
                                                               bool embedding) {
        if (inLayers.contains(&node))
            return;
        if (node.role == core::ModuleRole::Parameter) {
            if (embedding) {
                if (double(node.parameters) > largestEmbedding) {
                    largestEmbedding = double(node.parameters);
                    largestEmbeddingBytes = leafBytes(node, dtype);
                }
                return;
            }
            outsideBytes += leafBytes(node, dtype);
            if (node.shape.size() == 2) {
                outsideFlops += 2.0 * double(node.parameters);
                hasHead = true;
            }
            return;
        }
        for (const auto& child : node.children)
            outside(child, embedding || child.role == core::ModuleRole::Embedding);
    };
    outside(root, false);
    if (!hasHead) {
        outsideBytes += largestEmbeddingBytes;
        outsideFlops += 2.0 * largestEmbedding;
    }
    e.bytesBefore = e.bytesAfter = outsideBytes;
    e.flopsBefore = e.flopsAfter = outsideFlops;
    const double keys = double(sequence) + 1; // 2·(S + 1)·q_dim = 4·q_dim·(S + 1)/2
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& k = keeps[l];
        qint64 queryDim = 0;
        forEachLayerLeaf(layers[l], [&](const ModuleNode& leaf, bool attention, bool mlp) {
            const double bytes = leafBytes(leaf, dtype);
            const double flops = leaf.shape.size() == 2 ? 2.0 * double(leaf.parameters) : 0.0;
            e.bytesBefore += bytes;
            e.flopsBefore += flops;
            if (attention && ownerOf(leaf) == QLatin1String("q_proj") && leaf.shape.size() == 2)
                queryDim = leaf.shape[0];
            if (k.removed || (attention && k.bypassed))
                return;
            const double kept = shareOf(leaf, attention, mlp, k).fraction();
            e.bytesAfter += bytes * kept;
            e.flopsAfter += flops * kept;
        });
        if (queryDim == 0 && layers[l].attention)
            queryDim = plan.base.hiddenSize;
        e.flopsBefore += 2.0 * keys * double(queryDim);
        if (!k.removed && !k.bypassed)
            e.flopsAfter += 2.0 * keys * double(queryDim) *
                            (k.heads > 0 ? double(k.headsKept()) / double(k.heads) : 1.0);
    }
    return e;
}

} // namespace anatomist::widgets
