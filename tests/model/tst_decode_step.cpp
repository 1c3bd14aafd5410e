// The dispatcher-free decode step (core/model/decode_step.h) against the operator path it
// replaces: per decoded token, the logits and final hidden state of both paths, each with its own
// KV cache, after the same prompt and the same tokens (the operator path's greedy choice), for
// 70 tokens (past every sliding window of the fixtures), with 1 and 2 threads; and the cases that
// must fall back (autograd, LoRA, taps, padding, GPT-2) give the operator path's results.

#include "distill/lora.h"
#include "eval/bench.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/decode_step.h"
#include "model/kv_cache.h"
#include "model/model_loader.h"
#include "model/taps.h"
#include "test_support.h"

#include <QObject>

using namespace anatomist;

namespace {

constexpr int kSteps = 70;
// Relative to the largest magnitude: float32 sums in another order over a few hundred terms.
constexpr double kRelative = 1e-5;

double relativeError(const torch::Tensor& actual, const torch::Tensor& expected) {
    const double scale = expected.abs().max().item<double>();
    return (actual - expected).abs().max().item<double>() / std::max(scale, 1e-30);
}

class ThreadsGuard {
public:
    explicit ThreadsGuard(int threads)
        : m_before(torch::get_num_threads()) {
        torch::set_num_threads(threads);
    }
    ~ThreadsGuard() { torch::set_num_threads(m_before); }

private:
    int m_before;
};

core::LoadedModel loadNamed(const QString& name) {
    if (name == "stories15m")
        return core::makeShapeModel("stories15m", 11); // random weights, the bench shape
    return core::loadModel(test::sharedDir() / name.toStdString(), {}, core::nullJobContext());
}

std::vector<int64_t> promptFor(int64_t vocab) {
    std::vector<int64_t> ids;
    for (int64_t i = 0; i < 8; ++i)
        ids.push_back((1 + 37 * i) % vocab);
    return ids;
}

struct Lockstep {
    double worstLogits = 0, worstHidden = 0;
    int fastSteps = 0;
};

// The decode step's logits for a fixed token sequence after the prompt (one per step).
std::vector<torch::Tensor> fastOnly(core::CausalLM& model) {
    torch::InferenceMode inference;
    const auto& config = model.config();
    const auto prompt = promptFor(config.vocab_size);
    core::KvCache cache(config, 1, int64_t(prompt.size()) + kSteps + 1, model.options());
    core::ForwardOptions forward;
    forward.cache = &cache;
    forward.logitsFrom = int64_t(prompt.size()) - 1;
    model.forward(torch::tensor(prompt, torch::kInt64).view({1, -1}), {}, forward);
    forward.logitsFrom = 0;
    std::vector<torch::Tensor> logits;
    for (int64_t step = 0; step < kSteps; ++step) {
        const auto next = torch::full({1, 1}, (7 + 131 * step) % config.vocab_size);
        logits.push_back(model.forward(next, {}, forward).logits.clone());
    }
    return logits;
}

// Decodes kSteps tokens through both paths in lockstep, feeding both the operator path's greedy
// token.
Lockstep runLockstep(core::CausalLM& model) {
    torch::InferenceMode inference;
    const auto& config = model.config();
    const auto prompt = promptFor(config.vocab_size);
    const int64_t capacity = int64_t(prompt.size()) + kSteps + 1;
    core::KvCache fastCache(config, 1, capacity, model.options());
    core::KvCache slowCache(config, 1, capacity, model.options());
    core::ForwardOptions fast, slow;
    fast.cache = &fastCache;
    slow.cache = &slowCache;
    slow.allowDecodeStep = false;
    fast.logitsFrom = slow.logitsFrom = int64_t(prompt.size()) - 1;
    const auto ids = torch::tensor(prompt, torch::kInt64).view({1, -1});
    model.forward(ids, {}, fast);
    auto expected = model.forward(ids, {}, slow);
    fast.logitsFrom = slow.logitsFrom = 0;
    Lockstep result;
    for (int step = 0; step < kSteps; ++step) {
        const auto next = expected.logits.select(1, -1).argmax(-1).view({1, 1});
        if (core::decodeStepApplies(model, next, {}, fast))
            ++result.fastSteps;
        const auto actual = model.forward(next, {}, fast);
        expected = model.forward(next, {}, slow);
        result.worstLogits =
            std::max(result.worstLogits, relativeError(actual.logits, expected.logits));
        result.worstHidden =
            std::max(result.worstHidden, relativeError(actual.hidden, expected.hidden));
    }
    return result;
}

// A listener that wants the MLP outputs and keeps nothing.
class CountingTaps : public core::TapListener {
public:
    core::TapMask tapMask() const override { return core::tapBit(core::TapPoint::MlpOut); }
    void onTap(core::TapPoint, int, const torch::Tensor&) override { ++calls; }
    int calls = 0;
};

} // namespace

class TestDecodeStep : public QObject {
    Q_OBJECT

private slots:
    void matchesOperatorPath_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("threads");
        QTest::addColumn<bool>("fastPath");
        std::vector<std::pair<QString, bool>> models = {{"stories15m", true},
                                                        {"models/stories260K", true}};
        for (const auto& v : test::architectureFixtures())
            models.emplace_back(QString("fixtures/arch/%1").arg(QString::fromStdString(v)),
                                v != "gpt2"); // GPT-2: LayerNorm, learned positions, Conv1D
        for (const auto& [name, fastPath] : models)
            for (int threads : {1, 2})
                QTest::newRow(qPrintable(QString("%1 %2t").arg(name).arg(threads)))
                    << name << threads << fastPath;
    }

    void matchesOperatorPath() {
        QFETCH(QString, model);
        QFETCH(int, threads);
        QFETCH(bool, fastPath);
        if (model != "stories15m")
            ANATOMIST_REQUIRE_SHARED(model.toStdString() + "/config.json");
        auto loaded = loadNamed(model);
        ThreadsGuard guard(threads);
        const auto result = runLockstep(*loaded.model);
        qInfo("worst relative difference: logits %.3g, hidden %.3g", result.worstLogits,
              result.worstHidden);
        QCOMPARE(result.fastSteps, fastPath ? kSteps : 0);
        QVERIFY2(result.worstLogits <= kRelative,
                 qPrintable(QString("logits differ by %1 relative").arg(result.worstLogits)));
        QVERIFY2(result.worstHidden <= kRelative,
                 qPrintable(QString("hidden differs by %1 relative").arg(result.worstHidden)));
    }

    // Every row of a product and every head is computed by one thread with the same loop, so the
    // split changes nothing: one and two threads agree bit for bit.
    void threadCountDoesNotChangeResults() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/gemma3/config.json");
        for (const char* name : {"stories15m", "fixtures/arch/gemma3"}) {
            auto loaded = loadNamed(name);
            std::vector<torch::Tensor> one, two;
            {
                ThreadsGuard guard(1);
                one = fastOnly(*loaded.model);
            }
            {
                ThreadsGuard guard(2);
                two = fastOnly(*loaded.model);
            }
            for (int step = 0; step < kSteps; ++step)
                QVERIFY2(torch::equal(one[std::size_t(step)], two[std::size_t(step)]),
                         qPrintable(QString("%1, step %2").arg(name).arg(step)));
        }
    }

    // The step reuses its output buffers only when nobody holds them: results kept across steps
    // stay as they were.
    void heldResultsAreNotOverwritten() {
        auto loaded = core::makeShapeModel("stories15m", 5);
        auto& model = *loaded.model;
        torch::InferenceMode inference;
        core::KvCache cache(loaded.config, 1, 16, model.options());
        core::ForwardOptions forward;
        forward.cache = &cache;
        const auto first = model.forward(torch::full({1, 1}, int64_t{3}), {}, forward);
        const auto firstCopy = first.logits.clone();
        const auto row = first.logits.select(1, 0); // a view alone also holds the buffer
        const auto second = model.forward(torch::full({1, 1}, int64_t{4}), {}, forward);
        QVERIFY(torch::equal(first.logits, firstCopy));
        QVERIFY(first.logits.data_ptr() != second.logits.data_ptr());
        QVERIFY(!torch::equal(second.logits, firstCopy));
        QVERIFY(torch::equal(row, firstCopy.select(1, 0)));
    }

    void fallbacksGiveOperatorResults() {
        auto loaded = core::makeShapeModel("stories15m", 7);
        auto& model = *loaded.model;
        const auto prompt = torch::arange(1, 6).view({1, 5});
        const auto next = torch::full({1, 1}, int64_t{42});
        // One step after the prompt; `mode` sets grad mode, `allow` the decode step.
        auto step = [&](bool grad, bool allow, core::TapListener* taps, bool* applied) {
            std::optional<torch::InferenceMode> inference;
            if (!grad)
                inference.emplace();
            core::KvCache cache(loaded.config, 1, 8, model.options());
            core::ForwardOptions forward;
            forward.cache = &cache;
            forward.allowDecodeStep = allow;
            model.forward(prompt, {}, forward);
            forward.taps = taps;
            if (applied)
                *applied = core::decodeStepApplies(model, next, {}, forward);
            return model.forward(next, {}, forward).logits.detach().clone();
        };
        bool applied = false;
        const auto fast = step(false, true, nullptr, &applied);
        QVERIFY(applied);
        const auto operatorPath = step(false, false, nullptr, nullptr);
        QVERIFY(relativeError(fast, operatorPath) <= kRelative);

        // Autograd on: the operator path with the separate parameters.
        const auto withGrad = step(true, true, nullptr, &applied);
        QVERIFY(!applied);
        QVERIFY(relativeError(withGrad, operatorPath) <= kRelative);

        // Taps: the listener sees every layer's MLP output.
        CountingTaps taps;
        const auto tapped = step(false, true, &taps, &applied);
        QVERIFY(!applied);
        QCOMPARE(taps.calls, model.numLayers());
        QVERIFY(relativeError(tapped, operatorPath) <= kRelative);

        // Padding: a mask makes it a padded batch.
        {
            torch::InferenceMode inference;
            core::KvCache cache(loaded.config, 1, 8, model.options());
            core::ForwardOptions forward;
            forward.cache = &cache;
            QVERIFY(
                !core::decodeStepApplies(model, next, torch::ones({1, 1}, torch::kInt64), forward));
            QVERIFY(core::decodeStepApplies(model, next, {}, forward));
        }

        // LoRA with a non-zero B on layer 1's v: the adapter changes the logits, and the step
        // falls back to the operator path, which applies it.
        core::LoraOptions lora;
        lora.targets = {"v"};
        lora.layers = {1};
        lora.dropout = 0;
        core::attachLora(model, lora);
        {
            torch::NoGradGuard noGrad;
            model.layer(1).attention->v->loraB->weight.normal_(0.0, 0.5);
        }
        const auto adapted = step(false, true, nullptr, &applied);
        QVERIFY(!applied);
        QVERIFY(relativeError(adapted, operatorPath) > 1e-3);
        QVERIFY(torch::equal(adapted, step(false, false, nullptr, nullptr)));
    }
};

QTEST_GUILESS_MAIN(TestDecodeStep)
#include "tst_decode_step.moc"
