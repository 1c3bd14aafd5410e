// stories260K: removing a layer and 20 % PPM width each give the perplexity of a reference written
// here from the formulas: a plain float64 Llama forward (RMSNorm, rotate-half RoPE, GQA, SwiGLU,
// tied head) on weights read from the safetensors file and sliced in this test, not the engine's
// modules.
#include "eval/perplexity.h"
#include "io/safetensors.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/model_loader.h"
#include "prune/apply_plan.h"
#include "test_support.h"

#include <QObject>
#include <QTest>
#include <cmath>
#include <torch/torch.h>

using namespace anatomist;
using core::PruneOpKind;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kDocuments = 4;

struct RefLayer {
    torch::Tensor inNorm, q, k, v, o, postNorm, gate, up, down;
};

struct RefModel {
    torch::Tensor embed, norm;
    std::vector<RefLayer> layers;
};

RefModel readReference(const fs::path& folder) {
    const auto st = core::SafetensorsCheckpoint::open(folder);
    auto get = [&](const std::string& name) { return st.load(name, torch::kFloat64); };
    RefModel m;
    m.embed = get("model.embed_tokens.weight");
    m.norm = get("model.norm.weight");
    for (int l = 0; l < 5; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        m.layers.push_back({get(p + "input_layernorm.weight"), get(p + "self_attn.q_proj.weight"),
                            get(p + "self_attn.k_proj.weight"), get(p + "self_attn.v_proj.weight"),
                            get(p + "self_attn.o_proj.weight"),
                            get(p + "post_attention_layernorm.weight"),
                            get(p + "mlp.gate_proj.weight"), get(p + "mlp.up_proj.weight"),
                            get(p + "mlp.down_proj.weight")});
    }
    return m;
}

torch::Tensor rms(const torch::Tensor& x, const torch::Tensor& w) {
    return x / torch::sqrt(x.square().mean(-1, true) + 1e-5) * w;
}

torch::Tensor rotateHalf(const torch::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

// Summed NLL of the next-token predictions of one document (T ≤ 512: one window).
double documentNll(const RefModel& m, const std::vector<core::TokenId>& ids, int64_t& count) {
    const int64_t T = static_cast<int64_t>(ids.size()), heads = 8, kvHeads = 4, D = 8;
    const auto idx = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kInt64);
    auto x = m.embed.index_select(0, idx);
    const auto inv = 1.0 / torch::pow(10000.0, torch::arange(0, D, 2, torch::kFloat64) / double(D));
    const auto angles = torch::outer(torch::arange(T, torch::kFloat64), inv);
    const auto cos = torch::cat({angles, angles}, -1).cos().unsqueeze(1),
               sin = torch::cat({angles, angles}, -1).sin().unsqueeze(1);
    const auto causal = torch::ones({T, T}, torch::kBool).triu(1);
    for (const auto& L : m.layers) {
        const auto h = rms(x, L.inNorm);
        auto q = torch::matmul(h, L.q.t()).view({T, heads, D});
        auto k = torch::matmul(h, L.k.t()).view({T, kvHeads, D});
        const auto v = torch::matmul(h, L.v.t()).view({T, kvHeads, D});
        q = q * cos + rotateHalf(q) * sin;
        k = k * cos + rotateHalf(k) * sin;
        // Query head h reads KV head h / (heads / kvHeads) (repeat_kv).
        const auto kh = k.repeat_interleave(heads / kvHeads, 1).transpose(0, 1); // [heads, T, D]
        const auto vh = v.repeat_interleave(heads / kvHeads, 1).transpose(0, 1);
        auto scores = torch::matmul(q.transpose(0, 1), kh.transpose(1, 2)) / std::sqrt(double(D));
        scores = scores.masked_fill(causal, -INFINITY);
        const auto attn = torch::matmul(torch::softmax(scores, -1), vh); // [heads, T, D]
        x = x + torch::matmul(attn.transpose(0, 1).reshape({T, heads * D}), L.o.t());
        const auto h2 = rms(x, L.postNorm);
        x = x +
            torch::matmul(torch::silu(torch::matmul(h2, L.gate.t())) * torch::matmul(h2, L.up.t()),
                          L.down.t());
    }
    const auto logits = torch::matmul(rms(x, m.norm), m.embed.t());
    const auto logp = torch::log_softmax(logits.narrow(0, 0, T - 1), -1);
    count += T - 1;
    return -logp.gather(1, idx.narrow(0, 1, T - 1).unsqueeze(1)).sum().item<double>();
}

double referencePerplexity(const RefModel& m, const std::vector<std::vector<core::TokenId>>& docs) {
    double nll = 0;
    int64_t count = 0;
    for (const auto& d : docs)
        nll += documentNll(m, d, count);
    return std::exp(nll / double(count));
}

} // namespace

class TestPruneStories : public QObject {
    Q_OBJECT

    core::LoadedModel m_loaded;
    RefModel m_reference;
    std::vector<std::vector<core::TokenId>> m_docs;

    double enginePerplexity(core::CausalLM& model) {
        return core::evaluatePerplexity(model, m_docs, {}, core::nullJobContext()).perplexity;
    }

private slots:
    void initTestCase() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/model.safetensors");
        ANATOMIST_REQUIRE_SHARED("data/stories_a.txt");
        const auto folder = test::sharedDir() / "models/stories260K";
        m_loaded = core::loadModel(folder, {}, core::nullJobContext());
        m_reference = readReference(folder);
        auto documents =
            core::splitDocuments(core::readTextFile(test::sharedDir() / "data/stories_a.txt"));
        documents.resize(kDocuments);
        m_docs = core::tokenizeDocuments(*m_loaded.tokenizer, documents);
        for (const auto& d : m_docs)
            QVERIFY(d.size() <= 512); // one window each, as the reference assumes
        // The reference itself reproduces the unpruned engine.
        const double base = referencePerplexity(m_reference, m_docs);
        ANATOMIST_COMPARE_NEAR(enginePerplexity(*m_loaded.model), base, 1e-4 * base, "unpruned");
    }

    void removeLayer_data() {
        QTest::addColumn<int>("layer");
        for (int l = 0; l < 5; ++l)
            QTest::newRow(std::to_string(l).c_str()) << l;
    }

    void removeLayer() {
        QFETCH(int, layer);
        core::PrunePlan plan;
        plan.operations = {{.op = PruneOpKind::RemoveLayers, .layers = {layer}}};
        auto r = core::applyPlan(*m_loaded.model, plan, {}, core::nullJobContext());
        RefModel ref = m_reference;
        ref.layers.erase(ref.layers.begin() + layer);
        const double expected = referencePerplexity(ref, m_docs);
        const double actual = enginePerplexity(*r.model);
        qInfo("remove layer %d: perplexity %.5f (reference %.5f)", layer, actual, expected);
        ANATOMIST_COMPARE_NEAR(actual, expected, 1e-4 * expected,
                               "remove layer " + std::to_string(layer));
    }

    void ppmWidth20() {
        core::PrunePlan plan;
        plan.operations = {{.op = PruneOpKind::PruneMlp, .method = "ppm", .percent = 20}};
        auto r = core::applyPlan(*m_loaded.model, plan, {}, core::nullJobContext());
        QCOMPARE(r.model->config().intermediate_size, int64_t(138)); // 172 − floor(0.2 · 172)
        RefModel ref = m_reference;
        for (auto& L : ref.layers) {
            const auto ppm = std::get<0>(L.gate.max(1)) + std::get<0>(L.gate.min(1)).abs() +
                             std::get<0>(L.up.max(1)) + std::get<0>(L.up.min(1)).abs();
            // The engine scores in float32; rank in float32 too so ties resolve alike.
            const auto order = std::get<1>(
                torch::sort(ppm.to(torch::kFloat32), /*stable=*/true, 0, /*descending=*/true));
            const auto keep = std::get<0>(torch::sort(order.narrow(0, 0, 138)));
            L.gate = L.gate.index_select(0, keep);
            L.up = L.up.index_select(0, keep);
            L.down = L.down.index_select(1, keep);
        }
        const double expected = referencePerplexity(ref, m_docs);
        const double actual = enginePerplexity(*r.model);
        qInfo("20 %% PPM width: perplexity %.5f (reference %.5f)", actual, expected);
        ANATOMIST_COMPARE_NEAR(actual, expected, 1e-4 * expected, "20 % PPM");
    }
};

QTEST_GUILESS_MAIN(TestPruneStories)
#include "tst_prune_stories.moc"
