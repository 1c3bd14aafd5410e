#pragma once
// The per-word result cache of the BPE models (ref: tokenizers utils/cache.rs): natural text
// repeats its words, so most pre-tokens are looked up instead of merged. Bounded: once full, new
// words are no longer added (as in tokenizers), so memory stays flat on any input. Thread-safe.
// It counts its lookups and hits, which the tests read as a guard that the cache is used.

#include "tokenizer.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomist::core {

// Lets string-keyed maps be searched with a string_view, without building a std::string.
struct StringViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct WordCacheStats {
    uint64_t lookups = 0;
    uint64_t hits = 0;
    std::size_t entries = 0;
};

class WordCache {
public:
    // ref: DEFAULT_CACHE_CAPACITY 10000 and MAX_LENGTH 256 in tokenizers.
    explicit WordCache(std::size_t capacity = 20000, std::size_t maxWordBytes = 256)
        : m_capacity(capacity)
        , m_maxWordBytes(maxWordBytes) {}

    bool cacheable(std::string_view word) const { return word.size() < m_maxWordBytes; }
    // Appends the ids of `word` to `out` and returns true when the word is cached.
    bool find(std::string_view word, std::vector<TokenId>& out) const;
    // Remembers the ids of a cacheable word while there is room.
    void insert(std::string_view word, std::span<const TokenId> ids) const;
    WordCacheStats stats() const;

private:
    std::size_t m_capacity, m_maxWordBytes;
    mutable std::mutex m_mutex;
    mutable std::unordered_map<std::string, std::vector<TokenId>, StringViewHash, std::equal_to<>>
        m_words;
    mutable std::atomic<uint64_t> m_lookups{0}, m_hits{0};
};

} // namespace anatomist::core
