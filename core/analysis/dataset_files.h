#pragma once
// Dataset and pair files, parsed without torch (the fuzz targets build them alone): text corpora
// (plain text split on blank lines, or JSONL with a "text" field) and contrastive prompt pairs
// (JSONL or CSV with a, b and optional category, attribute_a, attribute_b).

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anatomist::core {

struct PromptPair {
    std::string a, b;
    std::string category;    // "" when the file has none
    std::string attribute_a; // the slot's filling in a ("he"), optional
    std::string attribute_b;
};

// *.jsonl / *.ndjson: one JSON object per line with a string "text" (blank lines skipped);
// anything else: plain text split on blank lines (splitDocuments). IoError / FormatError naming
// the file and line.
std::vector<std::string> readTextDataset(const std::filesystem::path& file);
// Every non-blank line as a JSON object with its 1-based line number; FormatError naming the file
// and line when one is not a JSON object.
std::vector<std::pair<std::size_t, nlohmann::json>> parseJsonlObjects(std::string_view content,
                                                                      const std::string& source);
std::vector<std::string> parseJsonlTexts(std::string_view content, const std::string& source);

// *.csv: a header row naming the columns (a, b required; category, attribute_a, attribute_b
// optional, any order), RFC 4180 quoting; anything else: JSONL. FormatError naming file and line.
std::vector<PromptPair> readPromptPairs(const std::filesystem::path& file);
std::vector<PromptPair> parsePromptPairsJsonl(std::string_view content, const std::string& source);
std::vector<PromptPair> parsePromptPairsCsv(std::string_view content, const std::string& source);

} // namespace anatomist::core
