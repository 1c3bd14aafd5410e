#pragma once
// Speed measurements reported as ratios against the machine itself: the sgemm rate is measured in
// the same run, so "achieved GFLOP/s over sgemm GFLOP/s" compares across machines.

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;
struct LoadedModel;

struct SgemmResult {
    int64_t size = 0;
    double gflops = 0;
};

// Times an n×n×n float32 matrix product for at least minSeconds (after a warm-up).
SgemmResult measureSgemm(int64_t n, double minSeconds = 0.5);

// Built-in model shapes with random weights generated in memory ("smollm2-135m", "stories15m").
std::vector<std::string> benchShapeNames();
LoadedModel makeShapeModel(const std::string& shape, uint64_t seed = 0);

// Sets the threads of libtorch's own kernels and of OpenBLAS (which libtorch leaves at its
// default, the core count), so that a 1-thread measurement is really single-threaded.
void setComputeThreads(int threads);

struct BenchOptions {
    int64_t promptTokens = 512;
    int64_t generateTokens = 64;
    int repeats = 3; // prefill and each decode depth are timed this many times; the best run counts
    // Extra decode measurements, each `generateTokens` steps after a prompt of that many tokens
    // (0: from an empty cache, llama-bench's tg). `decode` is always measured after the prompt.
    std::vector<int64_t> decodeDepths;
};

struct DecodeAtDepth {
    int64_t depth = 0;
    double seconds = 0, tokensPerSecond = 0;
};

struct BenchResult {
    std::string model;
    int threads = 0;
    SgemmResult sgemm;
    int64_t promptTokens = 0, generateTokens = 0;
    double prefillSeconds = 0, prefillTokensPerSecond = 0, prefillGflop = 0, prefillGflops = 0;
    double decodeSeconds = 0, decodeTokensPerSecond = 0, decodeGflops = 0;
    std::vector<DecodeAtDepth> decodeDepths;
    double prefillToSgemm() const { return sgemm.gflops > 0 ? prefillGflops / sgemm.gflops : 0; }
};

// Matrix-product FLOPs of a forward pass over `tokens` new positions after `past` cached ones
// (projections, causal attention scores and mixing, and logits for `logitRows` rows).
double forwardFlops(const CausalLM& model, int64_t tokens, int64_t past, int64_t logitRows);

BenchResult runBench(CausalLM& model, const std::string& name, const BenchOptions& options,
                     JobContext& job);

nlohmann::json toJson(const BenchResult& result);

// What an analysis that reads the forward pass (activation capture, contrastive pairs) costs over
// the plain forward passes it runs: both timed in the same run, alternating, best of `repeats`
// after one warm-up of each.
struct CaptureBench {
    int repeats = 0;
    double forwardSeconds = 0, captureSeconds = 0;
    double ratio() const { return forwardSeconds > 0 ? captureSeconds / forwardSeconds : 0; }
};

CaptureBench benchAgainstForward(const std::function<void()>& forward,
                                 const std::function<void()>& capture, int repeats,
                                 JobContext& job);

nlohmann::json toJson(const CaptureBench& bench);

} // namespace anatomist::core
