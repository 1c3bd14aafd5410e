#pragma once

#include "model/attention.h"
#include "model/mlp.h"

namespace anatomist::core {

// One pre-norm decoder block:
//   x_mid = x_in + [post_attn_norm](attention(input_norm(x_in)))
//   x_out = x_mid + [post_ffn_norm](mlp(mlp_norm(x_mid)))
// With the attention bypassed, x_mid = x_in and nothing of the attention is computed
// (ALGORITHMS.md §7: a true skip, not the normed input).
class DecoderLayer : public torch::nn::Module {
public:
    DecoderLayer(const ModelConfig& config, const ArchSpec& spec, int layer,
                 const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x, ForwardContext& context) const;

    std::shared_ptr<NormModule> inputNorm, postAttentionNorm, mlpNorm, postFeedforwardNorm;
    std::shared_ptr<AttentionModule> attention;
    std::shared_ptr<MlpModule> mlp;
    // From config.layer_attention_bypassed. The attention's weights still exist (a bypassed layer
    // exports with a zeroed o_proj so stock loaders match), they are just never used.
    bool attentionBypassed = false;

private:
    int m_layer;
};

} // namespace anatomist::core
