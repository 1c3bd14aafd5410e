#include "adamw.h"

#include "errors.h"

#include <cmath>
#include <torch/torch.h>

namespace anatomist::core {

AdamW::AdamW(const std::vector<std::pair<std::string, torch::Tensor>>& parameters,
             AdamWOptions options)
    : m_options(options) {
    for (const auto& [name, p] : parameters) {
        if (!p.requires_grad())
            continue;
        Slot slot;
        slot.name = name;
        slot.param = p;
        slot.expAvg = torch::zeros_like(p, torch::MemoryFormat::Contiguous);
        slot.expAvgSq = torch::zeros_like(p, torch::MemoryFormat::Contiguous);
        slot.decay = p.dim() >= 2; // norms and biases are 1-D
        m_params.push_back(std::move(slot));
    }
}

void AdamW::step(double lr) {
    torch::NoGradGuard noGrad;
    ++m_step;
    const double b1 = m_options.beta1, b2 = m_options.beta2;
    const double bias1 = 1.0 - std::pow(b1, double(m_step));
    const double bias2Sqrt = std::sqrt(1.0 - std::pow(b2, double(m_step)));
    for (auto& slot : m_params) {
        const auto& grad = slot.param.grad();
        if (!grad.defined())
            continue;
        // ref: torch/optim/adamw.py _single_tensor_adamw
        if (slot.decay && m_options.weightDecay != 0)
            slot.param.mul_(1.0 - lr * m_options.weightDecay);
        slot.expAvg.lerp_(grad, 1.0 - b1);
        slot.expAvgSq.mul_(b2).addcmul_(grad, grad, 1.0 - b2);
        const auto denom = (slot.expAvgSq.sqrt() / bias2Sqrt).add_(m_options.eps);
        slot.param.addcdiv_(slot.expAvg, denom, -lr / bias1);
    }
}

void AdamW::zeroGrad() {
    for (auto& slot : m_params)
        if (slot.param.grad().defined())
            slot.param.mutable_grad() = torch::Tensor();
}

NamedTensors AdamW::state() const {
    NamedTensors out;
    for (const auto& slot : m_params) {
        out.emplace_back("adamw.exp_avg." + slot.name, slot.expAvg);
        out.emplace_back("adamw.exp_avg_sq." + slot.name, slot.expAvgSq);
    }
    return out;
}

void AdamW::loadState(const SafetensorsCheckpoint& checkpoint, int64_t stepCount) {
    torch::NoGradGuard noGrad;
    for (auto& slot : m_params) {
        for (auto* target : {&slot.expAvg, &slot.expAvgSq}) {
            const std::string key =
                (target == &slot.expAvg ? "adamw.exp_avg." : "adamw.exp_avg_sq.") + slot.name;
            if (!checkpoint.contains(key))
                throw FormatError("training checkpoint: optimizer state '" + key + "' is missing");
            const auto value = checkpoint.load(key, torch::kFloat32);
            if (value.sizes() != target->sizes())
                throw FormatError("training checkpoint: '" + key + "' has shape " +
                                  formatShape(value.sizes().vec()) + ", the parameter has " +
                                  formatShape(target->sizes().vec()));
            target->copy_(value);
        }
    }
    m_step = stepCount;
}

double clipGradientNorm(const std::vector<torch::Tensor>& parameters, double maxNorm) {
    torch::NoGradGuard noGrad;
    double squares = 0;
    for (const auto& p : parameters)
        if (p.grad().defined()) {
            const double n = p.grad().norm().item<double>();
            squares += n * n;
        }
    const double norm = std::sqrt(squares);
    if (maxNorm > 0 && norm > maxNorm) {
        const double scale = maxNorm / (norm + 1e-6);
        for (const auto& p : parameters)
            if (p.grad().defined())
                p.grad().mul_(scale);
    }
    return norm;
}

} // namespace anatomist::core
