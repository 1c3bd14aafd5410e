#include "tokenizer/gguf_vocab.h"

#include "errors.h"
#include "io/gguf_reader.h"
#include "tokenizer/gguf_bpe_vocab.h"
#include "tokenizer/sentencepiece_tokenizer.h"

namespace anatomist::core {

bool hasGgufVocabulary(const GgufFile& file) {
    const auto* model = file.find("tokenizer.ggml.model");
    if (!model || model->type != GgufType::String)
        return false;
    // A BPE vocabulary with a pre-tokenizer Anatomist does not know loads no tokenizer.
    return model->s == "llama" ||
           (model->s == "gpt2" &&
            isKnownGgufPreTokenizer(file.optionalString("tokenizer.ggml.pre").value_or("gpt-2")));
}

SentencePieceModel sentencePieceFromGguf(const GgufFile& f) {
    const std::string where = f.path().string();
    auto tokens = f.optionalStringArray("tokenizer.ggml.tokens");
    if (!tokens || tokens->empty())
        throw TokenizerError(where + ": key 'tokenizer.ggml.tokens' is missing or empty");
    const auto scores = f.optionalNumberArray("tokenizer.ggml.scores");
    const auto types = f.optionalIntArray("tokenizer.ggml.token_type");
    if (scores && scores->size() != tokens->size())
        throw TokenizerError(where + ": key 'tokenizer.ggml.scores' has " +
                             std::to_string(scores->size()) + " entries for " +
                             std::to_string(tokens->size()) + " tokens");
    if (types && types->size() != tokens->size())
        throw TokenizerError(where + ": key 'tokenizer.ggml.token_type' has " +
                             std::to_string(types->size()) + " entries for " +
                             std::to_string(tokens->size()) + " tokens");

    SentencePieceModel m;
    m.modelType = SentencePieceModel::ModelType::Bpe;
    int bytePieces = 0;
    m.pieces.reserve(tokens->size());
    for (std::size_t i = 0; i < tokens->size(); ++i) {
        SentencePieceModel::Piece piece;
        piece.text = std::move((*tokens)[i]);
        piece.score = scores ? float((*scores)[i]) : 0.0f;
        // ref: llama_token_type: the numbering of SentencePiece's piece types
        const int64_t type = types ? (*types)[i] : 1;
        if (type < 1 || type > 6)
            throw TokenizerError(where + ": key 'tokenizer.ggml.token_type' entry " +
                                 std::to_string(i) + " is " + std::to_string(type) +
                                 " (expected 1 to 6)");
        piece.type = static_cast<SentencePieceModel::PieceType>(type);
        bytePieces += piece.type == SentencePieceModel::PieceType::Byte;
        m.pieces.push_back(std::move(piece));
    }
    // llama.cpp falls back to <0xXX> pieces whenever the vocabulary has them.
    m.byteFallback = bytePieces == 256;
    auto id = [&](const char* key, int32_t fallback) {
        const auto v = f.optionalInt(key).value_or(fallback);
        if (v >= int64_t(m.pieces.size()))
            throw TokenizerError(where + ": key '" + key + "' is " + std::to_string(v) +
                                 ", outside the vocabulary of " + std::to_string(m.pieces.size()));
        return static_cast<int32_t>(v);
    };
    m.unkId = id("tokenizer.ggml.unknown_token_id", 0);
    m.bosId = id("tokenizer.ggml.bos_token_id", 1);
    m.eosId = id("tokenizer.ggml.eos_token_id", 2);
    m.padId = id("tokenizer.ggml.padding_token_id", -1);
    m.normalizerName = "identity";
    m.addDummyPrefix = f.optionalBool("tokenizer.ggml.add_space_prefix").value_or(true);
    // llama.cpp's SPM tokenizer keeps leading spaces and runs of spaces (SentencePiece's
    // remove_extra_whitespaces is not in GGUF): a GGUF file tokenizes as llama.cpp tokenizes it.
    m.removeExtraWhitespaces = false;
    return m;
}

std::unique_ptr<Tokenizer> tokenizerFromGguf(const GgufFile& f) {
    const std::string model = f.requireString("tokenizer.ggml.model");
    if (model == "gpt2")
        return bpeTokenizerFromGguf(f);
    if (model != "llama")
        throw TokenizerError(f.path().string() + ": GGUF vocabulary type '" + model +
                             "' is not supported yet (only the SentencePiece-style 'llama' and the "
                             "byte-level BPE 'gpt2')");
    TokenizerConfig config;
    // ref: llama-vocab.cpp: SPM vocabularies add BOS and not EOS unless the keys say otherwise
    config.add_bos_token = f.optionalBool("tokenizer.ggml.add_bos_token").value_or(true);
    config.add_eos_token = f.optionalBool("tokenizer.ggml.add_eos_token").value_or(false);
    return std::make_unique<SentencePieceTokenizer>(sentencePieceFromGguf(f), config,
                                                    f.path().string());
}

} // namespace anatomist::core
