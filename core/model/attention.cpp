#include "attention.h"

#include "model/decode_kernels.h"
#include "model/forward_context.h"
#include "model/kv_cache.h"
#include "model/rotary.h"

#include <torch/types.h>

namespace anatomist::core {

namespace {

// Above this many score elements per chunk, queries are processed in slices so that long prompts
// do not allocate heads × T × T floats at once.
constexpr int64_t kMaxScoreElements = int64_t{1} << 24;

} // namespace

AttentionModule::AttentionModule(const ModelConfig& c, const ArchSpec& spec, int layer,
                                 const torch::TensorOptions& options)
    : torch::nn::Module("Attention")
    , m_layer(layer)
    , m_heads(c.layer_num_attention_heads[static_cast<std::size_t>(layer)])
    , m_kvHeads(c.layer_num_key_value_heads[static_cast<std::size_t>(layer)])
    , m_headDim(c.head_dim)
    , m_scale(c.attentionScale(layer))
    , m_sliding(c.layer_types[static_cast<std::size_t>(layer)] == AttentionKind::Sliding) {
    const auto& n = spec.names;
    const int64_t qOut = m_heads * m_headDim;
    const int64_t kvOut = m_kvHeads * m_headDim;
    if (spec.fusedQkv()) {
        qkv = register_module(n.qkv, std::make_shared<LinearModule>(c.hidden_size, qOut + 2 * kvOut,
                                                                    c.qkv_bias, spec.linearLayout,
                                                                    options));
    } else {
        q = register_module(n.q, std::make_shared<LinearModule>(c.hidden_size, qOut, c.qkv_bias,
                                                                spec.linearLayout, options));
        k = register_module(n.k, std::make_shared<LinearModule>(c.hidden_size, kvOut, c.qkv_bias,
                                                                spec.linearLayout, options));
        v = register_module(n.v, std::make_shared<LinearModule>(c.hidden_size, kvOut, c.qkv_bias,
                                                                spec.linearLayout, options));
    }
    o = register_module(n.o, std::make_shared<LinearModule>(qOut, c.hidden_size, c.o_bias,
                                                            spec.linearLayout, options));
    if (spec.qkNorm) {
        qNorm = register_module(
            n.qNorm, std::make_shared<NormModule>(m_headDim, spec.norm, c.norm_eps, options));
        kNorm = register_module(
            n.kNorm, std::make_shared<NormModule>(m_headDim, spec.norm, c.norm_eps, options));
    }
}

void AttentionModule::fuseProjections(bool copyValues) {
    if (!qkv)
        m_qkvRows.fuse({q.get(), k.get(), v.get()}, copyValues);
}

torch::Tensor AttentionModule::forward(const torch::Tensor& x, ForwardContext& ctx) const {
    const int64_t B = x.size(0), T = x.size(1);
    const int64_t qOut = m_heads * m_headDim, kvOut = m_kvHeads * m_headDim;
    torch::Tensor fused, qs, ks, vs;
    if (qkv) // ref: GPT2Attention.forward: query, key, value = c_attn(x).split(split_size, dim=2)
        fused = qkv->forward(x);
    else if (m_qkvRows.usable())
        fused = m_qkvRows.forward(x);
    if (fused.defined()) {
        qs = fused.narrow(-1, 0, qOut);
        ks = fused.narrow(-1, qOut, kvOut);
        vs = fused.narrow(-1, qOut + kvOut, kvOut);
    } else {
        qs = q->forward(x);
        ks = k->forward(x);
        vs = v->forward(x);
    }
    ctx.taps.emit(TapPoint::Q, m_layer, qs);
    ctx.taps.emit(TapPoint::K, m_layer, ks);
    ctx.taps.emit(TapPoint::V, m_layer, vs);

    const auto& [cos, sin] = ctx.rotary[static_cast<std::size_t>(m_layer)];
    if (fused.defined() && !qNorm && cos.defined()) {
        // q and k lie side by side in the fused output: one rotation for both heads' sets.
        auto rotated =
            fused.narrow(-1, 0, qOut + kvOut).view({B, T, m_heads + m_kvHeads, m_headDim});
        // The fused output is this call's own tensor: rotate it in place unless a tap holds q or k.
        const bool held =
            ctx.taps.wants(TapPoint::Q, m_layer) || ctx.taps.wants(TapPoint::K, m_layer);
        if (!held && decodeKernelsApply(rotated, qOut + kvOut) &&
            cos.scalar_type() == torch::kFloat32)
            applyRotaryInPlace(rotated, cos, sin);
        else
            rotated = applyRotary(rotated, cos, sin);
        qs = rotated.narrow(2, 0, m_heads);
        ks = rotated.narrow(2, m_heads, m_kvHeads);
        vs = vs.view({B, T, m_kvHeads, m_headDim});
    } else {
        qs = qs.reshape({B, T, m_heads, m_headDim});
        ks = ks.reshape({B, T, m_kvHeads, m_headDim});
        vs = vs.reshape({B, T, m_kvHeads, m_headDim});
        if (qNorm) { // ref: Qwen3Attention / Gemma3Attention: norm per head before RoPE
            qs = qNorm->forward(qs);
            ks = kNorm->forward(ks);
        }
        if (cos.defined()) {
            qs = applyRotary(qs, cos, sin);
            ks = applyRotary(ks, cos, sin);
        }
    }
    // [B, heads, T, D]
    qs = qs.transpose(1, 2).contiguous();
    ks = ks.transpose(1, 2).contiguous();
    vs = vs.transpose(1, 2).contiguous();
    if (ctx.cache)
        std::tie(ks, vs) = ctx.cache->append(m_layer, ks, vs);

    const auto& mask = m_sliding ? ctx.slidingMask : ctx.fullMask;
    const int64_t Tk = ks.size(2);
    const int64_t perQuery = B * m_heads * Tk;
    const int64_t chunk = std::max<int64_t>(1, kMaxScoreElements / std::max<int64_t>(perQuery, 1));
    torch::Tensor out;
    if (chunk >= T) {
        out = attend(qs, ks, vs, mask);
    } else {
        std::vector<torch::Tensor> pieces;
        for (int64_t start = 0; start < T; start += chunk) {
            const int64_t len = std::min(chunk, T - start);
            pieces.push_back(attend(qs.narrow(2, start, len), ks, vs,
                                    mask.defined() ? mask.narrow(1, start, len) : mask));
        }
        out = torch::cat(pieces, 2);
    }
    // [B, heads, T, D] → [B, T, heads * D]
    out = out.transpose(1, 2).reshape({B, T, m_heads * m_headDim});
    auto projected = o->forward(out);
    ctx.taps.emit(TapPoint::AttnOut, m_layer, projected);
    return projected;
}

torch::Tensor AttentionModule::attend(const torch::Tensor& q, const torch::Tensor& k,
                                      const torch::Tensor& v, const torch::Tensor& mask) const {
    // Grouped-query attention without copying keys: query head h uses kv head h / group
    // (ref: repeat_kv), so the group's queries are stacked as extra rows of one matmul.
    const int64_t B = q.size(0), T = q.size(2), Tk = k.size(2);
    const int64_t group = m_heads / m_kvHeads;
    const auto qg = q.contiguous().view({B * m_kvHeads, group * T, m_headDim});
    // The cache's views merge their two leading dimensions without a copy.
    const auto kg = k.reshape({B * m_kvHeads, Tk, m_headDim});
    const auto vg = v.reshape({B * m_kvHeads, Tk, m_headDim});
    auto scores = torch::bmm(qg, kg.transpose(1, 2)); // [B·kv, group·T, Tk]
    scores.mul_(m_scale);
    if (mask.defined())
        scores.view({B, m_kvHeads, group, T, Tk}).add_(mask.unsqueeze(1).unsqueeze(1));
    // ref: eager_attention_forward: softmax in float32
    auto probs = scores.scalar_type() == torch::kFloat32
                     ? torch::softmax(scores, -1)
                     : torch::softmax(scores, -1, torch::kFloat32).to(scores.scalar_type());
    return torch::bmm(probs, vg).view({B, m_heads, T, m_headDim});
}

} // namespace anatomist::core
