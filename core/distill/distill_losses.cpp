#include "distill/distill_losses.h"

#include "errors.h"
#include "train/objective.h"

#include <cmath>
#include <torch/torch.h>

namespace anatomist::core {

namespace {

torch::Tensor selectRows(const torch::Tensor& x, const torch::Tensor& mask) {
    return mask.defined() ? x.index({mask.to(torch::kBool)}) : x.reshape({-1, x.size(-1)});
}

} // namespace

KlKind parseKlKind(const std::string& name) {
    if (name == "forward")
        return KlKind::Forward;
    if (name == "reverse")
        return KlKind::Reverse;
    if (name == "skew")
        return KlKind::Skew;
    throw InvalidArgument("unknown KL kind '" + name + "' (use forward, reverse or skew)");
}

const char* klKindName(KlKind kind) {
    switch (kind) {
    case KlKind::Forward:
        return "forward";
    case KlKind::Reverse:
        return "reverse";
    case KlKind::Skew:
        return "skew";
    }
    return "forward";
}

torch::Tensor distillKlSum(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                           const torch::Tensor& mask, KlKind kind, double temperature,
                           double skewLambda) {
    if (!(temperature > 0))
        throw InvalidArgument("distillation temperature must be positive");
    const auto s = selectRows(studentLogits, mask);
    const auto t = selectRows(teacherLogits.detach(), mask);
    const auto logS = torch::log_softmax(s / temperature, -1);
    const auto logT = torch::log_softmax(t / temperature, -1);
    torch::Tensor perRow;
    switch (kind) {
    case KlKind::Forward:
        perRow = (logT.exp() * (logT - logS)).sum(-1);
        break;
    case KlKind::Reverse:
        perRow = (logS.exp() * (logS - logT)).sum(-1);
        break;
    case KlKind::Skew: {
        if (!(skewLambda > 0 && skewLambda <= 1))
            throw InvalidArgument("skew KL needs 0 < lambda <= 1");
        // log(λ p_s + (1 − λ) p_t) without leaving log space (p_t may underflow).
        const auto logMix = skewLambda == 1 ? logS
                                            : torch::logaddexp(logS + std::log(skewLambda),
                                                               logT + std::log1p(-skewLambda));
        perRow = (logT.exp() * (logT - logMix)).sum(-1);
        break;
    }
    }
    return perRow.sum() * (temperature * temperature);
}

torch::Tensor maskedCrossEntropySum(const torch::Tensor& logits, const torch::Tensor& targets,
                                    const torch::Tensor& mask) {
    const auto rows = selectRows(logits, mask);
    const auto ids =
        mask.defined() ? targets.index({mask.to(torch::kBool)}) : targets.reshape({-1});
    return crossEntropySum(rows, ids);
}

torch::Tensor cosineDistanceSum(const torch::Tensor& student, const torch::Tensor& teacher,
                                const torch::Tensor& mask) {
    const auto s = selectRows(student, mask);
    const auto t = selectRows(teacher.detach(), mask);
    return (1.0 - torch::cosine_similarity(s, t, -1, 1e-8)).sum();
}

} // namespace anatomist::core
