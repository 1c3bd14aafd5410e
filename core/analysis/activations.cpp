#include "analysis/activations.h"

#include "errors.h"
#include "eval/bench.h"
#include "job.h"
#include "model/causal_lm.h"

#include <nlohmann/json.hpp>

namespace anatomist::core {

FloatMatrix toFloatMatrix(const torch::Tensor& matrix) {
    TORCH_CHECK(matrix.dim() == 2, "toFloatMatrix needs a 2-D tensor");
    const auto m = matrix.to(torch::kFloat32).cpu().contiguous();
    FloatMatrix out;
    out.rows = m.size(0);
    out.cols = m.size(1);
    out.values.assign(m.data_ptr<float>(), m.data_ptr<float>() + m.numel());
    return out;
}

nlohmann::json toJson(const FloatMatrix& m) {
    nlohmann::json rows = nlohmann::json::array();
    for (int64_t r = 0; r < m.rows; ++r) {
        const auto begin = m.values.begin() + static_cast<std::ptrdiff_t>(r * m.cols);
        rows.push_back(std::vector<float>(begin, begin + static_cast<std::ptrdiff_t>(m.cols)));
    }
    return {{"rows", m.rows}, {"cols", m.cols}, {"values", rows}};
}

TapRecorder::TapRecorder(std::vector<TapPoint> points, std::set<int> layers)
    : m_layers(std::move(layers)) {
    for (auto p : points)
        m_mask |= tapBit(p);
}

void TapRecorder::onTap(TapPoint point, int layer, const torch::Tensor& value) {
    m_values[{static_cast<int>(point), layer}] = value;
}

torch::Tensor TapRecorder::value(TapPoint point, int layer) const {
    auto it = m_values.find({static_cast<int>(point), layer});
    return it == m_values.end() ? torch::Tensor() : it->second;
}

TapPoint parseComponent(const std::string& name) {
    const auto p = parseTapPoint(name);
    if (p == TapPoint::Count || p == TapPoint::Embed || p == TapPoint::FinalNorm ||
        p == TapPoint::Logits)
        throw InvalidArgument("unknown component '" + name +
                              "' (use attn_norm, attn_out, mlp_out, gate, up, act, out, in, mid, "
                              "mlp_norm, q, k or v)");
    return p;
}

ActivationCapture captureActivations(CausalLM& model, const std::vector<TokenId>& ids,
                                     TapPoint component, const std::vector<int>& layers,
                                     JobContext& job, const Tokenizer* tokenizer) {
    if (ids.empty())
        throw InvalidArgument("activations: the prompt has no tokens");
    const int L = model.numLayers();
    for (int l : layers)
        if (l < 0 || l >= L)
            throw InvalidArgument("activations: layer " + std::to_string(l) + " is outside 0.." +
                                  std::to_string(L - 1));
    if (component == TapPoint::Gate && model.spec().mlp != MlpKind::Gated)
        throw InvalidArgument("activations: this model's MLP has no gate (plain MLP)");
    job.throwIfCancelled();
    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    TapRecorder recorder({component});
    ForwardOptions forward;
    forward.computeLogits = false;
    forward.taps = &recorder;
    const auto idTensor =
        torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kInt64).unsqueeze(0);
    model.forward(idTensor.to(device), {}, forward);

    ActivationCapture out;
    out.component = tapPointName(component);
    out.ids = ids;
    if (tokenizer)
        for (TokenId id : ids)
            out.tokens.push_back(tokenizer->idToToken(id));
    out.layers = layers;
    if (out.layers.empty())
        for (int l = 0; l < L; ++l)
            out.layers.push_back(l);
    for (int l = 0; l < L; ++l) {
        const auto v = recorder.value(component, l);
        if (!v.defined())
            throw InvalidArgument(std::string("activations: component '") + out.component +
                                  "' is not produced by layer " + std::to_string(l));
        out.meanAbsAllLayers.push_back(v.to(torch::kFloat64).abs().mean().item<double>());
    }
    for (int l : out.layers) {
        out.matrices.push_back(toFloatMatrix(recorder.value(component, l)[0]));
        out.meanAbs.push_back(out.meanAbsAllLayers[static_cast<std::size_t>(l)]);
    }
    job.setProgress(1, "activations");
    return out;
}

nlohmann::json toJson(const ActivationCapture& c) {
    nlohmann::json layers = nlohmann::json::array();
    for (std::size_t i = 0; i < c.layers.size(); ++i)
        layers.push_back({{"index", c.layers[i]},
                          {"mean_abs", c.meanAbs[i]},
                          {"matrix", toJson(c.matrices[i])}});
    return {{"component", c.component},
            {"ids", c.ids},
            {"tokens", c.tokens},
            {"mean_abs_per_layer", c.meanAbsAllLayers},
            {"layers", layers}};
}

CaptureBench benchActivations(CausalLM& model, const std::vector<TokenId>& ids, TapPoint component,
                              const std::vector<int>& layers, int repeats, JobContext& job) {
    const auto idTensor = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kInt64)
                              .unsqueeze(0)
                              .to(model.embedding().weight.device());
    const auto forward = [&] {
        torch::InferenceMode inference;
        ForwardOptions options;
        options.computeLogits = false;
        model.forward(idTensor, {}, options);
    };
    const auto capture = [&] {
        (void)captureActivations(model, ids, component, layers, nullJobContext());
    };
    return benchAgainstForward(forward, capture, repeats, job);
}

} // namespace anatomist::core
