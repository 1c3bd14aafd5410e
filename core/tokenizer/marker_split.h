#pragma once
// SentencePiece-style text ("▁the▁cat", spaces already turned into U+2581) reaches BPE as one
// long word. A merge can only join "...X" and "▁..." if some vocabulary piece contains "X▁", so
// the word can be cut before every ▁ whose preceding character X appears in no such piece (and
// that does not follow another ▁): the segments merge independently, exactly as the whole would,
// and each is short enough to be cached. Used by the tokenizer.json BPE model and by
// tokenizer.model's BPE.

#include <string_view>
#include <unordered_set>

namespace anatomist::core {

class MarkerSplitter {
public:
    static constexpr std::string_view kMarker = "\xE2\x96\x81"; // U+2581

    // Records the characters that precede ▁ inside `piece`, a string some merge can produce.
    void addPiece(std::string_view piece);
    // The end of the segment of `word` that starts at byte `start` (< word.size()).
    std::size_t segmentEnd(std::string_view word, std::size_t start) const;

private:
    std::unordered_set<char32_t> m_glued; // the X of pieces containing "X▁"
};

} // namespace anatomist::core
