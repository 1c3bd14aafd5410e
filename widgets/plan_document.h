#pragma once
// A pruning plan as the window edits it: the CLI's plan JSON ("format": "anatomist-plan",
// "version": 1; see README "Pruning plans"), as plain Qt data. Operations keep every field they
// were read with, so a plan made by hand or by the CLI round-trips unchanged. Indices refer to the
// base.
//
// The window's own edits are one operation per layer and kind: remove_layers [l],
// bypass_attention [l], prune_mlp [l] with percent and method. Toggling a part that a multi-layer
// operation covers takes that layer out of the operation's list.

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace anatomist::widgets {

// What the plan was made for (config.json names; the engine refuses a plan for another model).
struct PlanBase {
    QString modelType;
    qint64 numHiddenLayers = 0, hiddenSize = 0, intermediateSize = 0, numAttentionHeads = 0,
           numKeyValueHeads = 0;
    bool operator==(const PlanBase&) const = default;
    QJsonObject toJson() const;
    static PlanBase fromJson(const QJsonObject& json);
    // "llama, 5 layers, hidden 64, MLP 172, 8 heads (4 KV)"
    QString describe() const;
};

// The parts of a layer the window marks.
enum class PlanPart { Layer, Attention, Mlp };

struct PlanOperation {
    QJsonObject json; // {"op": ..., ...} exactly as written

    QString op() const { return json.value(QStringLiteral("op")).toString(); }
    // The base layers it touches; empty = every layer (the format's "layers omitted").
    QVector<int> layers() const;
    bool coversAll() const;
    bool touches(int layer) const;

    static PlanOperation removeLayer(int layer);
    static PlanOperation bypassAttention(int layer);
    static PlanOperation pruneMlp(int layer, double percent,
                                  const QString& method = QStringLiteral("ppm"));
    // prune_heads: the KV group `group` of `layer` with its query heads; or `perGroup` query heads
    // (lowest L2) of every KV group of `layer` (-1: every layer).
    static PlanOperation removeKvGroup(int layer, int group);
    static PlanOperation removeHeadsPerGroup(int layer, int perGroup);
};

class PlanDocument {
    Q_DECLARE_TR_FUNCTIONS(PlanDocument)
public:
    PlanBase base;
    QVector<PlanOperation> operations;

    bool operator==(const PlanDocument& other) const;
    bool isEmpty() const { return operations.isEmpty(); }

    QJsonObject toJson() const;
    // Reads and checks a plan document; on failure returns false and sets `error` (naming `source`
    // and, for an operation, its index).
    static bool fromJson(const QJsonObject& json, const QString& source, PlanDocument& out,
                         QString& error);
    // Atomic write (QSaveFile); an error names the file.
    bool save(const QString& file, QString& error) const;
    static bool load(const QString& file, PlanDocument& out, QString& error);

    // "" when the plan fits a model with `model`; otherwise a message for the user.
    QString checkBase(const PlanBase& model) const;

    // Whether `part` of `layer` is marked by some operation.
    bool isMarked(PlanPart part, int layer) const;
    // The plan with `part` of `layer` marked or unmarked (see the header comment).
    PlanDocument toggled(PlanPart part, int layer, double mlpPercent) const;
    PlanDocument without(int operationIndex) const;
    // The plan with one prune_mlp of `percent` by `method` on `layer` (-1: every layer, one
    // operation without "layers") replacing whatever prune_mlp covered that layer before.
    PlanDocument withMlpPruning(int layer, double percent, const QString& method) const;

private:
    static bool opMarks(const PlanOperation& op, PlanPart part);
};

} // namespace anatomist::widgets
