#pragma once

#include "model/fused_rows.h"
#include "model/modules.h"

#include <memory>

namespace anatomist::core {

struct ForwardContext;

// Multi-head attention with grouped-query heads: separate q/k/v projections or one fused
// projection (GPT-2's c_attn), optional per-head q/k norms, rotary or no positions, full or
// sliding-window causal masks, KV cache.
class AttentionModule : public torch::nn::Module {
public:
    AttentionModule(const ModelConfig& config, const ArchSpec& spec, int layer,
                    const torch::TensorOptions& options);

    // x: the normed input [B, T, H]; returns the o_proj output [B, T, H].
    torch::Tensor forward(const torch::Tensor& x, ForwardContext& context) const;
    // Stores q, k and v back to back so that inference runs one product for the three (see
    // FusedRows). A no-op for GPT-2's c_attn, which is fused already.
    void fuseProjections(bool copyValues = true);

    std::shared_ptr<LinearModule> q, k, v, qkv, o;
    std::shared_ptr<NormModule> qNorm, kNorm;

private:
    torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                         const torch::Tensor& mask) const;

    FusedRows m_qkvRows;
    int m_layer;
    int64_t m_heads, m_kvHeads, m_headDim;
    double m_scale;
    bool m_sliding;
};

} // namespace anatomist::core
