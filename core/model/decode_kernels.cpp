#include "decode_kernels.h"

#include <cmath>

namespace anatomist::core {

namespace {

// A decode step has one row per sequence; beyond a few rows libtorch's kernels win.
constexpr int64_t kMaxRows = 8;

} // namespace

bool decodeKernelsApply(const torch::Tensor& x, int64_t rowLength) {
    return x.scalar_type() == torch::kFloat32 && x.device().is_cpu() &&
           !torch::GradMode::is_enabled() && rowLength > 0 && x.numel() <= kMaxRows * rowLength;
}

torch::Tensor rmsNormRows(const torch::Tensor& x, const torch::Tensor& weight, double eps,
                          bool offsetOne) {
    const auto input = x.contiguous();
    const auto w = weight.to(torch::kFloat32).contiguous();
    auto out = torch::empty_like(input);
    const int64_t n = w.numel();
    const int64_t rows = input.numel() / n;
    const float* src = input.data_ptr<float>();
    const float* scale = w.data_ptr<float>();
    float* dst = out.data_ptr<float>();
    for (int64_t r = 0; r < rows; ++r, src += n, dst += n) {
        double sum = 0;
        for (int64_t i = 0; i < n; ++i)
            sum += double(src[i]) * double(src[i]);
        const float inv = 1.0f / std::sqrt(float(sum / double(n)) + float(eps));
        for (int64_t i = 0; i < n; ++i)
            dst[i] = offsetOne ? (src[i] * inv) * (scale[i] + 1.0f) : scale[i] * (src[i] * inv);
    }
    return out;
}

void applyRotaryInPlace(torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
    TORCH_CHECK(x.dim() == 4 && x.stride(3) == 1 && cos.is_contiguous() && sin.is_contiguous() &&
                    cos.scalar_type() == torch::kFloat32 && x.scalar_type() == torch::kFloat32,
                "applyRotaryInPlace: unexpected layout");
    const int64_t B = x.size(0), T = x.size(1), H = x.size(2), half = x.size(3) / 2;
    const bool perRow = cos.size(0) != 1;
    float* base = x.data_ptr<float>();
    const float* cosBase = cos.data_ptr<float>();
    const float* sinBase = sin.data_ptr<float>();
    for (int64_t b = 0; b < B; ++b)
        for (int64_t t = 0; t < T; ++t) {
            const int64_t table = ((perRow ? b : 0) * T + t) * half;
            const float* c = cosBase + table;
            const float* s = sinBase + table;
            for (int64_t h = 0; h < H; ++h) {
                float* x1 = base + b * x.stride(0) + t * x.stride(1) + h * x.stride(2);
                float* x2 = x1 + half;
                for (int64_t i = 0; i < half; ++i) {
                    const float a = x1[i], z = x2[i];
                    x1[i] = a * c[i] - z * s[i];
                    x2[i] = z * c[i] + a * s[i];
                }
            }
        }
}

} // namespace anatomist::core
