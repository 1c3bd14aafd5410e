#pragma once
// Layout-aware slicing of linear weights. "Outputs" are the features a layer produces (rows of an
// nn.Linear weight [out, in], columns of a GPT-2 Conv1D weight [in, out]); "inputs" the features it
// reads. Every function returns a new contiguous tensor (never a view of the source), so a variant
// never shares storage with its base. Indices are int64 positions in the original order.

#include "model/arch_spec.h"

#include <torch/types.h>
#include <vector>

namespace anatomist::core {

// Keeps the listed output features of a weight (and, with bias, of its bias [out]).
torch::Tensor keepOutputs(const torch::Tensor& weight, LinearLayout layout,
                          const std::vector<int64_t>& keep);
// Keeps the listed input features of a weight; a bias is unchanged by this.
torch::Tensor keepInputs(const torch::Tensor& weight, LinearLayout layout,
                         const std::vector<int64_t>& keep);
// A 1-D tensor (bias, norm) restricted to `keep`.
torch::Tensor keepEntries(const torch::Tensor& vector, const std::vector<int64_t>& keep);

// Feature indices of whole heads: head h covers [h·headDim, (h+1)·headDim).
std::vector<int64_t> headFeatures(const std::vector<int64_t>& heads, int64_t headDim);

// Output features of a fused q|k|v projection (GPT-2 c_attn) that keep the listed query and KV
// heads: q block [0, heads·D), k block [heads·D, heads·D + kv·D), v block after it.
std::vector<int64_t> fusedQkvFeatures(const std::vector<int64_t>& queryHeads,
                                      const std::vector<int64_t>& kvHeads, int64_t heads,
                                      int64_t kvHeadCount, int64_t headDim);

} // namespace anatomist::core
