#pragma once
// Rotary position embeddings in Hugging Face's rotate-half layout (not GPT-J's interleaved pairs).
// ref: modeling_llama.py rotate_half / apply_rotary_pos_emb; modeling_rope_utils.py for scaling.

#include "io/model_config.h"

#include <torch/types.h>

namespace anatomist::core {

// inv_freq[i] = theta^(-2i/d), adjusted by rope scaling; computed in float64.
std::vector<double> rotaryInverseFrequencies(const RopeParams& params, int64_t headDim);

// cos/sin tables for one RopeParams, grown on demand. Not thread-safe: one per model, used by the
// thread running the forward pass.
class RotaryTable {
public:
    RotaryTable(RopeParams params, int64_t headDim);
    // positions: int64 [B, T] → cos, sin each [B, T, 1, headDim/2] in `dtype`.
    std::pair<torch::Tensor, torch::Tensor> lookup(const torch::Tensor& positions,
                                                   torch::ScalarType dtype);
    const RopeParams& params() const { return m_params; }

private:
    void ensure(int64_t positions, torch::Device device);
    RopeParams m_params;
    int64_t m_headDim;
    torch::Tensor m_cos, m_sin; // [capacity, headDim/2], float32
};

// x: [B, T, heads, D]; cos/sin: [B, T, 1, D/2]. Returns the rotated tensor.
torch::Tensor applyRotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);

} // namespace anatomist::core
