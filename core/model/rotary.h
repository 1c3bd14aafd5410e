#pragma once
// Rotary position embeddings in Hugging Face's rotate-half layout (not GPT-J's interleaved pairs).
// ref: modeling_llama.py rotate_half / apply_rotary_pos_emb; modeling_rope_utils.py for scaling.

#include "io/model_config.h"

#include <memory>
#include <mutex>
#include <torch/types.h>

namespace anatomist::core {

// inv_freq[i] = theta^(-2i/d), adjusted by rope scaling; computed in float64.
std::vector<double> rotaryInverseFrequencies(const RopeParams& params, int64_t headDim);

// cos/sin tables for one RopeParams, grown on demand. Thread-safe: a model may run forward passes
// on several threads at once (a distillation teacher serving while another job reads it); growing
// swaps in new tables under a mutex and lookups take their own handles.
class RotaryTable {
public:
    RotaryTable(RopeParams params, int64_t headDim);
    // positions: int64 [B, T] → cos, sin each [B, T, 1, headDim/2] in `dtype`.
    std::pair<torch::Tensor, torch::Tensor> lookup(const torch::Tensor& positions,
                                                   torch::ScalarType dtype);
    // The tables for positions start .. start + count - 1 of every row → cos, sin each
    // [1, count, 1, headDim/2] (views of the table in float32): decoding without padding needs no
    // position tensor.
    std::pair<torch::Tensor, torch::Tensor> range(int64_t start, int64_t count,
                                                  torch::Device device, torch::ScalarType dtype);
    const RopeParams& params() const { return m_params; }
    // The whole tables, cos and sin [capacity >= positions, headDim/2] float32 on `device`
    // (grown under the mutex when needed; a grown table is a new tensor, the handles stay valid).
    std::pair<torch::Tensor, torch::Tensor> tables(int64_t positions, torch::Device device) {
        return ensure(positions, device);
    }

private:
    std::pair<torch::Tensor, torch::Tensor> ensure(int64_t positions, torch::Device device);
    RopeParams m_params;
    int64_t m_headDim;
    torch::Tensor m_cos, m_sin; // [capacity, headDim/2], float32
    std::shared_ptr<std::mutex> m_mutex =
        std::make_shared<std::mutex>(); // shared: the table is movable
};

// x: [B, T, heads, D]; cos/sin: [B, T, 1, D/2]. Returns the rotated tensor.
torch::Tensor applyRotary(const torch::Tensor& x, const torch::Tensor& cos,
                          const torch::Tensor& sin);

} // namespace anatomist::core
