#include "train/trainer.h"

#include "errors.h"
#include "eval/perplexity.h"
#include "job.h"
#include "model/causal_lm.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>

namespace anatomist::core {

namespace {

bool trainNameIsFrozen(const std::string& name, const std::vector<std::string>& prefixes) {
    for (const auto& prefix : prefixes)
        if (name.compare(0, prefix.size(), prefix) == 0)
            return true;
    return false;
}

} // namespace

Trainer::Trainer(std::shared_ptr<CausalLM> model, TrainOptions options,
                 const std::vector<std::vector<TokenId>>& train,
                 std::vector<std::vector<TokenId>> heldOut)
    : m_model(std::move(model)),
      m_options(std::move(options)),
      m_batcher(train, m_options.seqLen, m_options.seed),
      m_heldOut(std::move(heldOut)) {
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
        p.set_requires_grad(!trainNameIsFrozen(item.key(), m_options.frozen));
        params.emplace_back(item.key(), p);
    }
    m_optimizer = std::make_unique<AdamW>(params, m_options.adamw);
    if (m_optimizer->size() == 0)
        throw InvalidArgument("every parameter is frozen: nothing to train");
}

std::vector<torch::Tensor> Trainer::trainableParameters() const {
    std::vector<torch::Tensor> out;
    for (const auto& p : m_model->parameters(true))
        if (p.requires_grad())
            out.push_back(p);
    return out;
}

double Trainer::accumulateGradients(const std::vector<TrainBatch>& batches, JobContext& job) {
    m_optimizer->zeroGrad();
    int64_t total = 0;
    for (const auto& batch : batches)
        total += batch.targetCount;
    TORCH_CHECK(total > 0, "no target to train on");
    const auto device = m_model->embedding().weight.device();
    double lossSum = 0;
    for (const auto& batch : batches) {
        job.throwIfCancelled();
        ForwardOptions forward;
        forward.computeLogits = false;
        const auto out = m_model->forward(batch.ids.to(device), batch.attention.to(device), forward);
        const auto mask = batch.targetMask.to(device);
        // Only scored positions go through the vocabulary projection: padding costs nothing there.
        const auto hidden = out.hidden.index({mask});
        const auto logits = m_model->lmHead(hidden);
        const auto nll = torch::nn::functional::cross_entropy(
            logits, batch.targets.to(device).index({mask}),
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        // Normalising by the whole step's target count makes k micro-batches equal one big batch.
        (nll / double(total)).backward();
        lossSum += nll.item<double>();
    }
    return lossSum / double(total);
}

StepStats Trainer::step(JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<TrainBatch> batches;
    for (int64_t i = 0; i < m_options.gradAccum; ++i)
        batches.push_back(m_batcher.next(m_options.batchSize));
    StepStats stats;
    stats.loss = accumulateGradients(batches, job);
    for (const auto& b : batches)
        stats.tokens += b.targetCount;
    stats.gradNorm = clipGradientNorm(trainableParameters(), m_options.clip);
    stats.lr = learningRateAt(m_options.schedule(), m_step);
    m_optimizer->step(stats.lr);
    m_optimizer->zeroGrad();
    stats.step = ++m_step;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats.tokensPerSecond = double(stats.tokens) / std::max(stats.seconds, 1e-9);
    return stats;
}

double Trainer::evaluate(JobContext& job, double* nll, int64_t* tokens) {
    if (m_heldOut.empty())
        throw InvalidArgument("no held-out data to evaluate on");
    PerplexityOptions options;
    options.context = m_options.seqLen;
    const auto result = evaluatePerplexity(*m_model, m_heldOut, options, job);
    if (nll)
        *nll = result.nll;
    if (tokens)
        *tokens = result.tokens_scored;
    return result.perplexity;
}

void Trainer::run(JobContext& job, const std::filesystem::path& checkpointFile,
                  const nlohmann::json& extra) {
    const int64_t steps = m_options.steps;
    int64_t tokensSoFar = 0;
    while (m_step < steps) {
        job.throwIfCancelled();
        const auto stats = step(job);
        tokensSoFar += stats.tokens;
        job.emitEvent({{"type", "train_step"},
                       {"step", stats.step},
                       {"steps", steps},
                       {"loss", stats.loss},
                       {"lr", stats.lr},
                       {"grad_norm", stats.gradNorm},
                       {"tokens_per_second", stats.tokensPerSecond},
                       {"tokens", stats.tokens},
                       {"epoch", m_batcher.position().epoch}});
        job.setProgress(double(m_step) / double(steps), "train");
        const bool last = m_step == steps;
        if (m_options.evalEvery > 0 && !m_heldOut.empty() &&
            (m_step % m_options.evalEvery == 0 || last)) {
            double nll = 0;
            int64_t tokens = 0;
            const double ppl = evaluate(job, &nll, &tokens);
            job.emitEvent({{"type", "train_eval"},
                           {"step", m_step},
                           {"perplexity", ppl},
                           {"nll", nll},
                           {"tokens", tokens}});
        }
        if (!checkpointFile.empty() && m_options.checkpointEvery > 0 &&
            (m_step % m_options.checkpointEvery == 0 || last)) {
            saveCheckpoint(checkpointFile, extra);
            job.emitEvent({{"type", "train_checkpoint"},
                           {"step", m_step},
                           {"path", checkpointFile.string()}});
        }
    }
}

} // namespace anatomist::core
