// LoRA on tiny in-memory Llamas: B = 0 leaves the model bit-identical, gradients of the adapter
// path match central finite differences (float64), merging equals adapter inference, unknown
// targets and layers are refused, training moves only the adapters, and the PEFT files carry
// PEFT's key names and config fields.
#include "distill/lora.h"
#include "distill_test_models.h"
#include "errors.h"
#include "io/safetensors.h"
#include "job.h"
#include "model/modules.h"
#include "test_support.h"
#include "train/trainable_model.h"
#include "train/trainer.h"

#include <QObject>
#include <QTest>
#include <torch/torch.h>

using namespace anatomist;
using core::TokenId;

namespace {

core::TrainBatch batch() {
    return core::TokenBatcher::makeBatch({{1, 5, 9, 2, 7, 7, 3, 11, 4}, {3, 8, 1, 6}});
}

core::LoraOptions allProjections(int64_t rank, double dropout) {
    core::LoraOptions o;
    o.rank = rank;
    o.alpha = 8;
    o.dropout = dropout;
    o.targets = {"q", "k", "v", "o", "gate", "up", "down"};
    o.seed = 3;
    return o;
}

// Gives every B random values so that the adapters change the output.
void randomizeB(core::CausalLM& model, double scale) {
    torch::NoGradGuard noGrad;
    for (auto& item : model.named_parameters(true))
        if (item.key().find(".lora_B.") != std::string::npos)
            item.value().copy_(torch::randn(item.value().sizes(), item.value().options()) * scale);
}

torch::Tensor logits(core::CausalLM& model) {
    torch::NoGradGuard noGrad;
    const auto b = batch();
    return model.forward(b.ids, b.attention).logits;
}

double loss(core::CausalLM& model) {
    core::CrossEntropyObjective ce;
    return ce.compute(model, batch()).total.item<double>();
}

} // namespace

class TestLora : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { torch::manual_seed(9); }

    void zeroBIsBitIdenticalToTheBase() {
        auto base = test::tinyLlama(2, 1, torch::kFloat32);
        auto adapted = core::trainableCopy(*base);
        const auto paths = core::attachLora(*adapted, allProjections(4, 0.1));
        QCOMPARE(paths.size(), std::size_t(14));
        adapted->eval();
        QVERIFY(torch::equal(logits(*base), logits(*adapted)));
    }

    void gradientsMatchFiniteDifferences() {
        auto model = test::tinyLlama(2, 2, torch::kFloat64);
        core::attachLora(*model, allProjections(2, 0.0));
        randomizeB(*model, 0.2);
        core::CrossEntropyObjective ce;
        ce.compute(*model, batch()).total.backward();
        int checked = 0;
        for (auto& item : model->named_parameters(true)) {
            if (item.key().find(".lora_") == std::string::npos)
                continue;
            auto p = item.value();
            const auto grad = p.grad().clone();
            for (int64_t flat : {int64_t(0), p.numel() / 2, p.numel() - 1}) {
                // RMSNorm computes in float32 even for a float64 model: steps well above its
                // rounding (~1e-7 of a loss of ~35) keep the difference quotient meaningful.
                const double h = 1e-3;
                double plus = 0, minus = 0;
                {
                    torch::NoGradGuard noGrad;
                    auto view = p.view({-1});
                    const double original = view[flat].item<double>();
                    view[flat] = original + h;
                    plus = loss(*model);
                    view[flat] = original - h;
                    minus = loss(*model);
                    view[flat] = original;
                }
                const double numeric = (plus - minus) / (2 * h);
                const double analytic = grad.view({-1})[flat].item<double>();
                ANATOMIST_COMPARE_NEAR(analytic, numeric, 3e-3 + 1e-2 * std::abs(numeric),
                                       item.key() + "[" + std::to_string(flat) + "]");
                ++checked;
            }
        }
        QCOMPARE(checked, 14 * 2 * 3);
    }

    void adapterPathGradientsMatchFiniteDifferencesExactly() {
        // One adapted projection in float64 throughout: y = W x + b + s · B A x, loss Σ sin(y).
        const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
        core::LinearModule linear(6, 5, true, core::LinearLayout::OutIn, f64);
        {
            torch::NoGradGuard noGrad;
            linear.weight.copy_(torch::randn({5, 6}, f64));
            linear.bias.copy_(torch::randn({5}, f64));
        }
        linear.loraA = linear.register_module(
            "lora_A",
            std::make_shared<core::LinearModule>(6, 2, false, core::LinearLayout::OutIn, f64));
        linear.loraB = linear.register_module(
            "lora_B",
            std::make_shared<core::LinearModule>(2, 5, false, core::LinearLayout::OutIn, f64));
        linear.loraScaling = 1.5;
        auto a = linear.loraA->weight, b = linear.loraB->weight;
        {
            torch::NoGradGuard noGrad;
            a.copy_(torch::randn({2, 6}, f64));
            b.copy_(torch::randn({5, 2}, f64));
        }
        const auto x = torch::randn({3, 6}, f64);
        const auto f = [&] { return linear.forward(x).sin().sum(); };
        f().backward();
        for (auto* p : {&a, &b}) {
            const auto grad = p->grad().clone();
            for (int64_t i = 0; i < p->numel(); ++i) {
                double plus = 0, minus = 0;
                {
                    torch::NoGradGuard noGrad;
                    auto view = p->view({-1});
                    const double original = view[i].item<double>();
                    view[i] = original + 1e-6;
                    plus = f().item<double>();
                    view[i] = original - 1e-6;
                    minus = f().item<double>();
                    view[i] = original;
                }
                ANATOMIST_COMPARE_NEAR(grad.view({-1})[i].item<double>(), (plus - minus) / 2e-6,
                                       1e-7, "adapter gradient " + std::to_string(i));
            }
        }
    }

    void mergeEqualsAdapterInference() {
        auto model = test::tinyLlama(2, 3, torch::kFloat32);
        core::attachLora(*model, allProjections(4, 0.1));
        randomizeB(*model, 0.05);
        model->eval();
        const auto adapted = logits(*model);
        QVERIFY(
            (adapted - logits(*test::tinyLlama(2, 3, torch::kFloat32))).abs().max().item<double>() >
            1e-3);
        core::mergeLora(*model);
        for (const auto& item : model->named_parameters(true))
            QVERIFY2(item.key().find("lora") == std::string::npos, item.key().c_str());
        const double diff = (logits(*model) - adapted).abs().max().item<double>();
        ANATOMIST_COMPARE_NEAR(diff, 0.0, 1e-6, "merged vs adapters");
    }

    void unknownTargetsAndLayersAreRefused() {
        auto model = test::tinyLlama(2, 1, torch::kFloat32);
        core::LoraOptions o;
        o.targets = {"q", "query"};
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, core::attachLora(*model, o));
        o.targets = {"v"};
        o.layers = {2};
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, core::attachLora(*model, o));
        o.layers = {1};
        o.targets = {"v_proj"}; // module names work too
        QCOMPARE(core::attachLora(*model, o),
                 (std::vector<std::string>{"model.layers.1.self_attn.v_proj"}));
        for (const auto& item :
             model->named_parameters(true)) // nothing half-attached by the failures
            if (item.key().find("lora") != std::string::npos)
                QVERIFY2(item.key().rfind("model.layers.1.self_attn.v_proj.", 0) == 0,
                         item.key().c_str());
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, core::loraOptionsFromJson({{"rank", 0}}));
    }

    void trainingMovesOnlyTheAdapters() {
        auto model = test::tinyLlama(2, 4, torch::kFloat32);
        auto lora = allProjections(4, 0.0);
        lora.targets = {"q", "v"};
        core::attachLora(*model, lora);
        std::map<std::string, torch::Tensor> before;
        for (const auto& item : model->named_parameters(true))
            before[item.key()] = item.value().clone();
        core::TrainOptions options;
        options.steps = 5;
        options.batchSize = 2;
        options.seqLen = 8;
        options.lr = 1e-2;
        options.trainable = {".lora_A.", ".lora_B."};
        std::vector<std::vector<TokenId>> docs;
        for (int d = 0; d < 6; ++d)
            docs.push_back({TokenId(d), TokenId(d + 1), TokenId(d + 2), TokenId(d + 3),
                            TokenId(d + 4), TokenId(d + 5), TokenId(d + 6), TokenId(d + 7),
                            TokenId(d + 8), TokenId(d + 9)});
        core::Trainer trainer(model, options, docs);
        trainer.run(core::nullJobContext());
        int movedLora = 0;
        for (const auto& item : model->named_parameters(true)) {
            const bool same = torch::equal(before[item.key()], item.value());
            if (item.key().find(".lora_") == std::string::npos)
                QVERIFY2(same, item.key().c_str());
            else
                movedLora += !same;
        }
        QCOMPARE(movedLora, 8); // A and B of q and v in two layers
    }

    void peftFilesUsePeftNames() {
        test::TempDir dir;
        auto model = test::tinyLlama(2, 5, torch::kFloat32);
        core::LoraOptions o;
        o.rank = 3;
        o.alpha = 6;
        o.targets = {"q", "down"};
        o.layers = {1};
        core::attachLora(*model, o);
        randomizeB(*model, 0.1);
        core::saveLoraAdapters(*model, o, dir.path(), "/models/base");
        const auto st = core::SafetensorsCheckpoint::open(dir / "adapter_model.safetensors");
        const std::vector<std::string> expected = {
            "base_model.model.model.layers.1.mlp.down_proj.lora_A.weight",
            "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight",
            "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight",
            "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight"};
        QCOMPARE(st.names(), expected);
        QCOMPARE(
            st.load("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight").sizes().vec(),
            (std::vector<int64_t>{3, 32}));
        QCOMPARE(
            st.load("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight").sizes().vec(),
            (std::vector<int64_t>{32, 3}));
        const auto params = model->named_parameters(true);
        QVERIFY(torch::equal(st.load("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"),
                             params["model.layers.1.mlp.down_proj.lora_B.weight"]));
        const auto config = test::readJson(dir / "adapter_config.json");
        QCOMPARE(config["peft_type"].get<std::string>(), std::string("LORA"));
        QCOMPARE(config["task_type"].get<std::string>(), std::string("CAUSAL_LM"));
        QCOMPARE(config["r"].get<int>(), 3);
        QCOMPARE(config["lora_alpha"].get<double>(), 6.0);
        QVERIFY2(config["target_modules"] == nlohmann::json::array({"down_proj", "q_proj"}),
                 config["target_modules"].dump().c_str());
        QVERIFY2(config["layers_to_transform"] == nlohmann::json::array({1}),
                 config["layers_to_transform"].dump().c_str());
        QCOMPARE(config["base_model_name_or_path"].get<std::string>(), std::string("/models/base"));
    }
};

QTEST_GUILESS_MAIN(TestLora)
#include "tst_lora.moc"
