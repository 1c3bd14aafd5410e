#include "analysis/pca.h"

#include "errors.h"

namespace anatomist::core {

PcaResult principalComponents(const torch::Tensor& rows, int k) {
    if (rows.dim() != 2 || rows.size(0) == 0 || k < 1)
        throw InvalidArgument("PCA needs a non-empty [N, D] matrix and k >= 1, got " +
                              formatShape(rows.sizes()));
    const auto x = rows.to(torch::kFloat64).cpu();
    const int64_t N = x.size(0), D = x.size(1);
    PcaResult r;
    r.mean = x.mean(0);
    const auto centred = x - r.mean;
    auto [U, S, Vh] = torch::linalg_svd(centred, /*full_matrices=*/false);
    const int64_t avail = std::min<int64_t>(k, S.size(0));
    r.components = torch::zeros({k, D}, torch::kFloat64);
    r.coordinates = torch::zeros({N, k}, torch::kFloat64);
    const double total = S.square().sum().item<double>();
    const double denom = N > 1 ? double(N - 1) : 1.0;
    for (int64_t c = 0; c < k; ++c) {
        if (c >= avail) {
            r.explainedVariance.push_back(0);
            r.explainedVarianceRatio.push_back(0);
            continue;
        }
        auto v = Vh[c];
        if (v[v.abs().argmax()].item<double>() < 0)
            v = -v;
        r.components[c].copy_(v);
        r.coordinates.select(1, c).copy_(centred.matmul(v));
        const double s2 = S[c].item<double>() * S[c].item<double>();
        r.explainedVariance.push_back(s2 / denom);
        r.explainedVarianceRatio.push_back(total > 0 ? s2 / total : 0);
    }
    return r;
}

} // namespace anatomist::core
