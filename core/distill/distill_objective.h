#pragma once
// The distillation objective (ALGORITHMS.md §8): total = α·CE + β·KL + γ·hidden + δ·trajectory per
// trained position, with named terms "ce", "kl" (always reported) and "hidden", "trajectory" (when
// their weight is not zero). The teacher runs under NoGradGuard, not InferenceMode: its
// probabilities are ordinary tensors that the KL's backward may keep. The teacher is only read, so
// one teacher may serve several runs, or a run and a viewer, at the same time.
//
// hidden:     mean over student layers i of (1 − cos(h_s^i, h_t^map(i))), h = the layer's output
// trajectory: mean over student layers i of (1 − cos(h_s^i − h_s^(i−1), h_t^map(i) −
// h_t^map(i−1))),
//             with h^(−1) the embedding output of both models (map(−1) = −1)

#include "distill/distill_losses.h"
#include "train/objective.h"

#include <memory>

namespace anatomist::core {

struct DistillOptions {
    double alpha = 0.5; // CE on the data
    double beta = 0.5;  // KL to the teacher
    double gamma = 0.0; // hidden-state alignment
    double delta = 0.0; // trajectory
    double temperature = 2.0;
    KlKind kl = KlKind::Forward;
    double skewLambda = 0.1;
    std::vector<int> layerMap; // student layer → teacher layer; needed when gamma or delta > 0

    bool needsLayerMap() const { return gamma != 0 || delta != 0; }
};

nlohmann::json toJson(const DistillOptions& options);
// Missing keys keep their defaults; InvalidArgument names a bad key.
DistillOptions distillOptionsFromJson(const nlohmann::json& document);

class TeacherLogitCache;

class DistillObjective : public TrainObjective {
public:
    // Checks everything that can be checked before a step: the vocabularies agree, and when the
    // hidden or trajectory term is on, the widths agree and the layer map fits both models.
    DistillObjective(std::shared_ptr<CausalLM> teacher, const CausalLM& student,
                     DistillOptions options);

    std::string kind() const override { return "distill"; }
    ObjectiveTerms compute(CausalLM& student, const TrainBatch& batch) override;
    nlohmann::json describe() const override;

    const DistillOptions& options() const { return m_options; }

    // Teacher logits from a disk cache (distill/teacher_cache.h) instead of the teacher: the KL
    // becomes distillKlSumTopK's, and describe() adds "teacher_top_k" when k < vocabulary (k =
    // vocabulary is the exact KL, the same objective). InvalidArgument when the hidden-state or
    // trajectory term is on (they need the teacher's layers), or the cache's vocabulary or
    // temperature is not this run's. nullptr: on the fly again.
    void setTeacherCache(std::shared_ptr<const TeacherLogitCache> cache);
    const TeacherLogitCache* teacherCache() const { return m_cache.get(); }

private:
    std::shared_ptr<CausalLM> m_teacher;
    std::shared_ptr<const TeacherLogitCache> m_cache;
    DistillOptions m_options;
};

} // namespace anatomist::core
