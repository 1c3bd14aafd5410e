#include "cli_common.h"
#include "commands.h"

#include "eval/bench.h"
#include "job.h"
#include "model/causal_lm.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace anatomist::cli {

int runBench(const std::vector<std::string>& arguments) {
    const Args args(arguments, withOptions({"shape", "prompt", "gen", "repeats"}, kModelOptions),
                    {"json"});
    args.expectPositionals(0, 1);
    if (args.has("shape") == !args.positionals().empty())
        throw UsageError("give a MODEL folder or --shape NAME");
    core::LoadedModel loaded = args.has("shape") ? core::makeShapeModel(*args.value("shape"))
                                                 : loadModelFromArgs(args, false);
    core::BenchOptions options;
    options.promptTokens = args.intValue("prompt", 512);
    options.generateTokens = args.intValue("gen", 64);
    options.repeats = static_cast<int>(args.intValue("repeats", 3));
    const std::string name = args.has("shape") ? *args.value("shape") : loaded.folder.string();
    const auto r = core::runBench(*loaded.model, name, options, core::nullJobContext());

    if (args.flag("json")) {
        printJson(core::toJson(r));
        return 0;
    }
    std::cout << "model     " << r.model << " (" << r.threads << " threads)\n"
              << "sgemm     " << fixed(r.sgemm.gflops, 1) << " GFLOP/s (" << r.sgemm.size << "³ float32)\n"
              << "prefill   " << r.promptTokens << " tokens in " << fixed(r.prefillSeconds * 1e3, 1) << " ms: "
              << fixed(r.prefillTokensPerSecond, 1) << " tokens/s, " << fixed(r.prefillGflops, 1)
              << " GFLOP/s = " << fixed(100 * r.prefillToSgemm(), 1) << " % of sgemm\n"
              << "decode    " << r.generateTokens << " tokens: " << fixed(r.decodeTokensPerSecond, 1)
              << " tokens/s, " << fixed(r.decodeGflops, 1) << " GFLOP/s\n";
    return 0;
}

} // namespace anatomist::cli
