#pragma once
// Multiple-choice accuracy by log-likelihood, lm-evaluation-harness's method (ALGORITHMS.md §9):
// each choice is scored as sum log p(continuation tokens | context); acc = argmax of the raw sums,
// acc_norm = argmax of sum / length of the choice text (the harness's len(choice), code points;
// bytes for ASCII). Encoding follows the harness's _encode_pair: trailing spaces of the context
// (whitespace) move to the continuation, the continuation is tokens(context + choice) minus the
// first len(tokens(context)) tokens, and the model sees [BOS] + context tokens + continuation
// tokens. Choices are appended verbatim: write " Tom" (or end the context with a space) for a
// separate word.

#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;

struct MultipleChoiceItem {
    std::string context;
    std::vector<std::string> choices;
    int label = 0;
};

// JSONL, one {"context": str, "choices": [str, ...], "label": int} per line ("query" and "gold"
// are accepted as aliases). FormatError naming the file and line for anything else: missing
// fields, fewer than two choices, a label out of range.
std::vector<MultipleChoiceItem> readMultipleChoiceTasks(const std::filesystem::path& file);
std::vector<MultipleChoiceItem> parseMultipleChoiceJsonl(std::string_view content,
                                                         const std::string& source);

// One scoring request: the model input is context + continuation, the continuation's tokens are
// the targets.
struct ContinuationRequest {
    std::vector<TokenId> context; // [BOS] + tokens(context)
    std::vector<TokenId> continuation;
};

// The harness's _encode_pair plus the BOS prefix. A tokenizer without BOS falls back to EOS; with
// neither, an empty context is an InvalidArgument (the first token would have no prediction).
ContinuationRequest encodeContinuation(const Tokenizer& tokenizer, std::string_view context,
                                       std::string_view continuation);

struct ContinuationScore {
    double logLikelihood = 0; // sum over the continuation's tokens
    int64_t tokens = 0;
};

struct ScoringOptions {
    int64_t context = 0;        // 0: the model's max_position_embeddings
    int64_t tokenBudget = 8192; // tokens per batch (B × T)
};

// Requests longer than the context keep their last tokens (as the harness does); a continuation
// that does not fit at all, an empty continuation or an id outside the vocabulary is an
// InvalidArgument. Batched (right-padded, longest first); progress and cancel per batch.
std::vector<ContinuationScore> scoreContinuations(CausalLM& model,
                                                  const std::vector<ContinuationRequest>& requests,
                                                  const ScoringOptions& options, JobContext& job);

struct MultipleChoiceItemResult {
    int label = 0;
    std::vector<ContinuationScore> choices;
    std::vector<int64_t> lengths; // characters of each choice text (acc_norm's divisor)
    int predicted = 0, predictedNorm = 0;
};

struct MultipleChoiceResult {
    int64_t items = 0, correct = 0, correctNorm = 0;
    double acc = 0, accNorm = 0;
    double accStderr = 0, accNormStderr = 0; // sample standard error, sqrt(p(1-p)/(n-1))
    std::vector<MultipleChoiceItemResult> details;
    double seconds = 0;
};

// Argmax with the first index winning ties (numpy's argmax).
int argmaxFirst(const std::vector<double>& values);
// Unicode code points of UTF-8 text (Python's len(str)).
int64_t codePointLength(std::string_view text);

MultipleChoiceResult evaluateMultipleChoice(CausalLM& model, const Tokenizer& tokenizer,
                                            const std::vector<MultipleChoiceItem>& items,
                                            const ScoringOptions& options, JobContext& job);

// {items, correct, correct_norm, acc, acc_norm, acc_stderr, acc_norm_stderr, seconds} and, when
// details, "details": [{label, predicted, predicted_norm, loglikelihoods, tokens, lengths}].
nlohmann::json toJson(const MultipleChoiceResult& result, bool details);

} // namespace anatomist::core
