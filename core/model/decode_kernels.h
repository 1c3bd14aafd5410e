#pragma once
// Plain loops for the element-wise work of decoding a few tokens in float32 on the CPU. A decode
// step is dominated by reading the weights once; around each matrix product libtorch spends a few
// microseconds per operator call (dispatch, TensorIterator set-up, allocation), and an RMSNorm or
// a rotary embedding is six or seven such calls on a few hundred floats. These do the same
// arithmetic in one pass. Batched prompts keep libtorch's vectorised, multi-threaded kernels.

#include <torch/types.h>

namespace anatomist::core {

// Whether x (with rows of rowLength elements) is small float32 CPU data without autograd, the case
// the loops below are for.
bool decodeKernelsApply(const torch::Tensor& x, int64_t rowLength);

// ref: LlamaRMSNorm / Gemma3RMSNorm: w · x / sqrt(mean(x²) + eps), with (1 + w) for offsetOne;
// the sum of squares in double (as llama.cpp's ggml_rms_norm does). x contiguous.
torch::Tensor rmsNormRows(const torch::Tensor& x, const torch::Tensor& weight, double eps,
                          bool offsetOne);

// Rotate-half RoPE in place: x [B, T, heads, D] float32 with a contiguous last dimension;
// cos/sin [1 or B, T, 1, D/2] contiguous float32. Same products and sums as applyRotary.
void applyRotaryInPlace(torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);

// y = W · x (+ bias) for one row x [.., in] and a large float32 weight [out, in] (row-major,
// contiguous), on CPUs with AVX2 and FMA; undefined (the caller uses torch::mv) otherwise. One
// pass over each weight row with four 8-wide accumulators, rows split over libtorch's threads:
// OpenBLAS 0.3.21's sgemv_t streams tall, short-row matrices (a 32000 × 288 head) at about 0.7 of
// that rate on this project's machines. Small matrices stay with OpenBLAS.
torch::Tensor decodeGemv(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias);

} // namespace anatomist::core
