#include "eval/bench.h"

#include "errors.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/causal_lm.h"
#include "model/kv_cache.h"
#include "model/llama_config_json.h"
#include "model/model_loader.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <limits>
#include <nlohmann/json.hpp>

namespace anatomist::core {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

nlohmann::json shapeConfig(const std::string& shape) {
    if (shape == "smollm2-135m")
        return llamaConfigJson({.vocab_size = 49152,
                                .hidden_size = 576,
                                .intermediate_size = 1536,
                                .num_hidden_layers = 30,
                                .num_attention_heads = 9,
                                .num_key_value_heads = 3,
                                .max_position_embeddings = 8192,
                                .rope_theta = 100000.0,
                                .tie_word_embeddings = true,
                                .torch_dtype = std::nullopt});
    if (shape == "stories15m")
        return llamaConfigJson({.vocab_size = 32000,
                                .hidden_size = 288,
                                .intermediate_size = 768,
                                .num_hidden_layers = 6,
                                .num_attention_heads = 6,
                                .num_key_value_heads = 6,
                                .max_position_embeddings = 256,
                                .tie_word_embeddings = true,
                                .torch_dtype = std::nullopt});
    std::string known;
    for (const auto& name : benchShapeNames())
        known += (known.empty() ? "" : ", ") + name;
    throw InvalidArgument("unknown bench shape '" + shape + "' (known: " + known + ")");
}

// Seconds for `steps` greedy decode steps after `depth` random prompt tokens (not timed).
double timeDecode(CausalLM& model, int64_t depth, int64_t steps) {
    const auto& config = model.config();
    KvCache cache(config, 1, depth + steps + 1, model.options());
    ForwardOptions forward;
    forward.cache = &cache;
    auto next = torch::randint(config.vocab_size, {1, 1}, torch::kInt64);
    if (depth > 0) {
        forward.logitsFrom = depth - 1;
        const auto prompt = torch::randint(config.vocab_size, {1, depth}, torch::kInt64);
        next = model.forward(prompt, {}, forward).logits.select(1, -1).argmax(-1).view({1, 1});
    }
    forward.logitsFrom = 0;
    const auto start = Clock::now();
    for (int64_t step = 0; step < steps; ++step)
        next = model.forward(next, {}, forward).logits.select(1, -1).argmax(-1).view({1, 1});
    return since(start);
}

} // namespace

void setComputeThreads(int threads) {
    torch::set_num_threads(threads);
    // OpenBLAS is reached through libblas.so.3 and may be another BLAS: look the setter up.
    using SetThreads = void (*)(int);
    if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(threads);
}

SgemmResult measureSgemm(int64_t n, double minSeconds) {
    torch::InferenceMode inference;
    auto a = torch::randn({n, n}), b = torch::randn({n, n}), c = torch::empty({n, n});
    torch::mm_out(c, a, b); // warm-up: thread pool start, page faults
    int64_t runs = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        torch::mm_out(c, a, b);
        ++runs;
        elapsed = since(start);
    } while (elapsed < minSeconds);
    return {n, 2.0 * double(n) * double(n) * double(n) * double(runs) / elapsed / 1e9};
}

std::vector<std::string> benchShapeNames() {
    return {"smollm2-135m", "stories15m"};
}

LoadedModel makeShapeModel(const std::string& shape, uint64_t seed) {
    auto resolved = resolveConfig(shapeConfig(shape), "bench shape " + shape);
    LoadedModel loaded;
    loaded.folder = shape;
    loaded.config = resolved.config;
    loaded.spec = resolved.spec;
    loaded.model = std::make_shared<CausalLM>(resolved.config, *resolved.spec,
                                              torch::TensorOptions().dtype(torch::kFloat32));
    loaded.model->initializeWeights(seed);
    return loaded;
}

double forwardFlops(const CausalLM& model, int64_t tokens, int64_t past, int64_t logitRows) {
    const auto& c = model.config();
    int64_t layerWeights = 0;
    for (int l = 0; l < model.numLayers(); ++l)
        for (const auto& p : model.layer(l).parameters())
            if (p.dim() == 2)
                layerWeights += p.numel();
    const double projections = 2.0 * double(tokens) * double(layerWeights);
    // Each new query i sees past + i + 1 keys: QKᵀ and the value mix are 2·head_dim FLOPs per key.
    const double keysSeen = double(tokens) * double(past) + double(tokens) * double(tokens + 1) / 2;
    const double attention = 2.0 * 2.0 * double(c.num_attention_heads) * double(c.head_dim) *
                             keysSeen * double(model.numLayers());
    const double head = 2.0 * double(logitRows) * double(c.hidden_size) * double(c.vocab_size);
    return projections + attention + head;
}

BenchResult runBench(CausalLM& model, const std::string& name, const BenchOptions& options,
                     JobContext& job) {
    if (options.promptTokens < 1 || options.generateTokens < 0)
        throw InvalidArgument("bench: --prompt must be at least 1 and --gen at least 0");
    torch::InferenceMode inference;
    BenchResult result;
    result.model = name;
    result.threads = torch::get_num_threads();
    result.promptTokens = options.promptTokens;
    result.generateTokens = options.generateTokens;

    job.setProgress(0.0, "sgemm");
    result.sgemm = measureSgemm(1024);
    job.throwIfCancelled();

    const auto& config = model.config();
    torch::manual_seed(0);
    auto prompt = torch::randint(config.vocab_size, {1, options.promptTokens}, torch::kInt64);
    const int64_t capacity = options.promptTokens + options.generateTokens;
    ForwardOptions forward;
    forward.logitsFrom = options.promptTokens - 1;

    // Prefill: the best of `repeats` runs (the first also warms caches and allocators).
    double best = 1e300;
    for (int r = 0; r < std::max(1, options.repeats); ++r) {
        KvCache cache(config, 1, capacity, model.options());
        forward.cache = &cache;
        const auto start = Clock::now();
        model.forward(prompt, {}, forward);
        best = std::min(best, since(start));
        job.setProgress(0.1 + 0.5 * (r + 1) / std::max(1, options.repeats), "prefill");
        job.throwIfCancelled();
    }
    result.prefillSeconds = best;
    result.prefillTokensPerSecond = double(options.promptTokens) / best;
    result.prefillGflop = forwardFlops(model, options.promptTokens, 0, 1) / 1e9;
    result.prefillGflops = result.prefillGflop / best;

    // Decode: one token at a time after the prompt, logits for the new token every step.
    KvCache cache(config, 1, capacity, model.options());
    forward.cache = &cache;
    auto logits = model.forward(prompt, {}, forward).logits;
    forward.logitsFrom = 0;
    double decodeFlops = 0;
    const auto start = Clock::now();
    for (int64_t step = 0; step < options.generateTokens; ++step) {
        auto next = logits.select(1, -1).argmax(-1).view({1, 1});
        decodeFlops += forwardFlops(model, 1, cache.length(), 1);
        logits = model.forward(next, {}, forward).logits;
        job.setProgress(0.6 + 0.4 * double(step + 1) / double(options.generateTokens), "decode");
        job.throwIfCancelled();
    }
    result.decodeSeconds = since(start);
    if (options.generateTokens > 0) {
        result.decodeTokensPerSecond = double(options.generateTokens) / result.decodeSeconds;
        result.decodeGflops = decodeFlops / 1e9 / result.decodeSeconds;
    }

    for (const int64_t depth : options.decodeDepths) {
        if (depth < 0)
            throw InvalidArgument("bench: a decode depth must not be negative");
        if (options.generateTokens == 0)
            break;
        double bestDecode = 1e300;
        for (int r = 0; r < std::max(1, options.repeats); ++r) {
            bestDecode = std::min(bestDecode, timeDecode(model, depth, options.generateTokens));
            job.throwIfCancelled();
        }
        result.decodeDepths.push_back(
            {depth, bestDecode, double(options.generateTokens) / bestDecode});
    }
    return result;
}

nlohmann::json toJson(const BenchResult& r) {
    return {{"model", r.model},
            {"threads", r.threads},
            {"sgemm", {{"size", r.sgemm.size}, {"gflops", r.sgemm.gflops}}},
            {"prefill",
             {{"tokens", r.promptTokens},
              {"seconds", r.prefillSeconds},
              {"tokens_per_second", r.prefillTokensPerSecond},
              {"gflop", r.prefillGflop},
              {"gflops", r.prefillGflops},
              {"ratio_to_sgemm", r.prefillToSgemm()}}},
            {"decode",
             {{"tokens", r.generateTokens},
              {"seconds", r.decodeSeconds},
              {"tokens_per_second", r.decodeTokensPerSecond},
              {"gflops", r.decodeGflops}}},
            {"decode_depths", [&] {
                 auto list = nlohmann::json::array();
                 for (const auto& d : r.decodeDepths)
                     list.push_back({{"depth", d.depth},
                                     {"tokens", r.generateTokens},
                                     {"seconds", d.seconds},
                                     {"tokens_per_second", d.tokensPerSecond}});
                 return list;
             }()}};
}

CaptureBench benchAgainstForward(const std::function<void()>& forward,
                                 const std::function<void()>& capture, int repeats,
                                 JobContext& job) {
    CaptureBench bench;
    bench.repeats = std::max(1, repeats);
    forward();
    capture();
    bench.forwardSeconds = bench.captureSeconds = std::numeric_limits<double>::infinity();
    for (int r = 0; r < bench.repeats; ++r) {
        job.throwIfCancelled();
        auto start = Clock::now();
        forward();
        bench.forwardSeconds = std::min(bench.forwardSeconds, since(start));
        start = Clock::now();
        capture();
        bench.captureSeconds = std::min(bench.captureSeconds, since(start));
        job.setProgress(double(r + 1) / double(bench.repeats), "bench");
    }
    return bench;
}

nlohmann::json toJson(const CaptureBench& b) {
    return {{"repeats", b.repeats},
            {"forward_seconds", b.forwardSeconds},
            {"capture_seconds", b.captureSeconds},
            {"ratio", b.ratio()}};
}

} // namespace anatomist::core
