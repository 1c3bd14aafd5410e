#include "rotary.h"

#include <cmath>
#include <numbers>
#include <torch/types.h>

namespace anatomist::core {

std::vector<double> rotaryInverseFrequencies(const RopeParams& params, int64_t headDim) {
    std::vector<double> inv(static_cast<std::size_t>(headDim / 2));
    for (std::size_t i = 0; i < inv.size(); ++i)
        inv[i] =
            1.0 / std::pow(params.theta, static_cast<double>(2 * i) / static_cast<double>(headDim));
    if (!params.scaling)
        return inv;
    const RopeScaling& s = *params.scaling;
    if (s.rope_type == "linear") {
        for (double& f : inv)
            f /= s.factor; // ref: _compute_linear_scaling_rope_parameters
    } else if (s.rope_type == "llama3") {
        // ref: modeling_rope_utils.py _compute_llama3_parameters
        const double oldContext = static_cast<double>(s.original_max_position_embeddings);
        const double lowWavelen = oldContext / s.low_freq_factor;
        const double highWavelen = oldContext / s.high_freq_factor;
        for (double& f : inv) {
            const double wavelen = 2.0 * std::numbers::pi / f;
            if (wavelen > lowWavelen) {
                f /= s.factor;
            } else if (wavelen >= highWavelen) {
                const double smooth = (oldContext / wavelen - s.low_freq_factor) /
                                      (s.high_freq_factor - s.low_freq_factor);
                f = (1.0 - smooth) * f / s.factor + smooth * f;
            }
        }
    }
    return inv;
}

RotaryTable::RotaryTable(RopeParams params, int64_t headDim)
    : m_params(std::move(params))
    , m_headDim(headDim) {}

std::pair<torch::Tensor, torch::Tensor> RotaryTable::ensure(int64_t positions,
                                                            torch::Device device) {
    const std::lock_guard<std::mutex> lock(*m_mutex);
    if (m_cos.defined() && m_cos.size(0) >= positions && m_cos.device() == device)
        return {m_cos, m_sin};
    // Built outside any caller's InferenceMode, so that the tables are ordinary tensors usable by
    // later training forwards as well.
    c10::InferenceMode normalTensors(false);
    int64_t capacity = m_cos.defined() ? m_cos.size(0) : 0;
    capacity = std::max<int64_t>({positions, 2 * capacity, 256});
    const auto inv = rotaryInverseFrequencies(m_params, m_headDim);
    const auto invT = torch::tensor(inv, torch::kFloat64);
    const auto pos = torch::arange(capacity, torch::kFloat64);
    const auto angles = torch::outer(pos, invT);
    m_cos = angles.cos().to(torch::kFloat32).to(device);
    m_sin = angles.sin().to(torch::kFloat32).to(device);
    return {m_cos, m_sin};
}

std::pair<torch::Tensor, torch::Tensor> RotaryTable::lookup(const torch::Tensor& positions,
                                                            torch::ScalarType dtype) {
    const int64_t maxPos = positions.numel() ? positions.max().item<int64_t>() + 1 : 1;
    const auto [table_cos, table_sin] = ensure(maxPos, positions.device());
    const auto flat = positions.reshape({-1});
    auto shape = positions.sizes().vec();
    shape.push_back(1);
    shape.push_back(m_headDim / 2);
    auto cos = table_cos.index_select(0, flat).view(shape);
    auto sin = table_sin.index_select(0, flat).view(shape);
    if (dtype != torch::kFloat32) {
        cos = cos.to(dtype);
        sin = sin.to(dtype);
    }
    return {cos, sin};
}

std::pair<torch::Tensor, torch::Tensor>
RotaryTable::range(int64_t start, int64_t count, torch::Device device, torch::ScalarType dtype) {
    const auto [table_cos, table_sin] = ensure(start + count, device);
    const std::vector<int64_t> shape{1, count, 1, m_headDim / 2};
    auto cos = table_cos.narrow(0, start, count).view(shape);
    auto sin = table_sin.narrow(0, start, count).view(shape);
    if (dtype != torch::kFloat32) {
        cos = cos.to(dtype);
        sin = sin.to(dtype);
    }
    return {cos, sin};
}

torch::Tensor applyRotary(const torch::Tensor& x, const torch::Tensor& cos,
                          const torch::Tensor& sin) {
    const int64_t half = x.size(-1) / 2;
    const auto x1 = x.narrow(-1, 0, half);
    const auto x2 = x.narrow(-1, half, half);
    // x * cat(cos, cos) + rotate_half(x) * cat(sin, sin), with rotate_half(x) = cat(-x2, x1)
    return torch::cat({x1 * cos - x2 * sin, x2 * cos + x1 * sin}, -1);
}

} // namespace anatomist::core
