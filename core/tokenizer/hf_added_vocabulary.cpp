#include "hf_added_vocabulary.h"

#include "hf_unicode.h"

namespace anatomist::core {

void HfAddedVocabulary::Trie::insert(std::string_view key, int32_t token) {
    int32_t node = 0;
    for (const char c : key) {
        const uint64_t edge = (uint64_t(node) << 8) | static_cast<unsigned char>(c);
        auto it = edges.find(edge);
        if (it == edges.end()) {
            it = edges.emplace(edge, int32_t(terminal.size())).first;
            terminal.push_back(-1);
        }
        node = it->second;
    }
    // ref: added_vocabulary.rs: a repeated content keeps the first token.
    if (terminal[std::size_t(node)] < 0)
        terminal[std::size_t(node)] = token;
    firstByte[static_cast<unsigned char>(key.front())] = true;
}

std::pair<int32_t, std::size_t> HfAddedVocabulary::Trie::longest(std::string_view text,
                                                                 std::size_t pos) const {
    std::pair<int32_t, std::size_t> best{-1, 0};
    if (!firstByte[static_cast<unsigned char>(text[pos])])
        return best;
    int32_t node = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
        const auto it = edges.find((uint64_t(node) << 8) | static_cast<unsigned char>(text[i]));
        if (it == edges.end())
            break;
        node = it->second;
        if (terminal[std::size_t(node)] >= 0)
            best = {terminal[std::size_t(node)], i + 1 - pos};
    }
    return best;
}

HfAddedVocabulary::HfAddedVocabulary(const Json& list, const std::string& where) {
    if (list.is_null())
        return;
    hfArray(list, where);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = hfIndex(where, i);
        const Json& entry = hfObject(list[i], at);
        HfAddedToken token;
        const int64_t id = hfInt(entry, "id", at);
        if (id < 0 || id > INT32_MAX)
            hfFail(hfPath(at, "id"), "expected a non-negative 32-bit id");
        token.id = TokenId(id);
        token.content = hfString(entry, "content", at);
        if (token.content.empty())
            hfFail(hfPath(at, "content"), "an added token must not be empty");
        token.special = hfBool(entry, "special", false, at);
        token.single_word = hfBool(entry, "single_word", false, at);
        token.lstrip = hfBool(entry, "lstrip", false, at);
        token.rstrip = hfBool(entry, "rstrip", false, at);
        token.normalized = hfBool(entry, "normalized", !token.special, at);
        const auto index = int32_t(m_tokens.size());
        (token.normalized ? m_normalized : m_raw).insert(token.content, index);
        m_byId.emplace(token.id, m_tokens.size());
        m_byContent.emplace(token.content, token.id);
        m_maxId = std::max(m_maxId, token.id);
        m_tokens.push_back(std::move(token));
    }
}

const HfAddedToken* HfAddedVocabulary::byId(TokenId id) const {
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_tokens[it->second];
}

std::optional<TokenId> HfAddedVocabulary::idOf(std::string_view content) const {
    const auto it = m_byContent.find(std::string(content));
    if (it == m_byContent.end())
        return std::nullopt;
    return it->second;
}

namespace {

// ref: added_vocabulary.rs ends_with_word / starts_with_word: alphanumeric or '_'.
bool isWordChar(char32_t c) {
    return c == U'_' || isUnicodeAlphanumeric(c);
}

char32_t lastChar(std::string_view text) {
    std::size_t pos = text.size();
    while (pos > 0 && (static_cast<unsigned char>(text[pos - 1]) & 0xC0) == 0x80)
        --pos;
    --pos;
    return utf8Next(text, pos);
}

} // namespace

std::vector<HfAddedVocabulary::Section> HfAddedVocabulary::split(std::string_view text,
                                                                 bool normalizedKind) const {
    const Trie& trie = normalizedKind ? m_normalized : m_raw;
    std::vector<Section> sections;
    std::size_t sectionStart = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto [index, length] = trie.longest(text, pos);
        if (index < 0) {
            ++pos;
            continue;
        }
        const HfAddedToken& token = m_tokens[std::size_t(index)];
        std::size_t start = pos, stop = pos + length;
        pos = stop; // the matcher resumes after the match, whatever stripping does below
        if (token.single_word) {
            const bool spaceBefore = start == 0 || !isWordChar(lastChar(text.substr(0, start)));
            std::size_t after = stop;
            const bool spaceAfter = stop == text.size() || !isWordChar(utf8Next(text, after));
            if (!spaceBefore || !spaceAfter)
                continue;
        }
        if (token.lstrip) {
            std::size_t newStart = start;
            while (newStart > 0) {
                std::size_t b = newStart - 1;
                while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80)
                    --b;
                std::size_t p = b;
                if (!isUnicodeWhitespace(utf8Next(text, p)))
                    break;
                newStart = b;
            }
            start = std::max(newStart, sectionStart);
        }
        if (token.rstrip) {
            while (stop < text.size()) {
                std::size_t p = stop;
                if (!isUnicodeWhitespace(utf8Next(text, p)))
                    break;
                stop = p;
            }
        }
        if (sectionStart < start)
            sections.push_back({std::nullopt, sectionStart, start});
        sections.push_back({token.id, start, stop});
        sectionStart = stop;
        pos = std::max(pos, stop);
    }
    if (sectionStart < text.size() || sections.empty())
        sections.push_back({std::nullopt, sectionStart, text.size()});
    return sections;
}

} // namespace anatomist::core
