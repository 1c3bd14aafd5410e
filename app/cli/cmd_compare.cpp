// anatomist-cli compare: a base model and its variants side by side on the same text (issue 11).
#include "analysis/datasets.h"
#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "eval/compare.h"
#include "job.h"

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace anatomist::cli {

namespace {

void printTable(const core::CompareResult& r) {
    const auto& models = r.models;
    auto row = [&](const std::string& label, auto cell) {
        std::cout << std::left << std::setw(22) << label;
        for (std::size_t m = 0; m < models.size(); ++m)
            std::cout << std::right << std::setw(16) << cell(models[m]);
        std::cout << '\n';
    };
    for (std::size_t m = 0; m < models.size(); ++m) {
        std::cout << "[" << m + 1 << "] " << models[m].name;
        if (models[m].variant)
            std::cout << "  (variant: " << models[m].variant->planSummary << ")";
        std::cout << '\n';
    }
    std::cout << '\n' << std::left << std::setw(22) << "model";
    for (std::size_t index = 0; index < models.size(); ++index) {
        std::ostringstream label;
        label << '[' << index + 1 << ']';
        std::cout << std::right << std::setw(16) << label.str();
    }
    std::cout << '\n';
    row("layers", [](const core::CompareEntry& e) { return std::to_string(e.layers); });
    row("parameters", [](const core::CompareEntry& e) { return std::to_string(e.parameters); });
    row("memory float32",
        [](const core::CompareEntry& e) { return humanBytes(double(e.bytesFloat32)); });
    row("memory bfloat16",
        [](const core::CompareEntry& e) { return humanBytes(double(e.bytesBfloat16)); });
    row("perplexity",
        [](const core::CompareEntry& e) { return fixed(e.perplexity.perplexity, 4); });
    row("mean NLL", [](const core::CompareEntry& e) { return fixed(e.perplexity.nll, 6); });
    if (!models.empty() && models.front().speed) {
        row("prefill tokens/s",
            [](const core::CompareEntry& e) { return fixed(e.speed->prefillTokensPerSecond, 0); });
        row("decode tokens/s",
            [](const core::CompareEntry& e) { return fixed(e.speed->decodeTokensPerSecond, 1); });
        std::cout << "(medians of " << r.repeats << " runs after a warm-up; prompt "
                  << r.promptTokens << " tokens, decode " << r.generateTokens << " tokens)\n";
    }
    if (!r.alignedBlock.empty()) {
        std::cout << "block similarity by base layer (- : removed)\n";
        for (std::size_t l = 0; l < r.alignedBlock.size(); ++l) {
            std::cout << std::left << std::setw(22) << ("  layer " + std::to_string(l));
            for (const auto& value : r.alignedBlock[l])
                std::cout << std::right << std::setw(16)
                          << (value ? fixed(*value, 6) : std::string("-"));
            std::cout << '\n';
        }
    }
}

} // namespace

int runCompare(const std::vector<std::string>& arguments) {
    const Args args(
        arguments,
        withOptions({"text", "context", "batch-tokens", "prompt", "gen", "repeats"}, kModelOptions),
        {"bench", "json", "no-similarity"});
    if (args.positionals().size() < 2)
        throw UsageError("compare needs a base model and at least one variant folder");
    const auto text = args.required("text");
    const auto documents = core::readTextDataset(text);
    if (documents.empty())
        throw core::InvalidArgument(text + ": contains no documents");

    core::LoadOptions load;
    load.dtype = core::parseDtype(args.valueOr("dtype", "f32"));
    std::vector<core::LoadedModel> loaded;
    std::vector<core::CompareInput> inputs;
    for (const auto& folder : args.positionals()) {
        auto& model = loaded.emplace_back(core::loadModel(folder, load, core::nullJobContext()));
        if (!model.tokenizer)
            throw core::TokenizerError(folder +
                                       ": has no tokenizer (tokenizer.json or tokenizer.model)");
    }
    for (const auto& model : loaded)
        inputs.push_back({model.folder.string(), model.model.get(), model.tokenizer.get(),
                          core::readVariantManifest(model.folder)});

    core::CompareOptions options;
    options.perplexity.context = args.intValue("context", 0);
    options.perplexity.tokenBudget = args.intValue("batch-tokens", options.perplexity.tokenBudget);
    options.similarity = !args.flag("no-similarity");
    options.bench = args.flag("bench");
    options.promptTokens = args.intValue("prompt", options.promptTokens);
    options.generateTokens = args.intValue("gen", options.generateTokens);
    options.repeats = static_cast<int>(args.intValue("repeats", options.repeats));
    const auto result = core::compareModels(inputs, documents, options, core::nullJobContext());

    if (args.flag("json")) {
        auto out = core::toJson(result);
        out["text"] = text;
        printJson(out);
    } else {
        printTable(result);
    }
    return 0;
}

} // namespace anatomist::cli
