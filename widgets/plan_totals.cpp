#include "plan_totals.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <cmath>
#include <functional>

namespace anatomist::widgets {

namespace {

void forEachLeaf(const ModuleNode& node, const std::function<void(const ModuleNode&)>& f) {
    if (node.kind == QLatin1String("Parameter"))
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

// Parameters and bytes an MLP keeps when k of its I neurons stay.
void mlpAfter(const ModuleNode& mlp, qint64 width, qint64 kept, const QString& dtype, qint64& removedParams,
              double& removedBytes) {
    forEachLeaf(mlp, [&](const ModuleNode& leaf) {
        if (!leaf.shape.contains(width) || width <= 0)
            return;
        const qint64 removed = leaf.parameters / width * (width - kept);
        removedParams += removed;
        removedBytes += double(removed) * bytesPerValue(leaf.dtype.isEmpty() ? dtype : leaf.dtype);
    });
}

} // namespace

std::vector<LayerAnatomy> layerAnatomy(const ModuleNode& root) {
    std::vector<LayerAnatomy> out;
    std::function<void(const ModuleNode&)> visit = [&](const ModuleNode& node) {
        if (node.kind == QLatin1String("DecoderLayer")) {
            LayerAnatomy a;
            a.layer = &node;
            for (const auto& child : node.children) {
                if (child.kind == QLatin1String("Attention"))
                    a.attention = &child;
                else if (child.kind == QLatin1String("MLP"))
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

bool partOf(const std::vector<LayerAnatomy>& layers, const QString& moduleName, int& layer, PlanPart& part) {
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
    qint64 k = width - std::min<qint64>(qint64(std::floor(percent / 100.0 * double(width))), width - 1);
    if (divisor > 0)
        k = qint64(std::llround(double(k) / double(divisor))) * divisor;
    return std::clamp<qint64>(k, 1, width);
}

PlanTotals computeTotals(const ModuleNode& root, const QString& dtype, const PlanDocument& plan) {
    PlanTotals t;
    t.parametersBefore = root.parameters;
    forEachLeaf(root, [&](const ModuleNode& leaf) { t.bytesBefore += leafBytes(leaf, dtype); });
    const auto layers = layerAnatomy(root);
    const int n = int(layers.size());
    t.widthBefore.resize(n);
    for (int l = 0; l < n; ++l)
        t.widthBefore[l] = layers[std::size_t(l)].mlp ? mlpWidth(*layers[std::size_t(l)].mlp, plan.base.intermediateSize) : 0;
    t.widthAfter = t.widthBefore;
    t.bypassed = QVector<bool>(n, false);
    QVector<bool> removed(n, false);
    const qint64 hidden = plan.base.hiddenSize;

    for (const auto& op : plan.operations) {
        const QString name = op.op();
        QVector<int> targets;
        for (int l = 0; l < n; ++l)
            if (op.touches(l))
                targets << l;
        const auto& j = op.json;
        for (int l : targets) {
            const qint64 width = t.widthBefore[l];
            if (name == QLatin1String("remove_layers")) {
                removed[l] = true;
            } else if (name == QLatin1String("bypass_attention")) {
                t.bypassed[l] = true;
            } else if (name == QLatin1String("prune_mlp")) {
                double percent = j.value(QStringLiteral("percent")).toDouble(0);
                if (j.contains(QStringLiteral("expansion")) && width > 0)
                    percent = (1 - (j.value(QStringLiteral("expansion")).toDouble() / 100.0 * double(hidden)) /
                                       double(width)) * 100.0;
                qint64 kept = keptWidthForPercent(width, std::max(0.0, percent),
                                                  j.value(QStringLiteral("divisor")).toInteger(0));
                if (j.contains(QStringLiteral("keep")))
                    kept = std::clamp<qint64>(j.value(QStringLiteral("keep")).toInteger(), 1, width);
                t.widthAfter[l] = std::min(t.widthAfter[l], kept);
            } else if (name == QLatin1String("remove_neurons")) {
                const qint64 count = j.value(QStringLiteral("neurons")).toArray().size();
                t.widthAfter[l] = std::max<qint64>(1, t.widthAfter[l] - count);
            } else if (name == QLatin1String("fairness_neurons")) {
                const qint64 count = j.value(QStringLiteral("count")).toInteger();
                t.widthAfter[l] = std::max<qint64>(1, t.widthAfter[l] - count);
            }
        }
        if (name == QLatin1String("prune_heads"))
            t.notCounted << QCoreApplication::translate("PlanTotals", "%1 on %2 (head removal is not in these totals)")
                                .arg(name, op.coversAll() ? QCoreApplication::translate("PlanTotals", "every layer")
                                                          : QCoreApplication::translate("PlanTotals", "layer(s) %1").arg([&] {
                                                                QStringList s;
                                                                for (int l : op.layers())
                                                                    s << QString::number(l);
                                                                return s.join(QStringLiteral(", "));
                                                            }()));
    }

    qint64 removedParams = 0;
    double removedBytes = 0;
    for (int l = 0; l < n; ++l) {
        const auto& a = layers[std::size_t(l)];
        if (removed[l]) {
            removedParams += a.layer->parameters;
            forEachLeaf(*a.layer, [&](const ModuleNode& leaf) { removedBytes += leafBytes(leaf, dtype); });
            t.widthAfter[l] = 0;
            t.bypassed[l] = false;
            continue;
        }
        ++t.layersAfter;
        if (a.mlp && t.widthAfter[l] < t.widthBefore[l])
            mlpAfter(*a.mlp, t.widthBefore[l], t.widthAfter[l], dtype, removedParams, removedBytes);
    }
    t.parametersAfter = t.parametersBefore - removedParams;
    t.bytesAfter = t.bytesBefore - removedBytes;
    return t;
}

} // namespace anatomist::widgets
