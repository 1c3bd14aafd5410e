#pragma once
// ggml's storage types to float32 and back, bit for bit as llama.cpp's reference code
// (ggml/src/ggml-quants.c dequantize_row_* and quantize_row_q8_0_ref, ggml-impl.h half/bf16
// conversions). Block layouts are those of ggml-common.h.

#include "io/gguf_types.h"

#include <cstdint>

namespace anatomist::core {

float halfToFloat(uint16_t bits);
uint16_t floatToHalf(float value); // round to nearest even, as ggml's
float bf16ToFloat(uint16_t bits);
uint16_t floatToBf16(float value); // ref: ggml_compute_fp32_to_bf16 (RNE, quiet NaNs)

// `count` elements of `type` (a multiple of its block size) from `src` into `dst`.
// Throws InvalidArgument for types marked not dequantizable.
void dequantize(GgmlType type, const uint8_t* src, float* dst, int64_t count);

// float32 → Q8_0 blocks (count a multiple of 32); ref: quantize_row_q8_0_ref.
void quantizeQ8_0(const float* src, uint8_t* dst, int64_t count);

} // namespace anatomist::core
