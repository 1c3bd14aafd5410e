#pragma once
// Long documents are scored in windows [b, min(b + C, n)) for b = 0, S, 2S, ... (stride S = C/2);
// each window scores only the targets not scored before, and counts each position once (in the
// first window that contains it). Windows are grouped into right-padded batches.

#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <torch/types.h>
#include <vector>

namespace anatomist::core {

struct TokenWindow {
    std::size_t document = 0;
    int64_t begin = 0, end = 0;   // absolute token range of the document
    int64_t firstTarget = 1;      // absolute index of the first target this window scores
    int64_t firstNewPosition = 0; // absolute index of the first position first seen here
    int64_t length() const { return end - begin; }
};

std::vector<TokenWindow> planWindows(const std::vector<std::vector<TokenId>>& documents,
                                     int64_t context, int64_t stride);

struct WindowBatch {
    std::vector<const TokenWindow*> windows;
    torch::Tensor ids;           // int64 [B, T], right-padded with 0
    torch::Tensor valid;         // bool [B, T]
    torch::Tensor scoredTargets; // bool [B, T]: position p's prediction of token p+1 is scored
    torch::Tensor newPositions;  // bool [B, T]: position first seen in this window
};

// Batches windows of similar length (longest first) so that B × T stays within tokenBudget.
std::vector<WindowBatch> batchWindows(const std::vector<std::vector<TokenId>>& documents,
                                      const std::vector<TokenWindow>& windows, int64_t tokenBudget,
                                      int64_t maxBatch = 64);

struct ModelConfig;

// Everything a scoring pass over documents needs: the context (0 → the model's
// max_position_embeddings) and stride (0 → context / 2) resolved, every id checked against the
// vocabulary, the windows planned and batched. Move-only: batches point into windows.
struct ScoringPlan {
    int64_t context = 0, stride = 0;
    int64_t documents = 0; // non-empty ones
    std::vector<TokenWindow> windows;
    std::vector<WindowBatch> batches;

    ScoringPlan() = default;
    ScoringPlan(ScoringPlan&&) = default;
    ScoringPlan& operator=(ScoringPlan&&) = default;
    ScoringPlan(const ScoringPlan&) = delete;
    ScoringPlan& operator=(const ScoringPlan&) = delete;
};

// Throws InvalidArgument naming the first id outside the vocabulary.
ScoringPlan planScoring(const std::vector<std::vector<TokenId>>& documents,
                        const ModelConfig& config, int64_t context, int64_t stride,
                        int64_t tokenBudget);

} // namespace anatomist::core
