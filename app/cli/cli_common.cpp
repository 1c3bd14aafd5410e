#include "cli_common.h"

#include "analysis/datasets.h"
#include "errors.h"
#include "eval/perplexity.h"
#include "job.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace anatomist::cli {

core::LoadedModel loadModelFromArgs(const Args& args, bool needTokenizer) {
    core::LoadOptions options;
    options.dtype = core::parseDtype(args.valueOr("dtype", "f32"));
    options.loadTokenizer = true;
    auto loaded = core::loadModel(args.positional(0, "MODEL (folder or .gguf file)"), options,
                                  core::nullJobContext());
    if (needTokenizer && !loaded.tokenizer)
        throw core::TokenizerError(loaded.folder.string() +
                                   ": has no tokenizer (tokenizer.json or tokenizer.model)");
    return loaded;
}

std::vector<std::vector<core::TokenId>> readCorpusIds(const core::Tokenizer& tokenizer,
                                                      const std::string& file) {
    const auto docs = core::readTextDataset(file);
    if (docs.empty())
        throw core::InvalidArgument(file + ": contains no documents");
    return core::tokenizeDocuments(tokenizer, docs);
}

void printJson(const nlohmann::json& document) {
    std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string fixed(double value, int decimals) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(decimals);
    out << value;
    return out.str();
}

std::string humanCount(int64_t value) {
    const double v = double(value);
    if (v >= 1e9)
        return fixed(v / 1e9, 2) + " B";
    if (v >= 1e6)
        return fixed(v / 1e6, 2) + " M";
    if (v >= 1e3)
        return fixed(v / 1e3, 1) + " K";
    return std::to_string(value);
}

std::string humanBytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    return fixed(bytes, unit == 0 ? 0 : 1) + " " + units[unit];
}

std::set<std::string> withOptions(std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
}

std::vector<std::string> splitCommaList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            out.push_back(item);
    return out;
}

} // namespace anatomist::cli
