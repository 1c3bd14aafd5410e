// Regression guard for decode speed, by counting work instead of timing it. The decode step
// (decode_step.h) must make no dispatcher call and no allocation per token. For the operator path
// it falls back to: the dispatcher calls our code makes per decoded token (outermost operators,
// seen through a RecordFunction callback), the CPU tensor allocations per token (through a counting
// allocator), and the matrix-vector products per token, which prove that q/k/v and gate/up each run
// as one product and that the head runs for the last position only. Also: the fused products follow
// every weight edit.

#include "eval/bench.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/kv_cache.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <ATen/record_function.h>
#include <QObject>
#include <atomic>
#include <c10/core/CPUAllocator.h>
#include <cstring>

using namespace anatomist;

namespace {

// Per-token counts of one decode step.
struct StepCounts {
    int64_t ops = 0;         // outermost dispatcher calls on the calling thread
    int64_t mv = 0;          // of which aten::mv
    int64_t allocations = 0; // CPU tensor allocations, every thread
};

thread_local bool t_counting = false;
thread_local int t_depth = 0;
StepCounts* g_counts = nullptr;
std::atomic<int64_t> g_allocations{0};

std::unique_ptr<at::ObserverContext> onOpStart(const at::RecordFunction& fn) {
    if (t_counting && t_depth++ == 0) {
        ++g_counts->ops;
        if (std::strcmp(fn.name(), "aten::mv") == 0)
            ++g_counts->mv;
    }
    return nullptr;
}

void onOpEnd(const at::RecordFunction&, at::ObserverContext*) {
    if (t_counting)
        --t_depth;
}

// Wraps the default CPU allocator and counts what passes through it.
class CountingAllocator final : public c10::Allocator {
public:
    explicit CountingAllocator(c10::Allocator* inner)
        : m_inner(inner) {}
    c10::DataPtr allocate(size_t bytes) const override {
        g_allocations.fetch_add(1, std::memory_order_relaxed);
        return m_inner->allocate(bytes);
    }
    c10::DeleterFnPtr raw_deleter() const override { return m_inner->raw_deleter(); }

private:
    c10::Allocator* m_inner;
};

torch::Tensor nextToken(const torch::Tensor& logits) {
    return logits.select(1, -1).argmax(-1).view({1, 1});
}

} // namespace

class TestDecodeOps : public QObject {
    Q_OBJECT

    core::LoadedModel m_model;

    // Counts one decode step (its inputs made outside the count) after the cache's contents.
    // allowDecodeStep false: the operator path (decode_step.h's fallback), counted as before.
    StepCounts countStep(core::KvCache& cache, torch::Tensor& next, bool allowDecodeStep,
                         std::vector<bool> skip = {}) {
        core::ForwardOptions forward;
        forward.cache = &cache;
        forward.allowDecodeStep = allowDecodeStep;
        forward.skipLayers = std::move(skip);
        StepCounts counts;
        g_counts = &counts;
        const int64_t allocationsBefore = g_allocations.load();
        t_counting = true;
        const auto logits = m_model.model->forward(next, {}, forward).logits;
        t_counting = false;
        counts.allocations = g_allocations.load() - allocationsBefore;
        next = nextToken(logits);
        return counts;
    }

private slots:
    void initTestCase() {
        static CountingAllocator counting(c10::GetCPUAllocator());
        c10::SetCPUAllocator(&counting, /*priority=*/100);
        at::addGlobalCallback(
            at::RecordFunctionCallback(onOpStart, onOpEnd).scopes({at::RecordScope::FUNCTION}));
        m_model = core::makeShapeModel("stories15m", 3); // llama-shaped, 6 layers, random weights
    }

    // The decode step (decode_step.h) makes no operator call and allocates nothing per token:
    // its buffers live with the cache and are reused while nobody holds the last logits.
    void decodeStepMakesNoOperatorCalls() {
        torch::InferenceMode inference;
        core::KvCache cache(m_model.config, 1, 64, m_model.model->options());
        core::ForwardOptions forward;
        forward.cache = &cache;
        forward.logitsFrom = 7;
        auto next =
            nextToken(m_model.model->forward(torch::arange(1, 9).view({1, 8}), {}, forward).logits);
        countStep(cache, next, true); // warm-up: the step's buffers are made once
        for (int step = 0; step < 3; ++step) {
            const StepCounts counts = countStep(cache, next, true);
            qInfo("decode step: %lld operator calls, %lld allocations",
                  static_cast<long long>(counts.ops), static_cast<long long>(counts.allocations));
            QCOMPARE(counts.ops, int64_t{0});
            QCOMPARE(counts.allocations, int64_t{0});
        }
        // Skipped layers keep it on the step too.
        std::vector<bool> skip(std::size_t(m_model.model->numLayers()), false);
        skip[2] = true;
        QCOMPARE(countStep(cache, next, true, skip).ops, int64_t{0});
    }

    void operatorPathWorkIsBounded() {
        torch::InferenceMode inference;
        const int64_t layers = m_model.model->numLayers();
        core::KvCache cache(m_model.config, 1, 64, m_model.model->options());
        core::ForwardOptions forward;
        forward.cache = &cache;
        forward.logitsFrom = 7;
        auto next =
            nextToken(m_model.model->forward(torch::arange(1, 9).view({1, 8}), {}, forward).logits);
        countStep(cache, next, false); // warm-up: tables and buffers that grow once
        const StepCounts step = countStep(cache, next, false);
        qInfo("per decode step (%lld layers): %lld operator calls, %lld aten::mv, %lld allocations",
              static_cast<long long>(layers), static_cast<long long>(step.ops),
              static_cast<long long>(step.mv), static_cast<long long>(step.allocations));
        // q/k/v as one product, o, gate/up as one, down: 4 per layer, plus the head for one row
        // (which may run in the decode GEMV kernel instead of aten::mv). Separate projections
        // took 7 per layer.
        QVERIFY2(step.mv >= 4 * layers && step.mv <= 4 * layers + 1,
                 qPrintable(QString("%1 aten::mv").arg(step.mv)));
        // Before this work (separate projections, a mask, positions and rotary lookups built per
        // token, rotary and RMSNorm as chains of small operators, matmul's reshapes) a step made
        // 80 calls per layer plus 43 and allocated 50 tensors per layer plus 36; now about 50 + 14
        // calls and 13 + 5 allocations.
        QVERIFY2(step.ops <= 56 * layers + 24,
                 qPrintable(QString("%1 operator calls").arg(step.ops)));
        QVERIFY2(step.allocations <= 16 * layers + 10,
                 qPrintable(QString("%1 allocations").arg(step.allocations)));
    }

    // The fused products are views of the parameters: in-place edits show at once, a replaced
    // parameter falls back to the separate layers, and fusing again restores the single product.
    void fusedProductsFollowWeightEdits() {
        auto& model = *m_model.model;
        const auto ids = torch::arange(5, 17).view({1, 12});
        auto separate = [&] { // grad mode: autograd needs the separate parameters
            return model.forward(ids).logits.detach();
        };
        auto fused = [&] {
            torch::InferenceMode inference;
            return model.forward(ids).logits.clone();
        };
        auto decodeMv = [&] {
            torch::InferenceMode inference;
            core::KvCache cache(m_model.config, 1, 8, model.options());
            auto next = torch::full({1, 1}, int64_t{5});
            return countStep(cache, next, false).mv;
        };
        // The decode step reads each layer's parameters where they are, fused or not.
        auto decodeAgrees = [&] {
            torch::InferenceMode inference;
            core::KvCache fastCache(m_model.config, 1, 8, model.options());
            core::KvCache slowCache(m_model.config, 1, 8, model.options());
            core::ForwardOptions fast, slow;
            fast.cache = &fastCache;
            slow.cache = &slowCache;
            slow.allowDecodeStep = false;
            torch::Tensor a, b;
            for (int64_t id : {5, 9, 13}) {
                const auto token = torch::full({1, 1}, id);
                a = model.forward(token, {}, fast).logits.clone();
                b = model.forward(token, {}, slow).logits;
            }
            return torch::allclose(a, b, 1e-4, 1e-5);
        };
        const int64_t layers = model.numLayers();
        const auto before = separate();
        QVERIFY(torch::allclose(fused(), before, 1e-5, 1e-5));
        const int64_t fusedMv = decodeMv();
        QVERIFY(fusedMv <= 4 * layers + 1);

        {
            torch::NoGradGuard noGrad;
            model.layer(1).attention->k->weight.mul_(1.5);
            model.layer(2).mlp->up->weight.mul_(0.5);
        }
        const auto edited = separate();
        QVERIFY((edited - before).abs().max().item<double>() > 1e-3);
        QVERIFY(torch::allclose(fused(), edited, 1e-5, 1e-5));
        QVERIFY(decodeAgrees());

        {
            torch::NoGradGuard noGrad;
            auto& up = model.layer(0).mlp->up->weight;
            up.set_data(up.clone().mul_(2.0));
        }
        const auto replaced = separate();
        QVERIFY((replaced - edited).abs().max().item<double>() > 1e-3);
        QVERIFY(torch::allclose(fused(), replaced, 1e-5, 1e-5));
        QCOMPARE(decodeMv(), fusedMv + 1); // layer 0's gate and up run apart
        QVERIFY(decodeAgrees());

        model.fuseProjections();
        QCOMPARE(decodeMv(), fusedMv);
        QVERIFY(torch::allclose(fused(), replaced, 1e-5, 1e-5));
    }
};

QTEST_GUILESS_MAIN(TestDecodeOps)
#include "tst_decode_ops.moc"
