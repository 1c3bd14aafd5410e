#pragma once
// The BPE model of tokenizer.json (ref: tokenizers models/bpe/model.rs, word.rs): ranked merges
// applied lowest rank first (leftmost on ties), ignore_merges, byte_fallback (<0xAB> tokens),
// unk with fuse_unk, continuing_subword_prefix / end_of_word_suffix. Results of short words are
// cached (bounded), which is what makes encoding fast on natural text.

#include "hf_json.h"
#include "marker_split.h"
#include "tokenizer.h"
#include "word_cache.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomist::core {

using HfStringHash = StringViewHash;
using HfVocab = std::unordered_map<std::string, TokenId, HfStringHash, std::equal_to<>>;

class HfBpeModel {
public:
    // `model` is tokenizer.json's "model" object. Throws TokenizerError naming the key for
    // malformed content (merges naming tokens outside the vocabulary, wrong types ...).
    HfBpeModel(const Json& model, const std::string& where);

    // Appends the ids of one pre-token. Thread-safe.
    void tokenize(std::string_view word, std::vector<TokenId>& out) const;

    std::optional<TokenId> tokenToId(std::string_view token) const;
    const std::string* idToToken(TokenId id) const; // nullptr when the id is not in the vocab
    TokenId maxId() const { return TokenId(m_tokens.size()) - 1; }
    std::size_t size() const { return m_vocab.size(); }
    WordCacheStats cacheStats() const { return m_cache.stats(); }

private:
    void parseVocab(const Json& vocab, const std::string& where);
    void parseMerges(const Json& merges, const std::string& where);
    void tokenizeCached(std::string_view word, std::vector<TokenId>& out) const;
    void findMarkerSplits();
    std::vector<TokenId> initialSymbols(std::string_view word) const;
    void mergeAll(std::vector<TokenId>& symbols) const;

    struct Merge {
        int32_t rank;
        TokenId id;
    };
    static uint64_t pairKey(TokenId a, TokenId b) {
        return (uint64_t(uint32_t(a)) << 32) | uint32_t(b);
    }

    HfVocab m_vocab;
    std::vector<std::string> m_tokens; // by id; "" for holes
    std::vector<bool> m_present;
    // (left, right) → merge, open addressing: the lookup of the BPE inner loop, where
    // std::unordered_map's node chasing dominated the profile on long words.
    class MergeTable {
    public:
        void reserve(std::size_t count);
        void set(uint64_t key, Merge merge); // overwrites
        const Merge* find(uint64_t key) const;

    private:
        std::size_t slot(uint64_t key) const {
            return std::size_t((key * 0x9E3779B97F4A7C15ull) >> m_shift);
        }
        static constexpr uint64_t kEmpty = ~0ull;
        std::vector<uint64_t> m_keys;
        std::vector<Merge> m_values;
        int m_shift = 64;
    };

    MergeTable m_merges;
    std::optional<std::string> m_unk;
    std::string m_prefix; // continuing_subword_prefix
    std::string m_suffix; // end_of_word_suffix
    bool m_fuseUnk = false;
    bool m_byteFallback = false;
    bool m_ignoreMerges = false;
    // SentencePiece-style vocabularies (▁ for spaces, no pre-tokenizer) hand BPE a whole text as
    // one word: cut into independent, cacheable segments (marker_split.h).
    bool m_splitOnMarker = false;
    MarkerSplitter m_markerSplitter;
    TokenId m_byteIds[256]; // <0x00> ... <0xFF>, -1 when absent
    WordCache m_cache;
};

} // namespace anatomist::core
