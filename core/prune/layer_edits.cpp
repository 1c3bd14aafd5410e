#include "prune/layer_edits.h"

#include "analysis/neuron_importance.h"
#include "errors.h"
#include "job.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace anatomist::core {

namespace {

std::string describe(std::size_t index, const PruneOperation& op) {
    return "operation " + std::to_string(index) + " (" + pruneOpName(op.op) + ")";
}

// Neuron scores per method on the base, computed once per plan.
class ScoreCache {
public:
    ScoreCache(CausalLM& base, const PruneInputs& inputs, JobContext& job)
        : m_base(base)
        , m_inputs(inputs)
        , m_job(job) {}

    const std::vector<std::vector<float>>& scores(NeuronScoreMethod method) {
        auto it = m_scores.find(method);
        if (it == m_scores.end()) {
            auto result =
                scoreNeurons(m_base, method, m_inputs.documents, m_job, m_inputs.tokenBudget);
            it = m_scores.emplace(method, std::move(result.layers)).first;
        }
        return it->second;
    }
    const NeuronBias& bias() {
        if (!m_bias)
            m_bias = measureNeuronBias(m_base, m_inputs.pairs, m_job);
        return *m_bias;
    }

private:
    CausalLM& m_base;
    const PruneInputs& m_inputs;
    JobContext& m_job;
    std::map<NeuronScoreMethod, std::vector<std::vector<float>>> m_scores;
    std::optional<NeuronBias> m_bias;
};

std::vector<float> toVector(const torch::Tensor& t) {
    const auto c = t.to(torch::kFloat32).contiguous().cpu();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

// ‖q rows of h‖₂ + ‖o columns of h‖₂ per query head: how much the head writes and reads.
std::vector<float> queryHeadL2(const AttentionModule& attention, int64_t heads, int64_t headDim) {
    torch::NoGradGuard noGrad;
    const auto q = (attention.qkv ? attention.qkv : attention.q)->weightOutIn().to(torch::kFloat32);
    const auto o = attention.o->weightOutIn().to(torch::kFloat32);
    std::vector<float> out;
    for (int64_t h = 0; h < heads; ++h)
        out.push_back(q.narrow(0, h * headDim, headDim).norm().item<float>() +
                      o.narrow(1, h * headDim, headDim).norm().item<float>());
    return out;
}

int64_t keptCountFor(const PruneOperation& op, int64_t width, int64_t hidden,
                     const std::string& where) {
    try {
        if (op.keep) {
            if (*op.keep < 1 || *op.keep > width)
                throw InvalidArgument("keep must be between 1 and the layer's " +
                                      std::to_string(width) + " neurons, got " +
                                      std::to_string(*op.keep));
            return roundToDivisor(*op.keep, width, op.divisor);
        }
        const double percent =
            op.percent ? *op.percent : percentForExpansion(width, hidden, *op.expansion);
        return keptWidthForPercent(width, percent, op.divisor);
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(where + ": " + e.what());
    }
}

void removeAllBut(std::vector<bool>& kept, const std::vector<int64_t>& keep) {
    std::vector<bool> selected(kept.size(), false);
    for (int64_t i : keep)
        selected[static_cast<std::size_t>(i)] = true;
    for (std::size_t i = 0; i < kept.size(); ++i)
        kept[i] = kept[i] && selected[i];
}

class EditPlanner {
public:
    EditPlanner(CausalLM& base, const PruneInputs& inputs, JobContext& job)
        : m_base(base)
        , m_config(base.config())
        , m_inputs(inputs)
        , m_scores(base, inputs, job) {
        for (int l = 0; l < base.numLayers(); ++l) {
            const auto i = static_cast<std::size_t>(l);
            LayerEdit e;
            e.neuronKept.assign(static_cast<std::size_t>(m_config.layer_intermediate_sizes[i]),
                                true);
            e.queryKept.assign(static_cast<std::size_t>(m_config.layer_num_attention_heads[i]),
                               true);
            e.kvKept.assign(static_cast<std::size_t>(m_config.layer_num_key_value_heads[i]), true);
            e.bypassed = m_config.layer_attention_bypassed[i];
            m_edits.push_back(std::move(e));
        }
    }

    void apply(std::size_t index, const PruneOperation& op) {
        const std::string where = describe(index, op);
        for (int layer : layersOf(op, where)) {
            auto& e = m_edits[static_cast<std::size_t>(layer)];
            const std::string at = where + ", layer " + std::to_string(layer);
            switch (op.op) {
            case PruneOpKind::RemoveLayers:
                e.removed = true;
                break;
            case PruneOpKind::BypassAttention:
                e.bypassed = true;
                break;
            case PruneOpKind::PruneMlp:
                pruneMlp(op, layer, e, at);
                break;
            case PruneOpKind::RemoveNeurons:
                for (int64_t n : op.neurons) {
                    if (n < 0 || n >= int64_t(e.neuronKept.size()))
                        throw InvalidArgument(at + ": neuron " + std::to_string(n) +
                                              " is out of range (the layer has " +
                                              std::to_string(e.neuronKept.size()) + ")");
                    e.neuronKept[static_cast<std::size_t>(n)] = false;
                }
                break;
            case PruneOpKind::PruneHeads:
                pruneHeads(op, layer, e, at);
                break;
            case PruneOpKind::FairnessNeurons:
                fairness(op, layer, e, at);
                break;
            }
        }
    }

    std::vector<LayerEdit> finish() {
        if (std::all_of(m_edits.begin(), m_edits.end(),
                        [](const LayerEdit& e) { return e.removed; }))
            throw InvalidArgument("the plan removes every layer; a model needs at least one");
        for (std::size_t l = 0; l < m_edits.size(); ++l) {
            const auto& e = m_edits[l];
            if (e.removed)
                continue;
            const std::string at = "layer " + std::to_string(l);
            if (std::none_of(e.neuronKept.begin(), e.neuronKept.end(), [](bool b) { return b; }))
                throw InvalidArgument(at + ": the plan removes every MLP neuron");
            checkGroups(e, at);
        }
        return std::move(m_edits);
    }

private:
    std::vector<int> layersOf(const PruneOperation& op, const std::string& where) const {
        const int count = m_base.numLayers();
        std::vector<int> layers = op.layers;
        if (layers.empty()) {
            layers.resize(static_cast<std::size_t>(count));
            std::iota(layers.begin(), layers.end(), 0);
        }
        for (int l : layers)
            if (l < 0 || l >= count)
                throw InvalidArgument(where + ": layer " + std::to_string(l) +
                                      " is out of range (the base has " + std::to_string(count) +
                                      " layers, 0-" + std::to_string(count - 1) + ")");
        return layers;
    }

    NeuronScoreMethod methodOf(const PruneOperation& op, const std::string& where) const {
        const bool gated = m_base.spec().mlp == MlpKind::Gated;
        const std::string name = !op.method.empty() ? op.method : gated ? "ppm" : "l1";
        const auto method = parseNeuronScoreMethod(name);
        if (!method)
            throw InvalidArgument(where + ": unknown method '" + name +
                                  "' (ppm, vow, pon, l2, activation, l1)");
        if (*method == NeuronScoreMethod::Activation && m_inputs.documents.empty())
            throw InvalidArgument(where + ": method 'activation' needs a dataset (texts to "
                                          "measure activations on)");
        return *method;
    }

    void pruneMlp(const PruneOperation& op, int layer, LayerEdit& e, const std::string& at) {
        const auto method = methodOf(op, at);
        const auto width = static_cast<int64_t>(e.neuronKept.size());
        const int64_t keep = keptCountFor(op, width, m_config.hidden_size, at);
        const auto& scores = m_scores.scores(method)[static_cast<std::size_t>(layer)];
        removeAllBut(e.neuronKept, topIndices(scores, keep));
    }

    void fairness(const PruneOperation& op, int layer, LayerEdit& e, const std::string& at) {
        if (m_inputs.pairs.empty())
            throw InvalidArgument(at + ": needs prompt pairs (the 'pairs' file)");
        const auto width = static_cast<int64_t>(e.neuronKept.size());
        if (op.count >= width)
            throw InvalidArgument(at + ": count " + std::to_string(op.count) +
                                  " would remove every one of the layer's " +
                                  std::to_string(width) + " neurons");
        // The structural term of F_k is PPM; plain MLPs (GPT-2) use their L1 score instead.
        const auto structuralMethod =
            m_base.spec().mlp == MlpKind::Gated ? NeuronScoreMethod::Ppm : NeuronScoreMethod::L1;
        const auto& structural = m_scores.scores(structuralMethod)[static_cast<std::size_t>(layer)];
        const auto& bias = m_scores.bias().mean[static_cast<std::size_t>(layer)];
        const auto f = toVector(fairnessScores(bias, torch::tensor(structural), op.weight));
        // Remove the top-count by F_k: keep everything else.
        const auto removed = topIndices(f, op.count);
        for (int64_t n : removed)
            e.neuronKept[static_cast<std::size_t>(n)] = false;
    }

    void pruneHeads(const PruneOperation& op, int layer, LayerEdit& e, const std::string& at) {
        const auto heads = static_cast<int64_t>(e.queryKept.size());
        const auto kv = static_cast<int64_t>(e.kvKept.size());
        const int64_t group = heads / kv;
        if (!op.kv_groups.empty()) {
            for (int64_t g : op.kv_groups) {
                if (g < 0 || g >= kv)
                    throw InvalidArgument(at + ": KV group " + std::to_string(g) +
                                          " is out of range (the layer has " + std::to_string(kv) +
                                          " KV heads)");
                e.kvKept[static_cast<std::size_t>(g)] = false;
                for (int64_t h = g * group; h < (g + 1) * group; ++h)
                    e.queryKept[static_cast<std::size_t>(h)] = false;
            }
            return;
        }
        if (!op.query_heads.empty()) {
            for (int64_t h : op.query_heads) {
                if (h < 0 || h >= heads)
                    throw InvalidArgument(at + ": query head " + std::to_string(h) +
                                          " is out of range (the layer has " +
                                          std::to_string(heads) + ")");
                e.queryKept[static_cast<std::size_t>(h)] = false;
            }
            return;
        }
        const int64_t n = *op.query_heads_per_group;
        if (n < 1 || n >= group)
            throw InvalidArgument(at + ": query_heads_per_group must be between 1 and " +
                                  std::to_string(group - 1) + " (each KV group has " +
                                  std::to_string(group) + " query heads" +
                                  (group == 1 ? "; remove whole kv_groups instead" : "") + ")");
        if (!op.method.empty() && op.method != "l2")
            throw InvalidArgument(at + ": unknown head method '" + op.method + "' (l2)");
        const auto& attention = *m_base.layer(layer).attention;
        const auto scores = queryHeadL2(attention, heads, m_config.head_dim);
        for (int64_t g = 0; g < kv; ++g) {
            const std::vector<float> groupScores(scores.begin() + g * group,
                                                 scores.begin() + (g + 1) * group);
            std::vector<bool> keep(static_cast<std::size_t>(group), false);
            for (int64_t i : topIndices(groupScores, group - n))
                keep[static_cast<std::size_t>(i)] = true;
            for (int64_t i = 0; i < group; ++i)
                if (!keep[static_cast<std::size_t>(i)])
                    e.queryKept[static_cast<std::size_t>(g * group + i)] = false;
        }
    }

    // A valid GQA layer: every kept KV head keeps the same number (≥ 1) of query heads, and no
    // query head is left without its KV head.
    void checkGroups(const LayerEdit& e, const std::string& at) const {
        const auto kv = static_cast<int64_t>(e.kvKept.size());
        const int64_t group = static_cast<int64_t>(e.queryKept.size()) / kv;
        std::optional<int64_t> perGroup;
        for (int64_t g = 0; g < kv; ++g) {
            int64_t count = 0;
            for (int64_t h = g * group; h < (g + 1) * group; ++h)
                count += e.queryKept[static_cast<std::size_t>(h)] ? 1 : 0;
            if (!e.kvKept[static_cast<std::size_t>(g)]) {
                if (count != 0)
                    throw std::logic_error("query heads kept without their KV head");
                continue;
            }
            if (count == 0)
                throw InvalidArgument(at + ": KV group " + std::to_string(g) +
                                      " would keep no query head; remove the whole group with "
                                      "kv_groups instead");
            if (perGroup && *perGroup != count)
                throw InvalidArgument(at + ": the heads removed break grouped-query attention (" +
                                      std::to_string(*perGroup) + " query heads in one KV group, " +
                                      std::to_string(count) +
                                      " in another); remove the same number from every group");
            perGroup = count;
        }
        if (!perGroup)
            throw InvalidArgument(at + ": the plan removes every attention head (bypass the "
                                       "attention instead)");
    }

    CausalLM& m_base;
    const ModelConfig& m_config;
    const PruneInputs& m_inputs;
    ScoreCache m_scores;
    std::vector<LayerEdit> m_edits;
};

void checkBase(const PrunePlan& plan, const ModelConfig& config) {
    if (!plan.base)
        return;
    const PlanBase& want = *plan.base;
    const PlanBase have = planBaseOf(config);
    auto text = [](const PlanBase& b) {
        return b.model_type + " with " + std::to_string(b.num_hidden_layers) + " layers, hidden " +
               std::to_string(b.hidden_size) + ", MLP " + std::to_string(b.intermediate_size) +
               ", heads " + std::to_string(b.num_attention_heads) + "/" +
               std::to_string(b.num_key_value_heads);
    };
    const bool same = (want.model_type.empty() || want.model_type == have.model_type) &&
                      want.num_hidden_layers == have.num_hidden_layers &&
                      want.hidden_size == have.hidden_size &&
                      want.intermediate_size == have.intermediate_size &&
                      want.num_attention_heads == have.num_attention_heads &&
                      want.num_key_value_heads == have.num_key_value_heads;
    if (!same)
        throw InvalidArgument("the plan was written for a " + text(want) + "; this model is a " +
                              text(have));
}

} // namespace

std::vector<int64_t> keptIndices(const std::vector<bool>& kept) {
    std::vector<int64_t> out;
    for (std::size_t i = 0; i < kept.size(); ++i)
        if (kept[i])
            out.push_back(static_cast<int64_t>(i));
    return out;
}

std::vector<int64_t> topIndices(const std::vector<float>& scores, int64_t count) {
    std::vector<int64_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return scores[static_cast<std::size_t>(a)] > scores[static_cast<std::size_t>(b)];
    });
    order.resize(static_cast<std::size_t>(std::clamp<int64_t>(count, 0, int64_t(order.size()))));
    std::sort(order.begin(), order.end());
    return order;
}

std::vector<LayerEdit> planLayerEdits(CausalLM& base, const PrunePlan& plan,
                                      const PruneInputs& inputs, JobContext& job) {
    checkBase(plan, base.config());
    EditPlanner planner(base, inputs, job);
    for (std::size_t i = 0; i < plan.operations.size(); ++i) {
        job.throwIfCancelled();
        planner.apply(i, plan.operations[i]);
    }
    return planner.finish();
}

} // namespace anatomist::core
