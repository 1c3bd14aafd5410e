#include "hf_split.h"

#include <algorithm>

namespace anatomist::core {

HfMatcher::HfMatcher(const HfPattern& pattern) {
    if (pattern.regex)
        m_regex = std::make_shared<HfRegex>(pattern.text);
    else
        m_literal = pattern.text;
}

std::vector<HfRange> HfMatcher::find(std::string_view text) const {
    if (m_regex)
        return m_regex->findAll(text);
    std::vector<HfRange> matches;
    if (m_literal.empty())
        return matches;
    for (std::size_t pos = text.find(m_literal); pos != std::string_view::npos;
         pos = text.find(m_literal, pos + m_literal.size()))
        matches.emplace_back(pos, pos + m_literal.size());
    return matches;
}

std::string HfMatcher::replaceAll(std::string_view text, std::string_view content) const {
    std::string out;
    std::size_t last = 0;
    for (const auto& [b, e] : find(text)) {
        out.append(text.substr(last, b - last));
        out.append(content);
        last = e;
    }
    out.append(text.substr(last));
    return out;
}

HfSplitBehavior hfSplitBehavior(const std::string& name, const std::string& where) {
    if (name == "Removed")
        return HfSplitBehavior::Removed;
    if (name == "Isolated")
        return HfSplitBehavior::Isolated;
    if (name == "MergedWithPrevious")
        return HfSplitBehavior::MergedWithPrevious;
    if (name == "MergedWithNext")
        return HfSplitBehavior::MergedWithNext;
    if (name == "Contiguous")
        return HfSplitBehavior::Contiguous;
    hfUnsupported(where, name);
}

namespace {

struct Segment {
    HfRange range;
    bool match;
};

// ref: pattern.rs find_matches: the text as alternating non-match / match segments.
std::vector<Segment> segments(std::string_view text, const std::vector<HfRange>& matches,
                              bool invert) {
    std::vector<Segment> out;
    if (text.empty())
        return {{{0, 0}, invert}};
    std::size_t prev = 0;
    for (const auto& [b, e] : matches) {
        if (prev != b)
            out.push_back({{prev, b}, invert});
        out.push_back({{b, e}, !invert});
        prev = e;
    }
    if (prev != text.size())
        out.push_back({{prev, text.size()}, invert});
    return out;
}

} // namespace

std::vector<HfRange> hfSplit(std::string_view text, const std::vector<HfRange>& matches,
                             HfSplitBehavior behavior, bool invert) {
    const auto parts = segments(text, matches, invert);
    std::vector<Segment> kept;
    bool previousMatch = false;
    switch (behavior) {
    case HfSplitBehavior::Isolated:
        kept = parts;
        break;
    case HfSplitBehavior::Removed:
        for (const auto& s : parts)
            if (!s.match)
                kept.push_back(s);
        break;
    case HfSplitBehavior::MergedWithPrevious:
        for (const auto& s : parts) {
            if (s.match && !previousMatch && !kept.empty())
                kept.back().range.second = s.range.second;
            else
                kept.push_back(s);
            previousMatch = s.match;
        }
        break;
    case HfSplitBehavior::MergedWithNext:
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
            if (it->match && !previousMatch && !kept.empty())
                kept.back().range.first = it->range.first;
            else
                kept.push_back(*it);
            previousMatch = it->match;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    case HfSplitBehavior::Contiguous:
        for (const auto& s : parts) {
            if (s.match == previousMatch && !kept.empty())
                kept.back().range.second = s.range.second;
            else
                kept.push_back(s);
            previousMatch = s.match;
        }
        break;
    }
    std::vector<HfRange> out;
    for (const auto& s : kept)
        if (s.range.second > s.range.first)
            out.push_back(s.range);
    return out;
}

} // namespace anatomist::core
