#pragma once
// A SentencePiece `tokenizer.model` (BPE models, identity normalization: Llama 1/2, Mistral v1,
// TinyLlama, llama2.c), implemented in-house to the behaviour of sentencepiece 0.1.97.
// BOS/EOS and whether they are added come from tokenizer_config.json when given, else from the
// model (LlamaTokenizer defaults: BOS on, EOS off).

#include "sentencepiece_model.h"
#include "tokenizer.h"

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
    std::string decode(std::span<const TokenId> ids, bool skipSpecialTokens = false) const override;
    std::string idToToken(TokenId id) const override;
    std::optional<TokenId> tokenToId(std::string_view token) const override;
    int64_t vocabSize() const override { return int64_t(m_model.pieces.size()); }
    std::string kindName() const override { return "sentencepiece"; }

    // The normalized form BPE works on ("▁Hello▁world"), exposed for tests.
    std::string normalize(std::string_view text) const;

private:
    using PieceType = SentencePieceModel::PieceType;

    void encodeBpe(std::string_view normalized, Encoding& out) const;
    void appendPiece(std::string_view piece, Encoding& out) const;
    PieceType typeOf(TokenId id) const { return m_model.pieces[std::size_t(id)].type; }

    SentencePieceModel m_model;
    std::unordered_map<std::string, TokenId> m_mergeable; // NORMAL, USER_DEFINED, UNUSED
    std::unordered_map<std::string, TokenId> m_reserved;  // CONTROL, UNKNOWN, BYTE
    std::vector<std::string> m_userDefined;               // matched whole, never split
    TokenId m_byteIds[256];
    bool m_addBos = true;
    bool m_addEos = false;
};

} // namespace anatomist::core
