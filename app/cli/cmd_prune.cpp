// anatomist-cli prune (issue 11): a plan from flags and/or --plan, applied to the model, exported
// as a Hugging Face folder with variant.json. The plan schema is docs/plan-format.md.
#include "analysis/pair_sets.h"
#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "job.h"
#include "prune/export_variant.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

namespace {

std::vector<int64_t> toInt64(const std::vector<int>& v) {
    return {v.begin(), v.end()};
}

// Operations the flags describe, in a fixed order: depth, bypass, width, heads, fairness.
std::vector<core::PruneOperation> operationsFromFlags(const Args& args) {
    std::vector<core::PruneOperation> ops;
    const auto layers =
        args.value("layers") ? parseIndexList(*args.value("layers"), "layer") : std::vector<int>{};
    if (auto v = args.value("remove-layers"))
        ops.push_back(
            {.op = core::PruneOpKind::RemoveLayers, .layers = parseIndexList(*v, "layer")});
    if (auto v = args.value("bypass-attention"))
        ops.push_back(
            {.op = core::PruneOpKind::BypassAttention, .layers = parseIndexList(*v, "layer")});
    const int sizes = int(args.has("width")) + int(args.has("expansion")) + int(args.has("keep"));
    if (sizes > 1)
        throw UsageError("--width, --expansion and --keep exclude each other");
    if (sizes == 1) {
        core::PruneOperation op{.op = core::PruneOpKind::PruneMlp, .layers = layers};
        op.method = args.valueOr("method", ""); // "" = ppm, or l1 for GPT-2
        if (args.has("width"))
            op.percent = args.doubleValue("width", 0);
        if (args.has("expansion"))
            op.expansion = args.doubleValue("expansion", 0);
        if (args.has("keep"))
            op.keep = args.intValue("keep", 0);
        if (args.has("divisor"))
            op.divisor = args.intValue("divisor", 0);
        ops.push_back(op);
    } else if (args.has("divisor") || args.has("method")) {
        throw UsageError("--method and --divisor go with --width, --expansion or --keep");
    }
    if (auto v = args.value("heads")) {
        // groups:1,3 removes whole KV groups; per-group:N removes N query heads from every group.
        core::PruneOperation op{.op = core::PruneOpKind::PruneHeads, .layers = layers};
        if (v->rfind("groups:", 0) == 0)
            op.kv_groups = toInt64(parseIndexList(v->substr(7), "KV group"));
        else if (v->rfind("per-group:", 0) == 0)
            op.query_heads_per_group = std::stoll(v->substr(10));
        else
            throw UsageError("--heads takes groups:LIST or per-group:N, got '" + *v + "'");
        ops.push_back(op);
    }
    if (args.has("fairness-count")) {
        core::PruneOperation op{.op = core::PruneOpKind::FairnessNeurons, .layers = layers};
        op.pairs = args.required("pairs");
        op.count = args.intValue("fairness-count", 0);
        op.weight = args.doubleValue("fairness-weight", 0.5);
        ops.push_back(op);
    }
    return ops;
}

core::PruneInputs readInputs(const Args& args, const core::PrunePlan& plan,
                             const std::filesystem::path& planDir,
                             const core::LoadedModel& loaded) {
    core::PruneInputs inputs;
    bool needPairs = false;
    std::string pairsFile;
    for (const auto& op : plan.operations) {
        if (op.op != core::PruneOpKind::FairnessNeurons)
            continue;
        needPairs = true;
        if (pairsFile.empty() && !op.pairs.empty())
            pairsFile = std::filesystem::path(op.pairs).is_absolute() || planDir.empty()
                            ? op.pairs
                            : (planDir / op.pairs).string();
    }
    if (auto p = args.value("pairs"))
        pairsFile = *p;
    if ((args.has("text") || needPairs) && !loaded.tokenizer)
        throw core::TokenizerError(loaded.folder.string() +
                                   ": has no tokenizer, needed for --text/--pairs");
    if (auto text = args.value("text"))
        inputs.documents = readCorpusIds(*loaded.tokenizer, *text);
    if (needPairs && !pairsFile.empty())
        for (const auto& p : core::loadPairSet(pairsFile))
            inputs.pairs.emplace_back(core::promptIds(*loaded.tokenizer, p.a),
                                      core::promptIds(*loaded.tokenizer, p.b));
    return inputs;
}

void printSummary(const core::PruneResult& result, const std::string& out) {
    std::cout << "wrote " << out << "\n";
    std::cout << "parameters: " << humanCount(result.parametersBefore) << " -> "
              << humanCount(result.parametersAfter) << " ("
              << fixed(100.0 * double(result.parametersAfter) / double(result.parametersBefore), 1)
              << " %)\n";
    std::cout << "layers (variant <- base: MLP width, heads/kv heads):\n";
    for (std::size_t j = 0; j < result.layers.size(); ++j) {
        const auto& l = result.layers[j];
        std::cout << "  " << j << " <- " << l.baseIndex << ": " << l.intermediateSize << ", "
                  << l.heads << "/" << l.kvHeads
                  << (l.attentionBypassed ? ", attention bypassed" : "") << "\n";
    }
    if (!result.stockCompatible)
        std::cout
            << "note: layers differ in MLP width or head count; config.json carries per-layer "
               "lists (anatomist_layer_*) that Anatomist reloads, but stock transformers "
               "cannot load this folder\n";
}

} // namespace

int runPrune(const std::vector<std::string>& arguments) {
    const Args args(arguments,
                    withOptions({"out", "remove-layers", "bypass-attention", "width", "expansion",
                                 "keep", "method", "divisor", "layers", "heads", "text", "pairs",
                                 "fairness-count", "fairness-weight", "plan"},
                                kModelOptions),
                    {"json", "force"});
    args.expectPositionals(1, 1);
    const std::string out = args.required("out");
    core::PrunePlan plan;
    std::filesystem::path planDir;
    if (auto file = args.value("plan")) {
        plan = core::readPrunePlan(*file);
        planDir = std::filesystem::path(*file).parent_path();
    }
    for (auto& op : operationsFromFlags(args))
        plan.operations.push_back(std::move(op));
    if (plan.operations.empty())
        throw UsageError("nothing to prune: give --remove-layers, --bypass-attention, --width, "
                         "--expansion, --keep, --heads, --fairness-count or --plan");

    auto loaded = loadModelFromArgs(args, false);
    if (!plan.base)
        plan.base = core::planBaseOf(loaded.config);
    const auto inputs = readInputs(args, plan, planDir, loaded);
    auto result = core::applyPlan(*loaded.model, plan, inputs, core::nullJobContext());
    const auto record = core::makeVariantRecord(result, plan, loaded.folder);
    core::ExportOptions options;
    options.baseFolder = loaded.folder;
    options.overwrite = args.flag("force"); // the dtype defaults to the base's stored one
    core::exportVariant(*result.model, record, out, options, core::nullJobContext());
    if (args.flag("json")) {
        auto doc = core::toJson(record);
        doc["out"] = out;
        printJson(doc);
        return 0;
    }
    printSummary(result, out);
    return 0;
}

} // namespace anatomist::cli
