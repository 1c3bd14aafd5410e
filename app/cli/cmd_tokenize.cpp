#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "io/input_file.h"
#include "tokenize_bench.h"
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace anatomist::cli {

namespace {

std::string readTokenizeInput(const std::string& file) {
    auto in = core::openInputFile(file);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// "1,2,3" or "[1, 2, 3]".
std::vector<core::TokenId> parseDecodeIds(const std::string& text) {
    std::string list = text;
    for (char& c : list)
        if (c == '[' || c == ']' || c == ',')
            c = ' ';
    std::istringstream in(list);
    std::vector<core::TokenId> ids;
    std::string word;
    while (in >> word) {
        std::size_t used = 0;
        long long value = -1;
        try {
            value = std::stoll(word, &used);
        } catch (const std::exception&) {
        }
        if (used != word.size() || value < 0 || value > INT32_MAX)
            throw UsageError("--decode: '" + word + "' is not a token id");
        ids.push_back(core::TokenId(value));
    }
    return ids;
}

std::vector<std::string> readBatchStrings(const std::string& file) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(readTokenizeInput(file));
    } catch (const nlohmann::json::exception& e) {
        throw core::FormatError(file + ": not valid JSON (" + e.what() + ")");
    }
    if (!document.is_array())
        throw core::FormatError(file + ": expected a JSON array of strings");
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < document.size(); ++i) {
        if (!document[i].is_string())
            throw core::FormatError(file + ": element " + std::to_string(i) + " is not a string");
        texts.push_back(document[i].get<std::string>());
    }
    return texts;
}

int encodeBatch(const core::Tokenizer& tokenizer, const std::string& file, bool special) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& text : readBatchStrings(file)) {
        nlohmann::json entry;
        entry["ids"] = tokenizer.encodeIds(text, false);
        if (special)
            entry["ids_with_special"] = tokenizer.encodeIds(text, true);
        out.push_back(std::move(entry));
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return 0;
}

void printEncoding(const core::Encoding& encoding, bool json) {
    if (json) {
        printJson(
            {{"count", encoding.ids.size()}, {"ids", encoding.ids}, {"tokens", encoding.tokens}});
        return;
    }
    for (std::size_t i = 0; i < encoding.ids.size(); ++i)
        std::cout << encoding.ids[i] << '\t'
                  << nlohmann::json(encoding.tokens[i])
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
    std::cout << encoding.ids.size() << " tokens\n";
}

} // namespace

int runTokenize(const std::vector<std::string>& arguments) {
    const Args args(arguments, {"text", "file", "decode", "batch", "chunk", "passes"},
                    {"special", "json", "bench", "skip-special"});
    args.expectPositionals(1, 1);
    const int modes = int(args.has("text")) + int(args.has("file")) + int(args.has("decode")) +
                      int(args.has("batch"));
    if (modes != 1)
        throw UsageError(
            "give exactly one of --text S, --file F, --decode IDS and --batch FILE.json");
    const auto tokenizer = core::loadTokenizer(args.positional(0, "MODEL_OR_TOKENIZER"));
    const bool special = args.flag("special");

    if (auto ids = args.value("decode")) {
        const std::string text = tokenizer->decode(parseDecodeIds(*ids), args.flag("skip-special"));
        if (args.flag("json"))
            printJson({{"text", text}});
        else
            std::cout << text << '\n';
        return 0;
    }
    if (auto batch = args.value("batch"))
        return encodeBatch(*tokenizer, *batch, special);
    const std::string text =
        args.has("text") ? *args.value("text") : readTokenizeInput(*args.value("file"));
    if (args.flag("bench")) {
        TokenizeBenchOptions options;
        const std::string chunk = args.valueOr("chunk", "whole");
        if (chunk != "whole" && chunk != "lines")
            throw UsageError("--chunk: expected 'whole' or 'lines', got '" + chunk + "'");
        options.chunking = chunk == "lines" ? BenchChunking::Lines : BenchChunking::Whole;
        options.minPasses = int(std::clamp<int64_t>(args.intValue("passes", 3), 1, 1000));
        options.special = special;
        options.json = args.flag("json");
        return runTokenizeBench(*tokenizer, text, options);
    }
    if (args.has("chunk") || args.has("passes"))
        throw UsageError("--chunk and --passes go with --bench");
    printEncoding(tokenizer->encode(text, special), args.flag("json"));
    return 0;
}

} // namespace anatomist::cli
