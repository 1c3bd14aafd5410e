#pragma once
// What the trainer minimises. An objective turns one batch into named loss terms ("ce", "kl",
// "hidden" ...), each summed over the batch's trained (non-padding, next-token) positions, and a
// differentiable total. Sums, not means, so that the trainer can normalise by the whole step's
// target count and k micro-batches equal one big batch. Cross-entropy is the default objective.

#include "train/token_batcher.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace anatomist::core {

class CausalLM;

struct ObjectiveTerms {
    torch::Tensor total;                                      // Σ over positions, differentiable
    std::vector<std::pair<std::string, torch::Tensor>> terms; // each Σ over positions (unweighted)
};

class TrainObjective {
public:
    virtual ~TrainObjective() = default;
    // "ce", "distill" ...: stored in checkpoints so that a run resumes only its own objective.
    virtual std::string kind() const = 0;
    // The batch's tensors are already on the model's device.
    virtual ObjectiveTerms compute(CausalLM& model, const TrainBatch& batch) = 0;
    // Kind plus every setting that changes the loss; a checkpoint resumes only under an equal one.
    virtual nlohmann::json describe() const { return {{"kind", kind()}}; }
};

// Masked next-token cross-entropy; one term, "ce".
class CrossEntropyObjective : public TrainObjective {
public:
    std::string kind() const override { return "ce"; }
    ObjectiveTerms compute(CausalLM& model, const TrainBatch& batch) override;
};

// Σ over the rows of −log softmax(logits)[target] (logits [N, V], targets [N]).
torch::Tensor crossEntropySum(const torch::Tensor& logits, const torch::Tensor& targets);

} // namespace anatomist::core
