#include "analysis/datasets.h"

#include <algorithm>

namespace anatomist::core {

std::vector<TokenId> promptIds(const Tokenizer& tokenizer, std::string_view text) {
    std::vector<TokenId> ids;
    if (auto bos = tokenizer.bosId())
        ids.push_back(*bos);
    const auto body = tokenizer.encodeIds(text, /*addSpecialTokens=*/false);
    ids.insert(ids.end(), body.begin(), body.end());
    return ids;
}

PaddedBatch padSequences(const std::vector<std::vector<TokenId>>& sequences, TokenId pad) {
    std::size_t T = 1;
    for (const auto& s : sequences)
        T = std::max(T, s.size());
    const auto B = static_cast<int64_t>(sequences.size());
    PaddedBatch batch;
    batch.ids = torch::full({B, static_cast<int64_t>(T)}, int64_t{pad}, torch::kInt64);
    batch.valid = torch::zeros({B, static_cast<int64_t>(T)}, torch::kBool);
    auto ids = batch.ids.accessor<int64_t, 2>();
    auto valid = batch.valid.accessor<bool, 2>();
    for (int64_t r = 0; r < B; ++r) {
        const auto& s = sequences[static_cast<std::size_t>(r)];
        for (std::size_t t = 0; t < s.size(); ++t) {
            ids[r][static_cast<int64_t>(t)] = s[t];
            valid[r][static_cast<int64_t>(t)] = true;
        }
    }
    return batch;
}

} // namespace anatomist::core
