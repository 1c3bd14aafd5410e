#include "eval/compare.h"

#include "errors.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/kv_cache.h"
#include "model/model_info.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <torch/types.h>

namespace anatomist::core {

namespace {

using CompareClock = std::chrono::steady_clock;

double compareSeconds(CompareClock::time_point start) {
    return std::chrono::duration<double>(CompareClock::now() - start).count();
}

double medianOf(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

std::string compactPlanValue(const nlohmann::json& value) {
    auto text = value.is_string() ? value.get<std::string>() : value.dump();
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    return text;
}

// One timed prefill, and one timed greedy decode of `steps` tokens after an untimed prefill.
struct CompareSpeedSample {
    double prefill = 0, decode = 0;
};

CompareSpeedSample timeSpeedOnce(CausalLM& model, const torch::Tensor& prompt, int64_t steps) {
    const int64_t P = prompt.size(1);
    CompareSpeedSample sample;
    ForwardOptions forward;
    forward.logitsFrom = P - 1;
    {
        KvCache cache(model.config(), 1, P + steps, model.options());
        forward.cache = &cache;
        const auto start = CompareClock::now();
        auto logits = model.forward(prompt, {}, forward).logits;
        (void)logits.sum().item<double>(); // waits for the device
        sample.prefill = compareSeconds(start);
    }
    if (steps > 0) {
        KvCache cache(model.config(), 1, P + steps, model.options());
        forward.cache = &cache;
        auto logits = model.forward(prompt, {}, forward).logits;
        forward.logitsFrom = 0;
        const auto start = CompareClock::now();
        for (int64_t s = 0; s < steps; ++s) {
            const auto next = logits.select(1, -1).argmax(-1).view({1, 1});
            logits = model.forward(next, {}, forward).logits;
        }
        (void)logits.sum().item<double>();
        sample.decode = compareSeconds(start);
    }
    return sample;
}

} // namespace

std::string summarizePlan(const nlohmann::json& plan) {
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : " ") + part; };
    if (plan.is_object()) {
        for (const auto& [key, value] : plan.items())
            add(key + "=" + compactPlanValue(value));
    } else if (plan.is_array()) {
        for (const auto& op : plan) {
            if (!op.is_object()) {
                add(compactPlanValue(op));
                continue;
            }
            std::string part;
            for (const char* tag : {"op", "type", "operation", "kind"})
                if (op.contains(tag) && op[tag].is_string()) {
                    part = op[tag].get<std::string>();
                    break;
                }
            std::string args;
            for (const auto& [key, value] : op.items())
                if (key != "op" && key != "type" && key != "operation" && key != "kind")
                    args += (args.empty() ? "" : ",") + key + "=" + compactPlanValue(value);
            add(part.empty() ? args : part + (args.empty() ? "" : "(" + args + ")"));
        }
    } else if (!plan.is_null()) {
        add(compactPlanValue(plan));
    }
    return out.empty() ? "(empty plan)" : out;
}

VariantManifest parseVariantManifest(const nlohmann::json& j, const std::string& source) {
    try {
        if (!j.is_object() || j.value("format", std::string()) != "anatomist-variant")
            throw FormatError(source + ": not an Anatomist variant manifest (\"format\" must be "
                                       "\"anatomist-variant\")");
        if (j.at("version").get<int>() != 1)
            throw FormatError(source + ": unsupported variant manifest version " +
                              j.at("version").dump());
        VariantManifest m;
        const auto& base = j.at("base");
        m.basePath = base.value("path", std::string());
        m.baseSha256 = base.value("sha256", std::string());
        m.baseParameters = base.value("parameters", int64_t{0});
        const auto plan = j.value("plan", nlohmann::json::object());
        m.planJson = plan.dump();
        m.planSummary = summarizePlan(plan);
        m.keptLayers = j.at("kept_layers").get<std::vector<int>>();
        for (std::size_t i = 0; i < m.keptLayers.size(); ++i)
            if (m.keptLayers[i] < 0 || (i > 0 && m.keptLayers[i] <= m.keptLayers[i - 1]))
                throw FormatError(source + ": kept_layers must be increasing base indices (entry " +
                                  std::to_string(i) + " is " + std::to_string(m.keptLayers[i]) +
                                  ")");
        if (j.contains("parameters")) {
            m.parametersBefore = j["parameters"].value("before", int64_t{0});
            m.parametersAfter = j["parameters"].value("after", int64_t{0});
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(source + ": malformed variant manifest (" + e.what() + ")");
    }
}

std::optional<VariantManifest> readVariantManifest(const std::filesystem::path& folder) {
    const auto file = folder / "variant.json";
    if (!std::filesystem::exists(file))
        return std::nullopt;
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readTextFile(file));
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(file.string() + ": not valid JSON (" + e.what() + ")");
    }
    return parseVariantManifest(j, file.string());
}

CompareResult compareModels(const std::vector<CompareInput>& inputs,
                            const std::vector<std::string>& documents,
                            const CompareOptions& options, JobContext& job) {
    const auto start = CompareClock::now();
    if (inputs.empty())
        throw InvalidArgument("compare: no model given");
    CompareResult result;
    const double stages = double(inputs.size()) * (options.bench ? 3.0 : 2.0);
    double stage = 0;

    std::vector<std::vector<std::vector<TokenId>>> tokenized;
    for (const auto& in : inputs) {
        if (!in.model || !in.tokenizer)
            throw InvalidArgument("compare: " + in.name + " has no model or no tokenizer");
        auto& model = *in.model;
        CompareEntry entry;
        entry.name = in.name;
        entry.layers = model.numLayers();
        entry.variant = in.variant;
        if (in.variant) {
            if (static_cast<int>(in.variant->keptLayers.size()) != entry.layers)
                throw InvalidArgument("compare: " + in.name + ": variant.json lists " +
                                      std::to_string(in.variant->keptLayers.size()) +
                                      " kept layers, the model has " +
                                      std::to_string(entry.layers));
            entry.baseIndex = in.variant->keptLayers;
        } else {
            for (int l = 0; l < entry.layers; ++l)
                entry.baseIndex.push_back(l);
        }
        entry.parameters = summarize(model).parameters;
        entry.bytesFloat32 = bytesFor(entry.parameters, "float32");
        entry.bytesBfloat16 = bytesFor(entry.parameters, "bfloat16");
        const auto& docs = tokenized.emplace_back(tokenizeDocuments(*in.tokenizer, documents));
        {
            SubJobContext sub(job, stage / stages, (stage + 1) / stages);
            auto ppl = options.perplexity;
            ppl.taps = nullptr;
            entry.perplexity = evaluatePerplexity(model, docs, ppl, sub);
            ++stage;
        }
        if (options.similarity) {
            SubJobContext sub(job, stage / stages, (stage + 1) / stages);
            SimilarityOptions sim;
            sim.context = options.perplexity.context;
            sim.stride = options.perplexity.stride;
            sim.tokenBudget = options.perplexity.tokenBudget;
            entry.similarity = measureLayerSimilarity(model, docs, sim, sub);
        }
        ++stage;
        result.baseLayers =
            std::max(result.baseLayers, entry.baseIndex.empty() ? 0 : entry.baseIndex.back() + 1);
        result.models.push_back(std::move(entry));
    }

    if (options.similarity) {
        result.alignedBlock.assign(static_cast<std::size_t>(result.baseLayers),
                                   std::vector<std::optional<double>>(inputs.size()));
        for (std::size_t m = 0; m < result.models.size(); ++m) {
            const auto& entry = result.models[m];
            for (const auto& layer : entry.similarity->layers)
                result.alignedBlock[static_cast<std::size_t>(
                    entry.baseIndex[static_cast<std::size_t>(layer.layer)])][m] = layer.block;
        }
    }

    if (options.bench) {
        if (options.promptTokens < 1 || options.generateTokens < 0 || options.repeats < 1)
            throw InvalidArgument(
                "compare: the prompt needs at least 1 token, decode 0 or more, repeats 1 or more");
        int64_t context = options.promptTokens + options.generateTokens;
        int64_t vocab = inputs.front().model->config().vocab_size;
        for (const auto& in : inputs) {
            context = std::min<int64_t>(context, in.model->config().max_position_embeddings);
            vocab = std::min<int64_t>(vocab, in.model->config().vocab_size);
        }
        const int64_t P = std::min(options.promptTokens, context - options.generateTokens);
        if (P < 1)
            throw InvalidArgument(
                "compare: the decode length leaves no room for a prompt in the context");
        std::vector<TokenId> text;
        for (const auto& doc : tokenized.front())
            text.insert(text.end(), doc.begin(), doc.end());
        if (text.empty())
            throw InvalidArgument("compare: the text has no tokens for the bench prompt");
        std::vector<int64_t> ids;
        for (int64_t i = 0; i < P; ++i) {
            const auto id = text[static_cast<std::size_t>(i) % text.size()];
            if (id >= vocab)
                throw InvalidArgument("compare: token id " + std::to_string(id) +
                                      " of the bench prompt is outside a model's vocabulary");
            ids.push_back(id);
        }
        result.promptTokens = P;
        result.generateTokens = options.generateTokens;
        result.repeats = options.repeats;

        torch::InferenceMode inference;
        std::vector<std::vector<CompareSpeedSample>> samples(inputs.size());
        // Round-robin over the models so that load changes during the run hit all of them alike.
        for (int r = -1; r < options.repeats; ++r) { // r = -1: warm-up, not counted
            for (std::size_t m = 0; m < inputs.size(); ++m) {
                job.throwIfCancelled();
                const auto device = inputs[m].model->embedding().weight.device();
                const auto prompt = torch::tensor(ids, torch::kInt64).view({1, P}).to(device);
                const auto sample = timeSpeedOnce(*inputs[m].model, prompt, options.generateTokens);
                if (r >= 0)
                    samples[m].push_back(sample);
            }
            job.setProgress(
                (stage + double(r + 2) / double(options.repeats + 1) * double(inputs.size())) /
                    stages,
                "bench");
        }
        for (std::size_t m = 0; m < inputs.size(); ++m) {
            std::vector<double> prefill, decode;
            for (const auto& s : samples[m]) {
                prefill.push_back(s.prefill);
                decode.push_back(s.decode);
            }
            CompareSpeed speed;
            speed.prefillSeconds = medianOf(prefill);
            speed.decodeSeconds = medianOf(decode);
            speed.prefillTokensPerSecond = double(P) / speed.prefillSeconds;
            if (options.generateTokens > 0)
                speed.decodeTokensPerSecond = double(options.generateTokens) / speed.decodeSeconds;
            result.models[m].speed = speed;
        }
    }
    result.seconds = compareSeconds(start);
    job.setProgress(1, "compare");
    return result;
}

nlohmann::json toJson(const CompareResult& r) {
    nlohmann::json models = nlohmann::json::array();
    for (const auto& e : r.models) {
        nlohmann::json variant = nullptr;
        if (e.variant) {
            const auto& v = *e.variant;
            variant = {
                {"base",
                 {{"path", v.basePath},
                  {"sha256", v.baseSha256},
                  {"parameters", v.baseParameters}}},
                {"plan", nlohmann::json::parse(v.planJson)},
                {"summary", v.planSummary},
                {"kept_layers", v.keptLayers},
                {"parameters", {{"before", v.parametersBefore}, {"after", v.parametersAfter}}}};
        }
        nlohmann::json speed = nullptr;
        if (e.speed)
            speed = {{"prefill_tokens_per_second", e.speed->prefillTokensPerSecond},
                     {"decode_tokens_per_second", e.speed->decodeTokensPerSecond},
                     {"prefill_seconds", e.speed->prefillSeconds},
                     {"decode_seconds", e.speed->decodeSeconds}};
        models.push_back(
            {{"name", e.name},
             {"layers", e.layers},
             {"parameters", e.parameters},
             {"memory", {{"float32", e.bytesFloat32}, {"bfloat16", e.bytesBfloat16}}},
             {"base_index", e.baseIndex},
             {"variant", variant},
             {"perplexity", toJson(e.perplexity)},
             {"speed", speed},
             {"similarity", e.similarity ? toJson(*e.similarity) : nlohmann::json(nullptr)}});
    }
    nlohmann::json aligned = nlohmann::json::array();
    for (std::size_t row = 0; row < r.alignedBlock.size(); ++row) {
        nlohmann::json block = nlohmann::json::array();
        for (const auto& value : r.alignedBlock[row])
            block.push_back(value ? nlohmann::json(*value) : nlohmann::json(nullptr));
        aligned.push_back({{"base_layer", row}, {"block", block}});
    }
    return {{"models", models},
            {"base_layers", r.baseLayers},
            {"prompt_tokens", r.promptTokens},
            {"generate_tokens", r.generateTokens},
            {"repeats", r.repeats},
            {"seconds", r.seconds},
            {"aligned_similarity", aligned}};
}

} // namespace anatomist::core
