// GGUF reading and writing: typed metadata round trips, dequantisation of every supported type
// against blocks packed here from the documented layouts (ggml-common.h), half/bf16 conversions
// against torch, and malformed files refused with a message naming the file and the problem.

#include "errors.h"
#include "io/gguf_dequant.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "test_support.h"

#include <QObject>
#include <cstring>
#include <random>

using namespace anatomist;
namespace fs = std::filesystem;
using core::GgmlType;

namespace {

void put16(std::vector<uint8_t>& out, std::size_t at, uint16_t v) {
    out[at] = uint8_t(v & 0xFF);
    out[at + 1] = uint8_t(v >> 8);
}

std::vector<float> run(GgmlType type, const std::vector<uint8_t>& block, int64_t count) {
    std::vector<float> y(static_cast<std::size_t>(count));
    core::dequantize(type, block.data(), y.data(), count);
    return y;
}

// Packs eight 6-bit scales and mins the way block_q4_K / block_q5_K store them (12 bytes):
// bytes 0-3 low 6 bits of scales 0-3 (top 2 bits: scales 4-7 >> 4), bytes 4-7 the same for mins,
// bytes 8-11 low nibbles of scales 4-7 | low nibbles of mins 4-7 << 4.
void packScales(std::vector<uint8_t>& out, std::size_t at, const int sc[8], const int mn[8]) {
    for (int j = 0; j < 4; ++j) {
        out[at + j] = uint8_t((sc[j] & 63) | ((sc[j + 4] >> 4) << 6));
        out[at + j + 4] = uint8_t((mn[j] & 63) | ((mn[j + 4] >> 4) << 6));
        out[at + j + 8] = uint8_t((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
    }
}

// A valid file with a bit of everything, for the malformed-input tests to corrupt.
void writeSample(const fs::path& path) {
    core::GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setU32("sample.count", 7);
    w.setStringArray("sample.names", {"alpha", "beta"});
    std::vector<float> a(64), b(32);
    for (std::size_t i = 0; i < a.size(); ++i)
        a[i] = float(i);
    for (std::size_t i = 0; i < b.size(); ++i)
        b[i] = -float(i);
    w.addTensor("first.weight", GgmlType::F32, {16, 4},
                core::encodeTensorData(a.data(), 64, GgmlType::F32));
    w.addTensor("other.weight", GgmlType::F32, {32},
                core::encodeTensorData(b.data(), 32, GgmlType::F32));
    w.write(path);
}

std::string openError(const fs::path& path) {
    try {
        core::GgufFile::open(path);
    } catch (const core::FormatError& e) {
        return e.what();
    }
    return "(no error)";
}

// Writes the corrupted bytes to bad.gguf and checks that opening names the file and each needle.
void expectOpenError(const test::TempDir& dir, const std::string& corrupt,
                     const std::vector<const char*>& needles) {
    test::writeBytes(dir / "bad.gguf", corrupt);
    const std::string error = openError(dir / "bad.gguf");
    QVERIFY2(error.find("bad.gguf") != std::string::npos, error.c_str());
    for (const char* needle : needles)
        QVERIFY2(
            error.find(needle) != std::string::npos,
            qPrintable(
                QString("expected '%1' in: %2").arg(needle).arg(QString::fromStdString(error))));
}

void patch64(std::string& bytes, std::size_t at, uint64_t value) {
    for (int i = 0; i < 8; ++i)
        bytes[at + std::size_t(i)] = char((value >> (8 * i)) & 0xFF);
}
void patch32(std::string& bytes, std::size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i)
        bytes[at + std::size_t(i)] = char((value >> (8 * i)) & 0xFF);
}

} // namespace

class TestGguf : public QObject {
    Q_OBJECT

private slots:
    void metadataRoundTrip() {
        test::TempDir dir;
        core::GgufWriter w(64);
        w.setU32("a.u32", 4000000000u);
        w.setI32("a.i32", -5);
        w.setF32("a.f32", 0.25f);
        w.setBool("a.bool", true);
        w.setString("a.string", "h\xC3\xA9llo");
        w.setStringArray("a.strings", {"x", "", "zz"});
        w.setF32Array("a.floats", {1.5f, -2.0f});
        w.setI32Array("a.ints", {3, -4, 5});
        w.setBoolArray("a.bools", {true, false});
        w.setU32("a.u32", 12); // replaces
        const std::vector<float> values{1, 2, 3, 4, 5, 6, 7, 8};
        w.addTensor("t", GgmlType::F32, {4, 2},
                    core::encodeTensorData(values.data(), 8, GgmlType::F32));
        w.write(dir / "m.gguf");

        const auto f = core::GgufFile::open(dir / "m.gguf");
        QCOMPARE(f->version(), 3u);
        QCOMPARE(f->alignment(), 64u);
        QCOMPARE(f->dataOffset() % 64, uint64_t(0));
        QCOMPARE(f->metadata().front().first, std::string("general.alignment"));
        QCOMPARE(*f->optionalInt("a.u32"), int64_t(12));
        QCOMPARE(*f->optionalInt("a.i32"), int64_t(-5));
        QCOMPARE(*f->optionalNumber("a.f32"), 0.25);
        QCOMPARE(*f->optionalBool("a.bool"), true);
        QCOMPARE(f->requireString("a.string"), std::string("h\xC3\xA9llo"));
        QCOMPARE(*f->optionalStringArray("a.strings"), (std::vector<std::string>{"x", "", "zz"}));
        QCOMPARE(*f->optionalNumberArray("a.floats"), (std::vector<double>{1.5, -2.0}));
        QCOMPARE(*f->optionalIntArray("a.ints"), (std::vector<int64_t>{3, -4, 5}));
        QCOMPARE(f->find("a.bools")->array.size(), std::size_t(2));
        QVERIFY(f->find("a.bools")->array[0].b && !f->find("a.bools")->array[1].b);
        QCOMPARE(*f->optionalIntOrArray("a.i32"), (std::vector<int64_t>{-5}));
        QVERIFY(!f->optionalInt("missing"));

        const auto* t = f->findTensor("t");
        QVERIFY(t);
        QCOMPARE(t->shape(), (std::vector<int64_t>{2, 4}));
        QCOMPARE(t->bytes, uint64_t(32));
        std::vector<float> back(8);
        std::memcpy(back.data(), f->data(*t).data(), 32);
        QCOMPARE(back, values);

        // Wrong-type access names the file and key.
        try {
            f->requireString("a.u32");
            QFAIL("no error");
        } catch (const core::FormatError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("m.gguf") != std::string::npos &&
                         m.find("'a.u32'") != std::string::npos &&
                         m.find("string") != std::string::npos,
                     e.what());
        }
    }

    void halfAndBf16MatchTorch() {
        std::mt19937 rng(7);
        std::uniform_int_distribution<uint32_t> bits;
        std::vector<float> values{0.0f,     -0.0f,    65504.0f, 65519.99f, 65520.0f,
                                  1e-8f,    5.96e-8f, 2.98e-8f, 2.99e-8f,  6.1e-5f,
                                  -3.0e38f, INFINITY, 1.0f / 3};
        for (int i = 0; i < 20000; ++i) {
            uint32_t u = bits(rng);
            // Focus on the half range: exponents near 2^-25 .. 2^16.
            u = (u & 0x807FFFFFu) | ((100u + (u >> 23) % 45u) << 23);
            float f;
            std::memcpy(&f, &u, 4);
            values.push_back(f);
        }
        for (float v : values) {
            const auto t = torch::tensor({v});
            const auto h = t.to(torch::kHalf);
            uint16_t expected;
            std::memcpy(&expected, h.data_ptr(), 2);
            QVERIFY2(core::floatToHalf(v) == expected,
                     qPrintable(QString::number(double(v), 'g', 9)));
            QVERIFY(core::halfToFloat(expected) == h.to(torch::kFloat32).item<float>());
            const auto b = t.to(torch::kBFloat16);
            std::memcpy(&expected, b.data_ptr(), 2);
            QCOMPARE(core::floatToBf16(v), expected);
            QVERIFY(core::bf16ToFloat(expected) == b.to(torch::kFloat32).item<float>());
        }
        // Every half bit pattern decodes as torch decodes it (NaNs aside).
        for (uint32_t h = 0; h < 65536; ++h) {
            if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF))
                continue;
            const uint16_t raw = uint16_t(h);
            const auto t = torch::from_blob(const_cast<uint16_t*>(&raw), {1}, torch::kHalf);
            const float want = t.to(torch::kFloat32).item<float>();
            const float got = core::halfToFloat(raw);
            QVERIFY2(std::memcmp(&want, &got, 4) == 0, qPrintable(QString::number(h, 16)));
        }
        QVERIFY(std::isnan(core::halfToFloat(core::floatToHalf(NAN))));
    }

    void dequantizePlainTypes() {
        const std::vector<float> x{1.0f, -2.5f, 3.140625f, 0.0f};
        std::vector<uint8_t> f16(8), bf16(8);
        for (std::size_t i = 0; i < 4; ++i) {
            put16(f16, 2 * i, core::floatToHalf(x[i]));
            put16(bf16, 2 * i, core::floatToBf16(x[i]));
        }
        QCOMPARE(run(GgmlType::F16, f16, 4), x);
        QCOMPARE(run(GgmlType::BF16, bf16, 4), x);
        std::vector<uint8_t> f32(16);
        std::memcpy(f32.data(), x.data(), 16);
        QCOMPARE(run(GgmlType::F32, f32, 4), x);
    }

    void dequantizeQ8_0() {
        std::vector<uint8_t> block(34);
        put16(block, 0, 0x3800); // d = 0.5
        std::vector<float> expected;
        for (int j = 0; j < 32; ++j) {
            const int8_t q = int8_t(j == 31 ? 127 : j * 8 - 124); // amax = 127 d
            block[2 + std::size_t(j)] = uint8_t(q);
            expected.push_back(float(q) * 0.5f);
        }
        QCOMPARE(run(GgmlType::Q8_0, block, 32), expected);
        // Quantising the result gives the same block back (amax / 127 = 0.5 is exact in half).
        std::vector<uint8_t> again(34);
        core::quantizeQ8_0(expected.data(), again.data(), 32);
        QCOMPARE(again, block);
    }

    void quantizeQ8_0AsReference() {
        // ref: quantize_row_q8_0_ref: d = amax / 127 stored as half, q = round(x / d).
        std::vector<float> x(32);
        for (int j = 0; j < 32; ++j)
            x[std::size_t(j)] = std::sin(float(j)) * 3.0f;
        std::vector<uint8_t> q(34);
        core::quantizeQ8_0(x.data(), q.data(), 32);
        float amax = 0;
        for (float v : x)
            amax = std::max(amax, std::fabs(v));
        const float d = amax / 127.0f;
        QCOMPARE(uint16_t(q[0] | (q[1] << 8)), core::floatToHalf(d));
        for (int j = 0; j < 32; ++j)
            QCOMPARE(int(int8_t(q[2 + std::size_t(j)])), int(std::round(x[std::size_t(j)] / d)));
    }

    void dequantizeQ4_0() {
        std::vector<uint8_t> block(18);
        put16(block, 0, 0x3400); // d = 0.25
        std::vector<float> expected(32);
        for (int j = 0; j < 16; ++j) {
            const int lo = j, hi = 15 - j;
            block[2 + std::size_t(j)] = uint8_t(lo | (hi << 4));
            expected[std::size_t(j)] = float(lo - 8) * 0.25f;      // low nibbles: first half
            expected[std::size_t(j + 16)] = float(hi - 8) * 0.25f; // high nibbles: second half
        }
        QCOMPARE(run(GgmlType::Q4_0, block, 32), expected);
    }

    void dequantizeQ4_K() {
        // 8 sub-blocks of 32: x = d * scale[s] * q - dmin * min[s]; sub-block 2k takes the low
        // nibbles of qs[32k .. 32k+31], sub-block 2k+1 the high nibbles.
        const int sc[8] = {1, 63, 17, 40, 5, 33, 62, 48}, mn[8] = {0, 7, 63, 21, 60, 2, 19, 44};
        std::vector<uint8_t> block(144);
        put16(block, 0, 0x3C00); // d = 1
        put16(block, 2, 0x3800); // dmin = 0.5
        packScales(block, 4, sc, mn);
        std::vector<float> expected(256);
        for (int e = 0; e < 256; ++e) {
            const int s = e / 32, l = e % 32, k = s / 2;
            const int q = (e * 7 + 3) % 16;
            auto& byte = block[16 + std::size_t(32 * k + l)];
            byte = uint8_t(s % 2 ? (byte & 0x0F) | (q << 4) : (byte & 0xF0) | q);
            expected[std::size_t(e)] = (1.0f * float(sc[s])) * float(q) - 0.5f * float(mn[s]);
        }
        QCOMPARE(run(GgmlType::Q4_K, block, 256), expected);
    }

    void dequantizeQ5_K() {
        // As Q4_K with a fifth bit: bit s of qh[l] adds 16 to element l of sub-block s.
        const int sc[8] = {2, 9, 63, 1, 30, 45, 8, 16}, mn[8] = {5, 0, 1, 63, 33, 12, 50, 3};
        std::vector<uint8_t> block(176);
        put16(block, 0, 0x3A00); // d = 0.75
        put16(block, 2, 0x3400); // dmin = 0.25
        packScales(block, 4, sc, mn);
        std::vector<float> expected(256);
        for (int e = 0; e < 256; ++e) {
            const int s = e / 32, l = e % 32, k = s / 2;
            const int q = (e * 11 + 5) % 32;
            auto& low = block[48 + std::size_t(32 * k + l)];
            low = uint8_t(s % 2 ? (low & 0x0F) | ((q & 15) << 4) : (low & 0xF0) | (q & 15));
            if (q & 16)
                block[16 + std::size_t(l)] |= uint8_t(1 << s);
            expected[std::size_t(e)] = (0.75f * float(sc[s])) * float(q) - 0.25f * float(mn[s]);
        }
        QCOMPARE(run(GgmlType::Q5_K, block, 256), expected);
    }

    void dequantizeQ6_K() {
        // 16 sub-blocks of 16 with int8 scales: x = d * scale[e / 16] * (q - 32). Element
        // e = 128 n + 32 g + l keeps its low 4 bits in ql[64 n + l + 32 (g % 2)] (low nibble for
        // g < 2, high for g >= 2) and its top 2 bits in bits 2g, 2g+1 of qh[32 n + l].
        std::vector<uint8_t> block(210);
        int8_t scales[16];
        for (int i = 0; i < 16; ++i) {
            scales[i] = int8_t(i * 17 - 128);
            block[192 + std::size_t(i)] = uint8_t(scales[i]);
        }
        put16(block, 208, 0x2E66); // d ≈ 0.1
        const float d = core::halfToFloat(0x2E66);
        std::vector<float> expected(256);
        for (int e = 0; e < 256; ++e) {
            const int n = e / 128, g = (e % 128) / 32, l = e % 32;
            const int q = (e * 13 + 1) % 64;
            auto& low = block[std::size_t(64 * n + l + 32 * (g % 2))];
            low = uint8_t(g < 2 ? (low & 0xF0) | (q & 15) : (low & 0x0F) | ((q & 15) << 4));
            block[128 + std::size_t(32 * n + l)] |= uint8_t((q >> 4) << (2 * g));
            expected[std::size_t(e)] = d * float(scales[e / 16]) * float(q - 32);
        }
        QCOMPARE(run(GgmlType::Q6_K, block, 256), expected);
    }

    void unsupportedTypesAreRefused() {
        std::vector<uint8_t> block(84);
        std::vector<float> y(256);
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::dequantize(GgmlType::Q2_K, block.data(), y.data(), 256));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::encodeTensorData(y.data(), 256, GgmlType::Q4_K));
    }

    // -- malformed files -------------------------------------------------------------------

    void truncatedAnywhereIsAnError() {
        test::TempDir dir;
        writeSample(dir / "ok.gguf");
        const std::string bytes = test::readBytes(dir / "ok.gguf");
        const auto good = core::GgufFile::open(dir / "ok.gguf");
        uint64_t end = 0;
        for (const auto& t : good->tensors())
            end = std::max(end, good->dataOffset() + t.offset + t.bytes);
        for (std::size_t n = 0; n < end; ++n) {
            test::writeBytes(dir / "cut.gguf", bytes.substr(0, n));
            const std::string error = openError(dir / "cut.gguf");
            QVERIFY2(
                error.find("cut.gguf") != std::string::npos,
                qPrintable(QString("length %1: %2").arg(n).arg(QString::fromStdString(error))));
        }
        const std::string error = (test::writeBytes(dir / "cut.gguf", bytes.substr(0, end - 1)),
                                   openError(dir / "cut.gguf"));
        QVERIFY2(error.find("other.weight") != std::string::npos ||
                     error.find("first.weight") != std::string::npos,
                 error.c_str());
        QVERIFY2(error.find("truncated") != std::string::npos, error.c_str());
    }

    void badHeaders() {
        test::TempDir dir;
        writeSample(dir / "ok.gguf");
        const std::string bytes = test::readBytes(dir / "ok.gguf");
        auto expectError = [&](const std::string& corrupt, const char* needle) {
            expectOpenError(dir, corrupt, {needle});
        };
        std::string b = bytes;
        b[0] = 'X';
        expectError(b, "not a GGUF file");
        b = bytes;
        patch32(b, 4, 1);
        expectError(b, "version 1");
        b = bytes;
        patch32(b, 4, 4);
        expectError(b, "unsupported GGUF version 4");
        b = bytes;
        patch64(b, 8, uint64_t(1) << 40);
        expectError(b, "tensor count");
        b = bytes;
        patch64(b, 16, uint64_t(1) << 40);
        expectError(b, "key/value count");
    }

    void badKeyValues() {
        test::TempDir dir;
        writeSample(dir / "ok.gguf");
        const std::string bytes = test::readBytes(dir / "ok.gguf");
        auto expectError = [&](const std::string& corrupt,
                               const std::vector<const char*>& needles) {
            expectOpenError(dir, corrupt, needles);
        };
        const std::size_t count = bytes.find("sample.count");
        const std::size_t names = bytes.find("sample.names");
        QVERIFY(count != std::string::npos && names != std::string::npos);
        // Key string length past the end.
        std::string b = bytes;
        patch64(b, count - 8, uint64_t(1) << 50);
        expectError(b, {"string length", "past the end"});
        // Unknown value type.
        b = bytes;
        patch32(b, count + 12, 99);
        expectError(b, {"'sample.count'", "unknown value type 99"});
        // Array length past the end.
        b = bytes;
        patch64(b, names + 12 + 4 + 4, uint64_t(1) << 40);
        expectError(b, {"'sample.names'", "array length"});
        // A string inside the array whose length runs past the end.
        b = bytes;
        patch64(b, names + 12 + 4 + 4 + 8, uint64_t(1) << 45);
        expectError(b, {"'sample.names'", "string length"});
        // Duplicate key: rename sample.names to sample.count (same length).
        b = bytes;
        b.replace(names, 12, "sample.count");
        expectError(b, {"duplicate key 'sample.count'"});
        // general.alignment of the wrong type / not a power of two.
        core::GgufWriter w(64);
        w.write(dir / "a.gguf");
        b = test::readBytes(dir / "a.gguf");
        const std::size_t alignment = b.find("general.alignment");
        patch32(b, alignment + 17 + 4, 48);
        expectError(b, {"general.alignment", "power of two"});
    }

    void badTensorInfos() {
        test::TempDir dir;
        writeSample(dir / "ok.gguf");
        const std::string bytes = test::readBytes(dir / "ok.gguf");
        auto expectError = [&](const std::string& corrupt,
                               const std::vector<const char*>& needles) {
            expectOpenError(dir, corrupt, needles);
        };
        // first.weight: name, n_dims (4), dims 16 and 4 (8 each), type (4), offset (8).
        const std::size_t first = bytes.find("first.weight") + 12;
        const std::size_t other = bytes.find("other.weight") + 12;
        std::string b = bytes;
        patch32(b, first, 5);
        expectError(b, {"'first.weight'", "5 dimensions"});
        b = bytes;
        patch64(b, first + 4, uint64_t(-3));
        expectError(b, {"'first.weight'", "negative"});
        b = bytes;
        patch32(b, first + 20, 77);
        expectError(b, {"'first.weight'", "unknown ggml tensor type 77"});
        b = bytes;
        patch32(b, first + 20, uint32_t(GgmlType::Q8_0)); // 16-element rows are not Q8_0 blocks
        expectError(b, {"'first.weight'", "blocks"});
        b = bytes;
        patch64(b, first + 24, 4);
        expectError(b, {"'first.weight'", "misaligned"});
        b = bytes;
        patch64(b, other + 4 + 8 + 4, 1ull << 20);
        expectError(b, {"'other.weight'", "beyond the data section"});
        b = bytes;
        patch64(b, other + 4 + 8 + 4, 0);
        expectError(b, {"overlap"});
        b = bytes;
        patch64(b, first + 4, uint64_t(1) << 62);
        patch64(b, first + 12, uint64_t(1) << 62);
        expectError(b, {"'first.weight'", "too many elements"});
        b = bytes;
        b.replace(bytes.find("other.weight"), 12, "first.weight");
        expectError(b, {"'first.weight'", "duplicate tensor name"});
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
