#pragma once
// Autoregressive text generation with the KV cache: one batched prefill of the prompt, then one
// position per step. Greedy or temperature sampling with a seeded generator, so runs reproduce.

#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;

struct GenerateOptions {
    int64_t maxNewTokens = 64;
    bool greedy = true;
    double temperature = 1.0; // used when !greedy
    int64_t topK = 0;         // 0: the whole vocabulary
    uint64_t seed = 0;
    std::vector<TokenId> stopIds; // generation ends after emitting one of these (e.g. EOS)
    // Attention layers bypassed for prefill and every decode step (ForwardOptions): the adaptive
    // bypass decides it once per prompt.
    std::vector<bool> bypassAttention;
};

struct GenerateResult {
    std::vector<TokenId> newIds;
    double prefillSeconds = 0;
    double decodeSeconds = 0; // all decode steps together
    bool stoppedAtStopId = false;
};

// Where generation stops unless told otherwise (the CLI and the GUI alike): the tokenizer's EOS and
// the config's eos_token_id(s).
std::vector<TokenId> defaultStopIds(const Tokenizer& tokenizer,
                                    const std::vector<int64_t>& configEosIds);

// onToken is called after each new token (for streaming output); cancellation is checked per step.
GenerateResult generate(CausalLM& model, const std::vector<TokenId>& prompt,
                        const GenerateOptions& options, JobContext& job,
                        const std::function<void(TokenId)>& onToken = {});

} // namespace anatomist::core
