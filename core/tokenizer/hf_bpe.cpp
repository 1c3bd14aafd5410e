#include "hf_bpe.h"

#include "hf_unicode.h"

#include <cstdio>
#include <queue>
#include <utility>

namespace anatomist::core {

void HfBpeModel::MergeTable::reserve(std::size_t count) {
    int bits = 4;
    while ((std::size_t(1) << bits) < count * 2)
        ++bits;
    m_shift = 64 - bits;
    m_keys.assign(std::size_t(1) << bits, kEmpty);
    m_values.assign(std::size_t(1) << bits, Merge{0, 0});
}

void HfBpeModel::MergeTable::set(uint64_t key, Merge merge) {
    const std::size_t mask = m_keys.size() - 1;
    std::size_t i = slot(key);
    while (m_keys[i] != kEmpty && m_keys[i] != key)
        i = (i + 1) & mask;
    m_keys[i] = key;
    m_values[i] = merge;
}

const HfBpeModel::Merge* HfBpeModel::MergeTable::find(uint64_t key) const {
    if (m_keys.empty())
        return nullptr;
    const std::size_t mask = m_keys.size() - 1;
    for (std::size_t i = slot(key);; i = (i + 1) & mask) {
        if (m_keys[i] == key)
            return &m_values[i];
        if (m_keys[i] == kEmpty)
            return nullptr;
    }
}

HfBpeModel::HfBpeModel(const Json& model, const std::string& where) {
    hfObject(model, where);
    if (const auto it = model.find("dropout"); it != model.end() && !it->is_null())
        if (!it->is_number() || it->get<double>() != 0.0)
            hfFail(hfPath(where, "dropout"), "BPE dropout is an unsupported component");
    m_unk = hfOptString(model, "unk_token", where);
    m_prefix = hfOptString(model, "continuing_subword_prefix", where).value_or("");
    m_suffix = hfOptString(model, "end_of_word_suffix", where).value_or("");
    m_fuseUnk = hfBool(model, "fuse_unk", false, where);
    m_byteFallback = hfBool(model, "byte_fallback", false, where);
    m_ignoreMerges = hfBool(model, "ignore_merges", false, where);
    parseVocab(hfMember(model, "vocab", where), hfPath(where, "vocab"));
    parseMerges(hfMember(model, "merges", where), hfPath(where, "merges"));
    findMarkerSplits();
    if (m_unk && !m_vocab.contains(*m_unk))
        hfFail(hfPath(where, "unk_token"), "'" + *m_unk + "' is not in the vocabulary");
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        const auto id = tokenToId(name);
        m_byteIds[b] = id.value_or(-1);
    }
}

void HfBpeModel::parseVocab(const Json& vocab, const std::string& where) {
    hfObject(vocab, where);
    m_vocab.reserve(vocab.size());
    TokenId maxId = -1;
    for (const auto& [token, value] : vocab.items()) {
        if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
            value.get<int64_t>() > INT32_MAX)
            hfFail(where + "['" + token + "']", "expected a non-negative integer id");
        const auto id = value.get<TokenId>();
        m_vocab.emplace(token, id);
        maxId = std::max(maxId, id);
    }
    m_tokens.assign(std::size_t(maxId + 1), std::string());
    m_present.assign(std::size_t(maxId + 1), false);
    for (const auto& [token, id] : m_vocab) {
        m_tokens[std::size_t(id)] = token;
        m_present[std::size_t(id)] = true;
    }
}

void HfBpeModel::parseMerges(const Json& merges, const std::string& where) {
    hfArray(merges, where);
    m_merges.reserve(merges.size());
    auto idOf = [&](const std::string& token, std::size_t rank) {
        const auto it = m_vocab.find(token);
        if (it == m_vocab.end())
            hfFail(hfIndex(where, rank), "token '" + token + "' is not in the vocabulary");
        return it->second;
    };
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const Json& merge = merges[rank];
        std::string a, b;
        if (merge.is_string()) {
            const auto& text = merge.get_ref<const std::string&>();
            const auto space = text.find(' ');
            if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos)
                hfFail(hfIndex(where, rank), "expected \"left right\", found \"" + text + "\"");
            a = text.substr(0, space);
            b = text.substr(space + 1);
        } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
                   merge[1].is_string()) {
            a = merge[0].get<std::string>();
            b = merge[1].get<std::string>();
        } else {
            hfFail(hfIndex(where, rank), "expected \"left right\" or [left, right]");
        }
        const TokenId left = idOf(a, rank), right = idOf(b, rank);
        // ref: model.rs: the merged token drops the right part's continuing_subword_prefix.
        const std::string merged = a + b.substr(std::min(m_prefix.size(), b.size()));
        // ref: the merge map is collected into a HashMap, so a repeated pair keeps the last rank.
        m_merges.set(pairKey(left, right), Merge{int32_t(rank), idOf(merged, rank)});
    }
}

std::optional<TokenId> HfBpeModel::tokenToId(std::string_view token) const {
    const auto it = m_vocab.find(token);
    if (it == m_vocab.end())
        return std::nullopt;
    return it->second;
}

const std::string* HfBpeModel::idToToken(TokenId id) const {
    if (id < 0 || std::size_t(id) >= m_tokens.size() || !m_present[std::size_t(id)])
        return nullptr;
    return &m_tokens[std::size_t(id)];
}

// ref: model.rs merge_word: one symbol per character, with byte fallback or (fused) unk for
// characters outside the vocabulary.
std::vector<TokenId> HfBpeModel::initialSymbols(std::string_view word) const {
    std::vector<TokenId> symbols;
    symbols.reserve(word.size());
    TokenId pendingUnk = -1; // an unk waiting to absorb following unknown characters
    std::string scratch;
    for (std::size_t pos = 0; pos < word.size();) {
        const std::size_t begin = pos;
        utf8Next(word, pos);
        std::string_view piece = word.substr(begin, pos - begin);
        if ((begin > 0 && !m_prefix.empty()) || (pos == word.size() && !m_suffix.empty())) {
            scratch = begin > 0 ? m_prefix : std::string();
            scratch += piece;
            if (pos == word.size())
                scratch += m_suffix;
            piece = scratch;
        }
        if (const auto it = m_vocab.find(piece); it != m_vocab.end()) {
            if (pendingUnk >= 0)
                symbols.push_back(std::exchange(pendingUnk, -1));
            symbols.push_back(it->second);
            continue;
        }
        bool bytesKnown = m_byteFallback;
        for (const char c : piece)
            bytesKnown = bytesKnown && m_byteIds[static_cast<unsigned char>(c)] >= 0;
        if (bytesKnown) {
            // ref: the pending unk is not flushed before the byte tokens; kept for exactness.
            for (const char c : piece)
                symbols.push_back(m_byteIds[static_cast<unsigned char>(c)]);
            continue;
        }
        if (m_unk) {
            const TokenId unk = m_vocab.find(*m_unk)->second;
            if (pendingUnk >= 0 && !m_fuseUnk)
                symbols.push_back(pendingUnk);
            pendingUnk = unk;
        }
    }
    if (pendingUnk >= 0)
        symbols.push_back(pendingUnk);
    return symbols;
}

// ref: word.rs merge_all: a priority queue of (rank, position), stale entries skipped.
void HfBpeModel::mergeAll(std::vector<TokenId>& ids) const {
    struct Symbol {
        TokenId id;
        int prev, next;
        bool alive;
    };
    struct Candidate {
        int32_t rank;
        int pos;
        TokenId id;
        bool operator<(const Candidate& o) const {
            return rank != o.rank ? rank > o.rank : pos > o.pos; // min-heap on (rank, pos)
        }
    };
    const int n = int(ids.size());
    std::vector<Symbol> symbols(static_cast<std::size_t>(n));
    std::vector<Candidate> storage;
    storage.reserve(std::size_t(n));
    std::priority_queue<Candidate> queue(std::less<Candidate>(), std::move(storage));
    auto push = [&](int left, TokenId a, TokenId b) {
        if (const Merge* m = m_merges.find(pairKey(a, b)))
            queue.push({m->rank, left, m->id});
    };
    for (int i = 0; i < n; ++i) {
        symbols[std::size_t(i)] = {ids[std::size_t(i)], i - 1, i + 1 < n ? i + 1 : -1, true};
        if (i + 1 < n)
            push(i, ids[std::size_t(i)], ids[std::size_t(i + 1)]);
    }
    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol& current = symbols[std::size_t(top.pos)];
        if (!current.alive || current.next < 0)
            continue;
        Symbol& right = symbols[std::size_t(current.next)];
        const Merge* merge = m_merges.find(pairKey(current.id, right.id));
        if (!merge || merge->id != top.id)
            continue; // stale entry
        current.id = top.id;
        current.next = right.next;
        right.alive = false;
        if (right.next >= 0)
            symbols[std::size_t(right.next)].prev = top.pos;
        if (current.prev >= 0)
            push(current.prev, symbols[std::size_t(current.prev)].id, current.id);
        if (current.next >= 0)
            push(top.pos, current.id, symbols[std::size_t(current.next)].id);
    }
    ids.clear();
    for (const auto& s : symbols)
        if (s.alive)
            ids.push_back(s.id);
}

void HfBpeModel::findMarkerSplits() {
    // Prefixes, suffixes and ignore_merges depend on where a word starts and ends.
    if (!m_vocab.contains(MarkerSplitter::kMarker) || m_ignoreMerges || !m_prefix.empty() ||
        !m_suffix.empty())
        return;
    m_splitOnMarker = true;
    for (const auto& [token, id] : m_vocab)
        m_markerSplitter.addPiece(token);
}

void HfBpeModel::tokenize(std::string_view word, std::vector<TokenId>& out) const {
    if (word.empty())
        return;
    if (m_ignoreMerges)
        if (const auto it = m_vocab.find(word); it != m_vocab.end()) {
            out.push_back(it->second);
            return;
        }
    if (!m_splitOnMarker)
        return tokenizeCached(word, out);
    for (std::size_t start = 0, end; start < word.size(); start = end) {
        end = m_markerSplitter.segmentEnd(word, start);
        tokenizeCached(word.substr(start, end - start), out);
    }
}

void HfBpeModel::tokenizeCached(std::string_view word, std::vector<TokenId>& out) const {
    const bool cacheable = m_cache.cacheable(word);
    if (cacheable && m_cache.find(word, out))
        return;
    std::vector<TokenId> ids = initialSymbols(word);
    mergeAll(ids);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable)
        m_cache.insert(word, ids);
}

} // namespace anatomist::core
