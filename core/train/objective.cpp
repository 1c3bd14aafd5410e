#include "train/objective.h"

#include "model/causal_lm.h"

#include <torch/torch.h>

namespace anatomist::core {

torch::Tensor crossEntropySum(const torch::Tensor& logits, const torch::Tensor& targets) {
    return torch::nn::functional::cross_entropy(
        logits, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
}

ObjectiveTerms CrossEntropyObjective::compute(CausalLM& model, const TrainBatch& batch) {
    ForwardOptions forward;
    forward.computeLogits = false;
    const auto out = model.forward(batch.ids, batch.attention, forward);
    // Only scored positions go through the vocabulary projection: padding costs nothing there.
    const auto logits = model.lmHead(out.hidden.index({batch.targetMask}));
    const auto nll = crossEntropySum(logits, batch.targets.index({batch.targetMask}));
    return {nll, {{"ce", nll}}};
}

} // namespace anatomist::core
