// The pruning engine on hand-built tiny models: every operation's weights equal a slicing written
// here from the definitions, 0 % is bit-identical, head pruning keeps valid GQA and equals zeroing
// the removed heads' o_proj columns, a bypassed layer is input + MLP only, bad plans are refused.
#include "analysis/neuron_importance.h"
#include "errors.h"
#include "io/sha256.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/causal_lm.h"
#include "model/kv_cache.h"
#include "model/model_loader.h"
#include "model/taps.h"
#include "prune/apply_plan.h"
#include "prune/export_variant.h"
#include "test_support.h"

#include <QObject>
#include <QTest>
#include <map>
#include <torch/torch.h>
#include <unistd.h>

using namespace anatomist;
using core::PruneOpKind;

namespace {

// The residual stream leaving each block (x_out), by layer.
class BlockOutputs final : public core::TapListener {
public:
    core::TapMask tapMask() const override { return core::tapBit(core::TapPoint::Out); }
    void onTap(core::TapPoint, int layer, const torch::Tensor& value) override {
        out[layer] = value.clone();
    }
    std::map<int, torch::Tensor> out;
};

std::shared_ptr<core::CausalLM> tinyModel(nlohmann::json config, uint64_t seed = 5) {
    const auto resolved = core::resolveConfig(config, "tiny test model");
    auto model = std::make_shared<core::CausalLM>(resolved.config, *resolved.spec,
                                                  torch::TensorOptions().dtype(torch::kFloat32));
    model->initializeWeights(seed, 0.2);
    model->eval();
    return model;
}

nlohmann::json llamaConfig(int layers = 4) {
    return {{"model_type", "llama"},       {"vocab_size", 40},
            {"hidden_size", 32},           {"intermediate_size", 48},
            {"num_hidden_layers", layers}, {"num_attention_heads", 4},
            {"num_key_value_heads", 2},    {"max_position_embeddings", 64},
            {"rms_norm_eps", 1e-5},        {"torch_dtype", "float32"}};
}

nlohmann::json gpt2Config() {
    return {{"model_type", "gpt2"}, {"vocab_size", 40}, {"n_embd", 32},     {"n_layer", 2},
            {"n_head", 4},          {"n_inner", 64},    {"n_positions", 64}};
}

torch::Tensor ids() {
    return torch::tensor({3, 7, 1, 12, 30, 5, 9, 22, 17, 2, 8, 39}, torch::kInt64).unsqueeze(0);
}

torch::Tensor logits(core::CausalLM& model) {
    torch::InferenceMode guard;
    return model.forward(ids()).logits.clone();
}

core::PruneResult apply(core::CausalLM& base, std::vector<core::PruneOperation> ops,
                        const core::PruneInputs& inputs = {}) {
    core::PrunePlan plan;
    plan.operations = std::move(ops);
    return core::applyPlan(base, plan, inputs, core::nullJobContext());
}

torch::Tensor param(core::CausalLM& model, const std::string& name) {
    return model.named_parameters(true)[name].detach();
}

torch::Tensor indexTensor(const std::vector<int64_t>& v) {
    return torch::tensor(v, torch::kInt64);
}

// Top-k (ties: lower index) kept in ascending order, written independently of the engine.
std::vector<int64_t> topKAscending(const torch::Tensor& scores, int64_t k) {
    std::vector<std::pair<float, int64_t>> order;
    for (int64_t i = 0; i < scores.numel(); ++i)
        order.push_back({scores[i].item<float>(), i});
    std::stable_sort(order.begin(), order.end(),
                     [](auto& a, auto& b) { return a.first > b.first; });
    std::vector<int64_t> out;
    for (int64_t i = 0; i < k; ++i)
        out.push_back(order[static_cast<std::size_t>(i)].second);
    std::sort(out.begin(), out.end());
    return out;
}

void expectEqual(const torch::Tensor& actual, const torch::Tensor& expected,
                 const std::string& what) {
    QVERIFY2(actual.sizes() == expected.sizes(),
             (what + ": shape " + core::formatShape(actual.sizes()) + " vs " +
              core::formatShape(expected.sizes()))
                 .c_str());
    QVERIFY2(torch::equal(actual, expected), (what + ": values differ").c_str());
}

template <typename F> void expectInvalid(F&& f, const std::string& fragment) {
    try {
        f();
        QFAIL(("accepted a bad plan (expected an error mentioning '" + fragment + "')").c_str());
    } catch (const core::InvalidArgument& e) {
        QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
    }
}

} // namespace

class TestPruneOps : public QObject {
    Q_OBJECT

private slots:
    void widthFormulas() {
        QCOMPARE(core::keptWidthForPercent(172, 20), int64_t(138)); // 172 - floor(34.4)
        QCOMPARE(core::keptWidthForPercent(172, 0), int64_t(172));
        QCOMPARE(core::keptWidthForPercent(10, 99.9), int64_t(1));      // min(floor(9.99), 9) = 9
        QCOMPARE(core::keptWidthForPercent(172, 20, 32), int64_t(128)); // round(138/32) = 4
        QCOMPARE(core::keptWidthForPercent(100, 90, 32), int64_t(1)); // round(10/32)=0 → clamp 1
        // expansion 200 % of hidden 64 = 128 neurons of 172
        const double p = core::percentForExpansion(172, 64, 200);
        QCOMPARE(core::keptWidthForPercent(172, p), int64_t(128));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, core::percentForExpansion(172, 64, 300));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, core::keptWidthForPercent(172, 100));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, core::keptWidthForPercent(172, -1));
    }

    void sha256KnownVectors() {
        core::Sha256 a;
        a.update("abc");
        QCOMPARE(a.hexDigest(),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        core::Sha256 b;
        b.update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
        QCOMPARE(b.hexDigest(),
                 std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    }

    void planJsonRoundTrip() {
        const auto text = R"({"format": "anatomist-plan", "version": 1,
          "base": {"model_type": "llama", "num_hidden_layers": 5, "hidden_size": 64,
                   "intermediate_size": 172, "num_attention_heads": 8, "num_key_value_heads": 4},
          "operations": [
            {"op": "remove_layers", "layers": [2, 4]},
            {"op": "bypass_attention", "layers": [1]},
            {"op": "prune_mlp", "layers": [0, 1], "method": "ppm", "percent": 20},
            {"op": "prune_mlp", "method": "l2", "expansion": 200, "divisor": 32},
            {"op": "remove_neurons", "layer": 3, "neurons": [5, 17, 42]},
            {"op": "prune_heads", "layer": 2, "kv_groups": [1]},
            {"op": "prune_heads", "layers": [0, 1], "query_heads_per_group": 1, "method": "l2"},
            {"op": "fairness_neurons", "pairs": "pairs.jsonl", "count": 32, "weight": 0.5}]})";
        const auto plan = core::prunePlanFromJson(nlohmann::json::parse(text), "plan.json");
        QCOMPARE(plan.operations.size(), std::size_t(8));
        QCOMPARE(plan.base->intermediate_size, int64_t(172));
        QVERIFY(plan.operations[0].op == PruneOpKind::RemoveLayers);
        QCOMPARE(plan.operations[0].layers, (std::vector<int>{2, 4}));
        QCOMPARE(*plan.operations[2].percent, 20.0);
        QVERIFY(plan.operations[3].layers.empty());
        QCOMPARE(*plan.operations[3].divisor, int64_t(32));
        QCOMPARE(plan.operations[4].layers, (std::vector<int>{3}));
        QCOMPARE(plan.operations[5].kv_groups, (std::vector<int64_t>{1}));
        QCOMPARE(*plan.operations[6].query_heads_per_group, int64_t(1));
        QCOMPARE(plan.operations[7].count, int64_t(32));
        const auto again = core::prunePlanFromJson(core::toJson(plan), "again");
        ANATOMIST_COMPARE_JSON(core::toJson(again), core::toJson(plan));

        auto bad = nlohmann::json::parse(text);
        bad["operations"][2].erase("percent");
        QVERIFY_THROWS_EXCEPTION(core::FormatError, core::prunePlanFromJson(bad, "plan.json"));
        bad = nlohmann::json::parse(text);
        bad["operations"][0]["op"] = "remove_everything";
        try {
            core::prunePlanFromJson(bad, "plan.json");
            QFAIL("unknown op accepted");
        } catch (const core::FormatError& e) {
            QVERIFY2(std::string(e.what()).find("operation 0") != std::string::npos, e.what());
        }
    }

    void perLayerConfigRoundTrip() {
        auto doc = llamaConfig(3);
        auto resolved = core::resolveConfig(doc, "config.json");
        auto written = core::configToJson(resolved.config, *resolved.spec);
        QVERIFY(!written.contains(core::kLayerIntermediateSizesKey)); // uniform: stock config
        QVERIFY(!written.contains(core::kAttentionBypassKey));
        auto c = resolved.config;
        c.layer_intermediate_sizes = {48, 20, 33};
        c.layer_num_attention_heads = {4, 2, 4};
        c.layer_num_key_value_heads = {2, 1, 2};
        c.layer_attention_bypassed = {false, true, false};
        written = core::configToJson(c, *resolved.spec);
        ANATOMIST_COMPARE_JSON(written[core::kLayerIntermediateSizesKey],
                               nlohmann::json({48, 20, 33}));
        const auto again = core::resolveConfig(written, "config.json").config;
        QCOMPARE(again.layer_intermediate_sizes, c.layer_intermediate_sizes);
        QCOMPARE(again.layer_num_attention_heads, c.layer_num_attention_heads);
        QCOMPARE(again.layer_num_key_value_heads, c.layer_num_key_value_heads);
        QCOMPARE(again.layer_attention_bypassed, c.layer_attention_bypassed);
        // The modules read their layer's entry.
        core::CausalLM model(again, *resolved.spec, torch::TensorOptions());
        QCOMPARE(model.layer(1).mlp->intermediateSize(), int64_t(20));
        QCOMPARE(model.layer(1).attention->q->outFeatures, int64_t(2 * 8));
        QCOMPARE(model.layer(1).attention->k->outFeatures, int64_t(1 * 8));
        QVERIFY(model.layer(1).attentionBypassed);
        QVERIFY(!model.layer(0).attentionBypassed);

        auto broken = written;
        broken[core::kLayerKeyValueHeadsKey] = {2, 1, 3}; // 3 does not divide 4
        QVERIFY_THROWS_EXCEPTION(core::ConfigError, core::resolveConfig(broken, "config.json"));
        broken = written;
        broken[core::kLayerIntermediateSizesKey] = {48, 20};
        QVERIFY_THROWS_EXCEPTION(core::ConfigError, core::resolveConfig(broken, "config.json"));
        broken = written;
        broken[core::kLayerIntermediateSizesKey] = {48, 0, 3};
        QVERIFY_THROWS_EXCEPTION(core::ConfigError, core::resolveConfig(broken, "config.json"));
    }

    void zeroPercentIsBitIdentical() {
        auto base = tinyModel(llamaConfig());
        const auto before = logits(*base);
        auto r = apply(*base, {{.op = PruneOpKind::PruneMlp, .method = "ppm", .percent = 0.0}});
        QVERIFY(torch::equal(logits(*r.model), before));
        QCOMPARE(r.parametersAfter, r.parametersBefore);
        QVERIFY(r.stockCompatible);
        QVERIFY(torch::equal(logits(*base), before)); // base untouched
    }

    void mlpWidthEqualsIndependentSlicing() {
        auto base = tinyModel(llamaConfig());
        const auto before = logits(*base);
        auto r = apply(
            *base,
            {{.op = PruneOpKind::PruneMlp, .layers = {1, 2}, .method = "ppm", .percent = 25}});
        for (int l : {1, 2}) {
            const std::string p = "model.layers." + std::to_string(l) + ".mlp.";
            const auto g = param(*base, p + "gate_proj.weight"),
                       u = param(*base, p + "up_proj.weight");
            const auto d = param(*base, p + "down_proj.weight");
            const auto ppm = (std::get<0>(g.max(1)) + std::get<0>(g.min(1)).abs()) +
                             (std::get<0>(u.max(1)) + std::get<0>(u.min(1)).abs());
            const auto keep = indexTensor(topKAscending(ppm, 48 - 12));
            expectEqual(param(*r.model, p + "gate_proj.weight"), g.index_select(0, keep),
                        p + "gate");
            expectEqual(param(*r.model, p + "up_proj.weight"), u.index_select(0, keep), p + "up");
            expectEqual(param(*r.model, p + "down_proj.weight"), d.index_select(1, keep),
                        p + "down");
        }
        expectEqual(param(*r.model, "model.layers.0.mlp.up_proj.weight"),
                    param(*base, "model.layers.0.mlp.up_proj.weight"), "layer 0 untouched");
        QCOMPARE(r.model->config().layer_intermediate_sizes,
                 (std::vector<int64_t>{48, 36, 36, 48}));
        QVERIFY(!r.stockCompatible);
        QVERIFY(torch::equal(logits(*base), before));
        // The variant shares no storage with the base.
        param(*r.model, "model.embed_tokens.weight").add_(1.0);
        QVERIFY(torch::equal(logits(*base), before));
    }

    void otherStaticMethods() {
        auto base = tinyModel(llamaConfig(2));
        const auto g = param(*base, "model.layers.0.mlp.gate_proj.weight");
        const auto u = param(*base, "model.layers.0.mlp.up_proj.weight");
        const std::vector<std::pair<std::string, torch::Tensor>> methods{
            {"vow", g.var(1, true) + u.var(1, true)},
            {"pon", g.abs().sum(1) * u.abs().sum(1)},
            {"l2", g.square().sum(1).sqrt() + u.square().sum(1).sqrt()}};
        for (const auto& [name, scores] : methods) {
            auto r = apply(
                *base, {{.op = PruneOpKind::PruneMlp, .layers = {0}, .method = name, .keep = 20}});
            expectEqual(param(*r.model, "model.layers.0.mlp.up_proj.weight"),
                        u.index_select(0, indexTensor(topKAscending(scores, 20))), name);
        }
        // keep with a divisor: round(20 / 16) · 16 = 16
        auto r = apply(*base,
                       {{.op = PruneOpKind::PruneMlp, .method = "l2", .keep = 20, .divisor = 16}});
        QCOMPARE(r.model->config().intermediate_size, int64_t(16));
        QVERIFY(r.stockCompatible); // uniform: the global key moved with it
    }

    void removeNeuronsExplicit() {
        auto base = tinyModel(llamaConfig(2));
        auto r = apply(*base,
                       {{.op = PruneOpKind::RemoveNeurons, .layers = {1}, .neurons = {0, 5, 47}}});
        std::vector<int64_t> keep;
        for (int64_t i = 0; i < 48; ++i)
            if (i != 0 && i != 5 && i != 47)
                keep.push_back(i);
        expectEqual(
            param(*r.model, "model.layers.1.mlp.down_proj.weight"),
            param(*base, "model.layers.1.mlp.down_proj.weight").index_select(1, indexTensor(keep)),
            "down columns");
    }

    void gpt2WidthCutsConv1dOnTheRightAxis() {
        auto base = tinyModel(gpt2Config());
        auto r = apply(*base, {{.op = PruneOpKind::PruneMlp, .method = "l1", .keep = 40}});
        for (int l : {0, 1}) {
            const std::string p = "transformer.h." + std::to_string(l) + ".mlp.";
            const auto fc = param(*base, p + "c_fc.weight"); // [in 32, out 64]
            QCOMPARE(fc.size(1), int64_t(64));
            const auto keep = indexTensor(topKAscending(fc.abs().sum(0), 40));
            expectEqual(param(*r.model, p + "c_fc.weight"), fc.index_select(1, keep), p + "c_fc");
            expectEqual(param(*r.model, p + "c_fc.bias"),
                        param(*base, p + "c_fc.bias").index_select(0, keep), p + "c_fc.bias");
            expectEqual(param(*r.model, p + "c_proj.weight"),
                        param(*base, p + "c_proj.weight").index_select(0, keep), p + "c_proj");
            expectEqual(param(*r.model, p + "c_proj.bias"), param(*base, p + "c_proj.bias"),
                        p + "c_proj.bias");
        }
        auto zero = apply(*base, {{.op = PruneOpKind::PruneMlp, .method = "l1", .percent = 0.0}});
        QVERIFY(torch::equal(logits(*zero.model), logits(*base)));
    }

    void removeLayersRenumbers() {
        auto base = tinyModel(llamaConfig(4));
        auto r = apply(*base, {{.op = PruneOpKind::RemoveLayers, .layers = {1, 3}}});
        QCOMPARE(r.keptLayers, (std::vector<int>{0, 2}));
        QCOMPARE(r.model->numLayers(), 2);
        for (const auto& item : base->named_parameters(true)) {
            const std::string& name = item.key();
            std::string mapped = name;
            if (name.rfind("model.layers.2.", 0) == 0)
                mapped = "model.layers.1." + name.substr(15);
            else if (name.rfind("model.layers.", 0) == 0 && name.rfind("model.layers.0.", 0) != 0)
                continue;
            expectEqual(param(*r.model, mapped), item.value().detach(), name);
        }
        // Reference: the base with layers 1 and 3 made the identity (o_proj and down_proj zero:
        // both sub-blocks add exactly zero).
        auto reference = tinyModel(llamaConfig(4));
        {
            torch::NoGradGuard noGrad;
            for (int l : {1, 3}) {
                reference->layer(l).attention->o->weight.zero_();
                reference->layer(l).mlp->down->weight.zero_();
            }
        }
        const double gap = (logits(*r.model) - logits(*reference)).abs().max().item<double>();
        QVERIFY2(gap < 1e-6,
                 ("depth-pruned vs identity-layer reference: " + std::to_string(gap)).c_str());
    }

    void bypassedLayerIsInputPlusMlp() {
        auto base = tinyModel(llamaConfig(3));
        auto r = apply(*base, {{.op = PruneOpKind::BypassAttention, .layers = {1}}});
        QVERIFY(r.model->layer(1).attentionBypassed);
        QVERIFY(r.stockCompatible);
        QVERIFY(torch::equal(param(*r.model, "model.layers.1.self_attn.o_proj.weight"),
                             torch::zeros({32, 32})));
        // The same weights with the flag off: the zeroed o_proj must add nothing, as in stock
        // loaders.
        auto stock = r.model->config();
        stock.layer_attention_bypassed.assign(3, false);
        core::CausalLM unbypassed(stock, r.model->spec(), torch::TensorOptions());
        core::MemoryTensorSource source("bypass as zero o_proj");
        for (const auto& item : r.model->named_parameters(true))
            source.set(item.key(), item.value().detach().clone());
        core::loadWeights(unbypassed, source, core::nullJobContext());
        torch::InferenceMode guard;
        BlockOutputs blocks;
        core::ForwardOptions options;
        options.computeLogits = false;
        options.taps = &blocks;
        r.model->forward(ids(), {}, options);
        const auto xIn = blocks.out.at(0), xOut = blocks.out.at(1);
        // x_out = x_in + down(silu(gate(n)) * up(n)), n = rmsnorm(x_in) · w: the formula, by hand.
        const std::string p = "model.layers.1.";
        const auto n = xIn * torch::rsqrt(xIn.square().mean(-1, true) + 1e-5) *
                       param(*base, p + "post_attention_layernorm.weight");
        const auto g = torch::matmul(n, param(*base, p + "mlp.gate_proj.weight").t());
        const auto u = torch::matmul(n, param(*base, p + "mlp.up_proj.weight").t());
        const auto expected =
            xIn + torch::matmul(torch::silu(g) * u, param(*base, p + "mlp.down_proj.weight").t());
        const double worst = (xOut - expected).abs().max().item<double>();
        QVERIFY2(worst < 1e-5, ("worst |difference| " + std::to_string(worst)).c_str());
        const double gap = (unbypassed.forward(ids()).logits - r.model->forward(ids()).logits)
                               .abs()
                               .max()
                               .item<double>();
        QVERIFY2(gap < 1e-5, ("stock-equivalent gap " + std::to_string(gap)).c_str());
    }

    void gqaHeadPruning() {
        auto base = tinyModel(llamaConfig(2)); // 4 query heads, 2 KV heads, head_dim 8, G = 2
        auto r = apply(*base, {{.op = PruneOpKind::PruneHeads, .layers = {0}, .kv_groups = {1}},
                               {.op = PruneOpKind::PruneHeads,
                                .layers = {1},
                                .method = "l2",
                                .query_heads_per_group = 1}});
        const auto& c = r.model->config();
        QCOMPARE(c.layer_num_attention_heads, (std::vector<int64_t>{2, 2}));
        QCOMPARE(c.layer_num_key_value_heads, (std::vector<int64_t>{1, 2}));
        // layer 0: KV group 1 (heads 2, 3) gone
        const auto rows = [](std::vector<int64_t> heads) {
            std::vector<int64_t> out;
            for (int64_t h : heads)
                for (int64_t d = 0; d < 8; ++d)
                    out.push_back(h * 8 + d);
            return indexTensor(out);
        };
        const std::string a0 = "model.layers.0.self_attn.";
        expectEqual(param(*r.model, a0 + "q_proj.weight"),
                    param(*base, a0 + "q_proj.weight").index_select(0, rows({0, 1})), "q0");
        expectEqual(param(*r.model, a0 + "k_proj.weight"),
                    param(*base, a0 + "k_proj.weight").index_select(0, rows({0})), "k0");
        expectEqual(param(*r.model, a0 + "v_proj.weight"),
                    param(*base, a0 + "v_proj.weight").index_select(0, rows({0})), "v0");
        expectEqual(param(*r.model, a0 + "o_proj.weight"),
                    param(*base, a0 + "o_proj.weight").index_select(1, rows({0, 1})), "o0");
        // layer 1: the lower-scored head of each group by ‖q rows‖ + ‖o columns‖
        const std::string a1 = "model.layers.1.self_attn.";
        const auto q = param(*base, a1 + "q_proj.weight"), o = param(*base, a1 + "o_proj.weight");
        std::vector<int64_t> kept;
        for (int64_t g = 0; g < 2; ++g) {
            auto score = [&](int64_t h) {
                return q.narrow(0, h * 8, 8).norm().item<double>() +
                       o.narrow(1, h * 8, 8).norm().item<double>();
            };
            kept.push_back(score(2 * g) >= score(2 * g + 1) ? 2 * g : 2 * g + 1);
        }
        expectEqual(param(*r.model, a1 + "q_proj.weight"), q.index_select(0, rows(kept)), "q1");
        expectEqual(param(*r.model, a1 + "k_proj.weight"), param(*base, a1 + "k_proj.weight"),
                    "k1");
        // Reference: the base with the removed heads' o_proj columns zeroed computes the same.
        auto reference = tinyModel(llamaConfig(2));
        {
            torch::NoGradGuard noGrad;
            auto o0 = reference->layer(0).attention->o->weight;
            o0.narrow(1, 16, 16).zero_();
            auto o1 = reference->layer(1).attention->o->weight;
            for (int64_t h = 0; h < 4; ++h)
                if (std::find(kept.begin(), kept.end(), h) == kept.end())
                    o1.narrow(1, h * 8, 8).zero_();
        }
        const double gap = (logits(*r.model) - logits(*reference)).abs().max().item<double>();
        QVERIFY2(gap < 1e-5,
                 ("head-pruned vs zeroed-heads reference: " + std::to_string(gap)).c_str());
    }

    void kvCacheFollowsPerLayerShapes() {
        auto base = tinyModel(llamaConfig(3));
        auto r = apply(*base,
                       {{.op = PruneOpKind::PruneHeads, .layers = {0}, .kv_groups = {1}},
                        {.op = PruneOpKind::BypassAttention, .layers = {1}},
                        {.op = PruneOpKind::PruneMlp, .layers = {2}, .method = "ppm", .keep = 10}});
        torch::InferenceMode guard;
        const auto full = r.model->forward(ids()).logits;
        core::KvCache cache(r.model->config(), 1, 4, torch::TensorOptions());
        core::ForwardOptions options;
        options.cache = &cache;
        std::vector<torch::Tensor> steps;
        for (int64_t t = 0; t < ids().size(1); ++t)
            steps.push_back(r.model->forward(ids().narrow(1, t, 1), {}, options).logits);
        const double gap = (torch::cat(steps, 1) - full).abs().max().item<double>();
        QVERIFY2(gap < 1e-5, ("cached decode vs full forward: " + std::to_string(gap)).c_str());
    }

    void gpt2FusedHeads() {
        auto base = tinyModel(gpt2Config()); // 4 heads of 8, MHA
        auto r = apply(*base, {{.op = PruneOpKind::PruneHeads, .layers = {1}, .kv_groups = {2}}});
        const std::string p = "transformer.h.1.attn.";
        std::vector<int64_t> cols;
        for (int64_t block : {0, 32, 64})
            for (int64_t h : {0, 1, 3})
                for (int64_t d = 0; d < 8; ++d)
                    cols.push_back(block + h * 8 + d);
        expectEqual(param(*r.model, p + "c_attn.weight"),
                    param(*base, p + "c_attn.weight").index_select(1, indexTensor(cols)), "c_attn");
        expectEqual(param(*r.model, p + "c_attn.bias"),
                    param(*base, p + "c_attn.bias").index_select(0, indexTensor(cols)),
                    "c_attn.bias");
        std::vector<int64_t> oRows(cols.begin(), cols.begin() + 24);
        expectEqual(param(*r.model, p + "c_proj.weight"),
                    param(*base, p + "c_proj.weight").index_select(0, indexTensor(oRows)),
                    "c_proj");
        QCOMPARE(r.model->config().num_attention_heads,
                 int64_t(4)); // GPT-2 keeps n_head for head_dim
        QVERIFY(!r.stockCompatible);
    }

    void fairnessRemovesTopF() {
        auto base = tinyModel(llamaConfig(2));
        core::PruneInputs inputs;
        inputs.pairs = {{{1, 5, 9, 3}, {1, 6, 9, 3}}, {{1, 2, 7}, {1, 4, 7}}};
        auto r = apply(
            *base, {{.op = PruneOpKind::FairnessNeurons, .layers = {0}, .count = 6, .weight = 0.7}},
            inputs);
        const auto bias = core::measureNeuronBias(*base, inputs.pairs, core::nullJobContext());
        const auto g = param(*base, "model.layers.0.mlp.gate_proj.weight");
        const auto u = param(*base, "model.layers.0.mlp.up_proj.weight");
        const auto ppm = ((std::get<0>(g.max(1)) + std::get<0>(g.min(1)).abs()) +
                          (std::get<0>(u.max(1)) + std::get<0>(u.min(1)).abs()))
                             .to(torch::kFloat64);
        auto norm = [](const torch::Tensor& v) { return (v - v.min()) / (v.max() - v.min()); };
        const auto f = 0.7 * norm(bias.mean[0]) + 0.3 * (1 - norm(ppm));
        const auto removed = topKAscending(f.to(torch::kFloat32), 6);
        std::vector<int64_t> keep;
        for (int64_t i = 0; i < 48; ++i)
            if (std::find(removed.begin(), removed.end(), i) == removed.end())
                keep.push_back(i);
        expectEqual(param(*r.model, "model.layers.0.mlp.up_proj.weight"),
                    u.index_select(0, indexTensor(keep)), "fairness");
        expectInvalid([&] { apply(*base, {{.op = PruneOpKind::FairnessNeurons, .count = 2}}); },
                      "pairs");
    }

    void badPlansAreRefused() {
        auto base = tinyModel(llamaConfig(3));
        expectInvalid([&] { apply(*base, {{.op = PruneOpKind::RemoveLayers, .layers = {3}}}); },
                      "layer 3 is out of range");
        expectInvalid(
            [&] {
                apply(*base, {{.op = PruneOpKind::RemoveLayers, .layers = {0, 1, 2}}});
            },
            "removes every layer");
        expectInvalid([&] { apply(*base, {{.op = PruneOpKind::PruneMlp, .percent = 100.0}}); },
                      "100 %");
        expectInvalid(
            [&] {
                apply(*base,
                      {{.op = PruneOpKind::PruneMlp, .method = "activation", .percent = 10.0}});
            },
            "needs a dataset");
        expectInvalid(
            [&] {
                apply(*base, {{.op = PruneOpKind::PruneHeads, .layers = {0}, .query_heads = {0}}});
            },
            "break grouped-query attention");
        expectInvalid(
            [&] { apply(*base, {{.op = PruneOpKind::PruneHeads, .query_heads_per_group = 2}}); },
            "query_heads_per_group");
        expectInvalid(
            [&] {
                apply(*base, {{.op = PruneOpKind::PruneHeads, .kv_groups = {0, 1}}});
            },
            "every attention head");
        expectInvalid(
            [&] {
                apply(*base, {{.op = PruneOpKind::RemoveNeurons, .layers = {0}, .neurons = {48}}});
            },
            "neuron 48 is out of range");
        expectInvalid(
            [&] { apply(*base, {{.op = PruneOpKind::PruneMlp, .method = "l1", .percent = 10.0}}); },
            "gated");
        core::PrunePlan plan;
        plan.base = core::planBaseOf(base->config());
        plan.base->num_hidden_layers = 5;
        plan.operations = {{.op = PruneOpKind::BypassAttention, .layers = {0}}};
        expectInvalid([&] { core::applyPlan(*base, plan, {}, core::nullJobContext()); },
                      "the plan was written for a llama with 5 layers");
    }

    void exportReloadsWithPerLayerLists() {
        auto base = tinyModel(llamaConfig(4));
        core::PrunePlan plan;
        plan.base = core::planBaseOf(base->config());
        plan.operations = {
            {.op = PruneOpKind::RemoveLayers, .layers = {2}},
            {.op = PruneOpKind::BypassAttention, .layers = {3}},
            {.op = PruneOpKind::PruneMlp, .layers = {0}, .method = "ppm", .percent = 30},
            {.op = PruneOpKind::PruneHeads, .layers = {1}, .kv_groups = {0}}};
        auto r = core::applyPlan(*base, plan, {}, core::nullJobContext());
        const auto record = core::makeVariantRecord(r, plan, {});
        test::TempDir dir;
        const auto out = dir / "variant";
        core::exportVariant(*r.model, record, out, {}, core::nullJobContext());
        QVERIFY(!std::filesystem::exists(dir / (".variant.tmp-" + std::to_string(::getpid()))));
        const auto config = test::readJson(out / "config.json");
        QCOMPARE(config["num_hidden_layers"].get<int>(), 3);
        ANATOMIST_COMPARE_JSON(config[core::kLayerIntermediateSizesKey],
                               nlohmann::json({34, 48, 48}));
        ANATOMIST_COMPARE_JSON(config[core::kAttentionBypassKey],
                               nlohmann::json({false, false, true}));
        ANATOMIST_COMPARE_JSON(config[core::kLayerAttentionHeadsKey], nlohmann::json({4, 2, 4}));
        const auto variantJson = test::readJson(out / "variant.json");
        ANATOMIST_COMPARE_JSON(variantJson["kept_layers"], nlohmann::json({0, 1, 3}));
        QCOMPARE(variantJson["parameters"]["after"].get<int64_t>(), r.parametersAfter);
        const auto reread = core::readVariantRecord(out / "variant.json");
        ANATOMIST_COMPARE_JSON(core::toJson(reread), core::toJson(record));

        core::LoadOptions options;
        auto loaded = core::loadModel(out, options, core::nullJobContext());
        QVERIFY(torch::equal(logits(*loaded.model), logits(*r.model)));
        QVERIFY(loaded.model->layer(2).attentionBypassed);

        // An existing folder is replaced only when asked.
        QVERIFY_THROWS_EXCEPTION(
            core::InvalidArgument,
            core::exportVariant(*r.model, record, out, {}, core::nullJobContext()));
        core::ExportOptions overwrite;
        overwrite.overwrite = true;
        core::exportVariant(*r.model, record, out, overwrite, core::nullJobContext());
        // Never into (or over) the base folder.
        core::ExportOptions intoBase;
        intoBase.baseFolder = out;
        intoBase.overwrite = true;
        QVERIFY_THROWS_EXCEPTION(
            core::InvalidArgument,
            core::exportVariant(*r.model, record, out, intoBase, core::nullJobContext()));
        QVERIFY_THROWS_EXCEPTION(
            core::InvalidArgument,
            core::exportVariant(*r.model, record, dir.path(), intoBase, core::nullJobContext()));
    }
};

QTEST_GUILESS_MAIN(TestPruneOps)
#include "tst_prune_ops.moc"
