#include "eval/multiple_choice.h"

#include "analysis/datasets.h"
#include "errors.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/causal_lm.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <torch/types.h>

namespace anatomist::core {

namespace {

// Rows of hidden states turned into logits at a time: bounds the [rows, vocab] buffer.
constexpr int64_t kChoiceHeadRows = 1024;
constexpr int64_t kChoiceMaxBatch = 64;

const nlohmann::json* choiceField(const nlohmann::json& j, const char* name, const char* alias) {
    if (j.contains(name))
        return &j[name];
    if (j.contains(alias))
        return &j[alias];
    return nullptr;
}

// log p(target) for each row of hidden [N, H] → float64 [N].
torch::Tensor targetLogProbs(CausalLM& model, const torch::Tensor& hidden,
                             const torch::Tensor& targets) {
    std::vector<torch::Tensor> parts;
    for (int64_t start = 0; start < hidden.size(0); start += kChoiceHeadRows) {
        const int64_t len = std::min(kChoiceHeadRows, hidden.size(0) - start);
        const auto logits = model.lmHead(hidden.narrow(0, start, len)).to(torch::kFloat32);
        parts.push_back(torch::log_softmax(logits, -1)
                            .gather(1, targets.narrow(0, start, len).unsqueeze(1))
                            .squeeze(1)
                            .to(torch::kFloat64));
    }
    return torch::cat(parts).cpu();
}

double accuracyStderr(double p, int64_t n) {
    return n > 1 ? std::sqrt(p * (1 - p) / static_cast<double>(n - 1)) : 0.0;
}

} // namespace

std::vector<MultipleChoiceItem> parseMultipleChoiceJsonl(std::string_view content,
                                                         const std::string& source) {
    std::vector<MultipleChoiceItem> items;
    for (const auto& [lineNo, j] : parseJsonlObjects(content, source)) {
        const auto where = source + ":" + std::to_string(lineNo);
        MultipleChoiceItem item;
        const auto* context = choiceField(j, "context", "query");
        if (!context || !context->is_string())
            throw FormatError(where + ": expected a string field \"context\" (or \"query\")");
        item.context = context->get<std::string>();
        if (!j.contains("choices") || !j["choices"].is_array())
            throw FormatError(where + ": expected an array of strings \"choices\"");
        for (const auto& c : j["choices"]) {
            if (!c.is_string())
                throw FormatError(where + ": every choice must be a string");
            item.choices.push_back(c.get<std::string>());
        }
        if (item.choices.size() < 2)
            throw FormatError(where + ": needs at least two choices");
        const auto* label = choiceField(j, "label", "gold");
        if (!label || !label->is_number_integer())
            throw FormatError(where + ": expected an integer field \"label\" (or \"gold\")");
        const auto value = label->get<int64_t>();
        if (value < 0 || value >= static_cast<int64_t>(item.choices.size()))
            throw FormatError(where + ": label " + std::to_string(value) +
                              " is not a choice index (0.." +
                              std::to_string(item.choices.size() - 1) + ")");
        item.label = static_cast<int>(value);
        items.push_back(std::move(item));
    }
    if (items.empty())
        throw FormatError(source + ": contains no items");
    return items;
}

std::vector<MultipleChoiceItem> readMultipleChoiceTasks(const std::filesystem::path& file) {
    return parseMultipleChoiceJsonl(readTextFile(file), file.string());
}

ContinuationRequest encodeContinuation(const Tokenizer& tokenizer, std::string_view context,
                                       std::string_view continuation) {
    // ref: lm_eval.api.model.TemplateLM._encode_pair (context.rstrip(): ASCII whitespace here)
    std::string ctx(context), cont(continuation);
    const auto kept = ctx.find_last_not_of(" \t\n\v\f\r");
    const std::size_t spaces = kept == std::string::npos ? ctx.size() : ctx.size() - kept - 1;
    if (spaces > 0) {
        cont = ctx.substr(ctx.size() - spaces) + cont;
        ctx.resize(ctx.size() - spaces);
    }
    const auto whole = tokenizer.encodeIds(ctx + cont, /*addSpecialTokens=*/false);
    const auto contextIds = tokenizer.encodeIds(ctx, /*addSpecialTokens=*/false);
    ContinuationRequest request;
    if (auto bos = tokenizer.bosId())
        request.context.push_back(*bos);
    else if (auto eos = tokenizer.eosId(); eos && contextIds.empty())
        request.context.push_back(*eos); // the harness's prefix token for an empty context
    request.context.insert(request.context.end(), contextIds.begin(), contextIds.end());
    if (request.context.empty())
        throw InvalidArgument("multiple choice: empty context and the tokenizer has no BOS or EOS");
    const auto split = std::min(contextIds.size(), whole.size());
    request.continuation.assign(whole.begin() + static_cast<std::ptrdiff_t>(split), whole.end());
    return request;
}

std::vector<ContinuationScore> scoreContinuations(CausalLM& model,
                                                  const std::vector<ContinuationRequest>& requests,
                                                  const ScoringOptions& options, JobContext& job) {
    const auto& config = model.config();
    const int64_t C = options.context > 0
                          ? std::min<int64_t>(options.context, config.max_position_embeddings)
                          : config.max_position_embeddings;
    // Each request as its model input (context + continuation without the last token, cut to the
    // last C tokens) and the number of continuation tokens at its end.
    struct Row {
        std::vector<TokenId> input;
        std::vector<TokenId> targets; // the continuation
    };
    std::vector<Row> rows;
    rows.reserve(requests.size());
    for (std::size_t r = 0; r < requests.size(); ++r) {
        const auto& q = requests[r];
        if (q.continuation.empty())
            throw InvalidArgument("multiple choice: request " + std::to_string(r) +
                                  " has an empty continuation (the choice encodes to no token)");
        if (static_cast<int64_t>(q.continuation.size()) > C)
            throw InvalidArgument("multiple choice: request " + std::to_string(r) +
                                  " has a continuation of " +
                                  std::to_string(q.continuation.size()) +
                                  " tokens, longer than the context " + std::to_string(C));
        std::vector<TokenId> full(q.context);
        full.insert(full.end(), q.continuation.begin(), q.continuation.end());
        for (TokenId id : full)
            if (id < 0 || id >= config.vocab_size)
                throw InvalidArgument("multiple choice: request " + std::to_string(r) +
                                      " holds token id " + std::to_string(id) +
                                      ", outside the vocabulary of " +
                                      std::to_string(config.vocab_size));
        if (static_cast<int64_t>(full.size()) >
            C + 1) // ref: the harness keeps the last max_length + 1
            full.erase(full.begin(), full.end() - (C + 1));
        rows.push_back({std::vector<TokenId>(full.begin(), full.end() - 1), q.continuation});
    }

    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return rows[a].input.size() > rows[b].input.size();
    });

    std::vector<ContinuationScore> scores(rows.size());
    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    std::size_t next = 0;
    job.setProgress(0, "score");
    while (next < order.size()) {
        job.throwIfCancelled();
        const auto T = static_cast<int64_t>(rows[order[next]].input.size()); // longest in batch
        const int64_t capacity =
            std::clamp<int64_t>(options.tokenBudget / std::max<int64_t>(T, 1), 1, kChoiceMaxBatch);
        const auto end = std::min(order.size(), next + static_cast<std::size_t>(capacity));
        const auto B = static_cast<int64_t>(end - next);
        auto ids = torch::zeros({B, T}, torch::kInt64);
        auto valid = torch::zeros({B, T}, torch::kBool);
        auto scored = torch::zeros({B, T}, torch::kBool);
        std::vector<int64_t> targets;
        auto idsA = ids.accessor<int64_t, 2>();
        auto validA = valid.accessor<bool, 2>();
        auto scoredA = scored.accessor<bool, 2>();
        for (int64_t b = 0; b < B; ++b) {
            const auto& row = rows[order[next + static_cast<std::size_t>(b)]];
            const auto n = static_cast<int64_t>(row.input.size());
            const auto k = static_cast<int64_t>(row.targets.size());
            for (int64_t t = 0; t < n; ++t) {
                idsA[b][t] = row.input[static_cast<std::size_t>(t)];
                validA[b][t] = true;
                scoredA[b][t] = t >= n - k;
            }
            targets.insert(targets.end(), row.targets.begin(), row.targets.end());
        }
        ForwardOptions forward;
        forward.computeLogits = false;
        const auto out = model.forward(ids.to(device), valid.to(device), forward);
        const auto hidden = out.hidden.index({scored.to(device)});
        const auto logProbs =
            targetLogProbs(model, hidden, torch::tensor(targets, torch::kInt64).to(device));
        auto lp = logProbs.accessor<double, 1>();
        int64_t offset = 0;
        for (int64_t b = 0; b < B; ++b) {
            const auto index = order[next + static_cast<std::size_t>(b)];
            auto& score = scores[index];
            score.tokens = static_cast<int64_t>(rows[index].targets.size());
            for (int64_t i = 0; i < score.tokens; ++i)
                score.logLikelihood += lp[offset + i];
            offset += score.tokens;
        }
        next = end;
        job.setProgress(double(next) / double(order.size()), "score");
    }
    return scores;
}

int argmaxFirst(const std::vector<double>& values) {
    return static_cast<int>(
        std::max_element(values.begin(), values.end(), [](double a, double b) { return a < b; }) -
        values.begin());
}

int64_t codePointLength(std::string_view text) {
    return std::count_if(text.begin(), text.end(),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

MultipleChoiceResult evaluateMultipleChoice(CausalLM& model, const Tokenizer& tokenizer,
                                            const std::vector<MultipleChoiceItem>& items,
                                            const ScoringOptions& options, JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    if (items.empty())
        throw InvalidArgument("multiple choice: no items");
    std::vector<ContinuationRequest> requests;
    for (const auto& item : items)
        for (const auto& choice : item.choices)
            requests.push_back(encodeContinuation(tokenizer, item.context, choice));
    const auto scores = scoreContinuations(model, requests, options, job);

    MultipleChoiceResult result;
    std::size_t r = 0;
    for (const auto& item : items) {
        MultipleChoiceItemResult detail;
        detail.label = item.label;
        std::vector<double> raw, normalised;
        for (const auto& choice : item.choices) {
            detail.choices.push_back(scores[r++]);
            detail.lengths.push_back(codePointLength(choice));
            raw.push_back(detail.choices.back().logLikelihood);
            // ref: lm_eval ConfigurableTask.process_results: lls / completion_len (len of choice)
            normalised.push_back(raw.back() /
                                 static_cast<double>(std::max<int64_t>(detail.lengths.back(), 1)));
        }
        detail.predicted = argmaxFirst(raw);
        detail.predictedNorm = argmaxFirst(normalised);
        result.correct += detail.predicted == item.label ? 1 : 0;
        result.correctNorm += detail.predictedNorm == item.label ? 1 : 0;
        result.details.push_back(std::move(detail));
    }
    result.items = static_cast<int64_t>(items.size());
    result.acc = double(result.correct) / double(result.items);
    result.accNorm = double(result.correctNorm) / double(result.items);
    result.accStderr = accuracyStderr(result.acc, result.items);
    result.accNormStderr = accuracyStderr(result.accNorm, result.items);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    job.setProgress(1, "score");
    return result;
}

nlohmann::json toJson(const MultipleChoiceResult& r, bool details) {
    nlohmann::json out = {{"items", r.items},
                          {"correct", r.correct},
                          {"correct_norm", r.correctNorm},
                          {"acc", r.acc},
                          {"acc_norm", r.accNorm},
                          {"acc_stderr", r.accStderr},
                          {"acc_norm_stderr", r.accNormStderr},
                          {"seconds", r.seconds}};
    if (details) {
        auto list = nlohmann::json::array();
        for (const auto& d : r.details) {
            std::vector<double> ll;
            std::vector<int64_t> tokens;
            for (const auto& c : d.choices) {
                ll.push_back(c.logLikelihood);
                tokens.push_back(c.tokens);
            }
            list.push_back({{"label", d.label},
                            {"predicted", d.predicted},
                            {"predicted_norm", d.predictedNorm},
                            {"loglikelihoods", ll},
                            {"tokens", tokens},
                            {"lengths", d.lengths}});
        }
        out["details"] = list;
    }
    return out;
}

} // namespace anatomist::core
