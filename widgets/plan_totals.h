#pragma once
// What a plan does to a model's size, computed from the module tree alone (no engine): removing a
// layer subtracts its whole subtree; prune_mlp / remove_neurons keep k of the I neurons of a
// layer's MLP and so remove (I − k)/I of every MLP tensor that has a dimension of size I (gate, up,
// down and their biases); bypass_attention removes nothing (the export keeps o_proj and zeroes it).
// prune_heads keeps the q_proj rows / o_proj columns of the kept query heads and the k/v_proj rows
// of the kept KV heads (Llama-style q/k/v/o projections; other layouts are listed in `notCounted`).
// When a per-group removal meets heads an earlier operation removed, the count assumes it takes
// other heads (the engine picks by score, so the real count can be lower).

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
bool partOf(const std::vector<LayerAnatomy>& layers, const QString& moduleName, int& layer,
            PlanPart& part);

// ALGORITHMS.md §5: k = I − min(floor(p/100·I), I − 1), then round(k/d)·d clamped to [1, I].
qint64 keptWidthForPercent(qint64 width, double percent, qint64 divisor = 0);

struct PlanTotals {
    qint64 parametersBefore = 0, parametersAfter = 0;
    double bytesBefore = 0, bytesAfter = 0;
    QVector<qint64> widthBefore; // MLP width per base layer
    QVector<qint64> widthAfter;  // kept width; 0 when the layer is removed
    QVector<bool> bypassed;      // attention bypassed (layer kept)
    QVector<qint64> headsAfter;  // query heads kept per base layer (0 when the layer is removed)
    QVector<qint64> kvHeadsAfter;
    int layersAfter = 0;
    QStringList notCounted; // operations the totals leave out, described
};

// `dtype`: the compute dtype used for tensors whose own dtype is not known.
PlanTotals computeTotals(const ModuleNode& root, const QString& dtype, const PlanDocument& plan);

// Estimated speed-up of the plan's result over the base, from the tree alone (no measurement).
// Decode is memory-bound: the ratio of the weight bytes read per generated token (every parameter
// except the embedding tables, of which one row is read; a tied output head reads the token
// embedding; a bypassed attention is skipped). Prefill is compute-bound: the ratio of the FLOPs per
// token of a prompt of `sequence` tokens: 2 per weight of every matrix read (biases and norms are
// not matmuls) plus causal attention, 2·(S + 1)·q_dim per layer (QKᵀ and AV over (S + 1)/2 keys on
// average; q_dim = query heads × head_dim, from q_proj).
struct SpeedEstimate {
    int sequence = 0;
    double bytesBefore = 0, bytesAfter = 0; // weight bytes read per decoded token
    double flopsBefore = 0, flopsAfter = 0; // FLOPs per prefill token
    double decode() const { return bytesAfter > 0 ? bytesBefore / bytesAfter : 1; }
    double prefill() const { return flopsAfter > 0 ? flopsBefore / flopsAfter : 1; }
};
SpeedEstimate estimateSpeed(const ModuleNode& root, const QString& dtype, const PlanDocument& plan,
                            int sequence = 512);

} // namespace anatomist::widgets
