#include "decode_step_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace anatomist::core::decode {

namespace {

#if defined(__x86_64__)
bool hasAvx2Fma() {
    static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return supported;
}

#define ANATOMIST_AVX2 __attribute__((target("avx2,fma")))

ANATOMIST_AVX2 inline float horizontalSum(__m256 v) {
    const __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 q = _mm_add_ps(h, _mm_movehl_ps(h, h));
    return _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
}

ANATOMIST_AVX2 float dotAvx2(const float* a, const float* b, int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    }
    for (; i + 8 <= n; i += 8)
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float sum = horizontalSum(_mm256_add_ps(s0, s1));
    for (; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

// One row at a time with four accumulators, prefetching 2 KiB ahead in the weight stream: for
// matrices that come from memory, one stream per thread kept the memory busiest on the development
// machine (four interleaved row streams were slower).
ANATOMIST_AVX2 void gemvStreamAvx2(const float* w, int64_t in, const float* x, float* y,
                                   int64_t rows) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* wr = w + r * in;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        int64_t i = 0;
        for (; i + 32 <= in; i += 32) {
            _mm_prefetch(reinterpret_cast<const char*>(wr + i + 512), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char*>(wr + i + 528), _MM_HINT_T0);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + i), _mm256_loadu_ps(x + i), a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + i + 8), _mm256_loadu_ps(x + i + 8), a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + i + 16), _mm256_loadu_ps(x + i + 16), a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + i + 24), _mm256_loadu_ps(x + i + 24), a3);
        }
        for (; i + 8 <= in; i += 8)
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + i), _mm256_loadu_ps(x + i), a0);
        float sum = horizontalSum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
        for (; i < in; ++i)
            sum += wr[i] * x[i];
        y[r] = sum;
    }
}

// Four rows per pass: each x load feeds four weight streams, and eight independent accumulators
// keep the FMA pipes busy when the weights come from cache.
ANATOMIST_AVX2 void gemvAvx2(const float* w, int64_t in, const float* x, float* y, int64_t rows) {
    int64_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const float* w0 = w + r * in;
        const float* w1 = w0 + in;
        const float* w2 = w1 + in;
        const float* w3 = w2 + in;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        __m256 b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int64_t i = 0;
        for (; i + 16 <= in; i += 16) {
            const __m256 x0 = _mm256_loadu_ps(x + i), x1 = _mm256_loadu_ps(x + i + 8);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + i), x0, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + i), x0, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + i), x0, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + i), x0, a3);
            b0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + i + 8), x1, b0);
            b1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + i + 8), x1, b1);
            b2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + i + 8), x1, b2);
            b3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + i + 8), x1, b3);
        }
        for (; i + 8 <= in; i += 8) {
            const __m256 x0 = _mm256_loadu_ps(x + i);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + i), x0, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + i), x0, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + i), x0, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + i), x0, a3);
        }
        float s0 = horizontalSum(_mm256_add_ps(a0, b0)), s1 = horizontalSum(_mm256_add_ps(a1, b1));
        float s2 = horizontalSum(_mm256_add_ps(a2, b2)), s3 = horizontalSum(_mm256_add_ps(a3, b3));
        for (; i < in; ++i) {
            s0 += w0[i] * x[i];
            s1 += w1[i] * x[i];
            s2 += w2[i] * x[i];
            s3 += w3[i] * x[i];
        }
        y[r] = s0;
        y[r + 1] = s1;
        y[r + 2] = s2;
        y[r + 3] = s3;
    }
    for (; r < rows; ++r)
        y[r] = dotAvx2(w + r * in, x, in);
}

ANATOMIST_AVX2 void axpyAvx2(float a, const float* x, float* y, int64_t n) {
    const __m256 av = _mm256_set1_ps(a);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i,
                         _mm256_fmadd_ps(av, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i)
        y[i] += a * x[i];
}

// exp in the Cephes manner (as SSE/AVX "mathfun" libraries do): 2^n · p(r), r = x - n·ln2,
// relative error about 2e-7 over the range softmax and SiLU use.
ANATOMIST_AVX2 __m256 expAvx2(__m256 x) {
    x = _mm256_min_ps(x, _mm256_set1_ps(88.3762626647949f));
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.3f));
    __m256 fx = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f));
    fx = _mm256_floor_ps(fx);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), x);
    __m256 y = _mm256_set1_ps(1.9875691500E-4f);
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507E-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073E-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894E-2f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459E-1f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201E-1f));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(x, x), _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
    const __m256i n =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(n));
}

ANATOMIST_AVX2 float expShiftedSumAvx2(float* x, int64_t n, float shift) {
    const __m256 s = _mm256_set1_ps(shift);
    __m256 sum = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 e = expAvx2(_mm256_sub_ps(_mm256_loadu_ps(x + i), s));
        _mm256_storeu_ps(x + i, e);
        sum = _mm256_add_ps(sum, e);
    }
    float total = horizontalSum(sum);
    for (; i < n; ++i) {
        x[i] = std::exp(x[i] - shift);
        total += x[i];
    }
    return total;
}

// ref: torch.nn.functional.silu: x / (1 + exp(-x)), times up
ANATOMIST_AVX2 void siluMulEightAvx2(const float* g, const float* u, float* h) {
    const __m256 gv = _mm256_loadu_ps(g);
    const __m256 act = _mm256_div_ps(
        gv, _mm256_add_ps(_mm256_set1_ps(1.0f), expAvx2(_mm256_sub_ps(_mm256_setzero_ps(), gv))));
    _mm256_storeu_ps(h, u ? _mm256_mul_ps(act, _mm256_loadu_ps(u)) : act);
}

ANATOMIST_AVX2 int64_t siluMulAvx2(const float* g, const float* u, float* h, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        siluMulEightAvx2(g + i, u ? u + i : nullptr, h + i);
    // The last few through the same vector code: a neuron's value must not depend on where a
    // thread's piece of rows ends (one and two threads give bit-identical results).
    if (i < n) {
        alignas(32) float gt[8] = {}, ut[8] = {}, ht[8];
        const auto rest = std::size_t(n - i);
        std::memcpy(gt, g + i, rest * sizeof(float));
        if (u)
            std::memcpy(ut, u + i, rest * sizeof(float));
        siluMulEightAvx2(gt, u ? ut : nullptr, ht);
        std::memcpy(h + i, ht, rest * sizeof(float));
        i = n;
    }
    return i;
}
#endif

float dotScalar(const float* a, const float* b, int64_t n) {
    float sum = 0;
    for (int64_t i = 0; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

float activate(float x, int activation) {
    switch (activation) {
    case 0: // silu
        return x / (1.0f + std::exp(-x));
    case 1: { // ref: gelu_pytorch_tanh: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x³)))
        constexpr float kBeta = 0.7978845608028654f, kKappa = 0.044715f;
        return 0.5f * x * (1.0f + std::tanh(kBeta * (x + kKappa * x * x * x)));
    }
    case 2: // ref: gelu (erf): 0.5 x (1 + erf(x / sqrt 2))
        return 0.5f * x * (1.0f + std::erf(x * 0.7071067811865476f));
    default:
        return x > 0 ? x : 0.0f;
    }
}

} // namespace

void gemvRows(const float* w, int64_t in, const float* x, float* y, int64_t rows, bool streamed) {
#if defined(__x86_64__)
    if (hasAvx2Fma())
        return streamed ? gemvStreamAvx2(w, in, x, y, rows) : gemvAvx2(w, in, x, y, rows);
#endif
    for (int64_t r = 0; r < rows; ++r)
        y[r] = dotScalar(w + r * in, x, in);
}

float dot(const float* a, const float* b, int64_t n) {
#if defined(__x86_64__)
    if (hasAvx2Fma())
        return dotAvx2(a, b, n);
#endif
    return dotScalar(a, b, n);
}

void axpy(float a, const float* x, float* y, int64_t n) {
#if defined(__x86_64__)
    if (hasAvx2Fma())
        return axpyAvx2(a, x, y, n);
#endif
    for (int64_t i = 0; i < n; ++i)
        y[i] += a * x[i];
}

float expShiftedSum(float* x, int64_t n, float shift) {
#if defined(__x86_64__)
    if (hasAvx2Fma())
        return expShiftedSumAvx2(x, n, shift);
#endif
    float total = 0;
    for (int64_t i = 0; i < n; ++i) {
        x[i] = std::exp(x[i] - shift);
        total += x[i];
    }
    return total;
}

void activateMul(const float* g, const float* u, float* h, int64_t n, int activation) {
    int64_t i = 0;
#if defined(__x86_64__)
    if (activation == 0 && hasAvx2Fma())
        i = siluMulAvx2(g, u, h, n);
#endif
    for (; i < n; ++i)
        h[i] = u ? activate(g[i], activation) * u[i] : activate(g[i], activation);
}

void rmsNorm(const float* x, const float* w, int64_t n, float eps, bool offsetOne, float* out) {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i)
        sum += double(x[i]) * double(x[i]);
    const float inv = 1.0f / std::sqrt(float(sum / double(n)) + eps);
    for (int64_t i = 0; i < n; ++i)
        out[i] = offsetOne ? (x[i] * inv) * (w[i] + 1.0f) : w[i] * (x[i] * inv);
}

void rotate(float* head, const float* cos, const float* sin, int64_t dim) {
    const int64_t half = dim / 2;
    float* x2 = head + half;
    for (int64_t i = 0; i < half; ++i) {
        const float a = head[i], z = x2[i];
        head[i] = a * cos[i] - z * sin[i];
        x2[i] = z * cos[i] + a * sin[i];
    }
}

} // namespace anatomist::core::decode
