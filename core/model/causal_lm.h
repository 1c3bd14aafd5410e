#pragma once
// A decoder-only causal language model of any registered family, built from the shared blocks and
// switched by its ArchSpec. Modules are registered under Hugging Face names, so named_parameters()
// equals the safetensors keys of the checkpoint it was loaded from.
//
// Grad mode is the caller's business: analyses and evaluation run under torch::InferenceMode,
// training with autograd on.

#include "model/arch_spec.h"
#include "model/decoder_layer.h"
#include "model/rotary.h"

#include <memory>
#include <torch/nn/modules/container/modulelist.h>
#include <vector>

namespace anatomist::core {

class KvCache;
struct ForwardContext;
class TapListener;

struct ForwardOptions {
    TapListener* taps = nullptr;
    KvCache* cache = nullptr;
    bool computeLogits = true;
    // Logits only for positions >= this (generation needs the last one only).
    int64_t logitsFrom = 0;
    // Per base layer index (a shorter vector leaves the rest false). A skipped layer is not run:
    // the residual stream passes through, which is exactly the model with that layer removed. A
    // bypassed attention is the true skip of DecoderLayer (x_mid = x_in). Analyses pass these sets
    // instead of editing the flags of a shared model. A skipped layer appends nothing to a cache.
    std::vector<bool> skipLayers;
    std::vector<bool> bypassAttention;
    // One token with a cache and no padding runs as a decode step without operator calls
    // (decode_step.h) where it applies; false forces the operator path (tests compare the two).
    bool allowDecodeStep = true;
};

struct ForwardOutput {
    torch::Tensor logits; // [B, T - logitsFrom, V] (undefined when not computed)
    torch::Tensor
        hidden; // final-normed hidden states [B, T, H] (residual stream when stopped early)
};

class CausalLM : public torch::nn::Module {
public:
    // Parameters are allocated uninitialised with `options` (dtype, device).
    CausalLM(ModelConfig config, const ArchSpec& spec, const torch::TensorOptions& options);

    // ids: int64 [B, T]; attentionMask: [B, T] (nonzero = real token) or undefined (all real).
    // Padding may be on either side; position ids count real tokens only, as Hugging Face's
    // generate does.
    ForwardOutput forward(const torch::Tensor& ids, const torch::Tensor& attentionMask = {},
                          const ForwardOptions& options = {});

    // hidden [.., H] (final-normed) → logits [.., V], with final soft-capping when configured.
    torch::Tensor lmHead(const torch::Tensor& hidden) const;

    const ModelConfig& config() const { return m_config; }
    const ArchSpec& spec() const { return *m_spec; }
    int numLayers() const { return static_cast<int>(m_layers.size()); }
    DecoderLayer& layer(int index) const { return *m_layers[static_cast<std::size_t>(index)]; }
    EmbeddingModule& embedding() const { return *m_embed; }
    NormModule& finalNorm() const { return *m_finalNorm; }
    // The untied head, or null when the embeddings serve as the head.
    const LinearModule* lmHeadLinear() const { return m_lmHead.get(); }
    // The rotary table a layer reads (null for learned positions).
    RotaryTable* rotaryTable(int layer) {
        return m_layerRotary.empty() ? nullptr
                                     : &m_rotaryTables[static_cast<std::size_t>(
                                           m_layerRotary[static_cast<std::size_t>(layer)])];
    }
    torch::TensorOptions options() const { return m_options; }

    // Stores each layer's q/k/v and gate/up weights back to back so that inference (grad mode off)
    // runs one product per group; the parameters become views of those buffers, so nothing is
    // duplicated or can go stale (see FusedRows). The constructor does it and loadWeights does it
    // again after replacing the parameters; call it after replacing parameter tensors yourself
    // (set_data, to(dtype)) to regain the speed. Not thread-safe: call it while no forward runs.
    void fuseProjections();

    // Normal(0, std) for projections and embeddings, zero biases, identity norms (1, or 0 for
    // Gemma's (1 + w) norms); deterministic for a seed.
    void initializeWeights(uint64_t seed, double std = 0.02);

private:
    // The steps of forward: positions and key validity (from the mask and the cache), the masks
    // and rotary tables every layer reads, the (scaled, position-added) embeddings.
    struct Positions {
        int64_t past = 0;        // cached positions before this call
        torch::Tensor valid;     // [B, T] bool, undefined when every token is real
        torch::Tensor positions; // [B, T] int64; undefined when not needed
        torch::Tensor keyValid;  // [B, past + T] bool, undefined when every key is real
        bool noPadding = false;
    };
    Positions positionsFor(int64_t B, int64_t T, const torch::Tensor& attentionMask,
                           KvCache* cache) const;
    void prepareAttention(ForwardContext& ctx, const Positions& p, int64_t T);
    torch::Tensor embed(const torch::Tensor& ids, const Positions& p, const ForwardContext& ctx);

    ModelConfig m_config;
    const ArchSpec* m_spec;
    torch::TensorOptions m_options;
    std::shared_ptr<EmbeddingModule> m_embed;
    std::shared_ptr<EmbeddingModule> m_positions; // learned positions (GPT-2)
    torch::nn::ModuleList m_layerList;
    std::vector<std::shared_ptr<DecoderLayer>> m_layers;
    std::shared_ptr<NormModule> m_finalNorm;
    std::shared_ptr<LinearModule> m_lmHead; // null when tied to the embeddings
    std::vector<RotaryTable> m_rotaryTables;
    std::vector<int> m_layerRotary; // layer → index into m_rotaryTables
};

// Additive attention mask [Bm, T, Tk]: 0 where query i (absolute index past + i) may see key j,
// the dtype's lowest value elsewhere. keyValid [B, Tk] bool or undefined; window = W keys
// including the query itself (ref: masking_utils.sliding_window_overlay).
torch::Tensor buildAttentionMask(int64_t queries, int64_t past, const torch::Tensor& keyValid,
                                 std::optional<int64_t> window,
                                 const torch::TensorOptions& options);

} // namespace anatomist::core
