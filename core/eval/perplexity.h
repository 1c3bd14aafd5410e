#pragma once
// Perplexity by the protocol of ../shared/README.md: ids = [BOS] + tokens(document), every
// next-token position scored once, windows of the context with stride C/2, token-weighted mean NLL.

#include "tokenizer/tokenizer.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;
class TapListener;

struct PerplexityOptions {
    int64_t context = 0;         // 0: the model's max_position_embeddings
    int64_t stride = 0;          // 0: context / 2
    int64_t tokenBudget = 8192;  // tokens per batch (B × T)
    TapListener* taps = nullptr; // optional listener riding along (similarity during eval)
};

struct PerplexityResult {
    int64_t documents = 0;
    int64_t tokens_scored = 0;
    int64_t positions = 0;
    int64_t windows = 0;
    double nll = 0;
    double perplexity = 0;
    double seconds = 0;
};

// Documents → token ids, with BOS first when the tokenizer defines one.
std::vector<std::vector<TokenId>> tokenizeDocuments(const Tokenizer& tokenizer,
                                                    const std::vector<std::string>& documents);

// Throws InvalidArgument when nothing can be scored (no document with two tokens or more), and
// when an id lies outside the vocabulary.
PerplexityResult evaluatePerplexity(CausalLM& model,
                                    const std::vector<std::vector<TokenId>>& documents,
                                    const PerplexityOptions& options, JobContext& job);

nlohmann::json toJson(const PerplexityResult& result);

} // namespace anatomist::core
