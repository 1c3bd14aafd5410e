#include "analysis/neuron_importance.h"

#include "analysis/datasets.h"
#include "errors.h"
#include "eval/token_windows.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/taps.h"

#include <chrono>
#include <nlohmann/json.hpp>

namespace anatomist::core {

namespace {

torch::Tensor asFloatRows(const torch::Tensor& t) {
    return t.to(torch::kFloat32);
}

void checkPair(const torch::Tensor& gate, const torch::Tensor& up) {
    if (gate.dim() != 2 || !gate.sizes().equals(up.sizes()))
        throw ShapeMismatch("neuron scores: gate " + formatShape(gate.sizes()) + " and up " +
                            formatShape(up.sizes()) + " must both be [I, H]");
}

// Sums act² (or act) of the down_proj input per layer over counted positions.
class ActSumAccumulator final : public TapListener {
public:
    ActSumAccumulator(int layers, bool squares, JobContext& job)
        : m_squares(squares)
        , m_job(job)
        , m_sums(static_cast<std::size_t>(layers))
        , m_rows(static_cast<std::size_t>(layers)) {}
    TapMask tapMask() const override { return tapBit(TapPoint::Act); }
    void setCountedPositions(torch::Tensor mask) { m_pending = std::move(mask); }
    void onForwardBegin(const torch::Tensor& validMask) override {
        m_mask = (m_pending.defined() ? m_pending : validMask).to(torch::kBool);
        m_pending = torch::Tensor();
        m_tokens += m_mask.sum().item<int64_t>();
    }
    void onTap(TapPoint, int layer, const torch::Tensor& value) override {
        auto x = value.to(torch::kFloat32).masked_fill(m_mask.logical_not().unsqueeze(-1), 0);
        if (m_squares)
            x = x.square();
        const auto l = static_cast<std::size_t>(layer);
        m_rows[l] = x.sum(1).to(torch::kFloat64); // [B, I] per row of the batch
        const auto total = m_rows[l].sum(0);
        m_sums[l] = m_sums[l].defined() ? m_sums[l] + total : total;
        if (m_job.isCancelled())
            throw Cancelled();
    }
    const std::vector<torch::Tensor>& sums() const { return m_sums; }
    const std::vector<torch::Tensor>& rowSums() const { return m_rows; }
    int64_t tokens() const { return m_tokens; }

private:
    bool m_squares;
    JobContext& m_job;
    std::vector<torch::Tensor> m_sums, m_rows;
    torch::Tensor m_pending, m_mask;
    int64_t m_tokens = 0;
};

} // namespace

const char* neuronScoreMethodName(NeuronScoreMethod m) {
    switch (m) {
    case NeuronScoreMethod::Ppm:
        return "ppm";
    case NeuronScoreMethod::Vow:
        return "vow";
    case NeuronScoreMethod::Pon:
        return "pon";
    case NeuronScoreMethod::L2:
        return "l2";
    case NeuronScoreMethod::Activation:
        return "activation";
    case NeuronScoreMethod::L1:
        return "l1";
    }
    return "?";
}

std::optional<NeuronScoreMethod> parseNeuronScoreMethod(const std::string& name) {
    for (auto m : {NeuronScoreMethod::Ppm, NeuronScoreMethod::Vow, NeuronScoreMethod::Pon,
                   NeuronScoreMethod::L2, NeuronScoreMethod::Activation, NeuronScoreMethod::L1})
        if (name == neuronScoreMethodName(m))
            return m;
    if (name == "maw")
        return NeuronScoreMethod::Ppm;
    return std::nullopt;
}

torch::Tensor peakToPeak(const torch::Tensor& rows) {
    const auto r = asFloatRows(rows);
    return std::get<0>(r.max(1)) + std::get<0>(r.min(1)).abs();
}

torch::Tensor ppmScores(const torch::Tensor& gate, const torch::Tensor& up) {
    checkPair(gate, up);
    return peakToPeak(gate) + peakToPeak(up);
}

torch::Tensor vowScores(const torch::Tensor& gate, const torch::Tensor& up) {
    checkPair(gate, up);
    return asFloatRows(gate).var(1, /*unbiased=*/true) + asFloatRows(up).var(1, true);
}

torch::Tensor ponScores(const torch::Tensor& gate, const torch::Tensor& up) {
    checkPair(gate, up);
    return asFloatRows(gate).abs().sum(1) * asFloatRows(up).abs().sum(1);
}

torch::Tensor l2Scores(const torch::Tensor& gate, const torch::Tensor& up) {
    checkPair(gate, up);
    return asFloatRows(gate).square().sum(1).sqrt() + asFloatRows(up).square().sum(1).sqrt();
}

torch::Tensor activationWeightedScores(const torch::Tensor& gate, const torch::Tensor& up,
                                       const torch::Tensor& down,
                                       const torch::Tensor& activationNorm) {
    checkPair(gate, up);
    if (down.dim() != 2 || down.size(1) != gate.size(0) || activationNorm.numel() != gate.size(0))
        throw ShapeMismatch("activation-weighted scores: down " + formatShape(down.sizes()) +
                            " must be [H, " + std::to_string(gate.size(0)) + "] and X has " +
                            std::to_string(activationNorm.numel()) + " entries");
    auto byMax = [](const torch::Tensor& v) {
        const double m = v.max().item<double>();
        return m > 0 ? v / m : torch::zeros_like(v);
    };
    const auto structural =
        byMax(peakToPeak(gate)) + byMax(peakToPeak(up)) + byMax(peakToPeak(down.t()));
    return structural * activationNorm.to(torch::kFloat32);
}

torch::Tensor l1Scores(const torch::Tensor& upOutIn) {
    return asFloatRows(upOutIn).abs().sum(1);
}

torch::Tensor minMaxNormalize(const torch::Tensor& values) {
    const auto v = values.to(torch::kFloat64);
    const double lo = v.min().item<double>(), hi = v.max().item<double>();
    if (hi <= lo)
        return torch::zeros_like(v);
    return (v - lo) / (hi - lo);
}

torch::Tensor fairnessScores(const torch::Tensor& bias, const torch::Tensor& ppm, double w) {
    if (bias.numel() != ppm.numel())
        throw ShapeMismatch("fairness scores: bias has " + std::to_string(bias.numel()) +
                            " neurons, PPM " + std::to_string(ppm.numel()));
    return w * minMaxNormalize(bias) + (1.0 - w) * (1.0 - minMaxNormalize(ppm));
}

ActivationNorms measureActivationNorms(CausalLM& model,
                                       const std::vector<std::vector<TokenId>>& documents,
                                       int64_t tokenBudget, JobContext& job) {
    const auto plan = planScoring(documents, model.config(), 0, 0, tokenBudget);
    const auto& windows = plan.windows;
    const auto& batches = plan.batches;
    if (windows.empty())
        throw InvalidArgument("activation norms: no document has any token");
    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    ActSumAccumulator acc(model.numLayers(), /*squares=*/true, job);
    ForwardOptions forward;
    forward.computeLogits = false;
    forward.taps = &acc;
    std::size_t done = 0;
    for (const auto& batch : batches) {
        job.throwIfCancelled();
        acc.setCountedPositions(batch.newPositions.to(device));
        model.forward(batch.ids.to(device), batch.valid.to(device), forward);
        done += batch.windows.size();
        job.setProgress(double(done) / double(windows.size()), "activations");
    }
    ActivationNorms out;
    out.tokens = acc.tokens();
    for (const auto& s : acc.sums())
        out.perLayer.push_back(s.cpu().sqrt());
    return out;
}

NeuronBias
measureNeuronBias(CausalLM& model,
                  const std::vector<std::pair<std::vector<TokenId>, std::vector<TokenId>>>& pairs,
                  JobContext& job) {
    if (pairs.empty())
        throw InvalidArgument("neuron bias: no prompt pairs");
    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    const auto L = static_cast<std::size_t>(model.numLayers());
    ActSumAccumulator acc(model.numLayers(), /*squares=*/false, job);
    ForwardOptions forward;
    forward.computeLogits = false;
    forward.taps = &acc;
    NeuronBias out;
    out.mean.resize(L);
    out.max.resize(L);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
        job.throwIfCancelled();
        const auto& [a, b] = pairs[p];
        if (a.empty() || b.empty())
            throw InvalidArgument("neuron bias: pair " + std::to_string(p) +
                                  " has an empty prompt");
        const auto batch = padSequences({a, b});
        model.forward(batch.ids.to(device), batch.valid.to(device), forward);
        const auto counts = batch.valid.sum(1).to(torch::kFloat64).unsqueeze(1).to(device);
        for (std::size_t l = 0; l < L; ++l) {
            const auto pooled = acc.rowSums()[l] / counts; // [2, I] mean over tokens
            const auto bias = (pooled[0] - pooled[1]).abs().cpu();
            out.mean[l] = out.mean[l].defined() ? out.mean[l] + bias : bias;
            out.max[l] = out.max[l].defined() ? torch::maximum(out.max[l], bias) : bias;
        }
        job.setProgress(double(p + 1) / double(pairs.size()), "pairs");
    }
    for (auto& m : out.mean)
        m = m / double(pairs.size());
    out.pairs = static_cast<int64_t>(pairs.size());
    return out;
}

NeuronImportanceResult scoreNeurons(CausalLM& model, NeuronScoreMethod method,
                                    const std::vector<std::vector<TokenId>>& documents,
                                    JobContext& job, int64_t tokenBudget) {
    const auto start = std::chrono::steady_clock::now();
    const bool gated = model.spec().mlp == MlpKind::Gated;
    if (gated && method == NeuronScoreMethod::L1)
        throw InvalidArgument("neuron scores: 'l1' is the GPT-2 score for plain MLPs; this model's "
                              "MLP is gated (use ppm, vow, pon, l2 or activation)");
    if (!gated && method != NeuronScoreMethod::L1)
        throw InvalidArgument(std::string("neuron scores: '") + neuronScoreMethodName(method) +
                              "' needs a gated (GLU) MLP; this model's MLP is plain (use l1)");
    NeuronImportanceResult result;
    result.method = neuronScoreMethodName(method);
    ActivationNorms norms;
    if (method == NeuronScoreMethod::Activation) {
        if (documents.empty())
            throw InvalidArgument("neuron scores: 'activation' needs a text (documents)");
        SubJobContext sub(job, 0, 0.9);
        norms = measureActivationNorms(model, documents, tokenBudget, sub);
        result.tokens = norms.tokens;
    }
    torch::InferenceMode inference;
    for (int l = 0; l < model.numLayers(); ++l) {
        job.throwIfCancelled();
        const auto& mlp = *model.layer(l).mlp;
        torch::Tensor scores;
        const auto up = mlp.up->weightOutIn().cpu();
        if (method == NeuronScoreMethod::L1) {
            scores = l1Scores(up);
        } else {
            const auto gate = mlp.gate->weightOutIn().cpu();
            switch (method) {
            case NeuronScoreMethod::Ppm:
                scores = ppmScores(gate, up);
                break;
            case NeuronScoreMethod::Vow:
                scores = vowScores(gate, up);
                break;
            case NeuronScoreMethod::Pon:
                scores = ponScores(gate, up);
                break;
            case NeuronScoreMethod::L2:
                scores = l2Scores(gate, up);
                break;
            default:
                scores = activationWeightedScores(gate, up, mlp.down->weightOutIn().cpu(),
                                                  norms.perLayer[static_cast<std::size_t>(l)]);
            }
        }
        scores = scores.to(torch::kFloat32).contiguous();
        result.layers.emplace_back(scores.data_ptr<float>(),
                                   scores.data_ptr<float>() + scores.numel());
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    job.setProgress(1, "scores");
    return result;
}

NeuronImportanceResult
fairnessImportance(CausalLM& model,
                   const std::vector<std::pair<std::vector<TokenId>, std::vector<TokenId>>>& pairs,
                   double w, JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    auto result = scoreNeurons(model, NeuronScoreMethod::Ppm, {}, nullJobContext());
    const auto bias = measureNeuronBias(model, pairs, job);
    for (std::size_t l = 0; l < result.layers.size(); ++l) {
        const auto ppm = torch::tensor(result.layers[l]);
        const auto f = fairnessScores(bias.mean[l], ppm, w).to(torch::kFloat32).contiguous();
        result.layers[l].assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
    }
    result.method = "fairness";
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

nlohmann::json toJson(const NeuronImportanceResult& r) {
    nlohmann::json layers = nlohmann::json::array();
    for (std::size_t l = 0; l < r.layers.size(); ++l) {
        const auto& s = r.layers[l];
        double lo = s.empty() ? 0 : s[0], hi = lo, sum = 0;
        for (float v : s) {
            lo = std::min<double>(lo, v);
            hi = std::max<double>(hi, v);
            sum += v;
        }
        layers.push_back({{"index", l},
                          {"neurons", s.size()},
                          {"min", lo},
                          {"max", hi},
                          {"mean", s.empty() ? 0.0 : sum / double(s.size())},
                          {"scores", s}});
    }
    return {{"method", r.method}, {"tokens", r.tokens}, {"seconds", r.seconds}, {"layers", layers}};
}

} // namespace anatomist::core
