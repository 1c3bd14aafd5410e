// Layer selection (issue 11): skipping a layer in the forward equals the model with that layer
// removed (folders written by the test), and iterative picks equal a chain of independently
// truncated models measured from scratch.
#include "analysis/datasets.h"
#include "analysis/layer_selection.h"
#include "eval/perplexity.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"
#include "variant_folder.h"

#include <QTest>
#include <algorithm>

using namespace anatomist::core;
using anatomist::test::sharedDir;

namespace {

using anatomist::test::kStoriesModel;
using anatomist::test::openFolder;

std::vector<std::vector<TokenId>> corpus(const Tokenizer& tokenizer, std::size_t count = 12) {
    return tokenizeDocuments(tokenizer, anatomist::test::sharedStories(count));
}

std::vector<int> without(int layers, const std::vector<int>& removed) {
    std::vector<int> kept;
    for (int l = 0; l < layers; ++l)
        if (std::find(removed.begin(), removed.end(), l) == removed.end())
            kept.push_back(l);
    return kept;
}

} // namespace

class TestLayerSelection : public QObject {
    Q_OBJECT
private slots:
    void skippingEqualsRemovingTheLayer() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        auto base = openFolder(sharedDir() / kStoriesModel);
        const auto ids = corpus(*base.tokenizer, 2);
        const auto batch = padSequences(ids, 0);
        torch::InferenceMode inference;
        const auto full = base.model->forward(batch.ids, batch.valid).logits;
        for (int k = 0; k < base.model->numLayers(); ++k) {
            anatomist::test::TempDir dir;
            anatomist::test::writeDepthVariant(sharedDir() / kStoriesModel, {k}, dir / "v", false);
            auto variant = openFolder(dir / "v");
            QCOMPARE(variant.model->numLayers(), base.model->numLayers() - 1);
            ForwardOptions skip;
            skip.skipLayers.assign(std::size_t(base.model->numLayers()), false);
            skip.skipLayers[std::size_t(k)] = true;
            const auto skipped = base.model->forward(batch.ids, batch.valid, skip).logits;
            const auto removed = variant.model->forward(batch.ids, batch.valid).logits;
            QVERIFY2(torch::equal(skipped, removed), qPrintable(QString("layer %1").arg(k)));
            QVERIFY(!torch::equal(skipped, full));
        }
    }

    void bypassSetEqualsTheLayerFlag() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        auto base = openFolder(sharedDir() / kStoriesModel);
        auto flagged =
            openFolder(sharedDir() / kStoriesModel); // a private copy whose flags this test may set
        const auto batch = padSequences(corpus(*base.tokenizer, 2), 0);
        torch::InferenceMode inference;
        const auto full = base.model->forward(batch.ids, batch.valid).logits;
        ForwardOptions bypass;
        bypass.bypassAttention = {false, true, false, true};
        flagged.model->layer(1).attentionBypassed = true;
        flagged.model->layer(3).attentionBypassed = true;
        const auto viaSet = base.model->forward(batch.ids, batch.valid, bypass).logits;
        QVERIFY(torch::equal(viaSet, flagged.model->forward(batch.ids, batch.valid).logits));
        QVERIFY(!torch::equal(viaSet, full));
        QVERIFY(
            torch::equal(full, base.model->forward(batch.ids, batch.valid).logits)); // untouched
    }

    void oneShotIsARemovalOrderPrefix() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        auto base = openFolder(sharedDir() / kStoriesModel);
        const auto docs = corpus(*base.tokenizer);
        const auto similarity = measureLayerSimilarity(*base.model, docs, {}, nullJobContext());
        LayerSelectionRequest request;
        request.selection.count = 3;
        const auto r = selectLayersByImportance(*base.model, docs, request, nullJobContext());
        QCOMPARE(r.picks.size(), std::size_t{3});
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(r.picks[i].layer, similarity.removalOrder[i]);
            QCOMPARE(r.picks[i].importance,
                     similarity.layers[std::size_t(similarity.removalOrder[i])].importance);
        }
        // Protecting the first layer and the last: the removal order without 0 and 4.
        request.selection.protectFirst = 1;
        request.selection.protectLast = true;
        const auto p = selectLayersByImportance(*base.model, docs, request, nullJobContext());
        std::vector<int> expected;
        for (int l : similarity.removalOrder)
            if (l != 0 && l != 4)
                expected.push_back(l);
        QCOMPARE(p.picks.size(), std::size_t{3});
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(p.picks[i].layer, expected[i]);
    }

    void iterativeEqualsTruncatedModels() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        auto base = openFolder(sharedDir() / kStoriesModel);
        const auto docs = corpus(*base.tokenizer);
        const int L = base.model->numLayers();
        LayerSelectionRequest request;
        request.selection.count = 3;
        request.iterative = true;
        const auto r = selectLayersByImportance(*base.model, docs, request, nullJobContext());
        QCOMPARE(r.picks.size(), std::size_t{3});
        QCOMPARE(r.steps.size(), std::size_t{3});

        // Independent: remove the picks so far from the folder, load it, measure it plainly.
        std::vector<int> removed;
        for (std::size_t step = 0; step < 3; ++step) {
            anatomist::test::TempDir dir;
            const auto kept = anatomist::test::writeDepthVariant(sharedDir() / kStoriesModel,
                                                                 removed, dir / "v", false);
            auto truncated = openFolder(dir / "v");
            const auto s = measureLayerSimilarity(*truncated.model, docs, {}, nullJobContext());
            QCOMPARE(r.steps[step].removed, removed);
            QCOMPARE(r.steps[step].similarity.layers.size(), kept.size());
            for (std::size_t i = 0; i < kept.size(); ++i) {
                QCOMPARE(r.steps[step].similarity.layers[i].layer, kept[i]);
                ANATOMIST_COMPARE_NEAR(
                    r.steps[step].similarity.layers[i].importance, s.layers[i].importance, 1e-12,
                    "step " + std::to_string(step) + " layer " + std::to_string(kept[i]));
            }
            const int best = kept[std::size_t(s.removalOrder.front())];
            QCOMPARE(r.picks[step].layer, best);
            ANATOMIST_COMPARE_NEAR(r.picks[step].importance,
                                   s.layers[std::size_t(s.removalOrder.front())].importance, 1e-12,
                                   "pick " + std::to_string(step));
            removed.push_back(best);
        }
        QCOMPARE(int(without(L, removed).size()), L - 3);
    }

    void iterativeAttentionEqualsFlaggedModel() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        auto base = openFolder(sharedDir() / kStoriesModel);
        auto flagged = openFolder(sharedDir() / kStoriesModel);
        const auto docs = corpus(*base.tokenizer);
        LayerSelectionRequest request;
        request.selection.count = 2;
        request.iterative = true;
        request.target = SelectionTarget::Attention;
        const auto r = selectLayersByImportance(*base.model, docs, request, nullJobContext());
        QCOMPARE(r.picks.size(), std::size_t{2});
        std::vector<int> picked;
        for (std::size_t step = 0; step < 2; ++step) {
            const auto s = measureLayerSimilarity(*flagged.model, docs, {}, nullJobContext());
            int best = -1;
            double bestValue = 0;
            for (const auto& l : s.layers) {
                if (std::find(picked.begin(), picked.end(), l.layer) != picked.end())
                    continue;
                if (best < 0 || 1.0 - l.attention < bestValue) {
                    best = l.layer;
                    bestValue = 1.0 - l.attention;
                }
            }
            QCOMPARE(r.picks[step].layer, best);
            ANATOMIST_COMPARE_NEAR(r.picks[step].importance, bestValue, 1e-12, "attention pick");
            picked.push_back(best);
            flagged.model->layer(best).attentionBypassed = true;
        }
        // The base model's flags were never touched.
        for (int l = 0; l < base.model->numLayers(); ++l)
            QVERIFY(!base.model->layer(l).attentionBypassed);
    }

    void cliPrintsThePicks() {
        ANATOMIST_REQUIRE_SHARED(kStoriesModel);
        anatomist::test::TempDir dir;
        const auto docs = anatomist::test::sharedStories(12);
        std::string text;
        for (const auto& d : docs)
            text += d + "\n\n";
        anatomist::test::writeText(dir / "text.txt", text);
        const auto run =
            anatomist::test::runCli({"select-layers", (sharedDir() / kStoriesModel).string(),
                                     "--text", (dir / "text.txt").string(), "--count", "2",
                                     "--iterative", "--protect-last", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        const auto j = run.json();
        auto base = openFolder(sharedDir() / kStoriesModel);
        LayerSelectionRequest request;
        request.selection.count = 2;
        request.selection.protectLast = true;
        request.iterative = true;
        const auto r = selectLayersByImportance(*base.model, corpus(*base.tokenizer), request,
                                                nullJobContext());
        QCOMPARE(j.at("mode").get<std::string>(), std::string("iterative"));
        QCOMPARE(j.at("picks").size(), std::size_t{2});
        QCOMPARE(j.at("steps").size(), std::size_t{2});
        for (std::size_t i = 0; i < 2; ++i) {
            QCOMPARE(j["picks"][i]["layer"].get<int>(), r.picks[i].layer);
            ANATOMIST_COMPARE_NEAR(j["picks"][i]["importance"].get<double>(), r.picks[i].importance,
                                   1e-12, "cli pick");
        }
        QCOMPARE(j["steps"][1]["layers"].size(), std::size_t(4));
        const auto bad =
            anatomist::test::runCli({"select-layers", (sharedDir() / kStoriesModel).string(),
                                     "--text", (dir / "text.txt").string(), "--count", "0"});
        QVERIFY(bad.exitCode != 0);
    }
};

QTEST_GUILESS_MAIN(TestLayerSelection)
#include "tst_layer_selection.moc"
