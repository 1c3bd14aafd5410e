#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

// Documents of a plain-text corpus: paragraphs separated by blank (whitespace-only) lines, each
// stripped of surrounding whitespace, empty ones dropped (the evaluation protocol of
// ../shared/README.md).
std::vector<std::string> splitDocuments(std::string_view text);

// Reads a whole UTF-8 text file; IoError naming the file when it cannot.
std::string readTextFile(const std::filesystem::path& path);

} // namespace anatomist::core
