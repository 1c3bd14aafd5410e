#include "train/trainer.h"

#include "errors.h"
#include "eval/perplexity.h"
#include "job.h"
#include "model/causal_lm.h"
#include "train/communicator.h"
#include "train/gradient_buckets.h"
#include "train/heap_reuse.h"
#include "train/sharded_perplexity.h"

#include <ATen/CPUGeneratorImpl.h>
#include <chrono>
#include <cmath>
#include <thread>
#include <torch/torch.h>

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

// Inside a data-parallel step or evaluation a rank must not stop on its own: its peers would wait
// for it in the next collective. Cancellation is deferred to the step's all-reduce (Trainer::step).
class DeferredCancelJob : public JobContext {
public:
    explicit DeferredCancelJob(JobContext& parent)
        : m_parent(parent) {}
    void setProgress(double fraction, std::string_view stage) override {
        m_parent.setProgress(fraction, stage);
    }
    bool isCancelled() const override { return false; }
    void emitEvent(const nlohmann::json& event) override { m_parent.emitEvent(event); }

private:
    JobContext& m_parent;
};

nlohmann::json termsJson(const std::vector<std::pair<std::string, double>>& terms) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, value] : terms)
        out[name] = value;
    return out;
}

} // namespace

CancelledAfterStep::CancelledAfterStep(int64_t step, int ranks)
    : m_step(step)
    , m_text("cancelled after step " + std::to_string(step) + " (all " + std::to_string(ranks) +
             " processes stopped there)") {}

Trainer::Trainer(std::shared_ptr<CausalLM> model, TrainOptions options,
                 const std::vector<std::vector<TokenId>>& train,
                 std::vector<std::vector<TokenId>> heldOut)
    : m_model(std::move(model))
    , m_options(std::move(options))
    , m_batcher(train, m_options.seqLen, m_options.seed)
    , m_heldOut(std::move(heldOut))
    , m_objective(std::make_shared<CrossEntropyObjective>()) {
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

Trainer::~Trainer() = default;

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

void Trainer::setCommunicator(std::shared_ptr<Communicator> communicator) {
    m_comm = std::move(communicator);
    m_buckets.reset();
    if (!m_comm || m_comm->size() == 1)
        return;
    if (m_options.batchSize % m_comm->size() != 0)
        throw InvalidArgument("the batch of " + std::to_string(m_options.batchSize) +
                              " sequences cannot be split evenly over " +
                              std::to_string(m_comm->size()) +
                              " processes: give a batch that is a multiple of the process count");
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> params;
    std::vector<torch::Tensor> flat;
    for (const auto& p : m_model->parameters(true)) {
        params.push_back(p);
        flat.push_back(p.detach().reshape({-1}).to(torch::kFloat64));
    }
    auto bucket = torch::cat(flat);
    m_comm->broadcast(bucket, 0);
    int64_t offset = 0;
    for (auto& p : params) {
        p.copy_(bucket.narrow(0, offset, p.numel()).view(p.sizes()));
        offset += p.numel();
    }
    if (m_comm->options().bucketBytes > 0)
        m_buckets = std::make_unique<GradientBuckets>(trainableParameters(), *m_comm,
                                                      m_comm->options().bucketBytes);
}

bool Trainer::isWriter() const {
    return !m_comm || m_comm->rank() == 0;
}

bool Trainer::distributed() const {
    return m_comm && m_comm->size() > 1;
}

// This rank's contiguous share of a global batch's rows.
TrainBatch Trainer::rankRows(const TrainBatch& batch) const {
    const int64_t rows = batch.ids.size(0) / m_comm->size();
    const int64_t begin = rows * m_comm->rank();
    TrainBatch part;
    part.ids = batch.ids.narrow(0, begin, rows);
    part.attention = batch.attention.narrow(0, begin, rows);
    part.targets = batch.targets.narrow(0, begin, rows);
    part.targetMask = batch.targetMask.narrow(0, begin, rows);
    part.targetCount = part.targetMask.sum().item<int64_t>();
    return part;
}

// Sums the gradients and the loss terms over the ranks. Each rank's share was already normalised by
// the global target count, so the sum is the global token-weighted mean.
void Trainer::reduceAcrossRanks(StepStats& stats, bool cancelled) {
    const auto start = std::chrono::steady_clock::now();
    if (m_buckets) {
        stats.buckets = int64_t(m_buckets->bucketCount());
        stats.bucketsInBackward = int64_t(m_buckets->startedInBackward());
        m_buckets->finish();
    } else {
        stats.buckets = 1;
        reduceGradientsAfterBackward();
    }
    torch::NoGradGuard noGrad;
    // The cancel flags ride along: one more number, no collective of their own.
    std::vector<double> values{stats.loss};
    for (const auto& term : stats.terms)
        values.push_back(term.second);
    values.push_back(cancelled ? 1.0 : 0.0);
    auto scalars = torch::tensor(values, torch::kFloat64);
    m_comm->allReduceSum(scalars);
    stats.loss = scalars[0].item<double>();
    for (std::size_t i = 0; i < stats.terms.size(); ++i)
        stats.terms[i].second = scalars[int64_t(i) + 1].item<double>();
    stats.anyRankCancelled = scalars[int64_t(values.size()) - 1].item<double>() > 0;
    // The hooks' share (flattening, starting) ran inside backward but is communication too.
    stats.allReduceSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() +
        (m_buckets ? m_buckets->hookSeconds() : 0.0);
}

// One flat bucket of every gradient, summed once backward is over.
void Trainer::reduceGradientsAfterBackward() {
    torch::NoGradGuard noGrad;
    const auto params = trainableParameters();
    std::vector<torch::Tensor> flat;
    std::vector<bool> had;
    for (const auto& p : params) {
        const auto& grad = p.grad();
        had.push_back(grad.defined());
        flat.push_back(grad.defined() ? grad.reshape({-1})
                                      : torch::zeros({p.numel()}, p.options()));
    }
    auto bucket = torch::cat(flat);
    m_comm->allReduceSum(bucket);
    int64_t offset = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto p = params[i];
        auto sum = bucket.narrow(0, offset, p.numel()).view(p.sizes());
        offset += p.numel();
        if (had[i])
            p.mutable_grad().copy_(sum);
        else if (sum.abs().max().item<double>() > 0) // another rank's share reached it
            p.mutable_grad() = sum.clone();
    }
}

double Trainer::accumulateGradients(const std::vector<TrainBatch>& batches, JobContext& job) {
    std::vector<std::pair<std::string, double>> terms;
    int64_t total = 0;
    for (const auto& batch : batches)
        total += batch.targetCount;
    return accumulate(batches, total, job, terms);
}

// Gradients of Σ loss / total over these batches; total is the step's target count over all ranks.
double Trainer::accumulate(const std::vector<TrainBatch>& batches, int64_t total, JobContext& job,
                           std::vector<std::pair<std::string, double>>& terms, bool overlap) {
    m_optimizer->zeroGrad();
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
        // The last micro-batch's backward pass finishes the gradients: its hooks start their sums.
        if (overlap && &batch == &batches.back())
            m_buckets->arm();
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
        for (const auto& b : batches)
            stats.tokens += b.targetCount;
        if (distributed()) {
            for (auto& b : batches)
                b = rankRows(b);
            DeferredCancelJob deferred(job);
            stats.loss = accumulate(batches, stats.tokens, deferred, stats.terms, bool(m_buckets));
            reduceAcrossRanks(stats, job.isCancelled());
        } else {
            stats.loss = accumulate(batches, stats.tokens, job, stats.terms);
        }
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
        result = shardedPerplexity(*m_model, m_heldOut, options, m_comm.get(), job);
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
    const HeapReuseScope heap; // every step reuses the last one's memory (heap_reuse.h)
    const int64_t steps = m_options.steps;
    const bool checkpoints = !checkpointFile.empty() && m_options.checkpointEvery > 0 && isWriter();
    // Data-parallel ranks other than 0 train in silence: one curve, one writer.
    auto emit = [&](const nlohmann::json& event) {
        if (isWriter())
            job.emitEvent(event);
    };
    // A cancel between steps, in a step (undone) or in an evaluation leaves a checkpoint of the
    // last whole step.
    auto checkpointCancelled = [&] {
        if (!checkpoints)
            return;
        saveCheckpoint(checkpointFile, extra);
        emit({{"type", "train_checkpoint"},
              {"step", m_step},
              {"path", checkpointFile.string()},
              {"cancelled", true}});
    };
    DeferredCancelJob deferred(job);
    // Data-parallel evaluations run to their end on every rank (see DeferredCancelJob).
    JobContext& evalJob = distributed() ? static_cast<JobContext&>(deferred) : job;
    while (m_step < steps) {
        StepStats stats;
        try {
            waitWhilePaused(job);
            if (!distributed())
                job.throwIfCancelled();
            stats = step(job);
            m_last = stats;
        } catch (const Cancelled&) {
            checkpointCancelled();
            throw;
        }
        nlohmann::json event = {{"type", "train_step"},
                                {"step", stats.step},
                                {"steps", steps},
                                {"loss", stats.loss},
                                {"terms", termsJson(stats.terms)},
                                {"lr", stats.lr},
                                {"grad_norm", stats.gradNorm},
                                {"tokens_per_second", stats.tokensPerSecond},
                                {"tokens", stats.tokens},
                                {"elapsed", m_elapsed},
                                {"epoch", m_batcher.position().epoch}};
        if (m_comm && m_comm->size() > 1) {
            event["ranks"] = m_comm->size();
            event["allreduce_seconds"] = stats.allReduceSeconds;
            event["allreduce_buckets"] = stats.buckets;
            event["allreduce_buckets_in_backward"] = stats.bucketsInBackward;
        }
        emit(event);
        job.setProgress(double(m_step) / double(steps), "train");
        if (stats.anyRankCancelled) {
            checkpointCancelled();
            throw CancelledAfterStep(m_step, m_comm->size());
        }
        const bool last = m_step == steps;
        if (m_options.evalEvery > 0 && !m_heldOut.empty() &&
            (m_step % m_options.evalEvery == 0 || last)) {
            double nll = 0;
            int64_t tokens = 0;
            double ppl = 0;
            try {
                ppl = evaluate(evalJob, &nll, &tokens);
            } catch (const Cancelled&) {
                checkpointCancelled();
                throw;
            }
            emit({{"type", "train_eval"},
                  {"step", m_step},
                  {"perplexity", ppl},
                  {"nll", nll},
                  {"tokens", tokens}});
        }
        if (checkpoints && (m_step % m_options.checkpointEvery == 0 || last)) {
            saveCheckpoint(checkpointFile, extra);
            emit({{"type", "train_checkpoint"},
                  {"step", m_step},
                  {"path", checkpointFile.string()}});
        }
    }
}

void Trainer::waitWhilePaused(JobContext& job) {
    if (!m_pause || !m_pause->load())
        return;
    if (isWriter())
        job.emitEvent({{"type", "train_paused"}, {"step", m_step}});
    // Polling keeps the flag a plain atomic that any thread (or a signal handler) may set.
    while (m_pause->load()) {
        job.throwIfCancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (isWriter())
        job.emitEvent({{"type", "train_resumed"}, {"step", m_step}});
}

} // namespace anatomist::core
