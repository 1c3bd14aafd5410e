#pragma once
// The training data pipeline: token documents → windows of at most seqLen + 1 tokens (consecutive
// windows of a document overlap by one token, so every next-token target is trained once per
// epoch) → a seeded shuffle per epoch → right-padded batches with padding masks.
//
// The position in the stream is two integers (epoch, cursor), which checkpoints save; the order of
// epoch e depends only on (seed, e), so a resumed run sees exactly the batches it would have seen.

#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <torch/types.h>
#include <vector>

namespace anatomist::core {

struct TrainBatch {
    torch::Tensor ids;        // int64 [B, T], right-padded with 0
    torch::Tensor attention;  // bool [B, T]: real tokens
    torch::Tensor targets;    // int64 [B, T]: the next token (0 where not scored)
    torch::Tensor targetMask; // bool [B, T]: position t's prediction of token t+1 is trained
    int64_t targetCount = 0;  // targetMask.sum()
};

struct BatcherPosition {
    int64_t epoch = 0;
    int64_t cursor = 0; // windows of this epoch already handed out
};

class TokenBatcher {
public:
    // Throws InvalidArgument when no document has two tokens or more, or seqLen < 1.
    TokenBatcher(const std::vector<std::vector<TokenId>>& documents, int64_t seqLen, uint64_t seed);

    // The next batchSize windows in shuffled order, crossing into the next epoch when needed.
    TrainBatch next(int64_t batchSize);

    BatcherPosition position() const { return m_position; }
    void setPosition(BatcherPosition position);
    int64_t windowCount() const { return static_cast<int64_t>(m_windows.size()); }
    int64_t tokenCount() const { return m_tokens; }
    // Every window (inputs and the last target), in data order: what a teacher-logit cache keys on.
    const std::vector<std::vector<TokenId>>& windows() const { return m_windows; }

    // Right-padded batch of explicit token sequences (each at least two tokens), for tests.
    static TrainBatch makeBatch(const std::vector<std::vector<TokenId>>& sequences);

private:
    void shuffleEpoch();

    std::vector<std::vector<TokenId>> m_windows;
    std::vector<int64_t> m_order;
    uint64_t m_seed;
    int64_t m_tokens = 0;
    int64_t m_orderEpoch = -1;
    BatcherPosition m_position;
};

} // namespace anatomist::core
