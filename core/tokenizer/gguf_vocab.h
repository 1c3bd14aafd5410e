#pragma once
// The tokenizer stored in a GGUF file's tokenizer.ggml.* keys. The SentencePiece-style "llama"
// vocabulary (tokens, scores, token types) runs on the in-house SentencePiece BPE tokenizer; the
// byte-level BPE "gpt2" vocabulary on the Hugging Face tokenizer (gguf_bpe_vocab.h).
// ref: llama.cpp src/llama-vocab.cpp (LLAMA_VOCAB_TYPE_SPM), gguf-py constants.py (Keys.Tokenizer)

#include "tokenizer/sentencepiece_model.h"
#include "tokenizer/tokenizer.h"

#include <memory>

namespace anatomist::core {

class GgufFile;

// True when the file holds a vocabulary tokenizerFromGguf reads (models with another one load
// without a tokenizer, like a folder without tokenizer files).
bool hasGgufVocabulary(const GgufFile& file);

// The SentencePiece model a "llama" vocabulary describes (TokenizerError naming the file and key).
SentencePieceModel sentencePieceFromGguf(const GgufFile& file);

// Throws TokenizerError for vocabulary types other than "llama" and "gpt2".
std::unique_ptr<Tokenizer> tokenizerFromGguf(const GgufFile& file);

} // namespace anatomist::core
