#pragma once
// `tokenize --file F --bench`: encoding throughput on one thread, file reading and tokenizer
// loading excluded. With `--chunk lines` every non-empty line is encoded by its own call, the
// chunking benchmarks/tokenizer_vs_hf_tokenizers.sh gives the Rust `tokenizers` library too; the
// printed ids_hash lets it check that both produced the same ids.

#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace anatomist::cli {

enum class BenchChunking { Whole, Lines };

struct TokenizeBenchOptions {
    BenchChunking chunking = BenchChunking::Whole;
    bool special = false;
    int minPasses = 3;       // steady passes after the first (cold-cache) one
    double minSeconds = 1.0; // ... and at least this long in total
    bool json = false;
};

// The chunks `text` is encoded as: the whole text, or its non-empty lines without the '\n'.
std::vector<std::string_view> benchChunks(std::string_view text, BenchChunking chunking);

// FNV-1a over (id + 1) per token, then 0 per chunk end, in 32 bits: simple to compute the same way
// in JavaScript (Math.imul), and sensitive to where the chunk boundaries fall.
uint32_t tokenIdsHash(uint32_t hash, const std::vector<core::TokenId>& ids);
constexpr uint32_t kTokenIdsHashSeed = 2166136261u;

int runTokenizeBench(const core::Tokenizer& tokenizer, const std::string& text,
                     const TokenizeBenchOptions& options);

} // namespace anatomist::cli
