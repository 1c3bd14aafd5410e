#include "prune/slicing.h"

namespace anatomist::core {

namespace {

torch::Tensor indexTensor(const std::vector<int64_t>& keep, const torch::Tensor& like) {
    return torch::tensor(keep, torch::TensorOptions().dtype(torch::kInt64)).to(like.device());
}

// index_select copies, so the result never aliases the source.
torch::Tensor select(const torch::Tensor& t, int64_t dim, const std::vector<int64_t>& keep) {
    return t.detach().index_select(dim, indexTensor(keep, t)).contiguous();
}

} // namespace

torch::Tensor keepOutputs(const torch::Tensor& weight, LinearLayout layout,
                          const std::vector<int64_t>& keep) {
    return select(weight, layout == LinearLayout::OutIn ? 0 : 1, keep);
}

torch::Tensor keepInputs(const torch::Tensor& weight, LinearLayout layout,
                         const std::vector<int64_t>& keep) {
    return select(weight, layout == LinearLayout::OutIn ? 1 : 0, keep);
}

torch::Tensor keepEntries(const torch::Tensor& vector, const std::vector<int64_t>& keep) {
    return select(vector, 0, keep);
}

std::vector<int64_t> headFeatures(const std::vector<int64_t>& heads, int64_t headDim) {
    std::vector<int64_t> out;
    out.reserve(heads.size() * static_cast<std::size_t>(headDim));
    for (int64_t h : heads)
        for (int64_t d = 0; d < headDim; ++d)
            out.push_back(h * headDim + d);
    return out;
}

std::vector<int64_t> fusedQkvFeatures(const std::vector<int64_t>& queryHeads,
                                      const std::vector<int64_t>& kvHeads, int64_t heads,
                                      int64_t kvHeadCount, int64_t headDim) {
    auto out = headFeatures(queryHeads, headDim);
    for (int64_t block : {heads * headDim, heads * headDim + kvHeadCount * headDim})
        for (int64_t f : headFeatures(kvHeads, headDim))
            out.push_back(block + f);
    return out;
}

} // namespace anatomist::core
