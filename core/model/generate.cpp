#include "model/generate.h"

#include "errors.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/kv_cache.h"

#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>
#include <chrono>

namespace anatomist::core {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

TokenId pickToken(const torch::Tensor& lastLogits /*[V]*/, const GenerateOptions& options,
                  torch::Generator& generator) {
    if (options.greedy)
        return static_cast<TokenId>(lastLogits.argmax().item<int64_t>());
    torch::Tensor logits = lastLogits.to(torch::kFloat32) / options.temperature;
    if (options.topK > 0 && options.topK < logits.size(0)) {
        auto [values, indices] = logits.topk(options.topK);
        auto probs = values.softmax(0);
        auto choice = torch::multinomial(probs, 1, false, generator);
        return static_cast<TokenId>(indices[choice.item<int64_t>()].item<int64_t>());
    }
    auto probs = logits.softmax(0);
    return static_cast<TokenId>(torch::multinomial(probs, 1, false, generator).item<int64_t>());
}

} // namespace

GenerateResult generate(CausalLM& model, const std::vector<TokenId>& prompt,
                        const GenerateOptions& options, JobContext& job,
                        const std::function<void(TokenId)>& onToken) {
    if (prompt.empty())
        throw InvalidArgument("generate: the prompt has no tokens");
    if (!options.greedy && !(options.temperature > 0))
        throw InvalidArgument("generate: temperature must be positive");
    const int64_t vocab = model.config().vocab_size;
    for (TokenId id : prompt)
        if (id < 0 || id >= vocab)
            throw InvalidArgument("generate: token id " + std::to_string(id) +
                                  " is outside the vocabulary (size " + std::to_string(vocab) +
                                  ")");

    torch::InferenceMode inference;
    const auto device = model.options().device();
    auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);

    const auto total = static_cast<int64_t>(prompt.size()) + options.maxNewTokens;
    KvCache cache(model.config(), 1, total, model.options());
    ForwardOptions forward;
    forward.cache = &cache;
    forward.bypassAttention = options.bypassAttention;

    GenerateResult result;
    std::vector<int64_t> promptIds(prompt.begin(), prompt.end());
    auto ids = torch::tensor(promptIds, torch::kInt64).view({1, -1}).to(device);
    auto start = Clock::now();
    forward.logitsFrom = ids.size(1) - 1;
    torch::Tensor logits = model.forward(ids, {}, forward).logits;
    result.prefillSeconds = secondsSince(start);

    start = Clock::now();
    for (int64_t step = 0; step < options.maxNewTokens; ++step) {
        job.throwIfCancelled();
        const TokenId next = pickToken(logits[0][-1].to(torch::kCPU), options, generator);
        result.newIds.push_back(next);
        if (onToken)
            onToken(next);
        job.setProgress(double(step + 1) / double(options.maxNewTokens), "generate");
        if (std::find(options.stopIds.begin(), options.stopIds.end(), next) !=
            options.stopIds.end()) {
            result.stoppedAtStopId = true;
            break;
        }
        if (step + 1 == options.maxNewTokens)
            break;
        auto nextIds = torch::full({1, 1}, static_cast<int64_t>(next), torch::kInt64).to(device);
        forward.logitsFrom = 0;
        logits.reset(); // the decode step reuses its logits buffer when nobody holds it
        logits = model.forward(nextIds, {}, forward).logits;
    }
    result.decodeSeconds = secondsSince(start);
    return result;
}

std::vector<TokenId> defaultStopIds(const Tokenizer& tokenizer,
                                    const std::vector<int64_t>& configEosIds) {
    std::vector<TokenId> ids;
    if (tokenizer.eosId())
        ids.push_back(*tokenizer.eosId());
    for (auto id : configEosIds)
        ids.push_back(static_cast<TokenId>(id));
    return ids;
}

} // namespace anatomist::core
