#pragma once

#include "model/fused_rows.h"
#include "model/modules.h"

#include <memory>

namespace anatomist::core {

struct ForwardContext;

// Gated (down(act(gate(x)) * up(x))) or plain (down(act(up(x)))) feed-forward block. Gate row k,
// up row k and down column k form one neuron; width pruning keeps them together.
class MlpModule : public torch::nn::Module {
public:
    MlpModule(const ModelConfig& config, const ArchSpec& spec, int layer,
              const torch::TensorOptions& options);
    // x: normed input [B, T, H]; returns the down-projection output [B, T, H].
    torch::Tensor forward(const torch::Tensor& x, ForwardContext& context) const;
    // Stores gate and up back to back so that inference runs one product for both (see FusedRows).
    void fuseProjections(bool copyValues = true);
    int64_t intermediateSize() const { return up->outFeatures; }

    std::shared_ptr<LinearModule> gate, up, down; // gate is null for plain MLPs

private:
    FusedRows m_gateUpRows;
    int m_layer;
    Activation m_activation;
};

} // namespace anatomist::core
