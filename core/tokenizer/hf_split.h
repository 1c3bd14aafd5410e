#pragma once
// Pattern matching and splitting shared by the Split / Metaspace / Digits pre-tokenizers and the
// Replace normalizer and decoder: `tokenizers`' Pattern::find_matches plus SplitDelimiterBehavior.

#include "hf_json.h"
#include "hf_regex.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anatomist::core {

using HfRange = std::pair<std::size_t, std::size_t>;

// A literal string or a regex, as tokenizer.json's {"String": ...} / {"Regex": ...}.
class HfMatcher {
public:
    explicit HfMatcher(const HfPattern& pattern);
    // Non-overlapping matches left to right.
    std::vector<HfRange> find(std::string_view text) const;
    // Every match replaced by `content`.
    std::string replaceAll(std::string_view text, std::string_view content) const;

private:
    std::string m_literal;
    std::shared_ptr<HfRegex> m_regex;
};

enum class HfSplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

HfSplitBehavior hfSplitBehavior(const std::string& name, const std::string& where);

// The non-empty pieces `text` splits into, given the matches (ref: normalizer.rs split()).
std::vector<HfRange> hfSplit(std::string_view text, const std::vector<HfRange>& matches,
                             HfSplitBehavior behavior, bool invert);

} // namespace anatomist::core
