#include "train/sharded_perplexity.h"

#include "errors.h"
#include "train/communicator.h"

#include <chrono>
#include <cmath>
#include <torch/types.h>

namespace anatomist::core {

std::vector<std::vector<TokenId>> documentShare(const std::vector<std::vector<TokenId>>& documents,
                                                int rank, int size) {
    TORCH_CHECK(size >= 1 && rank >= 0 && rank < size, "documentShare: rank ", rank,
                " outside a world of ", size);
    std::vector<std::vector<TokenId>> share;
    int64_t index = 0;
    for (const auto& doc : documents) {
        if (doc.size() < 2)
            continue;
        if (index++ % size == rank)
            share.push_back(doc);
    }
    return share;
}

PerplexityResult shardedPerplexity(CausalLM& model,
                                   const std::vector<std::vector<TokenId>>& documents,
                                   const PerplexityOptions& options, Communicator* communicator,
                                   JobContext& job) {
    if (!communicator || communicator->size() == 1)
        return evaluatePerplexity(model, documents, options, job);
    const auto start = std::chrono::steady_clock::now();
    const auto share = documentShare(documents, communicator->rank(), communicator->size());
    // Σ NLL, tokens, positions, windows of this rank; counts stay exact in float64 below 2^53.
    auto sums = torch::zeros({4}, torch::kFloat64);
    if (!share.empty()) {
        const auto local = evaluatePerplexity(model, share, options, job);
        sums[0] = local.nll * double(local.tokens_scored);
        sums[1] = double(local.tokens_scored);
        sums[2] = double(local.positions);
        sums[3] = double(local.windows);
    }
    communicator->allReduceSum(sums);
    PerplexityResult result;
    for (const auto& doc : documents)
        result.documents += !doc.empty();
    result.tokens_scored = int64_t(std::llround(sums[1].item<double>()));
    result.positions = int64_t(std::llround(sums[2].item<double>()));
    result.windows = int64_t(std::llround(sums[3].item<double>()));
    if (result.tokens_scored == 0)
        throw InvalidArgument("nothing to score: every document has fewer than two tokens");
    result.nll = sums[0].item<double>() / double(result.tokens_scored);
    result.perplexity = std::exp(result.nll);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace anatomist::core
