#include "prune/apply_plan.h"

#include "errors.h"
#include "io/tensor_source.h"
#include "job.h"
#include "model/model_loader.h"
#include "prune/layer_edits.h"
#include "prune/slicing.h"

#include <algorithm>
#include <cmath>

namespace anatomist::core {

namespace {

bool allEqual(const std::vector<int64_t>& v) {
    return std::adjacent_find(v.begin(), v.end(), std::not_equal_to<>()) == v.end();
}

// The variant's config: kept layers' entries in order. Global keys keep the base's values unless
// every layer agrees on a new one, so a uniform result is a stock config. GPT-2 derives head_dim
// from n_embd / n_head, so its global head count never changes (per-layer lists carry pruned
// heads).
ModelConfig variantConfig(const CausalLM& base, const std::vector<LayerEdit>& edits,
                          const std::vector<VariantLayer>& layers) {
    const ModelConfig& b = base.config();
    ModelConfig c = b;
    c.layer_types.clear();
    c.layer_rope.clear();
    c.layer_intermediate_sizes.clear();
    c.layer_num_attention_heads.clear();
    c.layer_num_key_value_heads.clear();
    c.layer_attention_bypassed.clear();
    for (const auto& l : layers) {
        const auto i = static_cast<std::size_t>(l.baseIndex);
        c.layer_types.push_back(b.layer_types[i]);
        c.layer_rope.push_back(b.layer_rope[i]);
        c.layer_intermediate_sizes.push_back(l.intermediateSize);
        c.layer_num_attention_heads.push_back(l.heads);
        c.layer_num_key_value_heads.push_back(l.kvHeads);
        c.layer_attention_bypassed.push_back(l.attentionBypassed);
    }
    c.num_hidden_layers = static_cast<int64_t>(layers.size());
    if (allEqual(c.layer_intermediate_sizes))
        c.intermediate_size = c.layer_intermediate_sizes.front();
    if (!base.spec().fusedQkv() && allEqual(c.layer_num_attention_heads) &&
        allEqual(c.layer_num_key_value_heads)) {
        c.num_attention_heads = c.layer_num_attention_heads.front();
        c.num_key_value_heads = c.layer_num_key_value_heads.front();
    }
    // Per-layer attributes (layer_types, hence Gemma's per-layer RoPE) stay with their layer: once
    // layers are removed, write the list explicitly instead of letting a family rule re-derive it.
    const bool removed =
        std::any_of(edits.begin(), edits.end(), [](const LayerEdit& e) { return e.removed; });
    if (removed && base.spec().positions == PositionKind::Rotary && c.raw.is_object())
        c.raw["layer_types"] = nlohmann::json::array();
    validateConfig(c, "pruned variant");
    return c;
}

// Sliced copies of one base layer's parameters under the variant's layer prefix.
void addLayerTensors(const CausalLM& base, const VariantLayer& l, const std::string& prefix,
                     MemoryTensorSource& source) {
    const auto& layer = base.layer(l.baseIndex);
    const auto& a = *layer.attention;
    const auto& m = *layer.mlp;
    const auto layout = base.spec().linearLayout;
    const ModelConfig& c = base.config();
    const auto i = static_cast<std::size_t>(l.baseIndex);
    const int64_t D = c.head_dim;
    const auto qFeatures = headFeatures(l.keptQueryHeads, D);
    const auto kvFeatures = headFeatures(l.keptKvHeads, D);
    const auto qkvFeatures =
        fusedQkvFeatures(l.keptQueryHeads, l.keptKvHeads, c.layer_num_attention_heads[i],
                         c.layer_num_key_value_heads[i], D);
    struct Rule {
        const LinearModule* module;
        const std::vector<int64_t>* outputs; // null: outputs unchanged
        const std::vector<int64_t>* inputs;  // null: inputs unchanged
    };
    std::vector<Rule> rules{
        {a.q.get(), &qFeatures, nullptr},      {a.k.get(), &kvFeatures, nullptr},
        {a.v.get(), &kvFeatures, nullptr},     {a.qkv.get(), &qkvFeatures, nullptr},
        {a.o.get(), nullptr, &qFeatures},      {m.gate.get(), &l.keptNeurons, nullptr},
        {m.up.get(), &l.keptNeurons, nullptr}, {m.down.get(), nullptr, &l.keptNeurons}};
    torch::NoGradGuard noGrad;
    for (const auto& item : layer.named_parameters(true)) {
        const auto& t = item.value();
        torch::Tensor value;
        for (const auto& r : rules) {
            if (!r.module)
                continue;
            if (t.is_same(r.module->weight)) {
                value = r.outputs ? keepOutputs(t, layout, *r.outputs) : t.detach().clone();
                if (r.inputs)
                    value = keepInputs(value, layout, *r.inputs);
            } else if (r.module->bias.defined() && t.is_same(r.module->bias)) {
                value = r.outputs ? keepEntries(t, *r.outputs) : t.detach().clone();
            }
            if (value.defined())
                break;
        }
        if (!value.defined())
            value = t.detach().clone(); // norms (q/k norms are per head_dim: unchanged)
        // A bypassed attention adds exactly zero in stock loaders (ALGORITHMS.md §7).
        if (l.attentionBypassed &&
            (t.is_same(a.o->weight) || (a.o->bias.defined() && t.is_same(a.o->bias))))
            value.zero_();
        source.set(prefix + item.key(), value);
    }
}

} // namespace

int64_t roundToDivisor(int64_t kept, int64_t width, std::optional<int64_t> divisor) {
    if (!divisor)
        return kept;
    if (*divisor < 1)
        throw InvalidArgument("divisor must be at least 1, got " + std::to_string(*divisor));
    const int64_t d = *divisor;
    const int64_t rounded = static_cast<int64_t>(std::llround(double(kept) / double(d))) * d;
    return std::clamp<int64_t>(rounded, 1, width);
}

int64_t keptWidthForPercent(int64_t width, double percent, std::optional<int64_t> divisor) {
    if (!(percent >= 0) || percent >= 100)
        throw InvalidArgument("percent must be in [0, 100), got " + std::to_string(percent) +
                              (percent >= 100 ? " (100 % would remove the whole MLP)" : ""));
    // The epsilon absorbs the rounding of p/100·I when p came from an expansion ratio.
    const auto removed = static_cast<int64_t>(std::floor(percent / 100.0 * double(width) + 1e-9));
    return roundToDivisor(width - std::min(removed, width - 1), width, divisor);
}

double percentForExpansion(int64_t width, int64_t hidden, double expansion) {
    if (!(expansion > 0))
        throw InvalidArgument("expansion must be a positive percentage of hidden_size");
    const double percent = (1.0 - (expansion / 100.0 * double(hidden)) / double(width)) * 100.0;
    if (percent < -1e-9)
        throw InvalidArgument("expansion " + std::to_string(expansion) + " % of hidden size " +
                              std::to_string(hidden) + " would grow the MLP beyond its " +
                              std::to_string(width) + " neurons");
    return std::max(percent, 0.0);
}

int64_t countParameters(CausalLM& model) {
    int64_t total = 0;
    for (const auto& p : model.parameters(true))
        total += p.numel();
    return total;
}

PruneResult applyPlan(CausalLM& base, const PrunePlan& plan, const PruneInputs& inputs,
                      JobContext& job) {
    SubJobContext planJob(job, 0.0, 0.6);
    const auto edits = planLayerEdits(base, plan, inputs, planJob);
    job.throwIfCancelled();

    PruneResult result;
    for (std::size_t i = 0; i < edits.size(); ++i) {
        const auto& e = edits[i];
        if (e.removed)
            continue;
        VariantLayer l;
        l.baseIndex = static_cast<int>(i);
        l.keptNeurons = keptIndices(e.neuronKept);
        l.keptQueryHeads = keptIndices(e.queryKept);
        l.keptKvHeads = keptIndices(e.kvKept);
        l.intermediateSize = static_cast<int64_t>(l.keptNeurons.size());
        l.heads = static_cast<int64_t>(l.keptQueryHeads.size());
        l.kvHeads = static_cast<int64_t>(l.keptKvHeads.size());
        l.attentionBypassed = e.bypassed;
        result.keptLayers.push_back(l.baseIndex);
        result.layers.push_back(std::move(l));
    }
    const ModelConfig config = variantConfig(base, edits, result.layers);

    const auto& spec = base.spec();
    const std::string layersPrefix = spec.names.backbone + "." + spec.names.layers + ".";
    MemoryTensorSource source("pruned variant");
    {
        torch::NoGradGuard noGrad;
        for (const auto& item : base.named_parameters(true))
            if (item.key().rfind(layersPrefix, 0) != 0)
                source.set(item.key(), item.value().detach().clone());
    }
    for (std::size_t j = 0; j < result.layers.size(); ++j)
        addLayerTensors(base, result.layers[j], layersPrefix + std::to_string(j) + ".", source);
    job.setProgress(0.7, "build");

    result.model = std::make_shared<CausalLM>(config, spec, base.options());
    SubJobContext loadJob(job, 0.7, 1.0);
    loadWeights(*result.model, source, loadJob);
    result.model->eval();
    result.parametersBefore = countParameters(base);
    result.parametersAfter = countParameters(*result.model);
    result.stockCompatible = config.uniformLayerShapes();
    job.setProgress(1.0, "done");
    return result;
}

} // namespace anatomist::core
