// TrainOptions ↔ JSON (the "train" block of a run description and of every checkpoint).
#include "errors.h"
#include "train/trainer.h"

namespace anatomist::core {

LrSchedule TrainOptions::schedule() const {
    LrSchedule s;
    s.peak = lr;
    s.totalSteps = steps;
    s.warmupSteps = warmupSteps >= 0 ? warmupSteps : (steps * 5) / 100;
    s.floorRatio = minLrRatio;
    return s;
}

nlohmann::json toJson(const TrainOptions& o) {
    return {{"steps", o.steps},
            {"batch_size", o.batchSize},
            {"grad_accum", o.gradAccum},
            {"seq_len", o.seqLen},
            {"lr", o.lr},
            {"warmup_steps", o.warmupSteps},
            {"min_lr_ratio", o.minLrRatio},
            {"clip", o.clip},
            {"beta1", o.adamw.beta1},
            {"beta2", o.adamw.beta2},
            {"eps", o.adamw.eps},
            {"weight_decay", o.adamw.weightDecay},
            {"seed", o.seed},
            {"eval_every", o.evalEvery},
            {"checkpoint_every", o.checkpointEvery},
            {"frozen", o.frozen},
            {"trainable", o.trainable}};
}

namespace {

template <typename T> void readTrainKey(const nlohmann::json& doc, const char* key, T& into) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null())
        return;
    try {
        into = it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw InvalidArgument(std::string("training option '") + key +
                              "' has the wrong type: " + it->dump());
    }
}

void requireTrainPositive(int64_t value, const char* key) {
    if (value < 1)
        throw InvalidArgument(std::string("training option '") + key +
                              "' must be at least 1, got " + std::to_string(value));
}

} // namespace

TrainOptions trainOptionsFromJson(const nlohmann::json& doc) {
    TrainOptions o;
    if (!doc.is_object())
        throw InvalidArgument("training options must be a JSON object");
    readTrainKey(doc, "steps", o.steps);
    readTrainKey(doc, "batch_size", o.batchSize);
    readTrainKey(doc, "grad_accum", o.gradAccum);
    readTrainKey(doc, "seq_len", o.seqLen);
    readTrainKey(doc, "lr", o.lr);
    readTrainKey(doc, "warmup_steps", o.warmupSteps);
    readTrainKey(doc, "min_lr_ratio", o.minLrRatio);
    readTrainKey(doc, "clip", o.clip);
    readTrainKey(doc, "beta1", o.adamw.beta1);
    readTrainKey(doc, "beta2", o.adamw.beta2);
    readTrainKey(doc, "eps", o.adamw.eps);
    readTrainKey(doc, "weight_decay", o.adamw.weightDecay);
    readTrainKey(doc, "seed", o.seed);
    readTrainKey(doc, "eval_every", o.evalEvery);
    readTrainKey(doc, "checkpoint_every", o.checkpointEvery);
    readTrainKey(doc, "frozen", o.frozen);
    readTrainKey(doc, "trainable", o.trainable);
    requireTrainPositive(o.steps, "steps");
    requireTrainPositive(o.batchSize, "batch_size");
    requireTrainPositive(o.gradAccum, "grad_accum");
    requireTrainPositive(o.seqLen, "seq_len");
    if (!(o.lr > 0))
        throw InvalidArgument("training option 'lr' must be positive");
    return o;
}

} // namespace anatomist::core
