#pragma once
// Activations of one component at chosen layers for one prompt (ALGORITHMS.md §3), as plain
// tokens × neurons matrices for the heatmap widgets, plus the per-layer mean |activation|.

#include "model/taps.h"
#include "tokenizer/tokenizer.h"

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;

// Row-major float matrix (plain data: widgets take it without torch).
struct FloatMatrix {
    int64_t rows = 0, cols = 0;
    std::vector<float> values;
    float at(int64_t r, int64_t c) const { return values[static_cast<std::size_t>(r * cols + c)]; }
};
FloatMatrix toFloatMatrix(const torch::Tensor& matrix); // [rows, cols], any float dtype/device
nlohmann::json toJson(const FloatMatrix& matrix);       // {rows, cols, values: [[...], ...]}

// Keeps a reference to every requested (point, layer) tensor of one forward. layers empty = all.
class TapRecorder final : public TapListener {
public:
    TapRecorder(std::vector<TapPoint> points, std::set<int> layers = {});
    TapMask tapMask() const override { return m_mask; }
    bool wantsLayer(int layer) const override { return m_layers.empty() || m_layers.count(layer); }
    void onForwardBegin(const torch::Tensor&) override { m_values.clear(); }
    void onTap(TapPoint point, int layer, const torch::Tensor& value) override;
    // [B, T, F] of the last forward; undefined when not recorded.
    torch::Tensor value(TapPoint point, int layer) const;

private:
    TapMask m_mask = 0;
    std::set<int> m_layers;
    std::map<std::pair<int, int>, torch::Tensor> m_values;
};

// Components an analysis may capture: attn_norm, attn_out, mlp_out, gate, up, act, out (and the
// other per-layer taps). InvalidArgument for an unknown or whole-model name.
TapPoint parseComponent(const std::string& name);

struct ActivationCapture {
    std::string component;
    std::vector<TokenId> ids;
    std::vector<std::string> tokens;      // one per id (filled when a tokenizer is given)
    std::vector<int> layers;              // requested layers
    std::vector<FloatMatrix> matrices;    // per requested layer: tokens × neurons
    std::vector<double> meanAbs;          // per requested layer: mean |activation|
    std::vector<double> meanAbsAllLayers; // per model layer
};

// layers empty = all. InvalidArgument for an out-of-range layer, empty ids, or a component this
// architecture does not have (gate on a plain MLP).
ActivationCapture captureActivations(CausalLM& model, const std::vector<TokenId>& ids,
                                     TapPoint component, const std::vector<int>& layers,
                                     JobContext& job, const Tokenizer* tokenizer = nullptr);

nlohmann::json toJson(const ActivationCapture& capture);

struct CaptureBench;

// captureActivations against the same forward pass without taps (issue 19: ≤ 1.2×).
CaptureBench benchActivations(CausalLM& model, const std::vector<TokenId>& ids, TapPoint component,
                              const std::vector<int>& layers, int repeats, JobContext& job);

} // namespace anatomist::core
