#pragma once
// Inputs of the analyses: text corpora (plain text split on blank lines, or JSONL with a "text"
// field), contrastive prompt pairs (JSONL or CSV with a, b and optional category, attribute_a,
// attribute_b) and right-padded batches of token ids.

#include "analysis/dataset_files.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <torch/types.h>
#include <utility>
#include <vector>

namespace anatomist::core {

// Token ids of a prompt for analysis: [BOS] + tokens (BOS when the tokenizer defines one).
std::vector<TokenId> promptIds(const Tokenizer& tokenizer, std::string_view text);

struct PaddedBatch {
    torch::Tensor ids;   // int64 [B, T], right-padded with `pad`
    torch::Tensor valid; // bool [B, T]
};
PaddedBatch padSequences(const std::vector<std::vector<TokenId>>& sequences, TokenId pad = 0);

} // namespace anatomist::core
