#include "hf_unicode.h"

#include "errors.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace anatomist::core {

char32_t utf8Next(std::string_view text, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    const std::size_t length = std::min(utf8Length(lead), text.size() - pos);
    char32_t cp = length == 1   ? lead
                  : length == 2 ? lead & 0x1F
                  : length == 3 ? lead & 0x0F
                                : lead & 0x07;
    for (std::size_t i = 1; i < length; ++i)
        cp = (cp << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
    pos += length;
    return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

namespace {

// Length of the well-formed sequence at `pos`, or 0 with `bad` set to the maximal subpart's length
// (Unicode §3.9 "U+FFFD substitution of maximal subparts", the rule Rust follows).
std::size_t wellFormedLength(std::string_view s, std::size_t pos, std::size_t& bad) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    bad = 1;
    if (b0 < 0x80)
        return 1;
    std::size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        if (b0 == 0xE0)
            lo = 0xA0;
        if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        if (b0 == 0xF0)
            lo = 0x90;
        if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (std::size_t i = 1; i < need; ++i) {
        if (pos + i >= s.size())
            return bad = i, 0;
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            return bad = i, 0;
    }
    return need;
}

const icu::Normalizer2& normalizer(NormalForm form) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = nullptr;
    switch (form) {
    case NormalForm::NFC:
        n = icu::Normalizer2::getNFCInstance(status);
        break;
    case NormalForm::NFD:
        n = icu::Normalizer2::getNFDInstance(status);
        break;
    case NormalForm::NFKC:
        n = icu::Normalizer2::getNFKCInstance(status);
        break;
    case NormalForm::NFKD:
        n = icu::Normalizer2::getNFKDInstance(status);
        break;
    }
    if (U_FAILURE(status) || !n)
        throw TokenizerError(std::string("ICU normalizer unavailable: ") + u_errorName(status));
    return *n;
}

} // namespace

bool isValidUtf8(std::string_view bytes) {
    std::size_t bad;
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t n = wellFormedLength(bytes, pos, bad);
        if (n == 0)
            return false;
        pos += n;
    }
    return true;
}

std::string toValidUtf8(std::string_view bytes) {
    if (isValidUtf8(bytes))
        return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + 8);
    std::size_t bad;
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t n = wellFormedLength(bytes, pos, bad);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            pos += bad;
        } else {
            out.append(bytes.substr(pos, n));
            pos += n;
        }
    }
    return out;
}

std::string normalizeUnicode(std::string_view text, NormalForm form) {
    bool ascii = true;
    for (const char c : text)
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    // ASCII is invariant under every normal form; most text is, so skip the UTF-16 round trip.
    if (ascii)
        return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    const auto source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    const auto& n = normalizer(form);
    if (n.isNormalized(source, status) && U_SUCCESS(status))
        return std::string(text);
    status = U_ZERO_ERROR;
    const icu::UnicodeString result = n.normalize(source, status);
    if (U_FAILURE(status))
        throw TokenizerError(std::string("Unicode normalization failed: ") + u_errorName(status));
    std::string out;
    result.toUTF8String(out);
    return out;
}

bool isUnicodeWhitespace(char32_t cp) {
    return u_isUWhiteSpace(UChar32(cp));
}

bool isUnicodeAlphanumeric(char32_t cp) {
    const auto type = u_charType(UChar32(cp));
    return u_hasBinaryProperty(UChar32(cp), UCHAR_ALPHABETIC) || type == U_DECIMAL_DIGIT_NUMBER ||
           type == U_LETTER_NUMBER || type == U_OTHER_NUMBER;
}

} // namespace anatomist::core
