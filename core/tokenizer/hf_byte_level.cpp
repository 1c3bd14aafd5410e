#include "hf_byte_level.h"

#include "hf_unicode.h"

#include <array>

namespace anatomist::core {

namespace {

struct ByteTables {
    std::array<std::string, 256> encode;
    std::array<int, 324> decode; // code points reach 256 + 67 at most
    ByteTables() {
        decode.fill(-1);
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
            const int cp = printable ? b : next++;
            appendUtf8(encode[std::size_t(b)], char32_t(cp));
            decode[std::size_t(cp)] = b;
        }
    }
};

const ByteTables& tables() {
    static const ByteTables t;
    return t;
}

} // namespace

std::string byteLevelEncode(std::string_view bytes) {
    const auto& t = tables();
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes)
        out += t.encode[static_cast<unsigned char>(c)];
    return out;
}

int byteLevelByte(char32_t cp) {
    const auto& t = tables();
    return cp < t.decode.size() ? t.decode[cp] : -1;
}

} // namespace anatomist::core
