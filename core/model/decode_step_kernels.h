#pragma once
// The arithmetic of the single-token decode step (decode_step.h) on raw float32 pointers: AVX2/FMA
// loops where the CPU has them, plain loops otherwise. Torch-free. Each function does what the
// operator path's libtorch calls do, in one pass, with float32 rounding that differs only in the
// order of the sums.

#include <cstdint>

namespace anatomist::core::decode {

// y[r] = Σ_i w[r·in + i] · x[i] for r < rows (w row-major). `streamed`: the matrix is larger than
// the caches and comes from memory (the loop is chosen for that; the sums are the same either way
// up to their order).
void gemvRows(const float* w, int64_t in, const float* x, float* y, int64_t rows,
              bool streamed = false);

float dot(const float* a, const float* b, int64_t n);

// y += a · x
void axpy(float a, const float* x, float* y, int64_t n);

// x[i] = exp(x[i] - shift); returns Σ x[i] (softmax's numerators and denominator).
float expShiftedSum(float* x, int64_t n, float shift);

// h = act(g) · u (or act(g) alone when u is null); the activations of io/model_config.h's
// Activation: 0 silu, 1 gelu (tanh), 2 gelu (erf), 3 relu.
void activateMul(const float* g, const float* u, float* h, int64_t n, int activation);

// ref: LlamaRMSNorm / Gemma3RMSNorm, as rmsNormRows computes it (sum of squares in double):
// out = w · (x / rms) or (x / rms) · (1 + w).
void rmsNorm(const float* x, const float* w, int64_t n, float eps, bool offsetOne, float* out);

// Rotate-half RoPE of one head of `dim` floats in place with cos/sin rows of dim/2.
void rotate(float* head, const float* cos, const float* sin, int64_t dim);

} // namespace anatomist::core::decode
