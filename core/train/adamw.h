#pragma once
// AdamW (Loshchilov & Hutter; the update of torch.optim.AdamW) over named parameters, with
// decoupled weight decay only for matrices: norms, biases and other 1-D parameters are not decayed.
// State is plain named tensors so that checkpoints are safetensors files.

#include "io/safetensors.h"

#include <string>
#include <torch/types.h>
#include <vector>

namespace anatomist::core {

struct AdamWOptions {
    double beta1 = 0.9;
    double beta2 = 0.95;
    double eps = 1e-8;
    double weightDecay = 0.1;
};

class AdamW {
public:
    // Only parameters with requires_grad() are optimized; names are kept for state I/O.
    AdamW(const std::vector<std::pair<std::string, torch::Tensor>>& parameters,
          AdamWOptions options);

    // One update with learning rate lr; parameters without a gradient are skipped (their state
    // does not advance). Runs under NoGradGuard.
    void step(double lr);
    void zeroGrad();

    int64_t stepCount() const { return m_step; }
    std::size_t size() const { return m_params.size(); }
    bool decays(std::size_t index) const { return m_params[index].decay; }
    const std::string& name(std::size_t index) const { return m_params[index].name; }

    // "adamw.exp_avg.<name>", "adamw.exp_avg_sq.<name>"; the step count travels separately.
    NamedTensors state() const;
    // Throws FormatError naming the missing key or a shape mismatch.
    void loadState(const SafetensorsCheckpoint& checkpoint, int64_t stepCount);

private:
    struct Slot {
        std::string name;
        torch::Tensor param, expAvg, expAvgSq;
        bool decay = true;
    };
    std::vector<Slot> m_params;
    AdamWOptions m_options;
    int64_t m_step = 0;
};

// Total L2 norm of the gradients (as torch.nn.utils.clip_grad_norm_); when
// maxNorm > 0 and the norm exceeds it, gradients are scaled by maxNorm / (norm + 1e-6). Returns
// the norm before clipping. Parameters without a gradient are ignored.
double clipGradientNorm(const std::vector<torch::Tensor>& parameters, double maxNorm);

} // namespace anatomist::core
