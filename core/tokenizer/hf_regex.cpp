#include "hf_regex.h"

#include "errors.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace anatomist::core {

namespace {

// Oniguruma's \s under Unicode: the White_Space property (ref: onig's ONIGENC_CTYPE_SPACE).
constexpr const char* kOnigSpaceItems =
    "\\t\\n\\x{0B}\\f\\r\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
    "\\x{202F}\\x{205F}\\x{3000}";

pcre2_code* code(void* p) {
    return static_cast<pcre2_code*>(p);
}

std::string pcre2Message(int error) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error, buffer, sizeof buffer);
    return reinterpret_cast<const char*>(buffer);
}

// One JIT stack per thread: the default 32 KiB is too small for long runs of letters or spaces.
struct JitStack {
    pcre2_jit_stack* stack = pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, nullptr);
    pcre2_match_context* context = pcre2_match_context_create(nullptr);
    JitStack() { pcre2_jit_stack_assign(context, nullptr, stack); }
    ~JitStack() {
        pcre2_match_context_free(context);
        pcre2_jit_stack_free(stack);
    }
};

} // namespace

std::string HfRegex::translateOniguruma(const std::string& pattern) {
    std::string out;
    out.reserve(pattern.size() + 64);
    bool inClass = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char e = pattern[i + 1];
            ++i;
            if (e == 's') {
                out += inClass ? kOnigSpaceItems : std::string("[") + kOnigSpaceItems + "]";
            } else if (e == 'S') {
                if (inClass)
                    throw TokenizerError("regex '" + pattern +
                                         "': \\S inside a character class "
                                         "is an unsupported component");
                out += std::string("[^") + kOnigSpaceItems + "]";
            } else {
                out += c;
                out += e;
            }
            continue;
        }
        if (!inClass && c == '[') {
            inClass = true;
            out += c;
            // A ']' right after '[' or '[^' is a literal member, not the end of the class.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^')
                out += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == ']')
                out += pattern[++i];
            continue;
        }
        if (inClass && c == ']')
            inClass = false;
        out += c;
    }
    return out;
}

HfRegex::HfRegex(const std::string& pattern)
    : m_pattern(pattern) {
    const std::string translated = translateOniguruma(pattern);
    int error = 0;
    PCRE2_SIZE offset = 0;
    m_code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                           PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
    if (!m_code)
        throw TokenizerError("regex '" + pattern + "' does not compile at offset " +
                             std::to_string(offset) + ": " + pcre2Message(error));
    m_jit = pcre2_jit_compile(code(m_code), PCRE2_JIT_COMPLETE) == 0;
}

HfRegex::~HfRegex() {
    pcre2_code_free(code(m_code));
}

std::vector<std::pair<std::size_t, std::size_t>> HfRegex::findAll(std::string_view text) const {
    thread_local JitStack jit;
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
        pcre2_match_data_create_from_pattern(code(m_code), nullptr), &pcre2_match_data_free);
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t start = 0;
    while (start <= text.size()) {
        const int rc = pcre2_match(code(m_code), subject, text.size(), start, PCRE2_NO_UTF_CHECK,
                                   data.get(), m_jit ? jit.context : nullptr);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            throw TokenizerError("regex '" + m_pattern + "' failed: " + pcre2Message(rc));
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
        const std::size_t b = ovector[0], e = ovector[1];
        if (e > b) {
            matches.emplace_back(b, e);
            start = e;
        } else {
            // ref: onig find_iter skips one character after an empty match and never reports it
            // twice; tokenizers then drops empty pieces anyway.
            matches.emplace_back(b, e);
            if (b >= text.size())
                break;
            start = b + 1;
            while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
                ++start;
        }
    }
    return matches;
}

} // namespace anatomist::core
