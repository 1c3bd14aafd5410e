#pragma once
// A Hugging Face tokenizer.json, id-exact with the Rust `tokenizers` library for BPE models
// (Llama 3, Qwen 2/3, Gemma 3, Mistral, GPT-2/4o style). The pipeline per input, as in
// tokenizers: split on added tokens → normalizer → pre-tokenizer → BPE → post-processor (only
// with special tokens). Components outside what is implemented are rejected at load time with a
// TokenizerError naming the JSON path, never silently ignored.

#include "tokenizer.h"
#include "word_cache.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace anatomist::core {

class HfAddedVocabulary;
class HfBpeModel;
class HfDecoder;
class HfNormalizer;
class HfPostProcessor;
class HfPreTokenizer;

class HfTokenizer final : public Tokenizer {
public:
    // Reads the file; BOS/EOS/PAD/UNK names come from `config` (tokenizer_config.json).
    HfTokenizer(const std::filesystem::path& file, const TokenizerConfig& config);
    // Parses tokenizer.json text; `source` names it in error messages.
    HfTokenizer(std::string_view json, const TokenizerConfig& config, const std::string& source);
    ~HfTokenizer() override;

    // Thread-safe. Input that is not valid UTF-8 is read lossily (U+FFFD per bad sequence).
    Encoding encode(std::string_view text, bool addSpecialTokens) const override;
    // As encode(...).ids without building the token strings.
    std::vector<TokenId> encodeIds(std::string_view text, bool addSpecialTokens) const override;
    std::string decode(std::span<const TokenId> ids, bool skipSpecialTokens) const override;
    std::string idToToken(TokenId id) const override;
    std::optional<TokenId> tokenToId(std::string_view token) const override;
    // Largest id plus one (vocabularies may have holes), i.e. the embedding rows a model needs.
    int64_t vocabSize() const override;
    std::string kindName() const override { return "tokenizer.json"; }
    // The BPE model's per-word cache (lookups, hits, entries), read by tests as a guard.
    WordCacheStats wordCacheStats() const;

private:
    void parse(std::string_view json, const std::string& source);
    std::vector<TokenId> encodeRaw(std::string_view input) const; // before post-processing
    void encodeSection(std::string_view section, bool atStart, std::vector<TokenId>& ids) const;
    void applyConfig(const TokenizerConfig& config);

    std::unique_ptr<HfAddedVocabulary> m_added;
    std::unique_ptr<HfNormalizer> m_normalizer;
    std::unique_ptr<HfPreTokenizer> m_preTokenizer;
    std::unique_ptr<HfBpeModel> m_model;
    std::unique_ptr<HfPostProcessor> m_postProcessor;
    std::unique_ptr<HfDecoder> m_decoder;
};

} // namespace anatomist::core
