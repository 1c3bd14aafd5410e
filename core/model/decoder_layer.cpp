#include "decoder_layer.h"

#include "model/forward_context.h"

#include <torch/types.h>

namespace anatomist::core {

namespace {

bool canAddInPlace(bool branchHeldByTap) {
    return !branchHeldByTap && !torch::GradMode::is_enabled();
}

} // namespace

DecoderLayer::DecoderLayer(const ModelConfig& c, const ArchSpec& spec, int layer,
                           const torch::TensorOptions& options)
    : torch::nn::Module("DecoderLayer")
    , attentionBypassed(c.layer_attention_bypassed[static_cast<std::size_t>(layer)])
    , m_layer(layer) {
    const auto& n = spec.names;
    auto norm = [&](const std::string& name) {
        return register_module(
            name, std::make_shared<NormModule>(c.hidden_size, spec.norm, c.norm_eps, options));
    };
    // Registration order follows the data flow so that the module tree reads top to bottom.
    inputNorm = norm(n.inputNorm);
    attention =
        register_module(n.attention, std::make_shared<AttentionModule>(c, spec, layer, options));
    if (!n.postAttentionNorm.empty())
        postAttentionNorm = norm(n.postAttentionNorm);
    mlpNorm = norm(n.mlpNorm);
    mlp = register_module(n.mlp, std::make_shared<MlpModule>(c, spec, layer, options));
    if (!n.postFeedforwardNorm.empty())
        postFeedforwardNorm = norm(n.postFeedforwardNorm);
}

torch::Tensor DecoderLayer::forward(const torch::Tensor& xIn, ForwardContext& ctx) const {
    const auto& taps = ctx.taps;
    taps.emit(TapPoint::In, m_layer, xIn);
    torch::Tensor xMid = xIn;
    if (!attentionBypassed && !ctx.attentionBypassed(m_layer)) {
        const auto normed = inputNorm->forward(xIn);
        taps.emit(TapPoint::AttnNorm, m_layer, normed);
        auto attn = attention->forward(normed, ctx);
        if (postAttentionNorm)
            attn = postAttentionNorm->forward(attn);
        // The branch output is a fresh tensor: without autograd, and unless a tap holds it, the
        // residual add may go into it (x + y and y + x round alike).
        const bool attnHeld = !postAttentionNorm && taps.wants(TapPoint::AttnOut, m_layer);
        xMid = canAddInPlace(attnHeld) ? attn.add_(xIn) : xIn + attn;
    }
    taps.emit(TapPoint::Mid, m_layer, xMid);
    const auto normed = mlpNorm->forward(xMid);
    taps.emit(TapPoint::MlpNorm, m_layer, normed);
    auto ffn = mlp->forward(normed, ctx);
    if (postFeedforwardNorm)
        ffn = postFeedforwardNorm->forward(ffn);
    const bool ffnHeld = !postFeedforwardNorm && taps.wants(TapPoint::MlpOut, m_layer);
    auto xOut = canAddInPlace(ffnHeld) ? ffn.add_(xMid) : xMid + ffn;
    taps.emit(TapPoint::Out, m_layer, xOut);
    return xOut;
}

} // namespace anatomist::core
