// Training checkpoints: one safetensors file (so one atomic rename), holding
//   param.<name>                  every model parameter (trained or frozen)
//   adamw.exp_avg.<name>, adamw.exp_avg_sq.<name>
//   rng.torch_cpu                 the default CPU generator's state (uint8)
// and in the metadata "anatomist.train_state": {"step", "data": {"epoch", "cursor"},
// "schedule": {...}, "train": options, "objective": the objective's describe(), "elapsed": seconds,
// "extra": caller's document}. Checkpoints without "objective" were written by cross-entropy runs.
#include "errors.h"
#include "io/safetensors.h"
#include "model/causal_lm.h"
#include "train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Generator.h>
#include <torch/torch.h>

namespace anatomist::core {

namespace {

constexpr const char* kTrainStateKey = "anatomist.train_state";

nlohmann::json readTrainStateDocument(const SafetensorsCheckpoint& checkpoint,
                                      const std::filesystem::path& file) {
    for (const auto& f : checkpoint.files()) {
        const auto it = f->metadata().find(kTrainStateKey);
        if (it == f->metadata().end())
            continue;
        try {
            return nlohmann::json::parse(it->second);
        } catch (const nlohmann::json::exception& e) {
            throw FormatError(file.string() + ": training state is not valid JSON (" + e.what() +
                              ")");
        }
    }
    throw FormatError(file.string() + ": not a training checkpoint (no '" +
                      std::string(kTrainStateKey) + "' metadata)");
}

} // namespace

void Trainer::saveCheckpoint(const std::filesystem::path& file, const nlohmann::json& extra) const {
    NamedTensors tensors;
    for (const auto& item : m_model->named_parameters(true))
        tensors.emplace_back("param." + item.key(), item.value().detach());
    for (auto& entry : m_optimizer->state())
        tensors.push_back(std::move(entry));
    tensors.emplace_back("rng.torch_cpu", at::detail::getDefaultCPUGenerator().get_state());
    const auto s = m_options.schedule();
    const nlohmann::json state = {
        {"step", m_step},
        {"data", {{"epoch", m_batcher.position().epoch}, {"cursor", m_batcher.position().cursor}}},
        {"schedule",
         {{"peak", s.peak},
          {"warmup_steps", s.warmupSteps},
          {"total_steps", s.totalSteps},
          {"floor_ratio", s.floorRatio},
          {"next_lr", learningRateAt(s, m_step)}}},
        {"train", toJson(m_options)},
        {"objective", m_objective->describe()},
        {"elapsed", m_elapsed},
        {"extra", extra},
    };
    writeSafetensors(file, tensors, {{"format", "pt"}, {kTrainStateKey, state.dump()}});
}

void Trainer::loadCheckpoint(const std::filesystem::path& file) {
    const auto checkpoint = SafetensorsCheckpoint::open(file);
    const auto state = readTrainStateDocument(checkpoint, file);
    const auto saved = state.value("objective", nlohmann::json{{"kind", "ce"}});
    const auto mine = m_objective->describe();
    if (saved != mine)
        throw InvalidArgument(file.string() + ": checkpoint of another run (its objective is " +
                              saved.dump() + ", this run's is " + mine.dump() + ")");
    torch::NoGradGuard noGrad;
    for (auto& item : m_model->named_parameters(true)) {
        const std::string key = "param." + item.key();
        if (!checkpoint.contains(key))
            throw MissingTensor(file.string() + ": parameter '" + item.key() + "' is missing");
        const auto value = checkpoint.load(key);
        if (value.sizes() != item.value().sizes())
            throw ShapeMismatch(file.string() + ": parameter '" + item.key() + "' has shape " +
                                formatShape(value.sizes().vec()) + ", the model has " +
                                formatShape(item.value().sizes().vec()));
        item.value().copy_(value);
    }
    const int64_t step = state.at("step").get<int64_t>();
    m_optimizer->loadState(checkpoint, step);
    if (checkpoint.contains("rng.torch_cpu")) {
        auto generator = at::detail::getDefaultCPUGenerator(); // shares the default generator
        generator.set_state(checkpoint.load("rng.torch_cpu").clone());
    }
    m_batcher.setPosition({state.at("data").at("epoch").get<int64_t>(),
                           state.at("data").at("cursor").get<int64_t>()});
    m_step = step;
    m_elapsed = state.value("elapsed", 0.0);
}

nlohmann::json readTrainCheckpointMeta(const std::filesystem::path& file) {
    const auto checkpoint = SafetensorsCheckpoint::open(file);
    auto state = readTrainStateDocument(checkpoint, file);
    return state;
}

} // namespace anatomist::core
