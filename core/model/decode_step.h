#pragma once
// One decoded token of a Llama-structured model (Llama, Mistral, Qwen 2/3, Gemma 3: RMSNorm,
// rotary positions, gated MLP, nn.Linear weights) computed without the libtorch dispatcher: per
// layer, on buffers kept between steps, RMSNorm, one q/k/v product, q/k norms and RoPE in place,
// the token's keys and values written into the KV cache's storage, attention as plain loops over
// the cached keys and values (dot products, softmax, weighted sum), o_proj + residual, RMSNorm,
// one gate/up product, the activation, down + residual; then the final norm and the head. The
// products are split by rows (attention by heads) over libtorch's intra-op threads, entered once
// per token (decode_team.h).
//
// CausalLM::forward routes here by itself; whatever this cannot compute exactly as the operator
// path does falls back to it: autograd on, taps, LoRA, weights or cache not float32 CPU, padding,
// a batch or a chunk, GPT-2's layout. Results equal the operator path's up to float32 rounding (the
// order of the sums).

#include "model/causal_lm.h"

#include <optional>

namespace anatomist::core {

// Whether forward(ids, attentionMask, options) would run as a decode step.
bool decodeStepApplies(CausalLM& model, const torch::Tensor& ids,
                       const torch::Tensor& attentionMask, const ForwardOptions& options);

// The decode step when it applies (appending the token to options.cache); nullopt otherwise, having
// done nothing. The returned logits [1, 1, V] and hidden [1, 1, H] are buffers the cache keeps:
// a later step writes into them again only when nobody holds them any more (no tensor or view of
// them is alive), else it takes fresh ones, so holding results across steps is safe.
std::optional<ForwardOutput> tryDecodeStep(CausalLM& model, const torch::Tensor& ids,
                                           const torch::Tensor& attentionMask,
                                           const ForwardOptions& options);

} // namespace anatomist::core
