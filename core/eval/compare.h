#pragma once
// Side-by-side evaluation of a base model and its variants (ALGORITHMS.md §9): the same text and
// the same prompt for every model, in one run. Per model: parameters and memory, perplexity,
// optionally prefill and decode tokens/s (medians after a warm-up, models interleaved), and the
// block similarity of each layer. Rows of the similarity table are base layer indices: a variant
// folder's variant.json maps each kept layer to its index in the base.

#include "analysis/layer_similarity.h"
#include "eval/perplexity.h"

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;
class Tokenizer;

// variant.json, written beside a pruned model:
// {"format": "anatomist-variant", "version": 1, "base": {"path", "sha256", "parameters"},
//  "plan": {...}, "kept_layers": [base index of each kept layer], "parameters": {"before",
//  "after"}}
struct VariantManifest {
    std::string basePath, baseSha256;
    int64_t baseParameters = 0;
    std::string planJson;    // the plan as written (compact JSON)
    std::string planSummary; // one line for tables
    std::vector<int> keptLayers;
    int64_t parametersBefore = 0, parametersAfter = 0;
};

// FormatError naming the file for a malformed manifest (wrong format tag or version, missing
// fields, kept_layers not strictly increasing non-negative indices).
VariantManifest parseVariantManifest(const nlohmann::json& json, const std::string& source);
// folder/variant.json when it exists, nullopt otherwise.
std::optional<VariantManifest> readVariantManifest(const std::filesystem::path& folder);
// "remove_layers=[2,3] width=20" from a plan object or a list of operations.
std::string summarizePlan(const nlohmann::json& plan);

struct CompareInput {
    std::string name; // shown in the table (a folder path)
    CausalLM* model = nullptr;
    const Tokenizer* tokenizer = nullptr;
    std::optional<VariantManifest> variant;
};

struct CompareOptions {
    PerplexityOptions perplexity; // context, stride, budget (taps unused)
    bool similarity = true;
    bool bench = false;
    int64_t promptTokens = 128;  // prefill length (clamped to every model's context)
    int64_t generateTokens = 32; // decode steps
    int repeats = 5;             // timed runs after one warm-up; medians are reported
};

struct CompareSpeed {
    double prefillTokensPerSecond = 0, decodeTokensPerSecond = 0; // medians
    double prefillSeconds = 0, decodeSeconds = 0;                 // medians
};

struct CompareEntry {
    std::string name;
    int layers = 0;
    int64_t parameters = 0;
    int64_t bytesFloat32 = 0, bytesBfloat16 = 0;
    std::optional<VariantManifest> variant;
    std::vector<int> baseIndex; // per layer: its index in the base (identity without a manifest)
    PerplexityResult perplexity;
    std::optional<CompareSpeed> speed;
    std::optional<SimilarityResult> similarity;
};

struct CompareResult {
    std::vector<CompareEntry> models;
    int baseLayers = 0; // rows of the aligned similarity table
    int64_t promptTokens = 0, generateTokens = 0;
    int repeats = 0;
    // block[row][model]: block cosine of the model's layer at base index `row`; nullopt where the
    // model has no such layer.
    std::vector<std::vector<std::optional<double>>> alignedBlock;
    double seconds = 0;
};

// documents: the text split into documents; each model tokenizes them with its own tokenizer
// ([BOS] + tokens, as eval). The bench prompt is the first model's tokens of the text, repeated to
// the prompt length, so every model runs the same ids. InvalidArgument when there is no model, a
// model lacks a tokenizer, or kept_layers disagrees with the model's layer count.
CompareResult compareModels(const std::vector<CompareInput>& inputs,
                            const std::vector<std::string>& documents,
                            const CompareOptions& options, JobContext& job);

// {models: [{name, layers, parameters, memory {float32, bfloat16}, variant {base, plan, summary,
// kept_layers, parameters}|null, perplexity {...eval fields}, speed {prefill_tokens_per_second,
// decode_tokens_per_second, prefill_seconds, decode_seconds}|null, similarity {...}|null}],
// base_layers, prompt_tokens, generate_tokens, repeats, seconds,
// aligned_similarity: [{base_layer, block: [cos|null per model]}]}
nlohmann::json toJson(const CompareResult& result);

} // namespace anatomist::core
