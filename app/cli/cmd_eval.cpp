#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "eval/multiple_choice.h"
#include "eval/perplexity.h"
#include "io/input_file.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/causal_lm.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

namespace {

// A JSON array of arrays of token ids; each inner array is one document, scored as given.
std::vector<std::vector<core::TokenId>> readIdsFile(const std::string& file) {
    auto in = core::openInputFile(file);
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw core::FormatError(file + ": not valid JSON (" + e.what() + ")");
    }
    if (!document.is_array())
        throw core::FormatError(file + ": expected a JSON array of arrays of token ids");
    std::vector<std::vector<core::TokenId>> result;
    for (std::size_t d = 0; d < document.size(); ++d) {
        const auto& ids = document[d];
        if (!ids.is_array())
            throw core::FormatError(file + ": element " + std::to_string(d) +
                                    " is not an array of ids");
        auto& out = result.emplace_back();
        for (const auto& id : ids) {
            if (!id.is_number_integer())
                throw core::FormatError(file + ": element " + std::to_string(d) +
                                        " holds a value that is not an integer id");
            out.push_back(id.get<core::TokenId>());
        }
    }
    return result;
}

// --tasks FILE.jsonl: multiple-choice accuracy (lm-evaluation-harness's acc and acc_norm).
int runTaskEval(const Args& args) {
    const auto file = args.required("tasks");
    const auto items = core::readMultipleChoiceTasks(file);
    auto loaded = loadModelFromArgs(args, true);
    core::ScoringOptions options;
    options.context = args.intValue("context", 0);
    options.tokenBudget = args.intValue("batch-tokens", options.tokenBudget);
    const auto result = core::evaluateMultipleChoice(*loaded.model, *loaded.tokenizer, items,
                                                     options, core::nullJobContext());
    if (args.flag("json")) {
        auto out = core::toJson(result, args.flag("details"));
        out["model"] = loaded.folder.string();
        out["tasks"] = file;
        printJson(out);
    } else {
        std::cout << "items          " << result.items << "\n"
                  << "acc            " << fixed(result.acc, 4) << " ± "
                  << fixed(result.accStderr, 4) << "  (" << result.correct << " correct)\n"
                  << "acc_norm       " << fixed(result.accNorm, 4) << " ± "
                  << fixed(result.accNormStderr, 4) << "  (" << result.correctNorm << " correct)\n"
                  << "time           " << fixed(result.seconds, 2) << " s\n";
    }
    return 0;
}

} // namespace

int runEval(const std::vector<std::string>& arguments) {
    const Args args(arguments,
                    withOptions({"text", "ids", "tasks", "context", "batch-tokens"}, kModelOptions),
                    {"json", "details"});
    args.expectPositionals(1, 1);
    const int sources = int(args.has("text")) + int(args.has("ids")) + int(args.has("tasks"));
    if (sources != 1)
        throw UsageError("give exactly one of --text FILE, --ids FILE and --tasks FILE.jsonl");
    if (args.has("tasks"))
        return runTaskEval(args);

    auto loaded = loadModelFromArgs(args, args.has("text"));
    std::vector<std::vector<core::TokenId>> documents;
    if (auto text = args.value("text")) {
        const auto parts = core::splitDocuments(core::readTextFile(*text));
        if (parts.empty())
            throw core::InvalidArgument(*text + ": contains no documents (only blank lines)");
        documents = core::tokenizeDocuments(*loaded.tokenizer, parts);
    } else {
        documents = readIdsFile(*args.value("ids"));
    }

    core::PerplexityOptions options;
    options.context = args.intValue("context", 0);
    options.tokenBudget = args.intValue("batch-tokens", options.tokenBudget);
    const auto result =
        core::evaluatePerplexity(*loaded.model, documents, options, core::nullJobContext());

    if (args.flag("json")) {
        auto out = core::toJson(result);
        out["model"] = loaded.folder.string();
        out["source"] = args.value("text").value_or(args.valueOr("ids", ""));
        printJson(out);
    } else {
        std::cout << "documents      " << result.documents << "\n"
                  << "tokens scored  " << result.tokens_scored << "\n"
                  << "windows        " << result.windows << "\n"
                  << "mean NLL       " << fixed(result.nll, 6) << "\n"
                  << "perplexity     " << fixed(result.perplexity, 4) << "\n"
                  << "time           " << fixed(result.seconds, 2) << " s ("
                  << fixed(double(result.positions) / std::max(result.seconds, 1e-9), 0)
                  << " tokens/s)\n";
    }
    return 0;
}

} // namespace anatomist::cli
