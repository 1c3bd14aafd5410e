#include "token_windows.h"

#include "errors.h"
#include "io/model_config.h"

#include <algorithm>
#include <torch/types.h>

namespace anatomist::core {

std::vector<TokenWindow> planWindows(const std::vector<std::vector<TokenId>>& documents,
                                     int64_t context, int64_t stride) {
    if (context < 2)
        throw InvalidArgument("context must be at least 2 tokens");
    if (stride < 1 || stride > context)
        throw InvalidArgument("stride must be in [1, context]");
    std::vector<TokenWindow> windows;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        const auto n = static_cast<int64_t>(documents[d].size());
        if (n == 0)
            continue;
        int64_t seenUpTo = 0;
        for (int64_t b = 0;; b += stride) {
            const int64_t e = std::min(b + context, n);
            TokenWindow w;
            w.document = d;
            w.begin = b;
            w.end = e;
            w.firstNewPosition = seenUpTo;
            w.firstTarget = std::max<int64_t>(seenUpTo, b + 1);
            windows.push_back(w);
            seenUpTo = e;
            if (e == n)
                break;
        }
    }
    return windows;
}

std::vector<WindowBatch> batchWindows(const std::vector<std::vector<TokenId>>& documents,
                                      const std::vector<TokenWindow>& windows, int64_t tokenBudget,
                                      int64_t maxBatch) {
    std::vector<const TokenWindow*> order;
    for (const auto& w : windows)
        order.push_back(&w);
    std::stable_sort(order.begin(), order.end(),
                     [](auto* a, auto* b) { return a->length() > b->length(); });
    std::vector<WindowBatch> batches;
    std::size_t i = 0;
    while (i < order.size()) {
        const int64_t T = order[i]->length(); // longest of this batch (sorted)
        const int64_t rows =
            std::clamp<int64_t>(tokenBudget / std::max<int64_t>(T, 1), 1, maxBatch);
        WindowBatch batch;
        for (int64_t r = 0; r < rows && i < order.size(); ++r, ++i)
            batch.windows.push_back(order[i]);
        const auto B = static_cast<int64_t>(batch.windows.size());
        batch.ids = torch::zeros({B, T}, torch::kInt64);
        batch.valid = torch::zeros({B, T}, torch::kBool);
        batch.scoredTargets = torch::zeros({B, T}, torch::kBool);
        batch.newPositions = torch::zeros({B, T}, torch::kBool);
        auto ids = batch.ids.accessor<int64_t, 2>();
        auto valid = batch.valid.accessor<bool, 2>();
        auto scored = batch.scoredTargets.accessor<bool, 2>();
        auto fresh = batch.newPositions.accessor<bool, 2>();
        for (int64_t r = 0; r < B; ++r) {
            const TokenWindow& w = *batch.windows[static_cast<std::size_t>(r)];
            const auto& doc = documents[w.document];
            for (int64_t p = 0; p < w.length(); ++p) {
                const int64_t absolute = w.begin + p;
                ids[r][p] = doc[static_cast<std::size_t>(absolute)];
                valid[r][p] = true;
                fresh[r][p] = absolute >= w.firstNewPosition;
                // position p predicts token p + 1
                scored[r][p] = absolute + 1 < w.end && absolute + 1 >= w.firstTarget;
            }
        }
        batches.push_back(std::move(batch));
    }
    return batches;
}

ScoringPlan planScoring(const std::vector<std::vector<TokenId>>& documents,
                        const ModelConfig& config, int64_t context, int64_t stride,
                        int64_t tokenBudget) {
    ScoringPlan plan;
    plan.context = context > 0 ? context : config.max_position_embeddings;
    plan.stride = stride > 0 ? stride : std::max<int64_t>(1, plan.context / 2);
    for (const auto& doc : documents) {
        for (TokenId id : doc)
            if (id < 0 || id >= config.vocab_size)
                throw InvalidArgument("token id " + std::to_string(id) +
                                      " is outside the model's vocabulary (" +
                                      std::to_string(config.vocab_size) + ")");
        if (!doc.empty())
            ++plan.documents;
    }
    plan.windows = planWindows(documents, plan.context, plan.stride);
    plan.batches = batchWindows(documents, plan.windows, tokenBudget);
    return plan;
}

} // namespace anatomist::core
