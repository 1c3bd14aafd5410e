#include "token_batcher.h"

#include "errors.h"

#include <random>
#include <torch/torch.h>

namespace anatomist::core {

TokenBatcher::TokenBatcher(const std::vector<std::vector<TokenId>>& documents, int64_t seqLen,
                           uint64_t seed)
    : m_seed(seed) {
    if (seqLen < 1)
        throw InvalidArgument("training sequence length must be at least 1, got " +
                              std::to_string(seqLen));
    for (const auto& doc : documents) {
        const auto n = static_cast<int64_t>(doc.size());
        for (int64_t begin = 0; begin + 1 < n; begin += seqLen) {
            const int64_t end = std::min(n, begin + seqLen + 1);
            m_windows.emplace_back(doc.begin() + begin, doc.begin() + end);
            m_tokens += end - begin - 1;
        }
    }
    if (m_windows.empty())
        throw InvalidArgument("training data holds no document with two tokens or more");
}

void TokenBatcher::setPosition(BatcherPosition position) {
    if (position.epoch < 0 || position.cursor < 0 || position.cursor > windowCount())
        throw InvalidArgument("data position (epoch " + std::to_string(position.epoch) +
                              ", window " + std::to_string(position.cursor) + ") is outside the " +
                              std::to_string(windowCount()) + " windows of the training data");
    m_position = position;
}

void TokenBatcher::shuffleEpoch() {
    // Fisher–Yates with a fixed engine (std::shuffle's algorithm is implementation-defined).
    const auto n = static_cast<int64_t>(m_windows.size());
    m_order.resize(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        m_order[static_cast<std::size_t>(i)] = i;
    std::mt19937_64 engine(m_seed * 0x9E3779B97F4A7C15ull +
                           static_cast<uint64_t>(m_position.epoch));
    for (int64_t i = n - 1; i > 0; --i) {
        const auto j = static_cast<int64_t>(engine() % static_cast<uint64_t>(i + 1));
        std::swap(m_order[static_cast<std::size_t>(i)], m_order[static_cast<std::size_t>(j)]);
    }
    m_orderEpoch = m_position.epoch;
}

TrainBatch TokenBatcher::next(int64_t batchSize) {
    std::vector<std::vector<TokenId>> picked;
    while (static_cast<int64_t>(picked.size()) < batchSize) {
        if (m_position.cursor >= windowCount()) {
            ++m_position.epoch;
            m_position.cursor = 0;
        }
        if (m_orderEpoch != m_position.epoch)
            shuffleEpoch();
        picked.push_back(m_windows[static_cast<std::size_t>(
            m_order[static_cast<std::size_t>(m_position.cursor++)])]);
    }
    return makeBatch(picked);
}

TrainBatch TokenBatcher::makeBatch(const std::vector<std::vector<TokenId>>& sequences) {
    const auto B = static_cast<int64_t>(sequences.size());
    int64_t T = 1;
    for (const auto& s : sequences) {
        if (s.size() < 2)
            throw InvalidArgument("a training sequence needs at least two tokens");
        T = std::max<int64_t>(T, static_cast<int64_t>(s.size()) - 1);
    }
    auto ids = torch::zeros({B, T}, torch::kInt64);
    auto targets = torch::zeros({B, T}, torch::kInt64);
    auto valid = torch::zeros({B, T}, torch::kBool);
    auto idsA = ids.accessor<int64_t, 2>();
    auto targetsA = targets.accessor<int64_t, 2>();
    auto validA = valid.accessor<bool, 2>();
    int64_t count = 0;
    for (int64_t b = 0; b < B; ++b) {
        const auto& s = sequences[static_cast<std::size_t>(b)];
        const auto len = static_cast<int64_t>(s.size()) - 1;
        for (int64_t t = 0; t < len; ++t) {
            idsA[b][t] = s[static_cast<std::size_t>(t)];
            targetsA[b][t] = s[static_cast<std::size_t>(t + 1)];
            validA[b][t] = true;
        }
        count += len;
    }
    return {ids, valid, targets, valid, count};
}

} // namespace anatomist::core
