#include "analysis/pair_sets.h"

#include "analysis/pair_sets_data.h"
#include "errors.h"

#include <filesystem>

namespace anatomist::core {

const std::vector<std::string>& defaultPairSetNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& set : embeddedPairSets())
            out.emplace_back(set.name);
        return out;
    }();
    return names;
}

std::string_view defaultPairSetText(std::string_view name) {
    for (const auto& set : embeddedPairSets())
        if (set.name == name)
            return set.jsonl;
    return {};
}

std::vector<PromptPair> loadPairSet(const std::string& nameOrPath) {
    if (const auto text = defaultPairSetText(nameOrPath); !text.empty())
        return parsePromptPairsJsonl(text, "pairs:" + nameOrPath);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(nameOrPath, ec)) {
        std::string names;
        for (const auto& n : defaultPairSetNames())
            names += (names.empty() ? "" : ", ") + n;
        throw InvalidArgument("pair set '" + nameOrPath + "': not a built-in set (" + names +
                              ") and no such file");
    }
    return readPromptPairs(nameOrPath);
}

} // namespace anatomist::core
