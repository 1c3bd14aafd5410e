// The plan's estimated speed-up and head counts (widgets/plan_totals) on a hand-built module tree
// whose every number is worked out below by hand, and the plan edits the neuron view and the heads
// editor make (PlanDocument::withMlpPruning, prune_heads operations).

#include "widgets/plan_totals.h"

#include <QJsonArray>
#include <QtTest>
#include <map>

using namespace anatomist::widgets;

namespace {

ModuleNode param(const QString& name, QVector<qint64> shape) {
    ModuleNode n;
    n.name = name;
    n.localName = name.section(QLatin1Char('.'), -1);
    n.kind = QStringLiteral("Parameter");
    n.role = anatomist::core::ModuleRole::Parameter;
    n.shape = shape;
    n.dtype = QStringLiteral("float32");
    n.parameters = 1;
    for (qint64 d : shape)
        n.parameters *= d;
    return n;
}

ModuleNode module(const QString& name, const QString& kind, std::vector<ModuleNode> children) {
    using anatomist::core::ModuleRole;
    ModuleNode n;
    n.name = name;
    n.localName = name.section(QLatin1Char('.'), -1);
    n.kind = kind;
    // The roles describeModules gives these classes (core/model/module_kinds.h).
    const std::map<QString, ModuleRole> roles{{"DecoderLayer", ModuleRole::Block},
                                              {"Attention", ModuleRole::Attention},
                                              {"MLP", ModuleRole::Mlp},
                                              {"Embedding", ModuleRole::Embedding},
                                              {"RMSNorm", ModuleRole::Norm},
                                              {"Linear", ModuleRole::Linear}};
    n.role = roles.count(kind) ? roles.at(kind) : ModuleRole::Other;
    for (const auto& c : children)
        n.parameters += c.parameters;
    n.children = std::move(children);
    return n;
}

ModuleNode linear(const QString& name, qint64 out, qint64 in) {
    return module(name, QStringLiteral("Linear"),
                  {param(name + QStringLiteral(".weight"), {out, in})});
}

// hidden 4, 2 query heads of head_dim 2 sharing 1 KV head, MLP width 8, vocabulary 10.
// Per layer: q 16 + k 8 + v 8 + o 16 = 48 attention, gate/up/down 3 × 32 = 96 MLP, norm 4: 148.
ModuleNode layer(int i) {
    const QString p = QStringLiteral("model.layers.%1").arg(i);
    return module(
        p, QStringLiteral("DecoderLayer"),
        {module(p + ".self_attn", QStringLiteral("Attention"),
                {linear(p + ".self_attn.q_proj", 4, 4), linear(p + ".self_attn.k_proj", 2, 4),
                 linear(p + ".self_attn.v_proj", 2, 4), linear(p + ".self_attn.o_proj", 4, 4)}),
         module(p + ".mlp", QStringLiteral("MLP"),
                {linear(p + ".mlp.gate_proj", 8, 4), linear(p + ".mlp.up_proj", 8, 4),
                 linear(p + ".mlp.down_proj", 4, 8)}),
         module(p + ".input_layernorm", QStringLiteral("RMSNorm"),
                {param(p + ".input_layernorm.weight", {4})})});
}

ModuleNode tree(bool tied) {
    std::vector<ModuleNode> backbone{
        module("model.embed_tokens", "Embedding", {param("model.embed_tokens.weight", {10, 4})}),
        module("model.layers", "ModuleList", {layer(0), layer(1)}),
        module("model.norm", "RMSNorm", {param("model.norm.weight", {4})})};
    std::vector<ModuleNode> top{module("model", "Backbone", backbone)};
    if (!tied)
        top.push_back(linear("lm_head", 10, 4));
    return module("", "CausalLM", top);
}

PlanDocument plan() {
    PlanDocument p;
    p.base.modelType = QStringLiteral("llama");
    p.base.numHiddenLayers = 2;
    p.base.hiddenSize = 4;
    p.base.intermediateSize = 8;
    p.base.numAttentionHeads = 2;
    p.base.numKeyValueHeads = 1;
    return p;
}

} // namespace

class TestPlanSpeed : public QObject {
    Q_OBJECT
private slots:
    void baseHasNoSpeedUp() {
        const auto e = estimateSpeed(tree(false), "float32", plan(), 7);
        // Read per token: 2 layers × 148 + final norm 4 + lm_head 40 = 340 weights × 4 bytes.
        QCOMPARE(e.bytesBefore, 1360.0);
        QCOMPARE(e.bytesAfter, 1360.0);
        // FLOPs, S = 7: matmuls 2 × (48 + 96) per layer = 576, lm_head 2 × 40 = 80; attention
        // 2·(S + 1)·q_dim = 2 · 8 · 4 = 64 per layer = 128. Total 784.
        QCOMPARE(e.flopsBefore, 784.0);
        QCOMPARE(e.prefill(), 1.0);
        QCOMPARE(e.decode(), 1.0);
    }

    void layerMlpAndHeads() {
        PlanDocument p = plan();
        p.operations << PlanOperation::removeLayer(1) << PlanOperation::pruneMlp(0, 50)
                     << PlanOperation::removeHeadsPerGroup(0, 1);
        const auto e = estimateSpeed(tree(false), "float32", p, 7);
        // Layer 0 keeps 1 of 2 query heads: q 8 + k 8 + v 8 + o 8 = 32; 4 of 8 neurons: 48; norm 4.
        // Read: 84 + 4 + 40 = 128 weights = 512 bytes.
        QCOMPARE(e.bytesAfter, 512.0);
        QCOMPARE(e.decode(), 1360.0 / 512.0);
        // FLOPs: 2 × (32 + 48) + 80 + attention 64 × 1/2 = 160 + 80 + 32 = 272.
        QCOMPARE(e.flopsAfter, 272.0);
        QCOMPARE(e.prefill(), 784.0 / 272.0);

        const auto t = computeTotals(tree(false), "float32", p);
        // 40 + 296 + 4 + 40 = 380 before; after: 40 + 84 + 4 + 40 = 168.
        QCOMPARE(t.parametersBefore, qint64(380));
        QCOMPARE(t.parametersAfter, qint64(168));
        QCOMPARE(t.headsAfter, (QVector<qint64>{1, 0}));
        QCOMPARE(t.kvHeadsAfter, (QVector<qint64>{1, 0}));
        QVERIFY(t.notCounted.isEmpty());
    }

    void bypassAndTiedHead() {
        PlanDocument p = plan();
        p.operations << PlanOperation::bypassAttention(0);
        // Tied: no lm_head, the 40-weight embedding is the head: the same 1360 bytes before.
        const auto e = estimateSpeed(tree(true), "float32", p, 7);
        QCOMPARE(e.bytesBefore, 1360.0);
        QCOMPARE(e.bytesAfter, 1360.0 - 48 * 4); // the bypassed attention is not read
        QCOMPARE(e.flopsAfter, 784.0 - 96 - 64); // nor multiplied
        QCOMPARE(computeTotals(tree(true), "float32", p).parametersAfter,
                 qint64(340)); // kept (zeroed)
    }

    void kvGroupRemoval() {
        // 2 KV groups of 1 query head: removing group 1 keeps q, k, v, o at half.
        PlanDocument p = plan();
        p.base.numKeyValueHeads = 2;
        p.operations << PlanOperation::removeKvGroup(1, 1);
        QCOMPARE(p.operations[0].json.value("kv_groups").toArray(), QJsonArray{1});
        const auto t = computeTotals(tree(false), "float32", p);
        // k/v hold 2 rows = 2 KV heads of head_dim 1 in this toy tree: 8 → 4 each; q 16 → 8, o 16
        // → 8.
        QCOMPARE(t.parametersAfter, qint64(380 - 8 - 4 - 4 - 8));
        QCOMPARE(t.headsAfter, (QVector<qint64>{2, 1}));
        QCOMPARE(t.kvHeadsAfter, (QVector<qint64>{2, 1}));
    }

    void mlpPruningReplacesCoverage() {
        PlanDocument p = plan();
        p = p.withMlpPruning(-1, 20, QStringLiteral("ppm"));
        QCOMPARE(p.operations.size(), 1);
        QVERIFY(p.operations[0].coversAll());
        // One layer at another percentage takes that layer out of the every-layer operation.
        p = p.withMlpPruning(1, 50, QStringLiteral("l2"));
        QCOMPARE(p.operations.size(), 2);
        QCOMPARE(p.operations[0].json.value("layers").toArray(), QJsonArray{0});
        QCOMPARE(p.operations[1].json.value("layers").toArray(), QJsonArray{1});
        QCOMPARE(p.operations[1].json.value("method").toString(), QStringLiteral("l2"));
        QCOMPARE(p.operations[1].json.value("percent").toDouble(), 50.0);
        const auto t = computeTotals(tree(false), "float32", p);
        QCOMPARE(t.widthAfter, (QVector<qint64>{8 - 1, 4})); // floor(0.2 · 8) = 1 removed; half
        // Every layer again: one operation, the per-layer ones gone; other operations kept.
        p.operations << PlanOperation::removeLayer(0);
        p = p.withMlpPruning(-1, 10, QStringLiteral("ppm"));
        QCOMPARE(p.operations.size(), 2);
        QCOMPARE(p.operations[0].op(), QStringLiteral("remove_layers"));
        QVERIFY(p.operations[1].coversAll());
    }
};

QTEST_MAIN(TestPlanSpeed)
#include "tst_plan_speed.moc"
