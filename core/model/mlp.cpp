#include "mlp.h"

#include "model/forward_context.h"

#include <torch/types.h>

namespace anatomist::core {

MlpModule::MlpModule(const ModelConfig& c, const ArchSpec& spec, int layer,
                     const torch::TensorOptions& options)
    : torch::nn::Module("MLP")
    , m_layer(layer)
    , m_activation(c.hidden_act) {
    const auto& n = spec.names;
    const int64_t inner = c.layer_intermediate_sizes[static_cast<std::size_t>(layer)];
    if (spec.mlp == MlpKind::Gated)
        gate =
            register_module(n.gate, std::make_shared<LinearModule>(c.hidden_size, inner, c.mlp_bias,
                                                                   spec.linearLayout, options));
    up = register_module(n.up, std::make_shared<LinearModule>(c.hidden_size, inner, c.mlp_bias,
                                                              spec.linearLayout, options));
    down = register_module(n.down, std::make_shared<LinearModule>(inner, c.hidden_size, c.mlp_bias,
                                                                  spec.linearLayout, options));
}

void MlpModule::fuseProjections(bool copyValues) {
    if (gate)
        m_gateUpRows.fuse({gate.get(), up.get()}, copyValues);
}

torch::Tensor MlpModule::forward(const torch::Tensor& x, ForwardContext& ctx) const {
    torch::Tensor hidden;
    if (gate && m_gateUpRows.usable()) {
        const int64_t inner = up->outFeatures;
        const auto both = m_gateUpRows.forward(x);
        const auto g = both.narrow(-1, 0, inner);
        ctx.taps.emit(TapPoint::Gate, m_layer, g);
        const auto u = both.narrow(-1, inner, inner);
        ctx.taps.emit(TapPoint::Up, m_layer, u);
        hidden = applyActivation(g, m_activation) * u;
    } else if (gate) {
        const auto g = gate->forward(x);
        ctx.taps.emit(TapPoint::Gate, m_layer, g);
        const auto u = up->forward(x);
        ctx.taps.emit(TapPoint::Up, m_layer, u);
        hidden = applyActivation(g, m_activation) * u;
    } else {
        const auto u = up->forward(x);
        ctx.taps.emit(TapPoint::Up, m_layer, u);
        hidden = applyActivation(u, m_activation);
    }
    ctx.taps.emit(TapPoint::Act, m_layer, hidden);
    auto out = down->forward(hidden);
    ctx.taps.emit(TapPoint::MlpOut, m_layer, out);
    return out;
}

} // namespace anatomist::core
