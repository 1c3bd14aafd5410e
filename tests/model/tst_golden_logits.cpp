// Every architecture variant in ../shared/fixtures/arch against the golden outputs of an
// independent float64 reference written from the Hugging Face modeling files (tolerances from its
// README), plus the save → load round trip for every family.

#include "job.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model/model_saver.h"
#include "model/modules.h"
#include "model/taps.h"
#include "test_support.h"

#include <QObject>
#include <cmath>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

// Per-block cos(x_in, x_out) and ||x_out|| averaged over the tokens of a single sequence.
class BlockProbe final : public core::TapListener {
public:
    explicit BlockProbe(int layers)
        : cosines(std::size_t(layers))
        , norms(std::size_t(layers)) {}
    core::TapMask tapMask() const override {
        return core::tapBit(core::TapPoint::In) | core::tapBit(core::TapPoint::Out);
    }
    void onTap(core::TapPoint point, int layer, const torch::Tensor& value) override {
        auto v = value.to(torch::kFloat64)[0];
        if (point == core::TapPoint::In) {
            m_in = v;
            return;
        }
        cosines[std::size_t(layer)] =
            torch::cosine_similarity(m_in, v, -1, 0.0).mean().item<double>();
        norms[std::size_t(layer)] = v.norm(2, -1).mean().item<double>();
    }
    std::vector<double> cosines, norms;

private:
    torch::Tensor m_in;
};

torch::Tensor idsTensor(const nlohmann::json& ids) {
    return torch::tensor(ids.get<std::vector<int64_t>>(), torch::kInt64).view({1, -1});
}

double maxAbsDiff(const torch::Tensor& actual, const nlohmann::json& expected) {
    std::vector<double> flat;
    for (const auto& row : expected)
        for (const auto& value : row)
            flat.push_back(value.get<double>());
    auto e = torch::tensor(flat, torch::kFloat64).view(actual.sizes());
    return (actual.to(torch::kFloat64) - e).abs().max().item<double>();
}

double meanNll(const torch::Tensor& logits /*[T, V]*/, const torch::Tensor& ids /*[T]*/) {
    auto logProbs = logits.to(torch::kFloat64).log_softmax(-1);
    const int64_t n = ids.size(0) - 1;
    auto picked = logProbs.narrow(0, 0, n).gather(1, ids.narrow(0, 1, n).view({-1, 1}));
    return -picked.mean().item<double>();
}

struct Tolerance {
    double logits = 1e-4, nll = 1e-4, cos = 1e-5, rel = 1e-4;
};

void checkVariant(core::CausalLM& model, const nlohmann::json& expected, const Tolerance& tol,
                  const std::string& variant) {
    torch::InferenceMode inference;
    const auto& inputs = expected["input_ids"];

    // 7-token sequence: every logit.
    auto short7 = model.forward(idsTensor(inputs[1])).logits[0];
    const double d7 = maxAbsDiff(short7, expected["logits"]);
    ANATOMIST_COMPARE_NEAR(d7, 0.0, tol.logits,
                           variant + " logits of the 7-token sequence (max abs diff)");

    // 40-token sequence: three logit rows, NLL, per-block cosines and norms, final hidden norm.
    BlockProbe probe(model.numLayers());
    core::ForwardOptions options;
    options.taps = &probe;
    auto ids40 = idsTensor(inputs[0]);
    auto out = model.forward(ids40, {}, options);
    auto logits40 = out.logits[0];
    const auto& slices = expected["logits_slices"];
    for (std::size_t k = 0; k < slices["positions"].size(); ++k) {
        const int64_t p = slices["positions"][k].get<int64_t>();
        const double d =
            maxAbsDiff(logits40[p].view({1, -1}), nlohmann::json::array({slices["values"][k]}));
        ANATOMIST_COMPARE_NEAR(d, 0.0, tol.logits, variant + " logits row " + std::to_string(p));
    }
    ANATOMIST_COMPARE_NEAR(meanNll(logits40, ids40[0]), expected["nll"].get<double>(), tol.nll,
                           variant + " nll");
    const auto& cos = expected["hidden_states_cos"];
    const auto& norms = expected["layer_outputs_norm"];
    QCOMPARE(cos.size(), std::size_t(model.numLayers()));
    for (std::size_t l = 0; l < cos.size(); ++l) {
        ANATOMIST_COMPARE_NEAR(probe.cosines[l], cos[l].get<double>(), tol.cos,
                               variant + " block cosine of layer " + std::to_string(l));
        const double n = norms[l].get<double>();
        ANATOMIST_COMPARE_NEAR(probe.norms[l], n, tol.rel * n,
                               variant + " output norm of layer " + std::to_string(l));
    }
    const double lastNorm = out.hidden[0][-1].to(torch::kFloat64).norm().item<double>();
    const double expectedLast = expected["last_hidden_norm"].get<double>();
    ANATOMIST_COMPARE_NEAR(lastNorm, expectedLast, tol.rel * expectedLast,
                           variant + " last hidden norm");
}

} // namespace

class TestGoldenLogits : public QObject {
    Q_OBJECT

private slots:

    void variants_data() {
        QTest::addColumn<QString>("variant");
        for (const auto& v : test::architectureFixtures())
            QTest::newRow(v.c_str()) << QString::fromStdString(v);
    }

    // Weights converted to float32 on load: float32 tolerances for every variant, llama-bf16
    // included (its expected values were computed from the bf16-rounded weights).
    void variants() {
        QFETCH(QString, variant);
        const std::string name = variant.toStdString();
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/" + name + "/expected.json");
        const fs::path folder = test::sharedDir() / "fixtures/arch" / name;
        const auto expected = test::readJson(folder / "expected.json");
        auto loaded = core::loadModel(folder, {}, core::nullJobContext());
        QCOMPARE(loaded.config.model_type, expected["model_type"].get<std::string>());
        checkVariant(*loaded.model, expected, Tolerance{}, name);
    }

    // bf16 activations end to end: the loose bf16 tolerance of the README.
    void bf16Compute() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama-bf16/expected.json");
        const fs::path folder = test::sharedDir() / "fixtures/arch/llama-bf16";
        core::LoadOptions options;
        options.dtype = torch::kBFloat16;
        auto loaded = core::loadModel(folder, options, core::nullJobContext());
        QCOMPARE(loaded.model->embedding().weight.scalar_type(), torch::kBFloat16);
        checkVariant(*loaded.model, test::readJson(folder / "expected.json"),
                     Tolerance{2e-2, 2e-2, 1e-2, 2e-2}, "llama-bf16 (bf16 compute)");
    }

    void roundTrip_data() { variants_data(); }

    // load → save → load gives identical logits, and the saved folder keeps Hugging Face names.
    void roundTrip() {
        QFETCH(QString, variant);
        const std::string name = variant.toStdString();
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/" + name + "/config.json");
        const fs::path folder = test::sharedDir() / "fixtures/arch" / name;
        auto original = core::loadModel(folder, {}, core::nullJobContext());
        test::TempDir temp;
        core::SaveOptions save;
        save.dtype = torch::kFloat32;
        core::saveModel(*original.model, temp.path(), save, core::nullJobContext());
        auto reloaded = core::loadModel(temp.path(), {}, core::nullJobContext());

        const auto sourceKeys = core::SafetensorsCheckpoint::open(folder).names();
        const auto savedKeys = core::SafetensorsCheckpoint::open(temp.path()).names();
        QCOMPARE(savedKeys, sourceKeys);

        torch::InferenceMode inference;
        auto ids = idsTensor(test::readJson(folder / "expected.json")["input_ids"][0]);
        auto a = original.model->forward(ids).logits;
        auto b = reloaded.model->forward(ids).logits;
        QVERIFY(torch::equal(a, b));
    }

    // silu / gelu_new (= gelu_pytorch_tanh) against float64 values; exact-erf GELU must differ.
    void activationProbe() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/activations.json");
        const auto probe = test::readJson(test::sharedDir() / "fixtures/arch/activations.json");
        auto x = torch::tensor(probe["x"].get<std::vector<double>>(), torch::kFloat32);
        const std::pair<const char*, core::Activation> cases[] = {
            {"silu", core::Activation::Silu}, {"gelu_pytorch_tanh", core::Activation::GeluTanh}};
        for (const auto& [key, act] : cases) {
            auto y = core::applyActivation(x, act).to(torch::kFloat64);
            auto e = torch::tensor(probe[key].get<std::vector<double>>(), torch::kFloat64);
            ANATOMIST_COMPARE_NEAR((y - e).abs().max().item<double>(), 0.0, 1e-6, key);
        }
        if (probe.contains("gelu_new")) {
            auto y = core::applyActivation(x, core::Activation::GeluTanh).to(torch::kFloat64);
            auto e = torch::tensor(probe["gelu_new"].get<std::vector<double>>(), torch::kFloat64);
            ANATOMIST_COMPARE_NEAR((y - e).abs().max().item<double>(), 0.0, 1e-6, "gelu_new");
        }
    }
};

QTEST_GUILESS_MAIN(TestGoldenLogits)
#include "tst_golden_logits.moc"
