#pragma once
// Causal-LM training on libtorch autograd: masked next-token cross-entropy over the batches of a
// TokenBatcher, gradient accumulation, clipping, AdamW and the warm-up + cosine schedule, an
// optional held-out perplexity, and checkpoints that let a killed run continue on the same curve.
//
// Events (JobContext::emitEvent), one per optimizer step and one per evaluation:
//   {"type": "train_step", "step": 12, "steps": 400, "loss": 3.1, "lr": 1e-3, "grad_norm": 0.8,
//    "tokens_per_second": 5120.0, "tokens": 49152, "epoch": 0, "elapsed": 12.5,
//    "terms": {"ce": 3.1}}              (the objective's named terms, token-weighted means;
//                                        distillation adds "kl", "hidden", "trajectory";
//                                        data-parallel runs add "ranks", "allreduce_seconds",
//                                        "allreduce_buckets", "allreduce_buckets_in_backward")
//   {"type": "train_eval", "step": 100, "perplexity": 21.3, "nll": 3.06, "tokens": 5000}
//   {"type": "train_checkpoint", "step": 100, "path": "..."}    (also when cancelled: "cancelled":
//   true)
//   {"type": "train_paused", "step": 40} / {"type": "train_resumed", "step": 40}
// Distillation runs (core/distill/distill_run.h) emit once, before the first step,
//   {"type": "train_reference", "step": 0, "teacher_logits": "on the fly",
//    "teacher_perplexity": 9.7, "student_perplexity": 30.1}   (perplexities when there is eval
//    data)
// `step` counts finished optimizer steps (1 after the first update).
//
// Runs synchronously on the calling thread with grad mode on; the model must hold float32 (or
// float64) parameters on one device. Not thread-safe.

#include "errors.h"
#include "train/adamw.h"
#include "train/lr_schedule.h"
#include "train/objective.h"
#include "train/token_batcher.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class Communicator;
class GradientBuckets;
class JobContext;

struct TrainOptions {
    int64_t steps = 100;      // optimizer steps of the whole run
    int64_t batchSize = 8;    // windows per micro-batch
    int64_t gradAccum = 1;    // micro-batches per optimizer step
    int64_t seqLen = 128;     // tokens per window (inputs)
    double lr = 1e-3;         // peak learning rate
    int64_t warmupSteps = -1; // -1: 5 % of steps
    double minLrRatio = 0.05; // cosine floor as a fraction of lr
    double clip = 1.0;        // max gradient norm; 0 disables clipping
    AdamWOptions adamw;
    uint64_t seed = 0;               // data order (weights are initialised by the caller)
    int64_t evalEvery = 0;           // held-out perplexity every N steps (and at the end); 0: never
    int64_t checkpointEvery = 0;     // 0: no checkpoints
    std::vector<std::string> frozen; // parameter-name prefixes that are not trained
    // When not empty, only parameters whose name contains one of these are trained (LoRA:
    // ".lora_").
    std::vector<std::string> trainable;

    LrSchedule schedule() const;
};

nlohmann::json toJson(const TrainOptions& options);
// Missing keys keep their defaults; InvalidArgument names a key with a bad value.
TrainOptions trainOptionsFromJson(const nlohmann::json& document);

struct StepStats {
    int64_t step = 0; // finished optimizer steps
    double loss = 0;  // token-weighted mean of the objective's total over the step's batches
    std::vector<std::pair<std::string, double>> terms; // each term's token-weighted mean
    double lr = 0;
    double gradNorm = 0; // before clipping
    double tokensPerSecond = 0;
    int64_t tokens = 0; // targets trained in this step
    double seconds = 0;
    double allReduceSeconds = 0; // of `seconds`, spent summing over data-parallel ranks
    // Data-parallel: some rank was cancelled during this step (its flag travels with the loss
    // terms' all-reduce), so every rank stops after it.
    bool anyRankCancelled = false;
    // Data-parallel: gradient buckets summed (1 without overlap), and how many of them were started
    // from backward (train/gradient_buckets.h).
    int64_t buckets = 0;
    int64_t bucketsInBackward = 0;
};

// A data-parallel run that every rank stopped after the same step (Trainer::run): "cancelled after
// step 12 (all 2 processes stopped there)".
class CancelledAfterStep : public Cancelled {
public:
    CancelledAfterStep(int64_t step, int ranks);
    const char* what() const noexcept override { return m_text.c_str(); }
    int64_t step() const { return m_step; }

private:
    int64_t m_step;
    std::string m_text;
};

class Trainer {
public:
    // Parameters whose name starts with an entry of options.frozen get requires_grad(false) and
    // never receive gradients. heldOut may be empty (no evaluation). InvalidArgument when a
    // parameter is an inference tensor (a model loaded under InferenceMode: see trainable_model.h).
    Trainer(std::shared_ptr<CausalLM> model, TrainOptions options,
            const std::vector<std::vector<TokenId>>& train,
            std::vector<std::vector<TokenId>> heldOut = {});
    ~Trainer();

    // Cross-entropy unless set (before the first step or loadCheckpoint).
    void setObjective(std::shared_ptr<TrainObjective> objective);
    TrainObjective& objective() const { return *m_objective; }
    // run() waits between steps while *flag is true (cancellation still stops it); nullptr: none.
    void setPauseFlag(const std::atomic<bool>* flag) { m_pause = flag; }
    // Data-parallel training (train/communicator.h). Every rank draws the same global batches and
    // trains on its batchSize/size rows of each; gradients and loss terms are summed over the ranks
    // before clipping and the optimizer step, so the run does not depend on the number of ranks:
    // in buckets started from the last micro-batch's backward pass as their gradients become final
    // (train/gradient_buckets.h, DistributedOptions::bucketBytes), or in one flat bucket after it
    // (bucketBytes 0). Rank 0's parameters are broadcast now, so every rank starts equal.
    // Only rank 0 emits events and writes checkpoints. InvalidArgument when batchSize is not a
    // multiple of the number of ranks. nullptr: one process (the default).
    void setCommunicator(std::shared_ptr<Communicator> communicator);
    // Rank 0, or a run without communicator: the process that logs and writes files.
    bool isWriter() const;

    // One optimizer step over gradAccum micro-batches (cancellation is checked before each). A
    // cancelled step leaves the data position and the RNG as they were before it. Data-parallel:
    // a rank never stops inside a step on its own (its peers would wait for it in the next
    // all-reduce); its cancel flag is summed with the loss terms instead, and every rank's step
    // returns anyRankCancelled.
    StepStats step(JobContext& job);

    // Steps until options.steps, emitting events, evaluating and checkpointing as configured
    // (checkpointFile "" = none). `extra` is stored in every checkpoint (the caller's run
    // description, read back with readTrainCheckpointMeta). Throws Cancelled when cancelled, after
    // writing a checkpoint of the last finished step when checkpoints are configured.
    // Data-parallel: cancelling any rank stops all of them after the same step (the one during
    // which some rank saw it; an evaluation defers it to the next step), rank 0 writes the
    // checkpoint of that step, and every rank throws CancelledAfterStep.
    void run(JobContext& job, const std::filesystem::path& checkpointFile = {},
             const nlohmann::json& extra = {});

    // Held-out perplexity (windows of seqLen). InvalidArgument when there is no held-out data.
    // Data-parallel: each rank scores its share of the documents (train/sharded_perplexity.h), so
    // every rank must call it; the result is the whole set's.
    double evaluate(JobContext& job, double* nll = nullptr, int64_t* tokens = nullptr);

    // Gradients of the token-weighted mean loss over these batches, accumulated into .grad (which
    // is zeroed first); returns the loss. Exposed for tests of accumulation.
    double accumulateGradients(const std::vector<TrainBatch>& batches, JobContext& job);

    // Atomic write of model + optimizer + schedule position + data position + RNG state.
    void saveCheckpoint(const std::filesystem::path& file, const nlohmann::json& extra = {}) const;
    // Restores everything saveCheckpoint wrote; the options must describe the same run and the
    // objective must equal the one saved (InvalidArgument otherwise: a checkpoint of another run).
    void loadCheckpoint(const std::filesystem::path& file);

    int64_t currentStep() const { return m_step; }
    // The statistics of the last step run() took (step 0 when it took none).
    const StepStats& lastStats() const { return m_last; }
    const TrainOptions& options() const { return m_options; }
    CausalLM& model() { return *m_model; }
    const TokenBatcher& batcher() const { return m_batcher; }
    std::vector<torch::Tensor> trainableParameters() const;

private:
    double accumulate(const std::vector<TrainBatch>& batches, int64_t total, JobContext& job,
                      std::vector<std::pair<std::string, double>>& terms, bool overlap = false);
    void reduceGradientsAfterBackward();
    TrainBatch rankRows(const TrainBatch& batch) const;
    void reduceAcrossRanks(StepStats& stats, bool cancelled);
    bool distributed() const;
    void waitWhilePaused(JobContext& job);

    std::shared_ptr<CausalLM> m_model;
    TrainOptions m_options;
    TokenBatcher m_batcher;
    std::vector<std::vector<TokenId>> m_heldOut;
    std::unique_ptr<AdamW> m_optimizer;
    std::shared_ptr<TrainObjective> m_objective;
    std::shared_ptr<Communicator> m_comm;
    std::unique_ptr<GradientBuckets> m_buckets; // data-parallel with bucketBytes > 0
    const std::atomic<bool>* m_pause = nullptr;
    int64_t m_step = 0;
    double m_elapsed = 0; // seconds spent in steps, carried by checkpoints
    StepStats m_last;
};

// The `extra` document stored in a checkpoint by Trainer::saveCheckpoint, plus "step".
nlohmann::json readTrainCheckpointMeta(const std::filesystem::path& file);

} // namespace anatomist::core
