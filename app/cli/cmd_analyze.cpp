// anatomist-cli analyze similarity|activations|contrastive|importance (issue 5). Output JSON is
// documented in docs/cli-analyze.md; field names are stable.
#include "analysis/activations.h"
#include "analysis/contrastive.h"
#include "analysis/datasets.h"
#include "analysis/layer_similarity.h"
#include "analysis/neuron_importance.h"
#include "analysis/pair_sets.h"
#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "eval/bench.h"
#include "eval/perplexity.h"
#include "job.h"
#include "model/causal_lm.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace anatomist::cli {

namespace {

void printSimilarityTable(const core::SimilarityResult& r) {
    std::cout << r.dataset << ": " << r.documents << " documents, " << r.tokens << " tokens, "
              << fixed(r.seconds, 2) << " s\n"
              << "layer   block      attention  mlp        importance\n";
    for (const auto& l : r.layers)
        std::cout << "  " << l.layer << (l.layer < 10 ? "     " : "    ") << fixed(l.block, 6)
                  << "   " << fixed(l.attention, 6) << "   " << fixed(l.mlp, 6) << "   "
                  << fixed(l.importance, 6) << "\n";
    std::cout << "removal order (lowest importance first):";
    for (int l : r.removalOrder)
        std::cout << ' ' << l;
    std::cout << '\n';
}

// --bench: the analysis against its own forward passes without taps, instead of its result.
int printCaptureBench(const core::CaptureBench& bench, const std::string& analysis,
                      const core::LoadedModel& loaded, bool json) {
    if (json) {
        auto out = core::toJson(bench);
        out["analysis"] = analysis;
        out["model"] = loaded.folder.string();
        printJson(out);
    } else {
        std::cout << analysis << ", best of " << bench.repeats << "\nplain forward  "
                  << fixed(bench.forwardSeconds, 4) << " s\n"
                  << analysis << "  " << fixed(bench.captureSeconds, 4) << " s\nratio          "
                  << fixed(bench.ratio(), 3) << "\n";
    }
    return 0;
}

int analyzeSimilarity(const std::vector<std::string>& arguments) {
    const Args args(arguments,
                    withOptions({"text", "text2", "context", "batch-tokens", "angular", "repeats"},
                                kModelOptions),
                    {"json", "bench"});
    args.expectPositionals(1, 1);
    auto loaded = loadModelFromArgs(args, true);
    core::SimilarityOptions options;
    options.context = args.intValue("context", 0);
    options.tokenBudget = args.intValue("batch-tokens", options.tokenBudget);
    options.angularMaxSpan = static_cast<int>(args.intValue("angular", 0));
    const auto text = args.required("text");
    options.dataset = text;
    const auto documents = readCorpusIds(*loaded.tokenizer, text);

    if (args.flag("bench")) {
        const auto bench = core::benchLayerSimilarity(*loaded.model, documents, options,
                                                      static_cast<int>(args.intValue("repeats", 5)),
                                                      core::nullJobContext());
        auto out = core::toJson(bench);
        out["model"] = loaded.folder.string();
        out["dataset"] = text;
        if (args.flag("json"))
            printJson(out);
        else
            std::cout << "tokens " << bench.tokens << " in " << bench.batches
                      << " batches, best of " << bench.repeats << "\nplain forward  "
                      << fixed(bench.forwardSeconds, 4) << " s\nsimilarity     "
                      << fixed(bench.similaritySeconds, 4) << " s\nratio          "
                      << fixed(bench.ratio, 3) << "\n";
        return 0;
    }

    const auto result =
        core::measureLayerSimilarity(*loaded.model, documents, options, core::nullJobContext());
    std::optional<core::SimilarityResult> second;
    if (auto text2 = args.value("text2")) {
        auto o2 = options;
        o2.dataset = *text2;
        second = core::measureLayerSimilarity(
            *loaded.model, readCorpusIds(*loaded.tokenizer, *text2), o2, core::nullJobContext());
    }
    if (args.flag("json")) {
        auto out = core::toJson(result);
        out["model"] = loaded.folder.string();
        if (second)
            out["second"] = core::toJson(*second);
        printJson(out);
    } else {
        printSimilarityTable(result);
        if (second) {
            std::cout << '\n';
            printSimilarityTable(*second);
        }
    }
    return 0;
}

int analyzeActivations(const std::vector<std::string>& arguments) {
    const Args args(arguments,
                    withOptions({"prompt", "component", "layers", "repeats"}, kModelOptions),
                    {"json", "bench"});
    args.expectPositionals(1, 1);
    auto loaded = loadModelFromArgs(args, true);
    const auto component = core::parseComponent(args.valueOr("component", "mlp_out"));
    std::vector<int> layers;
    if (auto l = args.value("layers"))
        layers = parseIndexList(*l, "--layers");
    const auto ids = core::promptIds(*loaded.tokenizer, args.required("prompt"));
    if (args.flag("bench"))
        return printCaptureBench(
            core::benchActivations(*loaded.model, ids, component, layers,
                                   static_cast<int>(args.intValue("repeats", 20)),
                                   core::nullJobContext()),
            "activations", loaded, args.flag("json"));
    const auto c = core::captureActivations(*loaded.model, ids, component, layers,
                                            core::nullJobContext(), loaded.tokenizer.get());
    if (args.flag("json")) {
        auto out = core::toJson(c);
        out["model"] = loaded.folder.string();
        out["prompt"] = args.required("prompt");
        printJson(out);
        return 0;
    }
    std::cout << c.component << ", " << c.ids.size() << " tokens\nmean |activation| per layer:\n";
    for (std::size_t l = 0; l < c.meanAbsAllLayers.size(); ++l)
        std::cout << "  " << l << "  " << fixed(c.meanAbsAllLayers[l], 6) << "\n";
    for (std::size_t i = 0; i < c.layers.size(); ++i)
        std::cout << "layer " << c.layers[i] << ": " << c.matrices[i].rows << " x "
                  << c.matrices[i].cols << " (use --json for the matrix)\n";
    return 0;
}

int analyzeContrastive(const std::vector<std::string>& arguments) {
    const Args args(arguments, withOptions({"pairs", "components", "repeats"}, kModelOptions),
                    {"json", "mean-pool", "details", "bench"});
    args.expectPositionals(1, 1);
    auto loaded = loadModelFromArgs(args, true);
    core::ContrastiveOptions options;
    if (auto list = args.value("components")) {
        options.components.clear();
        for (const auto& name : splitCommaList(*list))
            options.components.push_back(core::parseComponent(name));
    }
    options.preferMeanPooling = args.flag("mean-pool");
    options.details = args.flag("details");
    const auto pairs = core::loadPairSet(args.required("pairs"));
    if (args.flag("bench"))
        return printCaptureBench(
            core::benchContrastive(*loaded.model, *loaded.tokenizer, pairs, options,
                                   static_cast<int>(args.intValue("repeats", 5)),
                                   core::nullJobContext()),
            "contrastive", loaded, args.flag("json"));
    const auto r = core::compareContrastivePairs(*loaded.model, *loaded.tokenizer, pairs, options,
                                                 core::nullJobContext());
    if (args.flag("json")) {
        auto out = core::toJson(r);
        out["model"] = loaded.folder.string();
        printJson(out);
        return 0;
    }
    std::cout << r.pairs.size() << " pairs, " << fixed(r.seconds, 2) << " s\n";
    for (const auto& agg : r.aggregate) {
        std::cout << agg.component << ": mean |diff| per layer (mean / max across pairs)\n";
        for (std::size_t l = 0; l < agg.meanAcrossPairs.size(); ++l)
            std::cout << "  " << l << "  " << fixed(agg.meanAcrossPairs[l], 6) << "  "
                      << fixed(agg.maxAcrossPairs[l], 6) << "\n";
    }
    return 0;
}

int analyzeImportance(const std::vector<std::string>& arguments) {
    const Args args(
        arguments,
        withOptions({"method", "text", "pairs", "fairness-weight", "batch-tokens"}, kModelOptions),
        {"json"});
    args.expectPositionals(1, 1);
    const auto methodName = args.valueOr("method", "ppm");
    const bool fairness = methodName == "fairness";
    const auto method = fairness ? std::optional(core::NeuronScoreMethod::Ppm)
                                 : core::parseNeuronScoreMethod(methodName);
    if (!method)
        throw UsageError("--method must be ppm, vow, pon, l2, activation, l1 or fairness");
    auto loaded = loadModelFromArgs(args, args.has("text") || args.has("pairs"));
    std::vector<std::vector<core::TokenId>> documents;
    if (*method == core::NeuronScoreMethod::Activation)
        documents = readCorpusIds(*loaded.tokenizer, args.required("text"));
    core::NeuronImportanceResult result;
    if (fairness) {
        std::vector<std::pair<std::vector<core::TokenId>, std::vector<core::TokenId>>> ids;
        for (const auto& p : core::loadPairSet(args.required("pairs")))
            ids.emplace_back(core::promptIds(*loaded.tokenizer, p.a),
                             core::promptIds(*loaded.tokenizer, p.b));
        result = core::fairnessImportance(
            *loaded.model, ids, args.doubleValue("fairness-weight", 0.5), core::nullJobContext());
    } else {
        result = core::scoreNeurons(*loaded.model, *method, documents, core::nullJobContext(),
                                    args.intValue("batch-tokens", 8192));
    }
    if (args.flag("json")) {
        auto out = core::toJson(result);
        out["model"] = loaded.folder.string();
        printJson(out);
        return 0;
    }
    std::cout << result.method << " neuron scores (higher = more important";
    std::cout << (fairness ? "; fairness: higher = better pruning candidate)\n" : ")\n");
    for (std::size_t l = 0; l < result.layers.size(); ++l) {
        const auto& s = result.layers[l];
        const auto [lo, hi] = std::minmax_element(s.begin(), s.end());
        std::cout << "  layer " << l << ": " << s.size() << " neurons, min " << fixed(*lo, 5)
                  << ", max " << fixed(*hi, 5) << "\n";
    }
    return 0;
}

} // namespace

int runAnalyze(const std::vector<std::string>& arguments) {
    if (arguments.empty())
        throw UsageError(
            "analyze needs a subcommand: similarity, activations, contrastive or importance");
    const std::string sub = arguments.front();
    const std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
    if (sub == "similarity")
        return analyzeSimilarity(rest);
    if (sub == "activations")
        return analyzeActivations(rest);
    if (sub == "contrastive")
        return analyzeContrastive(rest);
    if (sub == "importance")
        return analyzeImportance(rest);
    throw UsageError("unknown analyze subcommand '" + sub +
                     "' (similarity, activations, contrastive, importance)");
}

} // namespace anatomist::cli
