#pragma once
// The per-layer outcome of a plan on its base: what each base layer keeps. Computing it validates
// the plan (InvalidArgument naming the operation); building the variant is apply_plan.cpp's job.

#include "prune/apply_plan.h"

#include <vector>

namespace anatomist::core {

struct LayerEdit {
    bool removed = false;
    bool bypassed = false;
    std::vector<bool> neuronKept; // [base intermediate size]
    std::vector<bool> queryKept;  // [base query heads]
    std::vector<bool> kvKept;     // [base KV heads]
};

std::vector<LayerEdit> planLayerEdits(CausalLM& base, const PrunePlan& plan,
                                      const PruneInputs& inputs, JobContext& job);

// Positions of the true entries, ascending.
std::vector<int64_t> keptIndices(const std::vector<bool>& kept);

// Indices of the `count` highest scores (ties: the lower index first), returned ascending.
std::vector<int64_t> topIndices(const std::vector<float>& scores, int64_t count);

} // namespace anatomist::core
