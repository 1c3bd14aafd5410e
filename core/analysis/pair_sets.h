#pragma once
// The project's default contrastive pair sets, one per bias category (resources/pairs/*.jsonl,
// written for Anatomist and compiled into the program so that the CLI and the window find them
// without an installed data folder). A pair set is named either by one of these names or by the
// path of a JSONL/CSV pair file (datasets.h's readers).

#include "analysis/datasets.h"

#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

// "gender", "race", "religion", "age", "nationality", in that order.
const std::vector<std::string>& defaultPairSetNames();
// The JSONL text of a default set; empty for an unknown name.
std::string_view defaultPairSetText(std::string_view name);

// A default set's name, or else a path. InvalidArgument when it is neither a known name nor an
// existing file (the message lists the names); FormatError from the readers naming the source
// ("pairs:gender" for a built-in set, else the file) and the line; FormatError for an empty set.
std::vector<PromptPair> loadPairSet(const std::string& nameOrPath);

} // namespace anatomist::core
