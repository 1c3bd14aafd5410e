#pragma once
// GPT-2's byte-to-unicode alphabet (ref: tokenizers pre_tokenizers/byte_level.rs bytes_char): every
// byte stands for a printable code point, so byte-level vocabularies hold only visible strings.

#include <string>
#include <string_view>

namespace anatomist::core {

// The UTF-8 of the code point standing for each byte of `bytes`.
std::string byteLevelEncode(std::string_view bytes);
// The byte a code point stands for, or -1 when it is outside the alphabet.
int byteLevelByte(char32_t cp);

} // namespace anatomist::core
