#pragma once

#include "tokenizer.h"

#include <filesystem>
#include <memory>

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace anatomist::core {

// A SentencePiece `tokenizer.model` (libsentencepiece). BOS/EOS and whether they are added come from
// tokenizer_config.json when given, else from the model (LlamaTokenizer defaults: BOS on, EOS off).
class SentencePieceTokenizer final : public Tokenizer {
public:
    SentencePieceTokenizer(const std::filesystem::path& modelFile, const TokenizerConfig& config);
    ~SentencePieceTokenizer() override;

    Encoding encode(std::string_view text, bool addSpecialTokens) const override;
    std::vector<TokenId> encodeIds(std::string_view text, bool addSpecialTokens) const override;
    std::string decode(std::span<const TokenId> ids, bool skipSpecialTokens) const override;
    std::string idToToken(TokenId id) const override;
    std::optional<TokenId> tokenToId(std::string_view token) const override;
    int64_t vocabSize() const override;
    std::string kindName() const override { return "sentencepiece"; }

private:
    void addSpecial(std::vector<TokenId>& ids) const;

    std::unique_ptr<sentencepiece::SentencePieceProcessor> m_sp;
    bool m_addBos = true;
    bool m_addEos = false;
};

} // namespace anatomist::core
