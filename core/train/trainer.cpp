#include "train/trainer.h"

#include "errors.h"
#include "eval/perplexity.h"
#include "job.h"
#include "model/causal_lm.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cmath>
#include <thread>

namespace anatomist::core {

namespace {

bool trainNameIsFrozen(const std::string& name, const TrainOptions& options) {
    for (const auto& prefix : options.frozen)
        if (name.compare(0, prefix.size(), prefix) == 0)
            return true;
    if (options.trainable.empty())
        return false;
    for (const auto& part : options.trainable)
        if (name.find(part) != std::string::npos)
            return false;
    return true;
}

nlohmann::json termsJson(const std::vector<std::pair<std::string, double>>& terms) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, value] : terms)
        out[name] = value;
    return out;
}

} // namespace

Trainer::Trainer(std::shared_ptr<CausalLM> model, TrainOptions options,
                 const std::vector<std::vector<TokenId>>& train,
                 std::vector<std::vector<TokenId>> heldOut)
    : m_model(std::move(model)),
      m_options(std::move(options)),
      m_batcher(train, m_options.seqLen, m_options.seed),
      m_heldOut(std::move(heldOut)),
      m_objective(std::make_shared<CrossEntropyObjective>()) {
    TORCH_CHECK(m_model, "Trainer needs a model");
    const auto vocab = m_model->config().vocab_size;
    for (const std::vector<std::vector<TokenId>>* docs : {&train, &std::as_const(m_heldOut)})
        for (const auto& doc : *docs)
            for (TokenId id : doc)
                if (id < 0 || id >= vocab)
                    throw InvalidArgument("training data holds token id " + std::to_string(id) +
                                          ", outside the model's vocabulary of " +
                                          std::to_string(vocab));
    std::vector<std::pair<std::string, torch::Tensor>> params;
    for (auto& item : m_model->named_parameters(true)) {
        auto p = item.value();
        if (p.is_inference())
            throw InvalidArgument("parameter '" + item.key() +
                                  "' is an inference tensor (the model was loaded under "
                                  "InferenceMode): load it for training or train a copy");
        p.set_requires_grad(!trainNameIsFrozen(item.key(), m_options));
        params.emplace_back(item.key(), p);
    }
    m_optimizer = std::make_unique<AdamW>(params, m_options.adamw);
    if (m_optimizer->size() == 0)
        throw InvalidArgument("every parameter is frozen: nothing to train");
}

void Trainer::setObjective(std::shared_ptr<TrainObjective> objective) {
    TORCH_CHECK(objective, "Trainer::setObjective needs an objective");
    m_objective = std::move(objective);
}

std::vector<torch::Tensor> Trainer::trainableParameters() const {
    std::vector<torch::Tensor> out;
    for (const auto& p : m_model->parameters(true))
        if (p.requires_grad())
            out.push_back(p);
    return out;
}

double Trainer::accumulateGradients(const std::vector<TrainBatch>& batches, JobContext& job) {
    std::vector<std::pair<std::string, double>> terms;
    return accumulate(batches, job, terms);
}

double Trainer::accumulate(const std::vector<TrainBatch>& batches, JobContext& job,
                           std::vector<std::pair<std::string, double>>& terms) {
    m_optimizer->zeroGrad();
    int64_t total = 0;
    for (const auto& batch : batches)
        total += batch.targetCount;
    TORCH_CHECK(total > 0, "no target to train on");
    const auto device = m_model->embedding().weight.device();
    double lossSum = 0;
    terms.clear();
    for (const auto& batch : batches) {
        job.throwIfCancelled();
        TrainBatch onDevice = batch;
        onDevice.ids = batch.ids.to(device);
        onDevice.attention = batch.attention.to(device);
        onDevice.targets = batch.targets.to(device);
        onDevice.targetMask = batch.targetMask.to(device);
        const auto out = m_objective->compute(*m_model, onDevice);
        // Normalising by the whole step's target count makes k micro-batches equal one big batch.
        (out.total / double(total)).backward();
        lossSum += out.total.item<double>();
        for (std::size_t i = 0; i < out.terms.size(); ++i) {
            const double value = out.terms[i].second.item<double>() / double(total);
            if (terms.size() <= i)
                terms.emplace_back(out.terms[i].first, 0.0);
            terms[i].second += value;
        }
    }
    return lossSum / double(total);
}

StepStats Trainer::step(JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    // A cancelled step must leave no trace: the data position and the RNG (dropout) go back.
    const auto position = m_batcher.position();
    auto generator = at::detail::getDefaultCPUGenerator();
    const auto rngState = generator.get_state();
    StepStats stats;
    try {
        std::vector<TrainBatch> batches;
        for (int64_t i = 0; i < m_options.gradAccum; ++i)
            batches.push_back(m_batcher.next(m_options.batchSize));
        stats.loss = accumulate(batches, job, stats.terms);
        for (const auto& b : batches)
            stats.tokens += b.targetCount;
    } catch (const Cancelled&) {
        m_optimizer->zeroGrad();
        m_batcher.setPosition(position);
        generator.set_state(rngState);
        throw;
    }
    stats.gradNorm = clipGradientNorm(trainableParameters(), m_options.clip);
    stats.lr = learningRateAt(m_options.schedule(), m_step);
    m_optimizer->step(stats.lr);
    m_optimizer->zeroGrad();
    stats.step = ++m_step;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats.tokensPerSecond = double(stats.tokens) / std::max(stats.seconds, 1e-9);
    m_elapsed += stats.seconds;
    return stats;
}

double Trainer::evaluate(JobContext& job, double* nll, int64_t* tokens) {
    if (m_heldOut.empty())
        throw InvalidArgument("no held-out data to evaluate on");
    PerplexityOptions options;
    options.context = m_options.seqLen;
    const bool training = m_model->is_training(); // dropout (LoRA) off while evaluating
    m_model->eval();
    PerplexityResult result;
    try {
        result = evaluatePerplexity(*m_model, m_heldOut, options, job);
    } catch (...) {
        m_model->train(training);
        throw;
    }
    m_model->train(training);
    if (nll)
        *nll = result.nll;
    if (tokens)
        *tokens = result.tokens_scored;
    return result.perplexity;
}

void Trainer::run(JobContext& job, const std::filesystem::path& checkpointFile,
                  const nlohmann::json& extra) {
    const int64_t steps = m_options.steps;
    const bool checkpoints = !checkpointFile.empty() && m_options.checkpointEvery > 0;
    // A cancel between steps, in a step (undone) or in an evaluation leaves a checkpoint of the
    // last whole step.
    auto checkpointCancelled = [&] {
        if (!checkpoints)
            return;
        saveCheckpoint(checkpointFile, extra);
        job.emitEvent({{"type", "train_checkpoint"},
                       {"step", m_step},
                       {"path", checkpointFile.string()},
                       {"cancelled", true}});
    };
    while (m_step < steps) {
        StepStats stats;
        try {
            waitWhilePaused(job);
            job.throwIfCancelled();
            stats = step(job);
            m_last = stats;
        } catch (const Cancelled&) {
            checkpointCancelled();
            throw;
        }
        job.emitEvent({{"type", "train_step"},
                       {"step", stats.step},
                       {"steps", steps},
                       {"loss", stats.loss},
                       {"terms", termsJson(stats.terms)},
                       {"lr", stats.lr},
                       {"grad_norm", stats.gradNorm},
                       {"tokens_per_second", stats.tokensPerSecond},
                       {"tokens", stats.tokens},
                       {"elapsed", m_elapsed},
                       {"epoch", m_batcher.position().epoch}});
        job.setProgress(double(m_step) / double(steps), "train");
        const bool last = m_step == steps;
        if (m_options.evalEvery > 0 && !m_heldOut.empty() &&
            (m_step % m_options.evalEvery == 0 || last)) {
            double nll = 0;
            int64_t tokens = 0;
            double ppl = 0;
            try {
                ppl = evaluate(job, &nll, &tokens);
            } catch (const Cancelled&) {
                checkpointCancelled();
                throw;
            }
            job.emitEvent({{"type", "train_eval"},
                           {"step", m_step},
                           {"perplexity", ppl},
                           {"nll", nll},
                           {"tokens", tokens}});
        }
        if (checkpoints && (m_step % m_options.checkpointEvery == 0 || last)) {
            saveCheckpoint(checkpointFile, extra);
            job.emitEvent({{"type", "train_checkpoint"},
                           {"step", m_step},
                           {"path", checkpointFile.string()}});
        }
    }
}

void Trainer::waitWhilePaused(JobContext& job) {
    if (!m_pause || !m_pause->load())
        return;
    job.emitEvent({{"type", "train_paused"}, {"step", m_step}});
    // Polling keeps the flag a plain atomic that any thread (or a signal handler) may set.
    while (m_pause->load()) {
        job.throwIfCancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    job.emitEvent({{"type", "train_resumed"}, {"step", m_step}});
}

} // namespace anatomist::core
