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

// A teacher's logits reduced to what a disk cache keeps (distill/teacher_cache.h), per position:
// the k largest logits and their ids, plus the two numbers that make the top-k probabilities exact
// and the rest of the mass known.
struct TeacherTopK {
    torch::Tensor values;  // [N, K] the largest logits, raw (before the temperature)
    torch::Tensor indices; // [N, K] int64 token ids
    torch::Tensor logNorm; // [N] logsumexp over the WHOLE row of logits / T
    torch::Tensor logTail; // [N] log of the mass at T outside the top k (−inf when K = V)
};

// The KL of distillKlSum from a top-k teacher. With K = V it is the exact KL (the same sum in
// another order). With K < V both distributions are coarse-grained to K + 1 buckets: the teacher's
// top-k tokens, each with its exact probability (values / T − logNorm), and one bucket "every other
// token" (teacher: exp(logTail); student: 1 − Σ its probabilities of those k tokens), and the KL is
// taken between those bucket distributions. By the data-processing inequality this is a lower bound
// of the full KL, tight when the tail is small; the student's tail is trained as a whole. A teacher
// tail that underflowed is floored at e^−100 (so reverse and skew KL stay finite).
torch::Tensor distillKlSumTopK(const torch::Tensor& studentLogits, const TeacherTopK& teacher,
                               KlKind kind, double temperature, double skewLambda = 0.1);

// {Σ −log softmax(logits)[target], forward KL of distillKlSum} over the rows of [N, V] logits in
// one pass of its own: the gradient with respect to the student's logits is formed in the forward
// (softmax − one-hot for CE, T·(softmax(s/T) − p_t) for T²·KL) and scaled in the backward, where
// autograd would keep and revisit several [N, V] intermediates. Values and gradients equal those
// of maskedCrossEntropySum and distillKlSum (Forward). Differentiable once (no double backward,
// one backward per call).
std::pair<torch::Tensor, torch::Tensor>
crossEntropyAndForwardKlSums(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                             const torch::Tensor& targets, double temperature);

// Σ −log softmax(logits)[target].
torch::Tensor maskedCrossEntropySum(const torch::Tensor& logits, const torch::Tensor& targets,
                                    const torch::Tensor& mask);

// Σ (1 − cos(student, teacher)) over the last dimension.
torch::Tensor cosineDistanceSum(const torch::Tensor& student, const torch::Tensor& teacher,
                                const torch::Tensor& mask);

} // namespace anatomist::core
