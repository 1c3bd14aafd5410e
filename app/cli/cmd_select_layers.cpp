// anatomist-cli select-layers: which decoder layers (or attention sub-blocks) to remove, one-shot
// or iteratively re-measured (issue 11, ALGORITHMS.md §2 and §7).
#include "analysis/layer_selection.h"
#include "cli_common.h"
#include "commands.h"
#include "job.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

int runSelectLayers(const std::vector<std::string>& arguments) {
    const Args args(
        arguments,
        withOptions({"text", "count", "protect-first", "context", "batch-tokens"}, kModelOptions),
        {"iterative", "attention", "protect-last", "no-adjacent", "json"});
    args.expectPositionals(1, 1);
    core::LayerSelectionRequest request;
    request.selection.count = static_cast<int>(args.intValue("count", 1));
    request.selection.protectFirst = static_cast<int>(args.intValue("protect-first", 0));
    request.selection.protectLast = args.flag("protect-last");
    request.selection.noAdjacent = args.flag("no-adjacent");
    request.iterative = args.flag("iterative");
    request.target =
        args.flag("attention") ? core::SelectionTarget::Attention : core::SelectionTarget::Block;
    if (request.selection.count < 1)
        throw UsageError("--count must be 1 or more");
    if (request.selection.protectFirst < 0)
        throw UsageError("--protect-first must be 0 or more");
    const auto text = args.required("text");
    request.similarity.context = args.intValue("context", 0);
    request.similarity.tokenBudget = args.intValue("batch-tokens", request.similarity.tokenBudget);
    request.similarity.dataset = text;

    auto loaded = loadModelFromArgs(args, true);
    const auto documents = readCorpusIds(*loaded.tokenizer, text);
    const auto result =
        core::selectLayersByImportance(*loaded.model, documents, request, core::nullJobContext());

    if (args.flag("json")) {
        auto out = core::toJson(result);
        out["model"] = loaded.folder.string();
        out["dataset"] = text;
        out["layers"] = loaded.model->numLayers();
        out["count"] = request.selection.count;
        printJson(out);
        return 0;
    }
    const char* what = request.target == core::SelectionTarget::Attention ? "attention" : "layer";
    std::cout << (request.iterative ? "iterative" : "one-shot") << " selection of " << what
              << "s by " << core::selectionTargetName(request.target) << " importance, "
              << result.steps.front().similarity.tokens << " tokens, " << fixed(result.seconds, 2)
              << " s\n";
    for (std::size_t i = 0; i < result.steps.size(); ++i) {
        const auto& step = result.steps[i];
        std::cout << "step " << i + 1 << " (removed:";
        if (step.removed.empty())
            std::cout << " none";
        for (int l : step.removed)
            std::cout << ' ' << l;
        std::cout << ")\n";
        for (const auto& l : step.similarity.layers)
            std::cout << "  layer " << l.layer << "  importance "
                      << fixed(core::targetImportance(l, request.target), 6) << '\n';
    }
    std::cout << "picks:";
    for (const auto& p : result.picks)
        std::cout << ' ' << p.layer << " (" << fixed(p.importance, 6) << ')';
    if (static_cast<int>(result.picks.size()) < request.selection.count)
        std::cout << "  [only " << result.picks.size() << " allowed by the constraints]";
    std::cout << '\n';
    return 0;
}

} // namespace anatomist::cli
