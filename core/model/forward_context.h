#pragma once
// What one forward pass hands to every layer: rotary tables, attention masks, the KV cache and the
// tap listener. Built once per forward by CausalLM, read by the layers.

#include "model/taps.h"

#include <torch/types.h>
#include <vector>

namespace anatomist::core {

class KvCache;

struct TapDispatch {
    TapListener* listener = nullptr;
    TapMask mask = 0;

    bool wants(TapPoint p, int layer) const {
        return (mask & tapBit(p)) != 0 && listener->wantsLayer(layer);
    }
    void emit(TapPoint p, int layer, const torch::Tensor& value) const {
        if (wants(p, layer))
            listener->onTap(p, layer, value);
    }
};

struct ForwardContext {
    // Per layer: rotary cos/sin [B, T, 1, D/2] (undefined for learned positions).
    std::vector<std::pair<torch::Tensor, torch::Tensor>> rotary;
    // Additive masks [Bm, T, Tk] (0 = visible, lowest float = hidden); Bm is 1 without padding.
    torch::Tensor fullMask;
    torch::Tensor slidingMask;
    KvCache* cache = nullptr;
    TapDispatch taps;
    const std::vector<bool>* bypassAttention = nullptr; // ForwardOptions::bypassAttention

    bool attentionBypassed(int layer) const {
        return bypassAttention && static_cast<std::size_t>(layer) < bypassAttention->size() &&
               (*bypassAttention)[static_cast<std::size_t>(layer)];
    }
};

} // namespace anatomist::core
