#include "marker_split.h"

#include "hf_unicode.h"

namespace anatomist::core {

namespace {

char32_t codePointBefore(std::string_view text, std::size_t end) {
    std::size_t begin = end - 1;
    while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80)
        --begin;
    return utf8Next(text, begin);
}

} // namespace

void MarkerSplitter::addPiece(std::string_view piece) {
    for (auto pos = piece.find(kMarker, 1); pos != std::string_view::npos;
         pos = piece.find(kMarker, pos + 1))
        if (const char32_t before = codePointBefore(piece, pos); before != U'\u2581')
            m_glued.insert(before);
}

std::size_t MarkerSplitter::segmentEnd(std::string_view word, std::size_t start) const {
    for (auto pos = word.find(kMarker, start + 1); pos != std::string_view::npos;
         pos = word.find(kMarker, pos + 1)) {
        const char32_t before = codePointBefore(word, pos);
        if (before != U'\u2581' && !m_glued.contains(before))
            return pos;
    }
    return word.size();
}

} // namespace anatomist::core
