#include "hf_pre_tokenizer.h"

#include "hf_byte_level.h"
#include "hf_split.h"

namespace anatomist::core {

void HfPreTokenizer::apply(std::vector<HfPiece>& pieces) const {
    std::vector<HfPiece> out;
    out.reserve(pieces.size() * 2);
    for (const auto& piece : pieces)
        splitPiece(piece, out);
    pieces = std::move(out);
}

namespace {

// Appends the ranges of `piece` as new pieces; only the first can start the input.
void appendRanges(const HfPiece& piece, std::string_view text, const std::vector<HfRange>& ranges,
                  std::vector<HfPiece>& out) {
    for (const auto& [b, e] : ranges)
        out.push_back({std::string(text.substr(b, e - b)), piece.atStart && b == 0});
}

class SplitPreTokenizer final : public HfPreTokenizer {
public:
    SplitPreTokenizer(const HfPattern& pattern, HfSplitBehavior behavior, bool invert)
        : m_matcher(pattern)
        , m_behavior(behavior)
        , m_invert(invert) {}

protected:
    void splitPiece(const HfPiece& piece, std::vector<HfPiece>& out) const override {
        appendRanges(piece, piece.text,
                     hfSplit(piece.text, m_matcher.find(piece.text), m_behavior, m_invert), out);
    }

private:
    HfMatcher m_matcher;
    HfSplitBehavior m_behavior;
    bool m_invert;
};

// ref: byte_level.rs RE, the GPT-2 split pattern.
constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPreTokenizer final : public HfPreTokenizer {
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
        : m_addPrefixSpace(addPrefixSpace)
        , m_regex(useRegex ? std::make_unique<HfMatcher>(HfPattern{kGpt2Pattern, true}) : nullptr) {
    }

protected:
    void splitPiece(const HfPiece& piece, std::vector<HfPiece>& out) const override {
        std::string text = piece.text;
        if (m_addPrefixSpace && (text.empty() || text.front() != ' '))
            text.insert(0, " ");
        const std::size_t first = out.size();
        if (m_regex)
            appendRanges(piece, text,
                         hfSplit(text, m_regex->find(text), HfSplitBehavior::Isolated, false), out);
        else if (!text.empty())
            out.push_back({text, piece.atStart});
        for (std::size_t i = first; i < out.size(); ++i)
            out[i].text = byteLevelEncode(out[i].text);
    }

private:
    bool m_addPrefixSpace;
    std::unique_ptr<HfMatcher> m_regex;
};

enum class PrependScheme { Always, First, Never };

class MetaspacePreTokenizer final : public HfPreTokenizer {
public:
    MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
        : m_replacement(std::move(replacement))
        , m_scheme(scheme)
        , m_split(split)
        , m_space(HfPattern{" ", false})
        , m_marker(HfPattern{m_replacement, false}) {}

protected:
    void splitPiece(const HfPiece& piece, std::vector<HfPiece>& out) const override {
        std::string text = m_space.replaceAll(piece.text, m_replacement);
        const bool startsWithMarker = text.starts_with(m_replacement);
        if (!startsWithMarker && (m_scheme == PrependScheme::Always ||
                                  (m_scheme == PrependScheme::First && piece.atStart)))
            text.insert(0, m_replacement);
        if (m_split)
            appendRanges(piece, text,
                         hfSplit(text, m_marker.find(text), HfSplitBehavior::MergedWithNext, false),
                         out);
        else if (!text.empty())
            out.push_back({text, piece.atStart});
    }

private:
    std::string m_replacement;
    PrependScheme m_scheme;
    bool m_split;
    HfMatcher m_space, m_marker;
};

class SequencePreTokenizer final : public HfPreTokenizer {
public:
    explicit SequencePreTokenizer(std::vector<std::unique_ptr<HfPreTokenizer>> parts)
        : m_parts(std::move(parts)) {}
    void apply(std::vector<HfPiece>& pieces) const override {
        for (const auto& part : m_parts)
            part->apply(pieces);
    }

protected:
    void splitPiece(const HfPiece& piece, std::vector<HfPiece>& out) const override {
        std::vector<HfPiece> pieces{piece};
        apply(pieces);
        out.insert(out.end(), pieces.begin(), pieces.end());
    }

private:
    std::vector<std::unique_ptr<HfPreTokenizer>> m_parts;
};

std::unique_ptr<HfPreTokenizer> regexSplit(const char* pattern, HfSplitBehavior behavior,
                                           bool invert) {
    return std::make_unique<SplitPreTokenizer>(HfPattern{pattern, true}, behavior, invert);
}

std::unique_ptr<HfPreTokenizer> parseMetaspace(const Json& json, const std::string& where) {
    const std::string replacement = hfString(json, "replacement", where);
    PrependScheme scheme = PrependScheme::Always;
    if (const auto name = hfOptString(json, "prepend_scheme", where)) {
        if (*name == "always")
            scheme = PrependScheme::Always;
        else if (*name == "first")
            scheme = PrependScheme::First;
        else if (*name == "never")
            scheme = PrependScheme::Never;
        else
            hfUnsupported(hfPath(where, "prepend_scheme"), *name);
    } else if (!hfBool(json, "add_prefix_space", true, where)) {
        scheme = PrependScheme::Never; // files older than prepend_scheme
    }
    return std::make_unique<MetaspacePreTokenizer>(replacement, scheme,
                                                   hfBool(json, "split", true, where));
}

} // namespace

std::unique_ptr<HfPreTokenizer> parseHfPreTokenizer(const Json& json, const std::string& where) {
    if (json.is_null())
        return nullptr;
    const std::string type = hfType(json, where);
    if (type == "Split")
        return std::make_unique<SplitPreTokenizer>(
            hfPattern(json, where), hfSplitBehavior(hfString(json, "behavior", where), where),
            hfBool(json, "invert", false, where));
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelPreTokenizer>(
            hfBool(json, "add_prefix_space", true, where), hfBool(json, "use_regex", true, where));
    if (type == "Metaspace")
        return parseMetaspace(json, where);
    if (type == "Digits") // ref: digits.rs splits on char::is_numeric
        return regexSplit(R"(\p{N})",
                          hfBool(json, "individual_digits", false, where)
                              ? HfSplitBehavior::Isolated
                              : HfSplitBehavior::Contiguous,
                          false);
    if (type == "Whitespace")
        return regexSplit(R"(\w+|[^\w\s]+)", HfSplitBehavior::Removed, true);
    if (type == "WhitespaceSplit")
        return regexSplit(R"(\s+)", HfSplitBehavior::Removed, false);
    if (type == "Sequence")
        return std::make_unique<SequencePreTokenizer>(
            hfParseList(json, "pretokenizers", where, parseHfPreTokenizer));
    hfUnsupported(hfPath(where, "type"), type);
}

} // namespace anatomist::core
