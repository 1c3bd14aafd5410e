#pragma once
// One interface over SentencePiece (`tokenizer.model`) and Hugging Face `tokenizer.json`; the
// model folder decides which (tokenizer.json wins when both exist, as in transformers' fast path).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

// The byte a SentencePiece-style byte token names: "<0x0A>" -> 10 (exactly "<0x", two hex digits,
// ">"); -1 for any other text.
int byteTokenValue(std::string_view token);

using TokenId = int32_t;

struct Encoding {
    std::vector<TokenId> ids;
    // The token strings as the tokenizer names them ("Ġworld", "▁He", "<0x0A>"); one per id.
    std::vector<std::string> tokens;
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // addSpecialTokens follows the tokenizer's own rules: the post-processor of tokenizer.json, or
    // add_bos_token / add_eos_token of tokenizer_config.json for SentencePiece.
    virtual Encoding encode(std::string_view text, bool addSpecialTokens) const = 0;
    virtual std::vector<TokenId> encodeIds(std::string_view text, bool addSpecialTokens) const {
        return encode(text, addSpecialTokens).ids;
    }
    virtual std::string decode(std::span<const TokenId> ids,
                               bool skipSpecialTokens = false) const = 0;

    virtual std::string idToToken(TokenId id) const = 0;
    virtual std::optional<TokenId> tokenToId(std::string_view token) const = 0;
    virtual int64_t vocabSize() const = 0;
    virtual std::string kindName() const = 0; // "sentencepiece", "tokenizer.json"

    std::optional<TokenId> bosId() const { return m_bos; }
    std::optional<TokenId> eosId() const { return m_eos; }
    std::optional<TokenId> padId() const { return m_pad; }
    std::optional<TokenId> unkId() const { return m_unk; }

protected:
    std::optional<TokenId> m_bos, m_eos, m_pad, m_unk;
};

// The parts of tokenizer_config.json that decide special tokens. Token fields accept both the plain
// string form and the AddedToken object form ({"content": "<s>", ...}).
struct TokenizerConfig {
    std::optional<bool> add_bos_token;
    std::optional<bool> add_eos_token;
    std::optional<std::string> bos_token;
    std::optional<std::string> eos_token;
    std::optional<std::string> pad_token;
    std::optional<std::string> unk_token;
    std::optional<bool> clean_up_tokenization_spaces;
    std::optional<std::string> tokenizer_class;
    std::optional<int64_t> model_max_length;
};

// Missing file → all fields empty. Malformed file → TokenizerError naming it.
TokenizerConfig readTokenizerConfig(const std::filesystem::path& file);

// Loads the tokenizer of a model folder, or a tokenizer file given directly (tokenizer.json,
// *.model). Throws TokenizerError when there is none or it is malformed.
std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path& folderOrFile);

// True when the folder holds a tokenizer loadTokenizer can read.
bool hasTokenizer(const std::filesystem::path& folder);

} // namespace anatomist::core
