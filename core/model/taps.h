#pragma once
// Named read points of the forward pass (ALGORITHMS.md §1). Analyses subscribe through a
// TapListener; the forward pass checks a bit mask before building anything for a tap, so a tap
// nobody listens to costs one branch. Listeners reduce inside onTap (cosine sums, maxima ...) so
// that memory stays O(layers), not O(tokens × hidden × layers).

#include <cstdint>
#include <string>
#include <torch/types.h>

namespace anatomist::core {

enum class TapPoint : uint8_t {
    // per layer
    In,       // x_in: residual stream entering the block
    AttnNorm, // input norm output
    Q,
    K,
    V,       // projections, [B, T, heads * head_dim], before q/k norm and RoPE
    AttnOut, // o_proj output (before Gemma's post-attention norm)
    Mid,     // x_mid: residual after the attention sub-block
    MlpNorm, // post-attention / pre-feedforward norm output
    Gate,    // gate projection, pre-activation
    Up,      // up projection (GPT-2: c_fc output)
    Act,     // input of down_proj (act(gate) * up, GPT-2: act(c_fc))
    MlpOut,  // down_proj output (before Gemma's post-feedforward norm)
    Out,     // x_out: residual leaving the block
    // whole model (layer = -1)
    Embed,     // embedding output (scaled for Gemma, + positions for GPT-2)
    FinalNorm, // final norm output, what the LM head sees
    Logits,
    Count
};

using TapMask = uint32_t;
constexpr TapMask tapBit(TapPoint p) {
    return TapMask{1} << static_cast<unsigned>(p);
}

// "in", "attn_norm", ... as in ALGORITHMS.md; parseTapPoint returns Count for unknown names.
const char* tapPointName(TapPoint p);
TapPoint parseTapPoint(const std::string& name);

class TapListener {
public:
    virtual ~TapListener() = default;
    virtual TapMask tapMask() const = 0;
    virtual bool wantsLayer(int layer) const { return true; }
    // Called once per forward with the [B, T] validity mask (true = real token) of the batch.
    virtual void onForwardBegin(const torch::Tensor& validMask) {}
    // value: [B, T, features]; layer is -1 for whole-model points. The tensor is only valid during
    // the call; keep a reference (it is not modified later) or reduce it.
    virtual void onTap(TapPoint point, int layer, const torch::Tensor& value) = 0;
};

} // namespace anatomist::core
