#include "sentencepiece_tokenizer.h"

#include "errors.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <queue>

namespace anatomist::core {

namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81"; // ▁
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// Length of the UTF-8 character at the start of text, or 0 when it is malformed.
std::size_t spmUtf8Length(std::string_view text) {
    const auto lead = static_cast<unsigned char>(text[0]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || length > text.size())
        return 0;
    for (std::size_t i = 1; i < length; ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            return 0;
    return length;
}

std::string replaceAll(std::string text, std::string_view from, std::string_view to) {
    std::size_t pos = 0;
    while ((pos = text.find(from, pos)) != std::string::npos) {
        text.replace(pos, from.size(), to);
        pos += to.size();
    }
    return text;
}

// Appends bytes as UTF-8, replacing each byte that does not start a valid sequence with U+FFFD,
// as sentencepiece does for byte pieces.
void appendValidUtf8(std::string& out, std::string_view bytes) {
    while (!bytes.empty()) {
        const std::size_t length = spmUtf8Length(bytes);
        if (length == 0) {
            out += kReplacementChar;
            bytes.remove_prefix(1);
        } else {
            out += bytes.substr(0, length);
            bytes.remove_prefix(length);
        }
    }
}

std::optional<TokenId> lookupPiece(const SentencePieceModel& model,
                                   const std::optional<std::string>& text, int32_t fallback) {
    if (text) {
        for (std::size_t i = 0; i < model.pieces.size(); ++i)
            if (model.pieces[i].text == *text)
                return TokenId(i);
    }
    if (fallback >= 0)
        return TokenId(fallback);
    return std::nullopt;
}

} // namespace

SentencePieceTokenizer::SentencePieceTokenizer(const std::filesystem::path& modelFile,
                                               const TokenizerConfig& config)
    : SentencePieceTokenizer(readSentencePieceModel(modelFile), config, modelFile.string()) {}

SentencePieceTokenizer::SentencePieceTokenizer(SentencePieceModel model,
                                               const TokenizerConfig& config,
                                               const std::string& source)
    : m_model(std::move(model)) {
    if (m_model.modelType != SentencePieceModel::ModelType::Bpe)
        throw TokenizerError(
            source + ": SentencePiece model type " + std::to_string(int(m_model.modelType)) +
            " is not supported (only BPE models; unigram models need tokenizer.json)");
    if (!m_model.precompiledCharsmap.empty())
        throw TokenizerError(source + ": SentencePiece normalizer '" + m_model.normalizerName +
                             "' (precompiled character map) is not supported; only 'identity'");
    if (m_model.treatWhitespaceAsSuffix)
        throw TokenizerError(source +
                             ": SentencePiece treat_whitespace_as_suffix is not supported");

    std::fill(std::begin(m_byteIds), std::end(m_byteIds), -1);
    for (std::size_t i = 0; i < m_model.pieces.size(); ++i) {
        const auto& piece = m_model.pieces[i];
        const auto id = TokenId(i);
        switch (piece.type) {
        case PieceType::Normal:
        case PieceType::UserDefined:
        case PieceType::Unused:
            m_mergeable.emplace(piece.text, id);
            m_markerSplitter.addPiece(piece.text);
            if (piece.type == PieceType::UserDefined)
                m_userDefined.push_back(piece.text);
            m_hasUnused = m_hasUnused || piece.type == PieceType::Unused;
            break;
        case PieceType::Byte: {
            // sscanf's %02X took "<0x-2>" as 4294967294, an index far outside the byte table.
            const int value = byteTokenValue(piece.text);
            if (value < 0)
                throw TokenizerError(source + ": byte piece '" + piece.text +
                                     "' is not of the form <0xHH>");
            m_byteIds[value] = id;
            m_reserved.emplace(piece.text, id);
            break;
        }
        default:
            m_reserved.emplace(piece.text, id);
        }
    }
    if (m_model.byteFallback && std::count(std::begin(m_byteIds), std::end(m_byteIds), -1) > 0)
        throw TokenizerError(source +
                             ": byte_fallback is on but the 256 byte pieces are incomplete");
    // Longest first, so that prefix matching prefers the longest user-defined symbol.
    std::sort(m_userDefined.begin(), m_userDefined.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    m_splitOnMarker = m_model.escapeWhitespaces && !m_hasUnused;

    m_bos = lookupPiece(m_model, config.bos_token, m_model.bosId);
    m_eos = lookupPiece(m_model, config.eos_token, m_model.eosId);
    m_pad = lookupPiece(m_model, config.pad_token, m_model.padId);
    m_unk = lookupPiece(m_model, config.unk_token, m_model.unkId);
    m_addBos = config.add_bos_token.value_or(true);
    m_addEos = config.add_eos_token.value_or(false);
}

// ref: sentencepiece/src/normalizer.cc Normalizer::Normalize (identity rule: no character map).
std::string SentencePieceTokenizer::normalize(std::string_view input) const {
    std::string normalized;
    const bool removeExtra = m_model.removeExtraWhitespaces;
    if (removeExtra)
        while (!input.empty() && input.front() == ' ')
            input.remove_prefix(1);
    if (input.empty())
        return normalized; // all whitespace: no dummy prefix either
    const std::string_view space = m_model.escapeWhitespaces ? kSpaceSymbol : " ";
    if (m_model.addDummyPrefix)
        normalized += space;
    bool previousWasSpace = removeExtra;
    while (!input.empty()) {
        std::size_t length = spmUtf8Length(input);
        std::string_view piece = length ? input.substr(0, length) : kReplacementChar;
        if (length == 0)
            length = 1;
        input.remove_prefix(length);
        if (piece == " ") {
            if (previousWasSpace)
                continue;
            normalized += space;
            previousWasSpace = removeExtra;
        } else {
            normalized += piece;
            previousWasSpace = false;
        }
    }
    if (removeExtra)
        while (normalized.size() >= space.size() &&
               normalized.compare(normalized.size() - space.size(), space.size(), space) == 0)
            normalized.resize(normalized.size() - space.size());
    return normalized;
}

bool SentencePieceTokenizer::appendPiece(std::string_view piece, std::vector<TokenId>& ids,
                                         std::vector<std::string>* tokens) const {
    TokenId id = m_model.unkId;
    if (auto it = m_reserved.find(piece); it != m_reserved.end())
        id = it->second;
    else if (auto it2 = m_mergeable.find(piece); it2 != m_mergeable.end())
        id = it2->second;
    if (id == m_model.unkId && m_model.byteFallback) {
        // ref: sentencepiece_processor.cc Encode: an unknown piece becomes its UTF-8 bytes.
        for (unsigned char byte : piece) {
            ids.push_back(m_byteIds[byte]);
            if (tokens)
                tokens->push_back(m_model.pieces[std::size_t(m_byteIds[byte])].text);
        }
        return true;
    }
    ids.push_back(id);
    if (tokens)
        tokens->emplace_back(piece);
    return id != m_model.unkId || (id >= 0 && piece == m_model.pieces[std::size_t(id)].text);
}

// ref: sentencepiece/src/bpe_model.cc Model::Encode — repeatedly merge the adjacent pair whose
// concatenation is a piece with the highest score (leftmost on ties).
bool SentencePieceTokenizer::encodeBpe(std::string_view normalized, std::vector<TokenId>& ids,
                                       std::vector<std::string>* tokens) const {
    struct Symbol {
        int prev, next;
        std::string_view text;
        bool frozen;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(normalized.size());
    while (!normalized.empty()) {
        std::size_t length = 0;
        bool frozen = false;
        for (const auto& symbol : m_userDefined)
            if (normalized.substr(0, symbol.size()) == symbol) {
                length = symbol.size();
                frozen = true;
                break;
            }
        if (!length)
            length = std::max<std::size_t>(1, spmUtf8Length(normalized));
        const int index = int(symbols.size());
        symbols.push_back({index - 1, -1, normalized.substr(0, length), frozen});
        if (index > 0)
            symbols[std::size_t(index - 1)].next = index;
        normalized.remove_prefix(length);
    }

    struct Pair {
        int left, right;
        float score;
        std::size_t size;
    };
    const auto lower = [](const Pair& a, const Pair& b) {
        return a.score == b.score ? a.left > b.left : a.score < b.score;
    };
    std::vector<Pair> storage;
    storage.reserve(symbols.size());
    std::priority_queue<Pair, std::vector<Pair>, decltype(lower)> agenda(lower, std::move(storage));
    std::unordered_map<std::string_view, std::pair<std::string_view, std::string_view>>
        unusedSplits;

    const auto consider = [&](int left, int right) {
        if (left < 0 || right < 0)
            return;
        const auto& l = symbols[std::size_t(left)];
        const auto& r = symbols[std::size_t(right)];
        if (l.frozen || r.frozen)
            return;
        const std::string_view merged(l.text.data(), l.text.size() + r.text.size());
        const auto it = m_mergeable.find(merged);
        if (it == m_mergeable.end())
            return;
        agenda.push({left, right, m_model.pieces[std::size_t(it->second)].score, merged.size()});
    };
    for (std::size_t i = 1; i < symbols.size(); ++i)
        consider(int(i - 1), int(i));

    while (!agenda.empty()) {
        const Pair top = agenda.top();
        agenda.pop();
        auto& left = symbols[std::size_t(top.left)];
        auto& right = symbols[std::size_t(top.right)];
        if (left.text.empty() || right.text.empty() ||
            left.text.size() + right.text.size() != top.size)
            continue; // stale: one side was merged elsewhere since this pair was queued
        const std::string_view merged(left.text.data(), top.size);
        if (m_hasUnused)
            if (auto id = m_mergeable.find(merged);
                id != m_mergeable.end() && typeOf(id->second) == PieceType::Unused)
                unusedSplits[merged] = {left.text, right.text};
        left.text = merged;
        left.next = right.next;
        if (right.next >= 0)
            symbols[std::size_t(right.next)].prev = top.left;
        right.text = {};
        consider(left.prev, top.left);
        consider(top.left, left.next);
    }

    // ref: bpe_model.cc resegment — an UNUSED piece formed by merging is split back into its parts.
    bool clean = true;
    const std::function<void(std::string_view)> emit = [&](std::string_view piece) {
        if (m_hasUnused) {
            const auto it = m_mergeable.find(piece);
            if (it != m_mergeable.end() && typeOf(it->second) == PieceType::Unused) {
                if (auto split = unusedSplits.find(piece); split != unusedSplits.end()) {
                    emit(split->second.first);
                    emit(split->second.second);
                    return;
                }
            }
        }
        clean = appendPiece(piece, ids, tokens) && clean;
    };
    for (int index = symbols.empty() ? -1 : 0; index != -1;
         index = symbols[std::size_t(index)].next)
        emit(symbols[std::size_t(index)].text);
    return clean;
}

void SentencePieceTokenizer::encodeSegment(std::string_view segment, std::vector<TokenId>& ids,
                                           std::vector<std::string>* tokens) const {
    const std::size_t first = ids.size();
    const bool cacheable = m_cache.cacheable(segment);
    if (cacheable && m_cache.find(segment, ids)) {
        if (tokens) // cached segments hold no unknown surfaces: every piece is its vocabulary text
            for (std::size_t i = first; i < ids.size(); ++i)
                tokens->push_back(m_model.pieces[std::size_t(ids[i])].text);
        return;
    }
    if (encodeBpe(segment, ids, tokens) && cacheable)
        m_cache.insert(segment, std::span(ids).subspan(first));
}

void SentencePieceTokenizer::encodeNormalized(std::string_view normalized,
                                              std::vector<TokenId>& ids,
                                              std::vector<std::string>* tokens) const {
    if (!m_splitOnMarker)
        return encodeSegment(normalized, ids, tokens);
    for (std::size_t start = 0, end; start < normalized.size(); start = end) {
        end = m_markerSplitter.segmentEnd(normalized, start);
        encodeSegment(normalized.substr(start, end - start), ids, tokens);
    }
}

Encoding SentencePieceTokenizer::encode(std::string_view text, bool addSpecialTokens) const {
    Encoding out;
    if (addSpecialTokens && m_addBos && m_bos) {
        out.ids.push_back(*m_bos);
        out.tokens.push_back(idToToken(*m_bos));
    }
    encodeNormalized(normalize(text), out.ids, &out.tokens);
    if (addSpecialTokens && m_addEos && m_eos) {
        out.ids.push_back(*m_eos);
        out.tokens.push_back(idToToken(*m_eos));
    }
    return out;
}

std::vector<TokenId> SentencePieceTokenizer::encodeIds(std::string_view text,
                                                       bool addSpecialTokens) const {
    std::vector<TokenId> ids;
    if (addSpecialTokens && m_addBos && m_bos)
        ids.push_back(*m_bos);
    encodeNormalized(normalize(text), ids, nullptr);
    if (addSpecialTokens && m_addEos && m_eos)
        ids.push_back(*m_eos);
    return ids;
}

// ref: sentencepiece_processor.cc Decode / DecodeSentencePiece.
std::string SentencePieceTokenizer::decode(std::span<const TokenId> ids,
                                           bool skipSpecialTokens) const {
    std::string text, pendingBytes;
    bool atStart = true;
    const auto flushBytes = [&] {
        if (pendingBytes.empty())
            return;
        std::string surface;
        appendValidUtf8(surface, pendingBytes);
        pendingBytes.clear();
        text += surface;
        if (!surface.empty())
            atStart = false;
    };
    for (TokenId id : ids) {
        if (id < 0 || id >= TokenId(m_model.pieces.size()))
            throw InvalidArgument("decode: token id " + std::to_string(id) +
                                  " is outside the vocabulary (size " +
                                  std::to_string(m_model.pieces.size()) + ")");
        const auto& piece = m_model.pieces[std::size_t(id)];
        if (piece.type == PieceType::Byte) {
            pendingBytes += char(std::stoi(piece.text.substr(3, 2), nullptr, 16));
            continue;
        }
        flushBytes();
        if (piece.type == PieceType::Control)
            continue;
        std::string surface;
        bool consumedDummyPrefix = false;
        if (piece.type == PieceType::Unknown) {
            if (skipSpecialTokens)
                continue;
            surface = m_model.unkSurface;
        } else {
            std::string_view view = piece.text;
            if (atStart && m_model.addDummyPrefix &&
                view.substr(0, kSpaceSymbol.size()) == kSpaceSymbol) {
                view.remove_prefix(kSpaceSymbol.size());
                // With remove_extra_whitespaces every leading space goes, so a lone "▁" does not
                // end the start; otherwise only the first dummy-prefix space is dropped.
                consumedDummyPrefix = !m_model.removeExtraWhitespaces;
            }
            surface = replaceAll(std::string(view), kSpaceSymbol, " ");
        }
        text += surface;
        if (!surface.empty() || consumedDummyPrefix)
            atStart = false;
    }
    flushBytes();
    return text;
}

std::string SentencePieceTokenizer::idToToken(TokenId id) const {
    if (id < 0 || id >= TokenId(m_model.pieces.size()))
        throw InvalidArgument("token id " + std::to_string(id) + " is outside the vocabulary");
    return m_model.pieces[std::size_t(id)].text;
}

std::optional<TokenId> SentencePieceTokenizer::tokenToId(std::string_view token) const {
    if (auto it = m_reserved.find(token); it != m_reserved.end())
        return it->second;
    if (auto it = m_mergeable.find(token); it != m_mergeable.end())
        return it->second;
    return std::nullopt;
}

} // namespace anatomist::core
