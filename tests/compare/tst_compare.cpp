// compare (issue 11): variant folders written by this test (stories260K with layers removed, with
// a variant.json); every number in the table equals evaluating that folder on its own, and the
// similarity rows line up by base layer index.
#include "analysis/datasets.h"
#include "errors.h"
#include "eval/compare.h"
#include "job.h"
#include "model/model_info.h"
#include "model/model_loader.h"
#include "test_support.h"
#include "variant_folder.h"

#include <QTest>

using namespace anatomist::core;
using anatomist::test::sharedDir;

namespace {

using anatomist::test::kStoriesModel;
using anatomist::test::openFolder;
using anatomist::test::sharedStories;

} // namespace

class TestCompare : public QObject {
    Q_OBJECT
private slots:
    void numbersEqualSeparateEvaluation() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        anatomist::test::TempDir dir;
        const auto base = sharedDir() / kStoriesModel;
        anatomist::test::writeDepthVariant(base, {2}, dir / "minus2", true,
                                           {{"remove_layers", {2}}});
        anatomist::test::writeDepthVariant(
            base, {1, 3}, dir / "minus13", true,
            nlohmann::json::array({{{"op", "remove_layers"}, {"layers", {1, 3}}}}));
        const std::vector<std::filesystem::path> folders{base, dir / "minus2", dir / "minus13"};
        std::vector<LoadedModel> loaded;
        std::vector<CompareInput> inputs;
        for (const auto& f : folders)
            loaded.push_back(openFolder(f));
        for (const auto& m : loaded)
            inputs.push_back({m.folder.string(), m.model.get(), m.tokenizer.get(),
                              readVariantManifest(m.folder)});
        QVERIFY(!inputs[0].variant);
        QVERIFY(inputs[1].variant && inputs[2].variant);
        QCOMPARE(inputs[1].variant->planSummary, std::string("remove_layers=[2]"));
        QCOMPARE(inputs[2].variant->planSummary, std::string("remove_layers(layers=[1,3])"));

        const auto docs = sharedStories(10);
        const auto result = compareModels(inputs, docs, {}, nullJobContext());
        QCOMPARE(result.models.size(), std::size_t{3});
        QCOMPARE(result.baseLayers, 5);
        for (std::size_t m = 0; m < 3; ++m) {
            // Each folder on its own, loaded afresh.
            auto alone = openFolder(folders[m]);
            const auto ids = tokenizeDocuments(*alone.tokenizer, docs);
            const auto ppl = evaluatePerplexity(*alone.model, ids, {}, nullJobContext());
            const auto sim = measureLayerSimilarity(*alone.model, ids, {}, nullJobContext());
            const auto& e = result.models[m];
            QCOMPARE(e.perplexity.perplexity, ppl.perplexity);
            QCOMPARE(e.perplexity.tokens_scored, ppl.tokens_scored);
            QCOMPARE(e.layers, alone.model->numLayers());
            QCOMPARE(e.parameters, summarize(*alone.model).parameters);
            QCOMPARE(e.bytesFloat32, 4 * e.parameters);
            QCOMPARE(e.bytesBfloat16, 2 * e.parameters);
            QCOMPARE(e.similarity->layers.size(), sim.layers.size());
            for (std::size_t l = 0; l < sim.layers.size(); ++l) {
                const int row = e.baseIndex[l];
                QVERIFY(result.alignedBlock[std::size_t(row)][m].has_value());
                QCOMPARE(*result.alignedBlock[std::size_t(row)][m], sim.layers[l].block);
            }
        }
        // Removed layers leave holes at their base index; the base is complete.
        QCOMPARE(result.models[1].baseIndex, (std::vector<int>{0, 1, 3, 4}));
        QCOMPARE(result.models[2].baseIndex, (std::vector<int>{0, 2, 4}));
        QVERIFY(!result.alignedBlock[2][1].has_value());
        QVERIFY(!result.alignedBlock[1][2].has_value() && !result.alignedBlock[3][2].has_value());
        for (int row = 0; row < 5; ++row)
            QVERIFY(result.alignedBlock[std::size_t(row)][0].has_value());
        // Each removed layer costs its parameters.
        const auto perLayer = summarize(*loaded[0].model).parametersPerLayer;
        QCOMPARE(result.models[0].parameters - result.models[1].parameters, perLayer[2]);
    }

    void cliTableMatchesEval() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        anatomist::test::TempDir dir;
        const auto base = sharedDir() / kStoriesModel;
        anatomist::test::writeDepthVariant(base, {3}, dir / "v", true, {{"remove_layers", {3}}});
        std::string text;
        for (const auto& d : sharedStories(8))
            text += d + "\n\n";
        anatomist::test::writeText(dir / "text.txt", text);
        const auto run = anatomist::test::runCli(
            {"compare", base.string(), (dir / "v").string(), "--text", (dir / "text.txt").string(),
             "--bench", "--prompt", "32", "--gen", "4", "--repeats", "2", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        const auto j = run.json();
        QCOMPARE(j.at("models").size(), std::size_t{2});
        for (std::size_t m = 0; m < 2; ++m) {
            const auto folder = m == 0 ? base : dir / "v";
            const auto eval = anatomist::test::runCli(
                {"eval", folder.string(), "--text", (dir / "text.txt").string(), "--json"});
            QVERIFY2(eval.exitCode == 0, eval.err.c_str());
            const auto& model = j["models"][m];
            QCOMPARE(model["perplexity"]["perplexity"].get<double>(),
                     eval.json()["perplexity"].get<double>());
            QVERIFY(model["speed"]["prefill_tokens_per_second"].get<double>() > 0);
            QVERIFY(model["speed"]["decode_tokens_per_second"].get<double>() > 0);
        }
        QVERIFY(j["models"][0]["variant"].is_null());
        QVERIFY(j["models"][1]["variant"]["kept_layers"] == nlohmann::json({0, 1, 2, 4}));
        QCOMPARE(j["aligned_similarity"].size(), std::size_t{5});
        QVERIFY(j["aligned_similarity"][3]["block"][1].is_null());
        QCOMPARE(j.at("prompt_tokens").get<int>(), 32);
        // The human table runs too and marks the hole.
        const auto table = anatomist::test::runCli({"compare", base.string(), (dir / "v").string(),
                                                    "--text", (dir / "text.txt").string()});
        QVERIFY2(table.exitCode == 0, table.err.c_str());
        QVERIFY(table.out.find("remove_layers=[3]") != std::string::npos);
        const auto alone = anatomist::test::runCli(
            {"compare", base.string(), "--text", (dir / "text.txt").string()});
        QVERIFY(alone.exitCode != 0);
    }

    void manifestErrors() {
        auto expectError = [](const nlohmann::json& j, const std::string& fragment) {
            try {
                parseVariantManifest(j, "v/variant.json");
                QFAIL("no error");
            } catch (const FormatError& e) {
                QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
            }
        };
        const nlohmann::json good = {
            {"format", "anatomist-variant"},
            {"version", 1},
            {"base", {{"path", "b"}, {"sha256", "00"}, {"parameters", 10}}},
            {"plan", {{"remove_layers", {1}}}},
            {"kept_layers", {0, 2}},
            {"parameters", {{"before", 10}, {"after", 7}}}};
        const auto m = parseVariantManifest(good, "v/variant.json");
        QCOMPARE(m.keptLayers, (std::vector<int>{0, 2}));
        QCOMPARE(m.parametersAfter, int64_t{7});
        QCOMPARE(m.baseSha256, std::string("00"));
        auto j = good;
        j["format"] = "other";
        expectError(j, "v/variant.json: not an Anatomist variant manifest");
        j = good;
        j["version"] = 2;
        expectError(j, "version 2");
        j = good;
        j["kept_layers"] = {0, 2, 2};
        expectError(j, "kept_layers must be increasing");
        j = good;
        j.erase("kept_layers");
        expectError(j, "malformed variant manifest");
    }

    void keptLayersMustMatchTheModel() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        auto base = openFolder(sharedDir() / kStoriesModel);
        VariantManifest wrong;
        wrong.keptLayers = {0, 1};
        CompareInput input{"x", base.model.get(), base.tokenizer.get(), wrong};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument,
                                 compareModels({input}, sharedStories(2), {}, nullJobContext()));
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
