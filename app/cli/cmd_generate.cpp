#include "analysis/adaptive_bypass.h"
#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/generate.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

int runGenerate(const std::vector<std::string>& arguments) {
    const Args args(
        arguments,
        withOptions({"prompt", "max-new-tokens", "temperature", "seed", "top-k", "adaptive-bypass"},
                    kModelOptions),
        {"greedy", "json", "ignore-eos"});
    args.expectPositionals(1, 1);
    if (args.flag("greedy") && args.has("temperature"))
        throw UsageError("--greedy and --temperature exclude each other");

    auto loaded = loadModelFromArgs(args, true);
    const auto& tokenizer = *loaded.tokenizer;
    core::GenerateOptions options;
    options.maxNewTokens = args.intValue("max-new-tokens", 64);
    if (options.maxNewTokens < 0)
        throw UsageError("--max-new-tokens must not be negative");
    options.greedy = !args.has("temperature");
    options.temperature = args.doubleValue("temperature", 1.0);
    options.seed = static_cast<uint64_t>(args.intValue("seed", 0));
    options.topK = args.intValue("top-k", 0);
    if (!args.flag("ignore-eos"))
        options.stopIds = core::defaultStopIds(tokenizer, loaded.config.eos_token_ids);

    const std::string prompt = args.required("prompt");
    const auto promptIds = tokenizer.encodeIds(prompt, true);
    nlohmann::json adaptive = nullptr;
    if (auto file = args.value("adaptive-bypass")) {
        nlohmann::json document;
        try {
            document = nlohmann::json::parse(core::readTextFile(*file));
        } catch (const nlohmann::json::exception& e) {
            throw core::FormatError(*file + ": not valid JSON (" + e.what() + ")");
        }
        const auto config = core::adaptiveBypassFromJson(document, *file);
        if (config.layers != loaded.model->numLayers())
            throw core::InvalidArgument(*file + ": calibrated for " +
                                        std::to_string(config.layers) + " layers, the model has " +
                                        std::to_string(loaded.model->numLayers()));
        const auto score = core::promptComplexity(*loaded.model, promptIds, config.weights).score;
        options.bypassAttention = core::chooseBypass(config, score);
        std::vector<int> bypassed;
        for (std::size_t l = 0; l < options.bypassAttention.size(); ++l)
            if (options.bypassAttention[l])
                bypassed.push_back(static_cast<int>(l));
        adaptive = {{"score", score}, {"bypassed", bypassed}};
        if (!args.flag("json")) {
            std::cerr << "adaptive bypass: complexity " << fixed(score, 4)
                      << ", bypassed attention layers:";
            for (int l : bypassed)
                std::cerr << ' ' << l;
            std::cerr << (bypassed.empty() ? " none\n" : "\n");
        }
    }
    const bool json = args.flag("json");
    std::vector<core::TokenId> shown;
    std::string printed;
    if (!json)
        std::cout << prompt << std::flush;
    // Streams text as it comes: decoding the whole continuation each time keeps multi-byte
    // characters and SentencePiece's leading spaces right.
    const auto result = core::generate(
        *loaded.model, promptIds, options, core::nullJobContext(), [&](core::TokenId id) {
            if (json)
                return;
            shown.push_back(id);
            const std::string text = tokenizer.decode(shown, true);
            if (text.size() > printed.size() && text.rfind(printed, 0) == 0) {
                std::cout << text.substr(printed.size()) << std::flush;
                printed = text;
            }
        });
    const std::string continuation = tokenizer.decode(result.newIds, true);
    if (json) {
        printJson(
            {{"prompt", prompt},
             {"prompt_ids", promptIds},
             {"ids", result.newIds},
             {"text", continuation},
             {"stopped_at_eos", result.stoppedAtStopId},
             {"prefill_seconds", result.prefillSeconds},
             {"decode_seconds", result.decodeSeconds},
             {"decode_tokens_per_second",
              result.decodeSeconds > 0 ? double(result.newIds.size()) / result.decodeSeconds : 0.0},
             {"adaptive_bypass", adaptive}});
    } else {
        if (continuation.size() > printed.size() && continuation.rfind(printed, 0) == 0)
            std::cout << continuation.substr(printed.size());
        std::cout << "\n";
    }
    return 0;
}

} // namespace anatomist::cli
