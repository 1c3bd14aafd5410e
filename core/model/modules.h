#pragma once
// Leaf modules registered under Hugging Face names; parameters are created uninitialised
// (torch::empty) because they are either loaded from a checkpoint or initialised by the trainer.

#include "model/arch_spec.h"

#include <torch/nn/module.h>

namespace anatomist::core {

class LinearModule : public torch::nn::Module {
public:
    LinearModule(int64_t in, int64_t out, bool bias, LinearLayout layout,
                 const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x) const;
    // The weight as [out, in] whatever the storage layout (a view for Conv1D).
    torch::Tensor weightOutIn() const;

    torch::Tensor weight;
    torch::Tensor bias; // undefined when the layer has none
    int64_t inFeatures;
    int64_t outFeatures;
    LinearLayout layout;
    // A LoRA adapter (core/distill/lora.h) registered as submodules "lora_A" [r, in] and "lora_B"
    // [out, r]: forward adds loraScaling · lora_B(lora_A(dropout(x))). Null when there is none.
    std::shared_ptr<LinearModule> loraA, loraB;
    double loraScaling = 0;
    double loraDropout = 0; // applied in training mode only
};

class NormModule : public torch::nn::Module {
public:
    NormModule(int64_t dim, NormKind kind, double eps, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x) const;

    torch::Tensor weight;
    torch::Tensor bias; // LayerNorm only
    NormKind kind;
    double eps;
};

class EmbeddingModule : public torch::nn::Module {
public:
    EmbeddingModule(int64_t count, int64_t dim, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& ids) const;

    torch::Tensor weight; // [count, dim]
};

torch::Tensor applyActivation(const torch::Tensor& x, Activation act);

// x [..., in] · weightOutInᵀ + bias, with a gemv path for a single row.
torch::Tensor projectRows(const torch::Tensor& x, const torch::Tensor& weightOutIn,
                          const torch::Tensor& bias = {});

} // namespace anatomist::core
