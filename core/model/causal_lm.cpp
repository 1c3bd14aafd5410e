#include "causal_lm.h"

#include "model/decode_step.h"
#include "model/forward_context.h"
#include "model/kv_cache.h"
#include "model/taps.h"

#include <cmath>
#include <limits>
#include <torch/types.h>

namespace anatomist::core {

CausalLM::CausalLM(ModelConfig config, const ArchSpec& spec, const torch::TensorOptions& options)
    : torch::nn::Module("CausalLM")
    , m_config(std::move(config))
    , m_spec(&spec)
    , m_options(options) {
    const auto& c = m_config;
    const auto& n = spec.names;
    auto backbone = register_module(n.backbone, std::make_shared<torch::nn::Module>("Model"));
    m_embed = backbone->register_module(
        n.embed, std::make_shared<EmbeddingModule>(c.vocab_size, c.hidden_size, options));
    if (spec.positions == PositionKind::Learned)
        m_positions = backbone->register_module(
            n.positions,
            std::make_shared<EmbeddingModule>(c.max_position_embeddings, c.hidden_size, options));
    m_layerList = backbone->register_module(n.layers, torch::nn::ModuleList());
    for (int i = 0; i < c.num_hidden_layers; ++i) {
        auto layer = std::make_shared<DecoderLayer>(c, spec, i, options);
        // Fused from the start (nothing to copy yet), so that every model, however it was built or
        // filled, computes through the same products: results do not depend on the route.
        layer->attention->fuseProjections(/*copyValues=*/false);
        layer->mlp->fuseProjections(/*copyValues=*/false);
        m_layerList->push_back(layer);
        m_layers.push_back(layer);
    }
    m_finalNorm = backbone->register_module(
        n.finalNorm, std::make_shared<NormModule>(c.hidden_size, spec.norm, c.norm_eps, options));
    if (!c.tie_word_embeddings)
        m_lmHead = register_module(
            n.lmHead, std::make_shared<LinearModule>(c.hidden_size, c.vocab_size, false,
                                                     LinearLayout::OutIn, options));
    if (spec.positions == PositionKind::Rotary) {
        for (const auto& params : c.layer_rope) {
            auto it = std::find_if(m_rotaryTables.begin(), m_rotaryTables.end(),
                                   [&](const RotaryTable& t) { return t.params() == params; });
            if (it == m_rotaryTables.end()) {
                m_rotaryTables.emplace_back(params, c.head_dim);
                it = std::prev(m_rotaryTables.end());
            }
            m_layerRotary.push_back(static_cast<int>(it - m_rotaryTables.begin()));
        }
    }
}

torch::Tensor buildAttentionMask(int64_t queries, int64_t past, const torch::Tensor& keyValid,
                                 std::optional<int64_t> window,
                                 const torch::TensorOptions& options) {
    const int64_t keys = past + queries;
    const auto device = options.device();
    const auto q =
        torch::arange(past, keys, torch::TensorOptions().dtype(torch::kInt64).device(device))
            .unsqueeze(1);
    const auto k = torch::arange(keys, torch::TensorOptions().dtype(torch::kInt64).device(device))
                       .unsqueeze(0);
    auto allowed = k <= q;
    if (window)
        allowed = allowed & ((q - k) < *window);
    allowed =
        keyValid.defined() ? allowed.unsqueeze(0) & keyValid.unsqueeze(1) : allowed.unsqueeze(0);
    // float64 scores go through a float32 softmax (as in the reference), where double's lowest
    // would become -inf: a query that sees no key (a padding row beyond a sliding window) got NaN,
    // which the next layer's attention multiplied by 0 into every real row.
    const bool wide = options.dtype() == torch::kFloat32 || options.dtype() == torch::kFloat64;
    const double lowest = wide ? double(std::numeric_limits<float>::lowest())
                               : -65504.0; // representable in float16 and bfloat16
    return torch::zeros(allowed.sizes(), options).masked_fill(allowed.logical_not(), lowest);
}

CausalLM::Positions CausalLM::positionsFor(int64_t B, int64_t T, const torch::Tensor& attentionMask,
                                           KvCache* cache) const {
    const auto device = m_embed->weight.device();
    const auto intOptions = torch::TensorOptions().dtype(torch::kInt64).device(device);
    Positions p;
    p.past = cache ? cache->length() : 0;
    p.valid = attentionMask.defined() ? attentionMask.to(device).to(torch::kBool) : torch::Tensor();
    // Without padding anywhere, every row's positions are past .. past + T - 1 and keys need no
    // validity mask: decoding a token then builds no position, validity or mask tensors at all.
    p.noPadding = !p.valid.defined() && (!cache || cache->allValid());
    if (!p.noPadding) {
        p.positions = p.valid.defined() ? (p.valid.to(torch::kInt64).cumsum(1) - 1).clamp_min(0)
                                        : torch::arange(T, intOptions).unsqueeze(0).expand({B, T});
        if (cache)
            p.positions = p.positions + cache->nextPositions().unsqueeze(1);
    } else if (m_positions) {
        p.positions = torch::arange(p.past, p.past + T, intOptions).unsqueeze(0).expand({B, T});
    }
    if (m_positions) {
        const int64_t maxPosition =
            p.noPadding ? p.past + T - 1 : p.positions.max().item<int64_t>();
        TORCH_CHECK(maxPosition < m_config.max_position_embeddings,
                    "sequence longer than the model's ", m_config.max_position_embeddings,
                    " learned positions");
    }
    p.keyValid = p.valid;
    if (cache && !p.noPadding) {
        const auto current =
            p.valid.defined() ? p.valid : torch::ones({B, T}, intOptions.dtype(torch::kBool));
        p.keyValid = torch::cat({cache->validMask(), current}, 1);
    }
    return p;
}

void CausalLM::prepareAttention(ForwardContext& ctx, const Positions& p, int64_t T) {
    const auto device = m_embed->weight.device();
    const auto dtype = m_embed->weight.scalar_type();
    const auto maskOptions = torch::TensorOptions().dtype(dtype).device(device);
    const bool anySliding = std::find(m_config.layer_types.begin(), m_config.layer_types.end(),
                                      AttentionKind::Sliding) != m_config.layer_types.end();
    // A single query that may see every key needs no mask at all.
    const bool needFull = T > 1 || p.keyValid.defined();
    if (needFull)
        ctx.fullMask = buildAttentionMask(T, p.past, p.keyValid, std::nullopt, maskOptions);
    if (anySliding && (needFull || p.past + T > *m_config.sliding_window))
        ctx.slidingMask =
            buildAttentionMask(T, p.past, p.keyValid, m_config.sliding_window, maskOptions);

    ctx.rotary.resize(m_layers.size());
    if (!m_rotaryTables.empty()) {
        std::vector<std::pair<torch::Tensor, torch::Tensor>> perTable;
        for (auto& table : m_rotaryTables)
            perTable.push_back(p.noPadding ? table.range(p.past, T, device, dtype)
                                           : table.lookup(p.positions, dtype));
        for (std::size_t i = 0; i < m_layers.size(); ++i)
            ctx.rotary[i] = perTable[static_cast<std::size_t>(m_layerRotary[i])];
    }
}

torch::Tensor CausalLM::embed(const torch::Tensor& ids, const Positions& p,
                              const ForwardContext& ctx) {
    auto x = m_embed->forward(ids.to(m_embed->weight.device()));
    if (m_spec
            ->scaleEmbedding) // ref: Gemma3TextScaledWordEmbedding: × sqrt(hidden) in weight dtype
        x = x * torch::scalar_tensor(std::sqrt(static_cast<double>(m_config.hidden_size)),
                                     torch::TensorOptions()
                                         .dtype(m_embed->weight.scalar_type())
                                         .device(m_embed->weight.device()));
    if (m_positions) // ref: GPT2Model.forward: inputs_embeds + position_embeds
        x = x + m_positions->forward(p.positions);
    if (ctx.taps.mask & tapBit(TapPoint::Embed))
        ctx.taps.listener->onTap(TapPoint::Embed, -1, x);
    return x;
}

ForwardOutput CausalLM::forward(const torch::Tensor& ids, const torch::Tensor& attentionMask,
                                const ForwardOptions& opts) {
    TORCH_CHECK(ids.dim() == 2, "ids must be [batch, tokens]");
    if (auto step = tryDecodeStep(*this, ids, attentionMask, opts))
        return std::move(*step);
    const int64_t B = ids.size(0), T = ids.size(1);
    KvCache* cache = opts.cache;
    const Positions p = positionsFor(B, T, attentionMask, cache);

    ForwardContext ctx;
    ctx.cache = cache;
    ctx.bypassAttention = &opts.bypassAttention;
    prepareAttention(ctx, p, T);
    if (opts.taps) {
        ctx.taps = {opts.taps, opts.taps->tapMask()};
        opts.taps->onForwardBegin(
            p.valid.defined()
                ? p.valid
                : torch::ones(
                      {B, T},
                      torch::TensorOptions().dtype(torch::kBool).device(m_embed->weight.device())));
    }

    auto x = embed(ids, p, ctx);
    for (int i = 0; i < numLayers(); ++i) {
        const auto index = static_cast<std::size_t>(i);
        if (index >= opts.skipLayers.size() || !opts.skipLayers[index])
            x = m_layers[index]->forward(x, ctx);
    }
    if (cache && !p.valid.defined())
        cache->commitAllValid(T);
    else if (cache)
        cache->commit(p.valid);

    ForwardOutput out;
    out.hidden = m_finalNorm->forward(x);
    if (ctx.taps.mask & tapBit(TapPoint::FinalNorm))
        ctx.taps.listener->onTap(TapPoint::FinalNorm, -1, out.hidden);
    if (opts.computeLogits) {
        const int64_t from = std::clamp<int64_t>(opts.logitsFrom, 0, T);
        out.logits = lmHead(from == 0 ? out.hidden : out.hidden.narrow(1, from, T - from));
        if (ctx.taps.mask & tapBit(TapPoint::Logits))
            ctx.taps.listener->onTap(TapPoint::Logits, -1, out.logits);
    }
    return out;
}

torch::Tensor CausalLM::lmHead(const torch::Tensor& hidden) const {
    auto logits = m_lmHead ? m_lmHead->forward(hidden) : projectRows(hidden, m_embed->weight);
    if (m_config.final_logit_softcapping) { // ref: Gemma3ForCausalLM.forward
        const double cap = *m_config.final_logit_softcapping;
        logits = torch::tanh(logits / cap) * cap;
    }
    return logits;
}

void CausalLM::fuseProjections() {
    for (auto& layer : m_layers) {
        layer->attention->fuseProjections();
        layer->mlp->fuseProjections();
    }
}

void CausalLM::initializeWeights(uint64_t seed, double std) {
    torch::NoGradGuard noGrad;
    auto generator = at::detail::createCPUGenerator(seed);
    for (auto& item : named_parameters(true)) {
        const auto& name = item.key();
        auto& p = item.value();
        const bool isNormWeight =
            p.dim() == 1 && name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0;
        torch::Tensor value;
        if (p.dim() == 1) {
            const bool bias = name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
            const double fill =
                bias || (isNormWeight && m_spec->norm == NormKind::RmsOffsetOne) ? 0.0 : 1.0;
            value = torch::full(p.sizes(), fill, torch::kFloat32);
        } else {
            value = at::normal(0.0, std, p.sizes(), generator,
                               torch::TensorOptions().dtype(torch::kFloat32));
        }
        p.copy_(value.to(p.options()));
    }
}

} // namespace anatomist::core
