#pragma once
// Logit lens: what each layer's residual stream would predict if it were the last one. For every
// layer ℓ and position t, x_out^ℓ[t] goes through the model's own final norm and unembedding
// (CausalLM::finalNorm, CausalLM::lmHead, soft-capping included), then softmax; the top-k tokens
// and their probabilities are kept. The last layer's row is therefore the model's own prediction.

#include "tokenizer/tokenizer.h"

#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;

struct LogitLensCell {
    std::vector<TokenId> ids;        // top-k, most probable first
    std::vector<std::string> tokens; // one per id (filled when a tokenizer is given)
    std::vector<double> probs;       // softmax probabilities (float64)
};

struct LogitLensResult {
    std::vector<TokenId> ids;        // the prompt
    std::vector<std::string> tokens; // the prompt's tokens (with a tokenizer)
    int k = 0;
    std::vector<std::vector<LogitLensCell>> layers; // [layer][position]
};

// k is clamped to the vocabulary size. InvalidArgument for empty ids or k < 1.
LogitLensResult logitLens(CausalLM& model, const std::vector<TokenId>& ids, int k, JobContext& job,
                          const Tokenizer* tokenizer = nullptr);

} // namespace anatomist::core
