// Selection helpers of layer similarity (ALGORITHMS.md §2) and the JSON round trip.
#include "analysis/layer_similarity.h"
#include "errors.h"
#include "job.h"

#include <QTest>
#include <nlohmann/json.hpp>

using namespace anatomist::core;

class TestAnalysisSelection : public QObject {
    Q_OBJECT
private slots:
    void removalOrderSortsLowestFirst() {
        QCOMPARE(removalOrder({0.3, 0.1, 0.2, 0.1}), (std::vector<int>{1, 3, 2, 0}));
    }
    void selectRespectsProtection() {
        const std::vector<double> imp{0.05, 0.4, 0.1, 0.2, 0.01};
        LayerSelectionOptions o;
        o.count = 2;
        QCOMPARE(selectLayers(imp, o), (std::vector<int>{4, 0}));
        o.protectFirst = 1;
        o.protectLast = true;
        QCOMPARE(selectLayers(imp, o), (std::vector<int>{2, 3}));
        o.noAdjacent = true;
        QCOMPARE(selectLayers(imp, o), (std::vector<int>{2}));
        o.count = 5;
        QCOMPARE(selectLayers(imp, o), (std::vector<int>{2}));
    }
    void iterativeRemeasures() {
        // After removing layer 2, layer 3 becomes the most important; the one-shot order would
        // pick 2 then 3.
        int calls = 0;
        auto measure = [&](const std::vector<int>& removed) {
            ++calls;
            if (removed.empty())
                return std::vector<double>{0.5, 0.4, 0.1, 0.2};
            return std::vector<double>{0.5, 0.3, 0.0, 0.9};
        };
        LayerSelectionOptions o;
        o.count = 2;
        QCOMPARE(selectLayersIterative(4, o, measure, nullJobContext()), (std::vector<int>{2, 1}));
        QCOMPARE(calls, 2);
        QCOMPARE(selectLayers({0.5, 0.4, 0.1, 0.2}, o), (std::vector<int>{2, 3}));
    }
    void iterativeStopsOnCancel() {
        CallbackJobContext job;
        job.cancel();
        LayerSelectionOptions o;
        o.count = 2;
        QVERIFY_THROWS_EXCEPTION(
            Cancelled,
            selectLayersIterative(
                3, o, [](const std::vector<int>&) { return std::vector<double>(3, 0.0); }, job));
    }
    void jsonRoundTrip() {
        SimilarityResult r;
        r.dataset = "a.txt";
        r.documents = 3;
        r.tokens = 120;
        r.layers = {{0, 0.9, 0.95, 0.97, 0.1}, {1, 0.8, 0.85, 0.9, 0.2}};
        r.removalOrder = {0, 1};
        r.angular = {{1, {0.1, 0.2}, 0}};
        r.seconds = 1.5;
        const auto back = similarityFromJson(nlohmann::json::parse(toJson(r).dump()));
        QCOMPARE(back.dataset, r.dataset);
        QCOMPARE(back.tokens, r.tokens);
        QCOMPARE(back.layers.size(), std::size_t{2});
        QCOMPARE(back.layers[1].mlp, 0.9);
        QCOMPARE(back.layers[1].importance, 0.2);
        QCOMPARE(back.removalOrder, r.removalOrder);
        QCOMPARE(back.angular[0].distance[1], 0.2);
        QVERIFY_THROWS_EXCEPTION(FormatError, similarityFromJson(nlohmann::json{{"layers", 3}}));
    }
};

QTEST_GUILESS_MAIN(TestAnalysisSelection)
#include "tst_analysis_selection.moc"
