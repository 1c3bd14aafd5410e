// anatomist-cli calibrate-bypass: the adaptive attention bypass table of ALGORITHMS.md §7.
#include "analysis/adaptive_bypass.h"
#include "cli_common.h"
#include "commands.h"
#include "io/atomic_file.h"
#include "job.h"
#include "model/causal_lm.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

int runCalibrateBypass(const std::vector<std::string>& arguments) {
    const Args args(arguments, withOptions({"prompts", "out", "max-bypass"}, kModelOptions),
                    {"json"});
    args.expectPositionals(1, 1);
    const auto promptsFile = args.required("prompts");
    const auto out = args.required("out");
    auto loaded = loadModelFromArgs(args, true);
    const int layers = loaded.model->numLayers();
    const int maxBypass = static_cast<int>(args.intValue("max-bypass", std::max(1, layers / 4)));
    if (maxBypass < 0 || maxBypass >= layers)
        throw UsageError("--max-bypass must lie in 0.." + std::to_string(layers - 1));
    const auto prompts = readCorpusIds(*loaded.tokenizer, promptsFile);
    auto config =
        core::calibrateAdaptiveBypass(*loaded.model, prompts, maxBypass, core::nullJobContext());
    config.model = loaded.folder.string();
    const auto document = core::toJson(config);
    core::writeTextAtomically(out, document.dump(2) + "\n");
    if (args.flag("json")) {
        printJson(document);
        return 0;
    }
    std::cout << "attention layers, most important first:";
    for (int l : config.layersByImportance)
        std::cout << ' ' << l;
    std::cout << "\ncomplexity → attention layers kept\n";
    double from = 0;
    for (const auto& t : config.thresholds) {
        std::cout << "  " << fixed(from, 4) << " .. " << fixed(t.maxScore, 4) << "  keep " << t.keep
                  << " of " << layers << '\n';
        from = t.maxScore;
    }
    std::cout << "written " << out << '\n';
    return 0;
}

} // namespace anatomist::cli
