// Every architecture fixture: depth, width (uniform and per layer), bypass and head variants export
// to a Hugging Face folder, reload, and give bit-identical logits to the in-memory variant; Gemma
// 3's layer_types pattern (and with it each layer's RoPE) survives removing a layer.
#include "job.h"
#include "model/model_loader.h"
#include "prune/apply_plan.h"
#include "prune/export_variant.h"
#include "test_support.h"

#include <QObject>
#include <QTest>
#include <torch/torch.h>

using namespace anatomist;
using core::PruneOpKind;

namespace {

torch::Tensor logitsOf(core::CausalLM& model) {
    torch::InferenceMode guard;
    const auto ids =
        torch::tensor({2, 17, 99, 4, 250, 31, 8, 64, 128, 5, 77}, torch::kInt64).unsqueeze(0);
    return model.forward(ids).logits.clone();
}

std::vector<std::pair<std::string, core::PruneOperation>> variantsFor(const core::CausalLM& model) {
    const auto& c = model.config();
    const std::string method = model.spec().mlp == core::MlpKind::Gated ? "ppm" : "l1";
    core::PruneOperation heads{.op = PruneOpKind::PruneHeads, .layers = {0}};
    if (c.num_key_value_heads > 1)
        heads.kv_groups = {c.num_key_value_heads - 1};
    else
        heads.query_heads_per_group = 1;
    return {{"depth", {.op = PruneOpKind::RemoveLayers, .layers = {1}}},
            {"width", {.op = PruneOpKind::PruneMlp, .method = method, .percent = 25}},
            {"width-layer0",
             {.op = PruneOpKind::PruneMlp, .layers = {0}, .method = method, .percent = 50}},
            {"bypass", {.op = PruneOpKind::BypassAttention, .layers = {0}}},
            {"heads", heads}};
}

} // namespace

class TestPruneFamilies : public QObject {
    Q_OBJECT

private slots:
    void exportReload_data() {
        QTest::addColumn<QString>("fixture");
        for (const auto& name : test::architectureFixtures())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void exportReload() {
        QFETCH(QString, fixture);
        const auto folder = test::sharedDir() / "fixtures/arch" / fixture.toStdString();
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/" + fixture.toStdString());
        auto base = core::loadModel(folder, {}, core::nullJobContext());
        const auto baseLogits = logitsOf(*base.model);
        test::TempDir dir;
        for (const auto& [name, op] : variantsFor(*base.model)) {
            core::PrunePlan plan;
            plan.base = core::planBaseOf(base.config);
            plan.operations = {op};
            auto r = core::applyPlan(*base.model, plan, {}, core::nullJobContext());
            core::ExportOptions options;
            options.baseFolder = folder;
            const auto out = dir / name;
            core::exportVariant(*r.model, core::makeVariantRecord(r, plan, folder), out, options,
                                core::nullJobContext());
            auto reloaded = core::loadModel(out, {}, core::nullJobContext());
            const auto expected = logitsOf(*r.model);
            const auto actual = logitsOf(*reloaded.model);
            const double gap = (actual - expected).abs().max().item<double>();
            QVERIFY2(torch::equal(actual, expected),
                     (fixture.toStdString() + " " + name + ": reloaded logits differ by up to " +
                      std::to_string(gap))
                         .c_str());
            QCOMPARE(reloaded.config.layer_types, r.model->config().layer_types);
            QVERIFY(reloaded.config.layer_rope == r.model->config().layer_rope);
            QCOMPARE(reloaded.config.layer_intermediate_sizes,
                     r.model->config().layer_intermediate_sizes);
            QCOMPARE(reloaded.config.layer_attention_bypassed,
                     r.model->config().layer_attention_bypassed);
            const auto config = test::readJson(out / "config.json");
            const bool lists = config.contains(core::kLayerIntermediateSizesKey) ||
                               config.contains(core::kLayerAttentionHeadsKey) ||
                               config.contains(core::kLayerKeyValueHeadsKey);
            QCOMPARE(lists, !r.stockCompatible);
            QCOMPARE(config.value("torch_dtype", std::string()), base.config.torch_dtype);
            QVERIFY2(!torch::equal(expected, baseLogits),
                     (name + ": the variant changed nothing").c_str());
        }
        // The base folder was only read.
        QVERIFY(!std::filesystem::exists(folder / "variant.json"));
    }

    void gemmaLayerTypesSurviveDepthPruning() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/gemma3");
        const auto folder = test::sharedDir() / "fixtures/arch/gemma3";
        auto base = core::loadModel(folder, {}, core::nullJobContext());
        core::PrunePlan plan;
        plan.operations = {{.op = PruneOpKind::RemoveLayers, .layers = {2}}}; // [S,S,F,S,S,F]
        auto r = core::applyPlan(*base.model, plan, {}, core::nullJobContext());
        test::TempDir dir;
        core::exportVariant(*r.model, core::makeVariantRecord(r, plan, folder), dir / "v", {},
                            core::nullJobContext());
        const auto config = test::readJson(dir / "v" / "config.json");
        ANATOMIST_COMPARE_JSON(
            config["layer_types"],
            nlohmann::json({"sliding_attention", "sliding_attention", "sliding_attention",
                            "sliding_attention", "full_attention"}));
        auto reloaded = core::loadModel(dir / "v", {}, core::nullJobContext());
        // Base layer 3 (sliding: local RoPE base 1e4) is now layer 2; base layer 5 (full: 1e6,
        // linear ×8) is 4.
        QCOMPARE(reloaded.config.layer_rope[2].theta, 10000.0);
        QVERIFY(!reloaded.config.layer_rope[2].scaling);
        QCOMPARE(reloaded.config.layer_rope[4].theta, 1000000.0);
        QCOMPARE(reloaded.config.layer_rope[4].scaling->factor, 8.0);
        const auto record = core::readVariantRecord(dir / "v" / "variant.json");
        QCOMPARE(record.keptLayers, (std::vector<int>{0, 1, 3, 4, 5}));
        QCOMPARE(record.baseSha256, core::hashModelFolder(folder));
        QCOMPARE(record.baseSha256.size(), std::size_t(64));
    }

    void cliPrune() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama");
        const auto model = (test::sharedDir() / "fixtures/arch/llama").string();
        test::TempDir dir;
        auto r = test::runCli({"prune", model, "--out", (dir / "a").string(), "--remove-layers",
                               "1", "--width", "25", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto out = r.json();
        ANATOMIST_COMPARE_JSON(out["kept_layers"], nlohmann::json({0, 2}));
        QCOMPARE(out["stock_compatible"].get<bool>(), true);
        ANATOMIST_COMPARE_JSON(
            test::readJson(dir / "a" / "config.json")["intermediate_size"].get<int>(),
            96); // 128 − 32
        ANATOMIST_COMPARE_JSON(test::readJson(dir / "a" / "variant.json")["kept_layers"],
                               nlohmann::json({0, 2}));

        // Per-layer width: the folder is Anatomist-only, and the output says so.
        r = test::runCli(
            {"prune", model, "--out", (dir / "b").string(), "--width", "50", "--layers", "0"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(r.out.find("stock transformers cannot load") != std::string::npos, r.out.c_str());

        // A plan file, and bad plans as one-line errors.
        test::writeText(dir / "plan.json", R"({"format": "anatomist-plan", "version": 1,
            "operations": [{"op": "bypass_attention", "layers": [2]}]})");
        r = test::runCli({"prune", model, "--out", (dir / "c").string(), "--plan",
                          (dir / "plan.json").string()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        ANATOMIST_COMPARE_JSON(test::readJson(dir / "c" / "config.json")[core::kAttentionBypassKey],
                               nlohmann::json({false, false, true}));
        r = test::runCli({"prune", model, "--out", (dir / "d").string(), "--remove-layers", "0-2"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("removes every layer") != std::string::npos, r.err.c_str());
        QVERIFY(!std::filesystem::exists(dir / "d"));
        r = test::runCli({"prune", model, "--out", (dir / "a").string(), "--width", "10"});
        QVERIFY(r.exitCode != 0); // exists: needs --force
        QVERIFY2(r.err.find("exists") != std::string::npos, r.err.c_str());
        r = test::runCli({"prune", model, "--out", (dir / "e").string(), "--width", "10",
                          "--method", "activation"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("needs a dataset") != std::string::npos, r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPruneFamilies)
#include "tst_prune_families.moc"
