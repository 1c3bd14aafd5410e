#include "gguf_dequant.h"

#include "errors.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace anatomist::core {

namespace {

uint32_t bitsOf(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

float fromBits(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

uint16_t load16(const uint8_t* p) {
    return uint16_t(p[0] | (p[1] << 8));
}

// ref: ggml-common.h block sizes
constexpr int kQK = 32;   // QK4_0, QK8_0
constexpr int kQKK = 256; // QK_K

// ref: ggml-quants.c get_scale_min_k4: eight 6-bit scales and mins packed in 12 bytes.
void scaleMinK4(int j, const uint8_t* q, uint8_t& d, uint8_t& m) {
    if (j < 4) {
        d = q[j] & 63;
        m = q[j + 4] & 63;
    } else {
        d = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        m = uint8_t((q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4));
    }
}

// block_q4_0 {half d; uint8 qs[16]}
void dequantQ4_0(const uint8_t* x, float* y, int64_t blocks) {
    for (int64_t i = 0; i < blocks; ++i, x += 18, y += kQK) {
        const float d = halfToFloat(load16(x));
        const uint8_t* qs = x + 2;
        for (int j = 0; j < kQK / 2; ++j) {
            const int x0 = (qs[j] & 0x0F) - 8;
            const int x1 = (qs[j] >> 4) - 8;
            y[j] = float(x0) * d;
            y[j + kQK / 2] = float(x1) * d;
        }
    }
}

// block_q8_0 {half d; int8 qs[32]}
void dequantQ8_0(const uint8_t* x, float* y, int64_t blocks) {
    for (int64_t i = 0; i < blocks; ++i, x += 34, y += kQK) {
        const float d = halfToFloat(load16(x));
        const auto* qs = reinterpret_cast<const int8_t*>(x + 2);
        for (int j = 0; j < kQK; ++j)
            y[j] = float(qs[j]) * d;
    }
}

// block_q4_K {half d; half dmin; uint8 scales[12]; uint8 qs[128]} and
// block_q5_K {half d; half dmin; uint8 scales[12]; uint8 qh[32]; uint8 qs[128]}: the same
// sub-block scales and mins; Q5_K adds a fifth bit per element from qh.
void dequantQ4_KorQ5_K(const uint8_t* x, float* y, int64_t blocks, bool fifthBit) {
    const int64_t blockBytes = fifthBit ? 176 : 144;
    for (int64_t i = 0; i < blocks; ++i, x += blockBytes) {
        const float d = halfToFloat(load16(x));
        const float min = halfToFloat(load16(x + 2));
        const uint8_t* scales = x + 4;
        const uint8_t* qh = fifthBit ? x + 16 : nullptr;
        const uint8_t* ql = x + (fifthBit ? 48 : 16);
        int is = 0;
        uint8_t sc, m;
        uint8_t u1 = 1, u2 = 2;
        for (int j = 0; j < kQKK; j += 64) {
            scaleMinK4(is + 0, scales, sc, m);
            const float d1 = d * float(sc), m1 = min * float(m);
            scaleMinK4(is + 1, scales, sc, m);
            const float d2 = d * float(sc), m2 = min * float(m);
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * float((ql[l] & 0xF) + (qh && (qh[l] & u1) ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * float((ql[l] >> 4) + (qh && (qh[l] & u2) ? 16 : 0)) - m2;
            ql += 32;
            is += 2;
            u1 = uint8_t(u1 << 2);
            u2 = uint8_t(u2 << 2);
        }
    }
}

// block_q6_K {uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d}
void dequantQ6_K(const uint8_t* x, float* y, int64_t blocks) {
    for (int64_t i = 0; i < blocks; ++i, x += 210) {
        const float d = halfToFloat(load16(x + 208));
        const uint8_t* ql = x;
        const uint8_t* qh = x + 128;
        const auto* sc = reinterpret_cast<const int8_t*>(x + 192);
        for (int n = 0; n < kQKK; n += 128) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = int((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = int((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = int((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l + 0] = d * float(sc[is + 0]) * float(q1);
                y[l + 32] = d * float(sc[is + 2]) * float(q2);
                y[l + 64] = d * float(sc[is + 4]) * float(q3);
                y[l + 96] = d * float(sc[is + 6]) * float(q4);
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}

} // namespace

float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1F;
    uint32_t mantissa = h & 0x3FF;
    if (exponent == 0x1F) // inf / NaN
        return fromBits(sign | 0x7F800000u | (mantissa << 13));
    if (exponent != 0)
        return fromBits(sign | ((exponent + 112) << 23) | (mantissa << 13));
    if (mantissa == 0)
        return fromBits(sign);
    // Subnormal half: exact as a normal float.
    const float magnitude = std::ldexp(float(mantissa), -24);
    return sign ? -magnitude : magnitude;
}

uint16_t floatToHalf(float f) {
    const uint32_t x = bitsOf(f);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000);
    const uint32_t absBits = x & 0x7FFFFFFFu;
    if (absBits > 0x7F800000u) // NaN → quiet NaN, as ggml
        return uint16_t(sign | 0x7E00);
    if (absBits >= 0x477FF000u) // rounds to ≥ 65520: infinity
        return uint16_t(sign | 0x7C00);
    if (absBits < 0x38800000u) { // below the smallest normal half: subnormal or zero
        // value / 2^-24, rounded to nearest even by the float unit (exact multiply by 2^24).
        const float scaled = fromBits(absBits) * 16777216.0f;
        const auto m = static_cast<uint32_t>(std::nearbyint(scaled));
        return uint16_t(sign | m);
    }
    // Normal: drop 13 mantissa bits with round-to-nearest-even (may carry into the exponent).
    const uint32_t rounded = absBits + 0xFFFu + ((absBits >> 13) & 1u);
    return uint16_t(sign | (((rounded >> 13) - (112u << 10)) & 0x7FFF));
}

float bf16ToFloat(uint16_t bits) {
    return fromBits(uint32_t(bits) << 16);
}

uint16_t floatToBf16(float value) {
    const uint32_t u = bitsOf(value);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u)
        return uint16_t((u >> 16) | 64);
    return uint16_t((u + (0x7FFFu + ((u >> 16) & 1u))) >> 16);
}

void dequantize(GgmlType type, const uint8_t* src, float* dst, int64_t count) {
    const auto& traits = ggmlTraits(type);
    if (count % traits.blockSize != 0)
        throw InvalidArgument(std::string("dequantize: ") + std::to_string(count) +
                              " elements are not whole " + traits.name + " blocks");
    const int64_t blocks = count / traits.blockSize;
    switch (type) {
    case GgmlType::F32:
        std::memcpy(dst, src, std::size_t(count) * 4);
        return;
    case GgmlType::F16:
        for (int64_t k = 0; k < count; ++k)
            dst[k] = halfToFloat(load16(src + 2 * k));
        return;
    case GgmlType::BF16:
        for (int64_t k = 0; k < count; ++k)
            dst[k] = bf16ToFloat(load16(src + 2 * k));
        return;
    case GgmlType::Q4_0:
        dequantQ4_0(src, dst, blocks);
        return;
    case GgmlType::Q8_0:
        dequantQ8_0(src, dst, blocks);
        return;
    case GgmlType::Q4_K:
        dequantQ4_KorQ5_K(src, dst, blocks, false);
        return;
    case GgmlType::Q5_K:
        dequantQ4_KorQ5_K(src, dst, blocks, true);
        return;
    case GgmlType::Q6_K:
        dequantQ6_K(src, dst, blocks);
        return;
    default:
        break;
    }
    throw InvalidArgument(std::string("tensor type ") + traits.name +
                          " cannot be dequantized by Anatomist (supported: F32, F16, BF16, Q8_0, "
                          "Q4_0, Q4_K, Q5_K, Q6_K)");
}

void quantizeQ8_0(const float* x, uint8_t* y, int64_t count) {
    if (count % kQK != 0)
        throw InvalidArgument("quantizeQ8_0: " + std::to_string(count) +
                              " elements are not whole Q8_0 blocks");
    for (int64_t i = 0; i < count / kQK; ++i, x += kQK, y += 34) {
        float amax = 0.0f;
        for (int j = 0; j < kQK; ++j)
            amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        const uint16_t h = floatToHalf(d);
        y[0] = uint8_t(h & 0xFF);
        y[1] = uint8_t(h >> 8);
        for (int j = 0; j < kQK; ++j)
            y[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(std::round(x[j] * id)));
    }
}

} // namespace anatomist::core
