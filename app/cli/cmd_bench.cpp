#include "cli_common.h"
#include "commands.h"
#include "eval/bench.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/model_saver.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

int runBench(const std::vector<std::string>& arguments) {
    const Args args(
        arguments,
        withOptions({"shape", "prompt", "gen", "repeats", "depths", "threads", "save", "tokenizer"},
                    kModelOptions),
        {"json"});
    args.expectPositionals(0, 1);
    if (const auto threads = args.intValue("threads", 0); threads > 0)
        core::setComputeThreads(static_cast<int>(threads));
    if (args.has("shape") == !args.positionals().empty())
        throw UsageError("give a MODEL folder or --shape NAME");
    core::LoadedModel loaded = args.has("shape") ? core::makeShapeModel(*args.value("shape"))
                                                 : loadModelFromArgs(args, false);
    if (const auto out = args.value("save")) {
        // The shape's random weights as a model folder, for running other programs on the same
        // model.
        if (!args.has("shape"))
            throw UsageError("--save writes a --shape model");
        core::SaveOptions save;
        save.tokenizerSource = args.valueOr("tokenizer", "");
        core::saveModel(*loaded.model, *out, save, core::nullJobContext());
        std::cout << "wrote " << *out << "\n";
        return 0;
    }
    core::BenchOptions options;
    options.promptTokens = args.intValue("prompt", 512);
    options.generateTokens = args.intValue("gen", 64);
    options.repeats = static_cast<int>(args.intValue("repeats", 3));
    // Decode from an empty cache and after the prompt, llama-bench's tg and tg @ depth.
    options.decodeDepths = {0, options.promptTokens};
    if (const auto depths = args.value("depths")) {
        options.decodeDepths.clear();
        for (const int depth : parseIndexList(*depths, "--depths"))
            options.decodeDepths.push_back(depth);
    }
    const std::string name = args.has("shape") ? *args.value("shape") : loaded.folder.string();
    const auto r = core::runBench(*loaded.model, name, options, core::nullJobContext());

    if (args.flag("json")) {
        printJson(core::toJson(r));
        return 0;
    }
    std::cout << "model     " << r.model << " (" << r.threads << " threads)\n"
              << "sgemm     " << fixed(r.sgemm.gflops, 1) << " GFLOP/s (" << r.sgemm.size
              << "³ float32)\n"
              << "prefill   " << r.promptTokens << " tokens in " << fixed(r.prefillSeconds * 1e3, 1)
              << " ms: " << fixed(r.prefillTokensPerSecond, 1) << " tokens/s, "
              << fixed(r.prefillGflops, 1) << " GFLOP/s = " << fixed(100 * r.prefillToSgemm(), 1)
              << " % of sgemm\n"
              << "decode    " << r.generateTokens
              << " tokens: " << fixed(r.decodeTokensPerSecond, 1) << " tokens/s, "
              << fixed(r.decodeGflops, 1) << " GFLOP/s\n";
    for (const auto& d : r.decodeDepths)
        std::cout << "decode@" << d.depth
                  << (d.depth < 10    ? "  "
                      : d.depth < 100 ? " "
                                      : "")
                  << " " << fixed(d.tokensPerSecond, 1) << " tokens/s (best of " << options.repeats
                  << ")\n";
    return 0;
}

} // namespace anatomist::cli
