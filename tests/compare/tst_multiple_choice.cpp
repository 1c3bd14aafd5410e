// Multiple-choice accuracy (issue 11): the engine's batched log-likelihoods equal a separate
// one-sequence forward with log_softmax gathered here; the harness's pair encoding; acc / acc_norm
// counts on small files whose answers the test works out itself.
#include "errors.h"
#include "eval/multiple_choice.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QTest>
#include <cmath>

using namespace anatomist::core;
using anatomist::test::sharedDir;
using anatomist::test::sourceDir;

namespace {

LoadedModel open(const std::filesystem::path& folder) {
    return loadModel(folder, LoadOptions{}, nullJobContext());
}

// log p(continuation | context) by one unpadded forward of the whole sequence, in float64.
double referenceLogLikelihood(CausalLM& model, const std::vector<TokenId>& context,
                              const std::vector<TokenId>& continuation) {
    torch::InferenceMode inference;
    std::vector<int64_t> ids(context.begin(), context.end());
    ids.insert(ids.end(), continuation.begin(), continuation.end());
    const auto n = static_cast<int64_t>(ids.size());
    const auto logits =
        model.forward(torch::tensor(ids).view({1, n})).logits[0].to(torch::kFloat64);
    const auto logProbs = torch::log_softmax(logits, -1);
    double total = 0;
    for (std::size_t i = 0; i < continuation.size(); ++i) {
        const auto position = static_cast<int64_t>(context.size() + i) - 1; // predicts token at +1
        total += logProbs[position][continuation[i]].item<double>();
    }
    return total;
}

int firstMax(const std::vector<double>& v) {
    int best = 0;
    for (int i = 1; i < int(v.size()); ++i)
        if (v[std::size_t(i)] > v[std::size_t(best)])
            best = i;
    return best;
}

} // namespace

class TestMultipleChoice : public QObject {
    Q_OBJECT
private slots:
    void encodingMovesTrailingSpaces() {
        auto demo = open(sourceDir() / "resources/demo/model");
        const auto& tok = *demo.tokenizer;
        const auto r = encodeContinuation(tok, "One morning, Sam went to the ", "market.");
        // The context loses its space, the continuation gains it.
        auto context = tok.encodeIds("One morning, Sam went to the", false);
        context.insert(context.begin(), *tok.bosId());
        QCOMPARE(r.context, context);
        const auto whole = tok.encodeIds("One morning, Sam went to the market.", false);
        const std::vector<TokenId> tail(whole.begin() + std::ptrdiff_t(context.size() - 1),
                                        whole.end());
        QCOMPARE(r.continuation, tail);
        // Same split with the space written on the choice instead.
        const auto same = encodeContinuation(tok, "One morning, Sam went to the", " market.");
        QCOMPARE(same.context, r.context);
        QCOMPARE(same.continuation, r.continuation);
    }

    void logLikelihoodsEqualASeparateForward_data() {
        QTest::addColumn<QString>("folder");
        QTest::newRow("demo") << QString::fromStdString(
            (sourceDir() / "resources/demo/model").string());
        QTest::newRow("stories260K")
            << QString::fromStdString((sharedDir() / "models/stories260K").string());
    }
    void logLikelihoodsEqualASeparateForward() {
        QFETCH(QString, folder);
        if (folder.contains("stories260K"))
            ANATOMIST_REQUIRE_SHARED("models/stories260K");
        auto loaded = open(folder.toStdString());
        const auto items = readMultipleChoiceTasks(sourceDir() / "resources/demo/tasks.jsonl");
        QCOMPARE(items.size(), std::size_t{40});
        std::vector<ContinuationRequest> requests;
        for (std::size_t i = 0; i < 8; ++i)
            for (const auto& c : items[i].choices)
                requests.push_back(encodeContinuation(*loaded.tokenizer, items[i].context, c));
        ScoringOptions options;
        options.tokenBudget = 256; // several padded batches of different lengths
        const auto scores = scoreContinuations(*loaded.model, requests, options, nullJobContext());
        QCOMPARE(scores.size(), requests.size());
        for (std::size_t r = 0; r < requests.size(); ++r) {
            QCOMPARE(scores[r].tokens, int64_t(requests[r].continuation.size()));
            const double expected = referenceLogLikelihood(*loaded.model, requests[r].context,
                                                           requests[r].continuation);
            ANATOMIST_COMPARE_NEAR(scores[r].logLikelihood, expected,
                                   1e-4 * std::max(1.0, std::abs(expected)),
                                   "request " + std::to_string(r));
        }
    }

    void accuracyCountsOnAThreeItemFile() {
        auto demo = open(sourceDir() / "resources/demo/model");
        // Item 2's label points at the nonsense choice on purpose; item 3's short choice wins raw
        // but the long one may win per character: the test computes every expected count itself.
        const std::string content =
            R"({"context": "One morning, Sam went to the", "choices": [" market.", " zzqx vvk."], "label": 0})"
            "\n"
            R"({"query": "He went home and told his mother", "choices": [" everything.", " qq"], "gold": 1})"
            "\n\n"
            R"({"context": "Then he met a", "choices": [" cat.", " brave little mouse."], "label": 1})"
            "\n";
        anatomist::test::TempDir dir;
        anatomist::test::writeText(dir / "three.jsonl", content);
        const auto items = readMultipleChoiceTasks(dir / "three.jsonl");
        QCOMPARE(items.size(), std::size_t{3});
        QCOMPARE(items[1].label, 1);
        const auto result =
            evaluateMultipleChoice(*demo.model, *demo.tokenizer, items, {}, nullJobContext());
        int64_t correct = 0, correctNorm = 0;
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::vector<double> raw, norm;
            for (const auto& c : items[i].choices) {
                const auto q = encodeContinuation(*demo.tokenizer, items[i].context, c);
                raw.push_back(referenceLogLikelihood(*demo.model, q.context, q.continuation));
                norm.push_back(raw.back() / double(c.size())); // ASCII: characters = bytes
            }
            QCOMPARE(result.details[i].predicted, firstMax(raw));
            QCOMPARE(result.details[i].predictedNorm, firstMax(norm));
            correct += firstMax(raw) == items[i].label;
            correctNorm += firstMax(norm) == items[i].label;
        }
        // The demo model knows its stories: item 1 right, item 2 wrong by construction.
        QCOMPARE(result.details[0].predicted, 0);
        QCOMPARE(result.details[1].predicted, 0);
        QCOMPARE(result.correct, correct);
        QCOMPARE(result.correctNorm, correctNorm);
        QCOMPARE(result.items, int64_t{3});
        QCOMPARE(result.acc, double(correct) / 3.0);
        QCOMPARE(result.accNorm, double(correctNorm) / 3.0);
        ANATOMIST_COMPARE_NEAR(result.accStderr, std::sqrt(result.acc * (1 - result.acc) / 2.0),
                               1e-12, "stderr");
    }

    void badFilesNameTheLine() {
        auto expectError = [](const std::string& content, const std::string& fragment) {
            try {
                parseMultipleChoiceJsonl(content, "t.jsonl");
                QFAIL("no error");
            } catch (const FormatError& e) {
                QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
            }
        };
        expectError("{\"context\": \"a\", \"choices\": [\"x\", \"y\"], \"label\": 2}\n",
                    "t.jsonl:1: label 2");
        expectError("\n{\"context\": \"a\", \"choices\": [\"x\"], \"label\": 0}\n",
                    "t.jsonl:2: needs at least two");
        expectError("{\"choices\": [\"x\", \"y\"], \"label\": 0}", "\"context\"");
        expectError("{\"context\": \"a\", \"choices\": [\"x\", 3], \"label\": 0}",
                    "must be a string");
        expectError("{\"context\": \"a\", \"choices\": [\"x\", \"y\"]}", "\"label\"");
        expectError("not json", "t.jsonl:1: not valid JSON");
        expectError("\n\n", "contains no items");
    }

    void argmaxAndLengths() {
        QCOMPARE(argmaxFirst({-3.0, -1.0, -1.0}), 1); // first of equal maxima, like numpy
        QCOMPARE(codePointLength("abc"), int64_t{3});
        QCOMPARE(codePointLength("caf\xc3\xa9"), int64_t{4}); // Python's len("café")
    }

    void cliReportsTheSameAccuracy() {
        auto demo = open(sourceDir() / "resources/demo/model");
        const auto file = sourceDir() / "resources/demo/tasks.jsonl";
        const auto expected = evaluateMultipleChoice(
            *demo.model, *demo.tokenizer, readMultipleChoiceTasks(file), {}, nullJobContext());
        const auto run =
            anatomist::test::runCli({"eval", (sourceDir() / "resources/demo/model").string(),
                                     "--tasks", file.string(), "--json", "--details"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        const auto j = run.json();
        QCOMPARE(j.at("items").get<int64_t>(), int64_t{40});
        QCOMPARE(j.at("correct").get<int64_t>(), expected.correct);
        QCOMPARE(j.at("correct_norm").get<int64_t>(), expected.correctNorm);
        QCOMPARE(j.at("details").size(), std::size_t{40});
        // The demo model was trained on this domain: far above the 25 % of chance.
        QVERIFY2(expected.acc > 0.6, qPrintable(QString::number(expected.acc)));
        const auto both =
            anatomist::test::runCli({"eval", (sourceDir() / "resources/demo/model").string(),
                                     "--tasks", file.string(), "--text", file.string()});
        QVERIFY(both.exitCode != 0);
    }
};

QTEST_GUILESS_MAIN(TestMultipleChoice)
#include "tst_multiple_choice.moc"
