#pragma once
// UTF-8 and Unicode helpers for the tokenizer.json pipeline. Rust strings are always valid UTF-8,
// so every text entering the pipeline goes through toValidUtf8 first; the Unicode properties come
// from ICU so that they follow the standard rather than hand-written tables.

#include <cstdint>
#include <string>
#include <string_view>

namespace anatomist::core {

// Length in bytes of the UTF-8 sequence starting with lead byte `lead` (1 for invalid leads).
inline std::size_t utf8Length(unsigned char lead) {
    return lead < 0x80           ? 1
           : (lead >> 5) == 0x6  ? 2
           : (lead >> 4) == 0xE  ? 3
           : (lead >> 3) == 0x1E ? 4
                                 : 1;
}

// Decodes the code point at `pos` of valid UTF-8 and advances `pos` past it.
char32_t utf8Next(std::string_view text, std::size_t& pos);
void appendUtf8(std::string& out, char32_t cp);

// Replaces ill-formed sequences by U+FFFD, one per maximal subpart, exactly as Rust's
// String::from_utf8_lossy (which the byte-level decoder of `tokenizers` uses).
std::string toValidUtf8(std::string_view bytes);
bool isValidUtf8(std::string_view bytes);

// Unicode normalization forms, through ICU. Input must be valid UTF-8.
enum class NormalForm { NFC, NFD, NFKC, NFKD };
std::string normalizeUnicode(std::string_view text, NormalForm form);

// Rust's char::is_whitespace (White_Space) and char::is_alphanumeric (Alphabetic or Numeric).
bool isUnicodeWhitespace(char32_t cp);
bool isUnicodeAlphanumeric(char32_t cp);

} // namespace anatomist::core
