#pragma once
// What several commands share: opening a model named on the command line, printing JSON, and
// human-readable numbers.

#include "args.h"
#include "model/model_loader.h"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace anatomist::cli {

// The options every model-loading command understands.
inline const std::set<std::string> kModelOptions = {"dtype"};

// Loads the folder given as the first positional; --dtype picks the compute dtype (default f32).
core::LoadedModel loadModelFromArgs(const Args& args, bool needTokenizer);

// A text dataset (plain text split on blank lines, or JSONL) as token ids with BOS;
// InvalidArgument when the file holds no document.
std::vector<std::vector<core::TokenId>> readCorpusIds(const core::Tokenizer& tokenizer,
                                                      const std::string& file);

void printJson(const nlohmann::json& document);

// "a,b,,c" → {"a", "b", "c"}.
std::vector<std::string> splitCommaList(const std::string& text);

std::string humanCount(int64_t value); // 1.23 M
std::string humanBytes(double bytes);  // 4.9 MiB
std::string fixed(double value, int decimals);

// Merges two option sets (command options plus kModelOptions).
std::set<std::string> withOptions(std::set<std::string> a, const std::set<std::string>& b);

} // namespace anatomist::cli
