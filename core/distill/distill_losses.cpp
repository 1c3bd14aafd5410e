#include "distill/distill_losses.h"

#include "errors.h"
#include "train/objective.h"

#include <cmath>
#include <limits>
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

namespace {

void checkKl(KlKind kind, double temperature, double skewLambda) {
    if (!(temperature > 0))
        throw InvalidArgument("distillation temperature must be positive");
    if (kind == KlKind::Skew && !(skewLambda > 0 && skewLambda <= 1))
        throw InvalidArgument("skew KL needs 0 < lambda <= 1");
}

// Σ over rows of the KL between two log-distributions over the last dimension, times T².
torch::Tensor klFromLogs(const torch::Tensor& logS, const torch::Tensor& logT, KlKind kind,
                         double temperature, double skewLambda) {
    torch::Tensor perRow;
    switch (kind) {
    case KlKind::Forward:
        perRow = (logT.exp() * (logT - logS)).sum(-1);
        break;
    case KlKind::Reverse:
        perRow = (logS.exp() * (logS - logT)).sum(-1);
        break;
    case KlKind::Skew: {
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

} // namespace

torch::Tensor distillKlSum(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                           const torch::Tensor& mask, KlKind kind, double temperature,
                           double skewLambda) {
    checkKl(kind, temperature, skewLambda);
    const auto s = selectRows(studentLogits, mask);
    const auto t = selectRows(teacherLogits.detach(), mask);
    const auto logS = torch::log_softmax(s / temperature, -1);
    const auto logT = torch::log_softmax(t / temperature, -1);
    return klFromLogs(logS, logT, kind, temperature, skewLambda);
}

torch::Tensor distillKlSumTopK(const torch::Tensor& studentLogits, const TeacherTopK& teacher,
                               KlKind kind, double temperature, double skewLambda) {
    checkKl(kind, temperature, skewLambda);
    const auto V = studentLogits.size(-1), K = teacher.indices.size(-1);
    if (K < 1 || K > V)
        throw InvalidArgument("top-k teacher logits need 1 <= k <= vocabulary (" +
                              std::to_string(V) + "), got k = " + std::to_string(K));
    const auto logS = torch::log_softmax(studentLogits / temperature, -1);
    const auto& idx = teacher.indices;
    auto logSk = logS.gather(-1, idx);
    auto logTk = teacher.values.detach().to(logS.scalar_type()) / temperature -
                 teacher.logNorm.detach().to(logS.scalar_type()).unsqueeze(-1);
    if (K < V) {
        // The student's mass outside the teacher's top k, from its own logits (no 1 − Σ
        // cancellation): the top-k entries are masked out of a logsumexp.
        const auto tailS =
            logS.scatter(-1, idx, -std::numeric_limits<double>::infinity()).logsumexp(-1, true);
        const auto tailT =
            teacher.logTail.detach().to(logS.scalar_type()).clamp_min(-100.0).unsqueeze(-1);
        logSk = torch::cat({logSk, tailS}, -1);
        logTk = torch::cat({logTk, tailT}, -1);
    }
    return klFromLogs(logSk, logTk, kind, temperature, skewLambda);
}

namespace {

struct CrossEntropyAndKl : torch::autograd::Function<CrossEntropyAndKl> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor student,
                                 torch::Tensor teacher, torch::Tensor targets, double T) {
        const auto logS1 = torch::log_softmax(student, -1);
        const auto target = targets.unsqueeze(-1);
        const auto ce = -logS1.gather(-1, target).sum();
        const auto logST = T == 1 ? logS1 : torch::log_softmax(student / T, -1);
        auto logTT = torch::log_softmax(teacher / T, -1);
        const auto pT = logTT.exp();
        // T² Σ p_t (log p_t − log p_s), in logTT's buffer (not needed afterwards).
        const auto kl = logTT.sub_(logST).mul_(pT).sum(-1).sum() * (T * T);
        // d(T²·KL)/ds = T (softmax(s/T) − p_t); dCE/ds = softmax(s) − one-hot.
        auto gradKl = T == 1 ? logS1.exp() : logST.exp_();
        gradKl.sub_(pT).mul_(T);
        auto gradCe = logS1.exp_();
        gradCe.scatter_add_(-1, target, torch::full(target.sizes(), -1.0, gradCe.options()));
        ctx->save_for_backward({gradCe, gradKl});
        return torch::stack({ce, kl});
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto& g = grads[0];
        // In place: the saved gradients serve this one backward.
        auto grad = saved[0].mul_(g[0]).addcmul_(saved[1], g[1].expand_as(saved[1]));
        return {grad, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

std::pair<torch::Tensor, torch::Tensor>
crossEntropyAndForwardKlSums(const torch::Tensor& studentLogits, const torch::Tensor& teacherLogits,
                             const torch::Tensor& targets, double temperature) {
    checkKl(KlKind::Forward, temperature, 1);
    const auto both =
        CrossEntropyAndKl::apply(studentLogits, teacherLogits.detach(), targets, temperature);
    return {both[0], both[1]};
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
