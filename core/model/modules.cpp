#include "modules.h"

#include "model/decode_kernels.h"

#include <torch/types.h>

namespace anatomist::core {

LinearModule::LinearModule(int64_t in, int64_t out, bool hasBias, LinearLayout layout_,
                           const torch::TensorOptions& options)
    : torch::nn::Module(layout_ == LinearLayout::InOut ? "Conv1D" : "Linear")
    , inFeatures(in)
    , outFeatures(out)
    , layout(layout_) {
    weight = register_parameter("weight", layout == LinearLayout::OutIn
                                              ? torch::empty({out, in}, options)
                                              : torch::empty({in, out}, options));
    if (hasBias)
        bias = register_parameter("bias", torch::empty({out}, options));
}

torch::Tensor projectRows(const torch::Tensor& x, const torch::Tensor& weightOutIn,
                          const torch::Tensor& bias) {
    const int64_t in = weightOutIn.size(1);
    if (x.numel() != in)
        return torch::linear(x, weightOutIn, bias);
    // One row (decoding a token): OpenBLAS 0.3.21 runs an M = 1 gemm by first packing the whole
    // weight matrix, which doubles the memory traffic of a memory-bound step; gemv streams it once.
    if (auto y = decodeGemv(x, weightOutIn, bias); y.defined())
        return y;
    auto sizes = x.sizes().vec();
    sizes.back() = weightOutIn.size(0);
    auto y = torch::mv(weightOutIn, x.reshape({in}));
    if (bias.defined())
        y = y + bias;
    return y.view(sizes);
}

torch::Tensor LinearModule::forward(const torch::Tensor& x) const {
    torch::Tensor y;
    if (layout == LinearLayout::OutIn || x.numel() == inFeatures) {
        y = projectRows(x, weightOutIn(), bias);
    } else {
        // ref: pytorch_utils.Conv1D.forward: addmm(bias, x.view(-1, in), weight)
        auto sizes = x.sizes().vec();
        sizes.back() = outFeatures;
        const auto flat = x.reshape({-1, inFeatures});
        y = (bias.defined() ? torch::addmm(bias, flat, weight) : torch::mm(flat, weight))
                .view(sizes);
    }
    if (!loraA)
        return y;
    // ref: peft/tuners/lora/layer.py Linear.forward: result + lora_B(lora_A(dropout(x))) * scaling
    const auto h = loraDropout > 0 && is_training() ? torch::dropout(x, loraDropout, true) : x;
    return y + loraB->forward(loraA->forward(h)) * loraScaling;
}

torch::Tensor LinearModule::weightOutIn() const {
    return layout == LinearLayout::OutIn ? weight : weight.t();
}

NormModule::NormModule(int64_t dim, NormKind kind_, double eps_,
                       const torch::TensorOptions& options)
    : torch::nn::Module(kind_ == NormKind::LayerNorm      ? "LayerNorm"
                        : kind_ == NormKind::RmsOffsetOne ? "RMSNorm(1+w)"
                                                          : "RMSNorm")
    , kind(kind_)
    , eps(eps_) {
    weight = register_parameter("weight", torch::empty({dim}, options));
    if (kind == NormKind::LayerNorm)
        bias = register_parameter("bias", torch::empty({dim}, options));
}

torch::Tensor NormModule::forward(const torch::Tensor& x) const {
    if (kind == NormKind::LayerNorm)
        return torch::layer_norm(x, {weight.size(0)}, weight, bias, eps);
    if (decodeKernelsApply(x, weight.size(0)))
        return rmsNormRows(x, weight, eps, kind == NormKind::RmsOffsetOne);
    // ref: LlamaRMSNorm / Gemma3RMSNorm: normalise in float32, then scale
    const bool upcast = x.scalar_type() != torch::kFloat32;
    const auto xf = upcast ? x.to(torch::kFloat32) : x;
    auto normed = xf * torch::rsqrt(xf.square().mean(-1, /*keepdim=*/true) + eps);
    if (kind == NormKind::RmsOffsetOne) {
        // ref: Gemma3RMSNorm.forward: output * (1.0 + weight.float()), then cast back
        normed = normed * (weight.to(torch::kFloat32) + 1.0);
        return upcast ? normed.to(x.scalar_type()) : normed;
    }
    // ref: LlamaRMSNorm.forward: weight * hidden_states.to(input_dtype)
    return weight * (upcast ? normed.to(x.scalar_type()) : normed);
}

EmbeddingModule::EmbeddingModule(int64_t count, int64_t dim, const torch::TensorOptions& options)
    : torch::nn::Module("Embedding") {
    weight = register_parameter("weight", torch::empty({count, dim}, options));
}

torch::Tensor EmbeddingModule::forward(const torch::Tensor& ids) const {
    return torch::embedding(weight, ids);
}

torch::Tensor applyActivation(const torch::Tensor& x, Activation act) {
    switch (act) {
    case Activation::Silu:
        return torch::silu(x);
    case Activation::GeluTanh:
        return torch::gelu(x, "tanh");
    case Activation::GeluErf:
        return torch::gelu(x);
    case Activation::Relu:
        return torch::relu(x);
    }
    return x;
}

} // namespace anatomist::core
