#pragma once
// The loss terms of knowledge distillation (../shared/docs/ALGORITHMS.md §8), each a SUM over the
// positions a mask selects (mask undefined: every position), so that padding changes nothing and
// callers normalise by the target count of a whole optimizer step. Inputs are [..., V] logits or
// [..., H] hidden states whose leading dimensions match the mask's.

#include <string>
#include <torch/types.h>

namespace anatomist::core {

enum class KlKind { Forward, Reverse, Skew };

// "forward", "reverse", "skew"; InvalidArgument otherwise.
KlKind parseKlKind(const std::string& name);
const char* klKindName(KlKind kind);

// With p_s = softmax(student / T), p_t = softmax(teacher / T), per position:
//   forward  T² · Σ_v p_t (log p_t − log p_s)
//   reverse  T² · Σ_v p_s (log p_s − log p_t)
//   skew     T² · Σ_v p_t (log p_t − log(λ p_s + (1 − λ) p_t))     (λ = 1: forward)
// The teacher's logits carry no gradient (they are detached here).
torch::Tensor distillKlSum(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                           const torch::Tensor& mask, KlKind kind, double temperature,
                           double skewLambda = 0.1);

// Σ −log softmax(logits)[target].
torch::Tensor maskedCrossEntropySum(const torch::Tensor& logits, const torch::Tensor& targets,
                                    const torch::Tensor& mask);

// Σ (1 − cos(student, teacher)) over the last dimension.
torch::Tensor cosineDistanceSum(const torch::Tensor& student, const torch::Tensor& teacher,
                                const torch::Tensor& mask);

} // namespace anatomist::core
