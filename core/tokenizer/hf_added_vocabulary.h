#pragma once
// The added tokens of tokenizer.json (ref: tokenizers added_vocabulary.rs). They are found before
// anything else, leftmost-longest: tokens with normalized=false on the raw input, the others on
// each normalized section; single_word / lstrip / rstrip are honoured.

#include "hf_json.h"
#include "tokenizer.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomist::core {

struct HfAddedToken {
    TokenId id = 0;
    std::string content;
    bool special = false;
    bool single_word = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = false;
};

class HfAddedVocabulary {
public:
    // `list` is tokenizer.json's "added_tokens" array.
    HfAddedVocabulary(const Json& list, const std::string& where);

    struct Section {
        std::optional<TokenId> id; // set when the section is an added token
        std::size_t begin = 0, end = 0;
    };
    // Splits `text` on the added tokens of one kind (normalized=false or normalized=true).
    std::vector<Section> split(std::string_view text, bool normalizedKind) const;

    const HfAddedToken* byId(TokenId id) const;
    std::optional<TokenId> idOf(std::string_view content) const;
    bool empty() const { return m_tokens.empty(); }
    TokenId maxId() const { return m_maxId; }

private:
    // A byte trie over token contents; node 0 is the root.
    struct Trie {
        std::unordered_map<uint64_t, int32_t> edges; // (node << 8 | byte) → child
        std::vector<int32_t> terminal{-1};           // node → token index, or -1
        bool firstByte[256] = {};
        void insert(std::string_view key, int32_t token);
        // Longest token starting at `pos`, as (token index, length); index -1 when none.
        std::pair<int32_t, std::size_t> longest(std::string_view text, std::size_t pos) const;
    };

    std::vector<HfAddedToken> m_tokens;
    std::unordered_map<TokenId, std::size_t> m_byId;
    std::unordered_map<std::string, TokenId> m_byContent;
    Trie m_raw, m_normalized;
    TokenId m_maxId = -1;
};

} // namespace anatomist::core
