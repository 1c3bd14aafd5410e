#pragma once
// A SentencePiece `tokenizer.model` (BPE models, identity normalization: Llama 1/2, Mistral v1,
// TinyLlama, llama2.c), implemented in-house to the behaviour of sentencepiece 0.1.97.
// BOS/EOS and whether they are added come from tokenizer_config.json when given, else from the
// model (LlamaTokenizer defaults: BOS on, EOS off).

#include "marker_split.h"
#include "sentencepiece_model.h"
#include "tokenizer.h"
#include "word_cache.h"

#include <filesystem>
#include <string>
#include <unordered_map>

namespace anatomist::core {

class SentencePieceTokenizer final : public Tokenizer {
public:
    SentencePieceTokenizer(const std::filesystem::path& modelFile, const TokenizerConfig& config);
    SentencePieceTokenizer(SentencePieceModel model, const TokenizerConfig& config,
                           const std::string& source);

    Encoding encode(std::string_view text, bool addSpecialTokens) const override;
    // As encode(...).ids without building the piece strings.
    std::vector<TokenId> encodeIds(std::string_view text, bool addSpecialTokens) const override;
    std::string decode(std::span<const TokenId> ids, bool skipSpecialTokens = false) const override;
    std::string idToToken(TokenId id) const override;
    std::optional<TokenId> tokenToId(std::string_view token) const override;
    int64_t vocabSize() const override { return int64_t(m_model.pieces.size()); }
    std::string kindName() const override { return "sentencepiece"; }

    // The normalized form BPE works on ("▁Hello▁world"), exposed for tests.
    std::string normalize(std::string_view text) const;
    // The per-segment cache (lookups, hits, entries), read by tests as a guard.
    WordCacheStats wordCacheStats() const { return m_cache.stats(); }

private:
    using PieceType = SentencePieceModel::PieceType;

    using PieceMap = std::unordered_map<std::string, TokenId, StringViewHash, std::equal_to<>>;

    // Appends the ids (and, when `tokens` is given, the pieces) of a normalized text.
    void encodeNormalized(std::string_view normalized, std::vector<TokenId>& ids,
                          std::vector<std::string>* tokens) const;
    void encodeSegment(std::string_view segment, std::vector<TokenId>& ids,
                       std::vector<std::string>* tokens) const;
    // BPE over one segment; false when an unknown piece was emitted under its own surface, which
    // the ids alone do not tell (such segments are not cached).
    bool encodeBpe(std::string_view segment, std::vector<TokenId>& ids,
                   std::vector<std::string>* tokens) const;
    bool appendPiece(std::string_view piece, std::vector<TokenId>& ids,
                     std::vector<std::string>* tokens) const;
    PieceType typeOf(TokenId id) const { return m_model.pieces[std::size_t(id)].type; }

    SentencePieceModel m_model;
    PieceMap m_mergeable;                   // NORMAL, USER_DEFINED, UNUSED
    PieceMap m_reserved;                    // CONTROL, UNKNOWN, BYTE
    std::vector<std::string> m_userDefined; // matched whole, never split
    TokenId m_byteIds[256];
    bool m_addBos = true;
    bool m_addEos = false;
    bool m_hasUnused = false;
    // Long texts are cut into independent segments (marker_split.h), except when UNUSED pieces
    // exist: their re-segmentation reads every split made in the whole text.
    bool m_splitOnMarker = false;
    MarkerSplitter m_markerSplitter;
    WordCache m_cache;
};

} // namespace anatomist::core
