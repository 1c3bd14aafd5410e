#pragma once
// Principal components by SVD of the centred data (ALGORITHMS.md §3: PCA(2) on the stacked token
// vectors of both prompts of a contrastive pair).

#include <torch/types.h>
#include <vector>

namespace anatomist::core {

struct PcaResult {
    torch::Tensor coordinates; // float64 [N, k]: projections of the rows on the components
    torch::Tensor components;  // float64 [k, D]: unit directions, sign fixed so that the entry of
                               // largest magnitude is positive (deterministic across runs)
    torch::Tensor mean;        // float64 [D]
    std::vector<double> explainedVariance;      // per component, divided by N - 1
    std::vector<double> explainedVarianceRatio; // per component, share of the total variance
};

// rows [N, D] (any float dtype). Components beyond min(N, D) come back as zeros. InvalidArgument
// when rows is not 2-D or N == 0.
PcaResult principalComponents(const torch::Tensor& rows, int k = 2);

} // namespace anatomist::core
