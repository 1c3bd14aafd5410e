#include "perplexity.h"

#include "errors.h"
#include "eval/token_windows.h"
#include "job.h"
#include "model/causal_lm.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <torch/types.h>

namespace anatomist::core {

namespace {

// Rows of hidden states turned into logits at a time: bounds the [rows, vocab] buffer.
constexpr int64_t kHeadChunkRows = 1024;

double sumTargetNll(CausalLM& model, const torch::Tensor& hidden, const torch::Tensor& targets) {
    double total = 0;
    for (int64_t start = 0; start < hidden.size(0); start += kHeadChunkRows) {
        const int64_t len = std::min(kHeadChunkRows, hidden.size(0) - start);
        auto logits = model.lmHead(hidden.narrow(0, start, len));
        // Half precision is scored in float32; a float64 model (distill --dtype float64) keeps its
        // precision, so that sums taken in another order still agree to 1e-12.
        if (logits.scalar_type() != torch::kFloat64)
            logits = logits.to(torch::kFloat32);
        const auto logProbs = torch::log_softmax(logits, -1);
        const auto picked = logProbs.gather(1, targets.narrow(0, start, len).unsqueeze(1));
        total -= picked.sum().to(torch::kFloat64).item<double>();
    }
    return total;
}

} // namespace

std::vector<std::vector<TokenId>> tokenizeDocuments(const Tokenizer& tokenizer,
                                                    const std::vector<std::string>& documents) {
    std::vector<std::vector<TokenId>> out;
    out.reserve(documents.size());
    for (const auto& doc : documents) {
        std::vector<TokenId> ids;
        if (auto bos = tokenizer.bosId())
            ids.push_back(*bos);
        const auto body = tokenizer.encodeIds(doc, /*addSpecialTokens=*/false);
        ids.insert(ids.end(), body.begin(), body.end());
        out.push_back(std::move(ids));
    }
    return out;
}

PerplexityResult evaluatePerplexity(CausalLM& model,
                                    const std::vector<std::vector<TokenId>>& documents,
                                    const PerplexityOptions& options, JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    const auto plan = planScoring(documents, model.config(), options.context, options.stride,
                                  options.tokenBudget);
    const auto& windows = plan.windows;
    PerplexityResult result;
    result.documents = plan.documents;
    result.windows = static_cast<int64_t>(windows.size());

    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    double totalNll = 0;
    int64_t done = 0;
    for (const auto& batch : plan.batches) {
        job.throwIfCancelled();
        ForwardOptions forward;
        forward.computeLogits = false;
        forward.taps = options.taps;
        const auto out = model.forward(batch.ids.to(device), batch.valid.to(device), forward);
        const auto scored = batch.scoredTargets.to(device);
        const auto hidden = out.hidden.index({scored});
        // targets: the token after each scored position
        const auto nextIds = torch::roll(batch.ids, -1, 1).to(device);
        const auto targets = nextIds.index({scored});
        totalNll += sumTargetNll(model, hidden, targets);
        result.tokens_scored += targets.numel();
        result.positions += batch.newPositions.sum().item<int64_t>();
        done += static_cast<int64_t>(batch.windows.size());
        job.setProgress(static_cast<double>(done) / static_cast<double>(windows.size()), "forward");
    }
    if (result.tokens_scored == 0)
        throw InvalidArgument("nothing to score: every document has fewer than two tokens");
    result.nll = totalNll / static_cast<double>(result.tokens_scored);
    result.perplexity = std::exp(result.nll);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

nlohmann::json toJson(const PerplexityResult& r) {
    return {
        {"documents", r.documents},
        {"tokens_scored", r.tokens_scored},
        {"positions", r.positions},
        {"windows", r.windows},
        {"nll", r.nll},
        {"perplexity", r.perplexity},
        {"seconds", r.seconds},
        {"tokens_per_second", r.seconds > 0 ? static_cast<double>(r.positions) / r.seconds : 0.0}};
}

} // namespace anatomist::core
