#include "distill/distill_objective.h"

#include "distill/layer_map.h"
#include "distill/teacher_cache.h"
#include "errors.h"
#include "model/causal_lm.h"
#include "model/taps.h"

#include <torch/torch.h>
#include <tuple>

namespace anatomist::core {

namespace {

// Keeps each layer's output (and the embedding output) of one forward pass.
class LayerOutputs : public TapListener {
public:
    LayerOutputs(int layers, bool embedding)
        : outputs(std::size_t(layers))
        , m_embedding(embedding) {}
    TapMask tapMask() const override {
        return tapBit(TapPoint::Out) | (m_embedding ? tapBit(TapPoint::Embed) : 0);
    }
    void onTap(TapPoint point, int layer, const torch::Tensor& value) override {
        if (point == TapPoint::Embed)
            embed = value;
        else if (layer >= 0 && layer < int(outputs.size()))
            outputs[std::size_t(layer)] = value;
    }
    std::vector<torch::Tensor> outputs;
    torch::Tensor embed;

private:
    bool m_embedding;
};

template <typename T> void readDistillKey(const nlohmann::json& doc, const char* key, T& into) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null())
        return;
    try {
        into = it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw InvalidArgument(std::string("distillation option '") + key +
                              "' has the wrong type: " + it->dump());
    }
}

} // namespace

nlohmann::json toJson(const DistillOptions& o) {
    return {{"alpha", o.alpha},
            {"beta", o.beta},
            {"gamma", o.gamma},
            {"delta", o.delta},
            {"temperature", o.temperature},
            {"kl", klKindName(o.kl)},
            {"skew_lambda", o.skewLambda},
            {"layer_map", o.layerMap}};
}

DistillOptions distillOptionsFromJson(const nlohmann::json& doc) {
    if (!doc.is_object())
        throw InvalidArgument("distillation options must be a JSON object");
    DistillOptions o;
    readDistillKey(doc, "alpha", o.alpha);
    readDistillKey(doc, "beta", o.beta);
    readDistillKey(doc, "gamma", o.gamma);
    readDistillKey(doc, "delta", o.delta);
    readDistillKey(doc, "temperature", o.temperature);
    readDistillKey(doc, "skew_lambda", o.skewLambda);
    readDistillKey(doc, "layer_map", o.layerMap);
    std::string kl = klKindName(o.kl);
    readDistillKey(doc, "kl", kl);
    o.kl = parseKlKind(kl);
    const std::pair<const char*, double> weights[] = {
        {"alpha", o.alpha}, {"beta", o.beta}, {"gamma", o.gamma}, {"delta", o.delta}};
    for (const auto& [name, value] : weights)
        if (value < 0)
            throw InvalidArgument(std::string("distillation weight '") + name +
                                  "' must not be negative");
    if (o.alpha + o.beta + o.gamma + o.delta <= 0)
        throw InvalidArgument("distillation: every loss weight is zero");
    if (!(o.temperature > 0))
        throw InvalidArgument("distillation temperature must be positive");
    if (o.kl == KlKind::Skew && !(o.skewLambda > 0 && o.skewLambda <= 1))
        throw InvalidArgument("distillation: skew_lambda must lie in (0, 1]");
    return o;
}

DistillObjective::DistillObjective(std::shared_ptr<CausalLM> teacher, const CausalLM& student,
                                   DistillOptions options)
    : m_teacher(std::move(teacher))
    , m_options(std::move(options)) {
    TORCH_CHECK(m_teacher, "DistillObjective needs a teacher");
    const auto& t = m_teacher->config();
    const auto& s = student.config();
    if (t.vocab_size != s.vocab_size)
        throw InvalidArgument("teacher and student vocabularies differ (" +
                              std::to_string(t.vocab_size) + " and " +
                              std::to_string(s.vocab_size) + " tokens): KL needs the same one");
    if (!m_options.needsLayerMap())
        return;
    if (t.hidden_size != s.hidden_size)
        throw InvalidArgument("the hidden-state terms need equal widths: teacher " +
                              std::to_string(t.hidden_size) + ", student " +
                              std::to_string(s.hidden_size));
    if (m_options.layerMap.empty())
        throw InvalidArgument("the hidden-state terms need a layer map (student layer → teacher "
                              "layer) and none was given");
    checkLayerMap(m_options.layerMap, student.numLayers(), m_teacher->numLayers(), "distillation");
}

void DistillObjective::setTeacherCache(std::shared_ptr<const TeacherLogitCache> cache) {
    if (cache) {
        if (m_options.needsLayerMap())
            throw InvalidArgument(cache->file().string() +
                                  ": a teacher-logit cache holds logits only; the hidden-state "
                                  "and trajectory terms (gamma, delta) need the teacher's layers "
                                  "on the fly");
        if (cache->vocab() != m_teacher->config().vocab_size ||
            cache->temperature() != m_options.temperature)
            throw InvalidArgument(cache->file().string() +
                                  ": the teacher-logit cache was made for another vocabulary or "
                                  "temperature");
    }
    m_cache = std::move(cache);
}

nlohmann::json DistillObjective::describe() const {
    auto doc = toJson(m_options);
    doc["kind"] = kind();
    if (m_cache && m_cache->topK() < m_cache->vocab())
        doc["teacher_top_k"] = m_cache->topK();
    return doc;
}

ObjectiveTerms DistillObjective::compute(CausalLM& student, const TrainBatch& batch) {
    const auto& o = m_options;
    const bool hidden = o.gamma != 0, trajectory = o.delta != 0;
    const auto& mask = batch.targetMask;
    ForwardOptions forward;
    forward.computeLogits = false;

    LayerOutputs teacherLayers(m_teacher->numLayers(), trajectory);
    torch::Tensor teacherLogits;
    TeacherTopK teacherTop;
    if (m_cache) {
        teacherTop = m_cache->lookup(batch);
    } else {
        torch::NoGradGuard noGrad;
        auto teacherForward = forward;
        if (hidden || trajectory)
            teacherForward.taps = &teacherLayers;
        const auto out = m_teacher->forward(batch.ids, batch.attention, teacherForward);
        teacherLogits = m_teacher->lmHead(out.hidden.index({mask}));
    }
    LayerOutputs studentLayers(student.numLayers(), trajectory);
    if (hidden || trajectory)
        forward.taps = &studentLayers;
    const auto out = student.forward(batch.ids, batch.attention, forward);
    const auto logits = student.lmHead(out.hidden.index({mask}));

    const auto targets = batch.targets.index({mask});
    torch::Tensor ce, kl;
    if (m_cache) {
        ce = crossEntropySum(logits, targets);
        kl = distillKlSumTopK(logits, teacherTop, o.kl, o.temperature, o.skewLambda);
    } else if (o.kl == KlKind::Forward) { // the default: CE and KL in one fused pass
        std::tie(ce, kl) =
            crossEntropyAndForwardKlSums(logits, teacherLogits, targets, o.temperature);
    } else {
        ce = crossEntropySum(logits, targets);
        kl = distillKlSum(logits, teacherLogits, {}, o.kl, o.temperature, o.skewLambda);
    }
    ObjectiveTerms result;
    result.total = o.alpha * ce + o.beta * kl;
    result.terms = {{"ce", ce.detach()}, {"kl", kl.detach()}};
    const int layers = student.numLayers();
    if (hidden) {
        auto sum = torch::zeros({}, logits.options());
        for (int i = 0; i < layers; ++i)
            sum = sum + cosineDistanceSum(
                            studentLayers.outputs[std::size_t(i)],
                            teacherLayers.outputs[std::size_t(o.layerMap[std::size_t(i)])], mask);
        const auto term = sum / double(layers);
        result.total = result.total + o.gamma * term;
        result.terms.emplace_back("hidden", term.detach());
    }
    if (trajectory) {
        auto sum = torch::zeros({}, logits.options());
        for (int i = 0; i < layers; ++i) {
            const auto& s0 =
                i == 0 ? studentLayers.embed : studentLayers.outputs[std::size_t(i - 1)];
            const int t1 = o.layerMap[std::size_t(i)];
            const int t0 = i == 0 ? -1 : o.layerMap[std::size_t(i - 1)];
            const auto& tPrev =
                t0 < 0 ? teacherLayers.embed : teacherLayers.outputs[std::size_t(t0)];
            sum = sum + cosineDistanceSum(studentLayers.outputs[std::size_t(i)] - s0,
                                          teacherLayers.outputs[std::size_t(t1)] - tPrev, mask);
        }
        const auto term = sum / double(layers);
        result.total = result.total + o.delta * term;
        result.terms.emplace_back("trajectory", term.detach());
    }
    return result;
}

} // namespace anatomist::core
