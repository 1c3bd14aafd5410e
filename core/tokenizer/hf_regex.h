#pragma once
// A compiled tokenizer.json regex with the semantics `tokenizers` gets from Oniguruma, run on PCRE2
// (UTF + UCP, JIT when available). Oniguruma's \s is Unicode White_Space (U+0085 in, U+FEFF
// out); the pattern's \s / \S are rewritten to that explicit class so that the result does not
// depend on the PCRE2 build's idea of space.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anatomist::core {

class HfRegex {
public:
    // Throws TokenizerError naming the pattern when it does not compile.
    explicit HfRegex(const std::string& pattern);
    ~HfRegex();
    HfRegex(const HfRegex&) = delete;
    HfRegex& operator=(const HfRegex&) = delete;

    // Non-overlapping matches, left to right, as byte ranges [first, second). `text` must be valid
    // UTF-8. An empty match advances the search by one code point, as Oniguruma's find_iter does.
    std::vector<std::pair<std::size_t, std::size_t>> findAll(std::string_view text) const;

    const std::string& pattern() const { return m_pattern; }

    // The PCRE2 pattern an Oniguruma pattern becomes (exposed for tests).
    static std::string translateOniguruma(const std::string& pattern);

private:
    std::string m_pattern;
    void* m_code = nullptr; // pcre2_code_8
    bool m_jit = false;
};

} // namespace anatomist::core
