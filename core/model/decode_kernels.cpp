#include "decode_kernels.h"

#include <ATen/Parallel.h>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace anatomist::core {

namespace {

// A decode step has one row per sequence; beyond a few rows libtorch's kernels win.
constexpr int64_t kMaxRows = 8;

// Below this many weights (2 MiB) a matrix is mostly cache-resident and OpenBLAS, with its
// always-spinning threads, splits it faster than a parallel region can start.
constexpr int64_t kMinGemvWeights = int64_t{1} << 19;

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void gemvRowsAvx2(const float* weight, const float* x,
                                                      const float* bias, float* y, int64_t begin,
                                                      int64_t end, int64_t n) {
    for (int64_t r = begin; r < end; ++r) {
        const float* w = weight + r * n;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        int64_t i = 0;
        for (; i + 32 <= n; i += 32) {
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(x + i), a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 8), _mm256_loadu_ps(x + i + 8), a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 16), _mm256_loadu_ps(x + i + 16), a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 24), _mm256_loadu_ps(x + i + 24), a3);
        }
        for (; i + 8 <= n; i += 8)
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(x + i), a0);
        const __m256 s = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
        const __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
        const __m128 q = _mm_add_ps(h, _mm_movehl_ps(h, h));
        float sum = _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
        for (; i < n; ++i)
            sum += w[i] * x[i];
        y[r] = bias ? sum + bias[r] : sum;
    }
}

bool hasAvx2Fma() {
    static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return supported;
}
#endif

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

torch::Tensor decodeGemv(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias) {
#if defined(__x86_64__)
    const int64_t out = weight.size(0), in = weight.size(1);
    if (!hasAvx2Fma() || out * in < kMinGemvWeights || x.numel() != in ||
        !decodeKernelsApply(x, in) || weight.scalar_type() != torch::kFloat32 ||
        !weight.device().is_cpu() || !weight.is_contiguous() ||
        (bias.defined() && (bias.scalar_type() != torch::kFloat32 || !bias.is_contiguous())))
        return {};
    const auto input = x.contiguous();
    auto sizes = x.sizes().vec();
    sizes.back() = out;
    auto y = torch::empty(sizes, x.options());
    const float* w = weight.data_ptr<float>();
    const float* v = input.data_ptr<float>();
    const float* b = bias.defined() ? bias.data_ptr<float>() : nullptr;
    float* dst = y.data_ptr<float>();
    at::parallel_for(0, out, 64, [&](int64_t begin, int64_t end) {
        gemvRowsAvx2(w, v, b, dst, begin, end, in);
    });
    return y;
#else
    (void)x, (void)weight, (void)bias;
    return {};
#endif
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
