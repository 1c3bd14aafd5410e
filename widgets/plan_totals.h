#pragma once
// What a plan does to a model's size, computed from the module tree alone (no engine): removing a
// layer subtracts its whole subtree; prune_mlp / remove_neurons keep k of the I neurons of a layer's
// MLP and so remove (I − k)/I of every MLP tensor that has a dimension of size I (gate, up, down and
// their biases); bypass_attention removes nothing (the export keeps o_proj and zeroes it).
// prune_heads is listed in `notCounted` rather than guessed.

#include "plan_document.h"
#include "plot_data.h"

#include <QStringList>
#include <QVector>

namespace anatomist::widgets {

// The decoder layers of a tree, in order, with the names of their attention and MLP modules.
struct LayerAnatomy {
    const ModuleNode* layer = nullptr;
    const ModuleNode* attention = nullptr;
    const ModuleNode* mlp = nullptr;
};
std::vector<LayerAnatomy> layerAnatomy(const ModuleNode& root);
// The layer index and part of a module name ("model.layers.2.mlp" → 2, Mlp); false otherwise.
bool partOf(const std::vector<LayerAnatomy>& layers, const QString& moduleName, int& layer, PlanPart& part);

// ALGORITHMS.md §5: k = I − min(floor(p/100·I), I − 1), then round(k/d)·d clamped to [1, I].
qint64 keptWidthForPercent(qint64 width, double percent, qint64 divisor = 0);

struct PlanTotals {
    qint64 parametersBefore = 0, parametersAfter = 0;
    double bytesBefore = 0, bytesAfter = 0;
    QVector<qint64> widthBefore; // MLP width per base layer
    QVector<qint64> widthAfter;  // kept width; 0 when the layer is removed
    QVector<bool> bypassed;      // attention bypassed (layer kept)
    int layersAfter = 0;
    QStringList notCounted; // operations the totals leave out, described
};

// `dtype`: the compute dtype used for tensors whose own dtype is not known.
PlanTotals computeTotals(const ModuleNode& root, const QString& dtype, const PlanDocument& plan);

} // namespace anatomist::widgets
