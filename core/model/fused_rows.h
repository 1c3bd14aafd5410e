#pragma once
// Several OutIn linear layers that read the same input (q/k/v, gate/up) with their weights stored
// back to back in one buffer, so that inference runs one product (one GEMV per decoded token)
// instead of one per layer.
//
// The layers' parameters become views of the buffer: there is one copy of the weights, in-place
// edits (training steps, LoRA merges, pruning that zeroes rows) are seen by both paths, and
// nothing can go stale. Whoever replaces a parameter's storage (set_data by a loader, a dtype
// change, a flattening optimiser) silently breaks the aliasing; usable() checks it on every call
// and the caller falls back to the separate layers, which are always correct.

#include "model/modules.h"

#include <vector>

namespace anatomist::core {

class FusedRows {
public:
    // Copies the parts' weights (and biases) into one buffer (without copying when copyValues is
    // false: freshly constructed, uninitialised parameters) and rebinds each part's parameters to
    // views of it. Does nothing (leaving usable() false) unless every part is OutIn with the same
    // input size, dtype, device and bias presence, and nothing either when the same parts are
    // still views of the buffer (a loader filled them in place). Not thread-safe: call it while the
    // model is not in use (construction, after loading), not during forward passes.
    void fuse(const std::vector<LinearModule*>& parts, bool copyValues = true);

    // True when the parts are still views of the buffer and the product may replace them: grad mode
    // off (autograd must see the separate parameters). LoRA adapters are added per part.
    bool usable() const;
    // The parts are still views of the buffer (whatever the grad mode).
    bool intact() const;

    // x [.., in] → [.., Σ out], the parts' outputs side by side in the order given to fuse().
    torch::Tensor forward(const torch::Tensor& x) const;

private:
    std::vector<LinearModule*> m_parts;
    torch::Tensor m_weight; // [Σ out, in]
    torch::Tensor m_bias;   // [Σ out] or undefined
};

} // namespace anatomist::core
