#pragma once
// The byte-level BPE vocabulary of GGUF files (tokenizer.ggml.model = "gpt2": tokens, token types,
// merges and the pre-tokenizer type tokenizer.ggml.pre) in both directions. Import describes the
// vocabulary as a tokenizer.json document and runs it on the in-house Hugging Face tokenizer;
// export writes the keys for a tokenizer.json whose pre-tokenizer is one llama.cpp knows.
// Pre-tokenizer types (llama.cpp's regexes, which equal the Hugging Face files'): "gpt-2"
// (ByteLevel with its own regex), "llama-bpe" (Llama 3; merges ignored for whole-word tokens),
// "qwen2", "gpt-4o". llama.cpp applies no normalizer, so neither does the import (a Qwen
// tokenizer.json's NFC step is not in the GGUF file).
// ref: llama.cpp src/llama-vocab.cpp (LLAMA_VOCAB_TYPE_BPE, llm_tokenizer_bpe),
//      convert_hf_to_gguf.py (get_vocab_base, get_vocab_base_pre), gguf-py constants.py TokenType

#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <string>

namespace anatomist::core {

class GgufFile;
class GgufWriter;

// The tokenizer.json document a "gpt2" vocabulary describes (TokenizerError naming the file and
// the key: missing tokens or merges, an unknown pre-tokenizer type, bad token types or ids).
std::string hfTokenizerJsonFromGguf(const GgufFile& file);

std::unique_ptr<Tokenizer> bpeTokenizerFromGguf(const GgufFile& file);

// True for the pre-tokenizer types above (and their older names).
bool isKnownGgufPreTokenizer(const std::string& name);

// llama.cpp's name for the pre-tokenizer of a tokenizer.json ("gpt-2", "llama-bpe", ...), "" when
// it is none of the known ones (or the model is not a byte-level BPE).
std::string ggufPreTokenizerName(const std::filesystem::path& tokenizerJson);

// Writes the tokenizer.ggml.* keys of a byte-level BPE tokenizer.json (tokens padded with
// "[PADn]" up to `vocabSize` rows, as llama.cpp's converter does). False, with nothing written,
// when ggufPreTokenizerName is "".
bool writeGgufBpeVocabulary(const std::filesystem::path& tokenizerJson,
                            const TokenizerConfig& config, int64_t vocabSize, GgufWriter& writer);

} // namespace anatomist::core
