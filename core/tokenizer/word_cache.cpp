#include "word_cache.h"

namespace anatomist::core {

bool WordCache::find(std::string_view word, std::vector<TokenId>& out) const {
    m_lookups.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    const auto it = m_words.find(word);
    if (it == m_words.end())
        return false;
    m_hits.fetch_add(1, std::memory_order_relaxed);
    out.insert(out.end(), it->second.begin(), it->second.end());
    return true;
}

void WordCache::insert(std::string_view word, std::span<const TokenId> ids) const {
    if (!cacheable(word))
        return;
    std::lock_guard lock(m_mutex);
    if (m_words.size() < m_capacity)
        m_words.try_emplace(std::string(word), ids.begin(), ids.end());
}

WordCacheStats WordCache::stats() const {
    std::lock_guard lock(m_mutex);
    return {m_lookups.load(std::memory_order_relaxed), m_hits.load(std::memory_order_relaxed),
            m_words.size()};
}

} // namespace anatomist::core
