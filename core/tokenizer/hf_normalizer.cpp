#include "hf_normalizer.h"

#include "hf_split.h"
#include "hf_unicode.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <vector>

namespace anatomist::core {

namespace {

class UnicodeNormalizer final : public HfNormalizer {
public:
    explicit UnicodeNormalizer(NormalForm form)
        : m_form(form) {}
    void apply(std::string& text) const override { text = normalizeUnicode(text, m_form); }

private:
    NormalForm m_form;
};

class LowercaseNormalizer final : public HfNormalizer {
public:
    void apply(std::string& text) const override {
        auto s = icu::UnicodeString::fromUTF8(
            icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
        text.clear();
        s.toLower(icu::Locale::getRoot()).toUTF8String(text);
    }
};

class ReplaceNormalizer final : public HfNormalizer {
public:
    ReplaceNormalizer(const HfPattern& pattern, std::string content)
        : m_matcher(pattern)
        , m_content(std::move(content)) {}
    void apply(std::string& text) const override { text = m_matcher.replaceAll(text, m_content); }

private:
    HfMatcher m_matcher;
    std::string m_content;
};

class PrependNormalizer final : public HfNormalizer {
public:
    explicit PrependNormalizer(std::string prefix)
        : m_prefix(std::move(prefix)) {}
    void apply(std::string& text) const override {
        // ref: normalizers/prepend.rs: an empty string stays empty.
        if (!text.empty())
            text.insert(0, m_prefix);
    }

private:
    std::string m_prefix;
};

class StripNormalizer final : public HfNormalizer {
public:
    StripNormalizer(bool left, bool right)
        : m_left(left)
        , m_right(right) {}
    void apply(std::string& text) const override {
        std::size_t begin = 0, end = text.size();
        if (m_left) {
            for (std::size_t pos = 0; pos < text.size();) {
                const std::size_t at = pos;
                if (!isUnicodeWhitespace(utf8Next(text, pos))) {
                    begin = at;
                    break;
                }
                begin = pos;
            }
        }
        if (m_right) {
            std::size_t lastNonSpace = begin;
            for (std::size_t pos = begin; pos < text.size();)
                if (!isUnicodeWhitespace(utf8Next(text, pos)))
                    lastNonSpace = pos;
            end = lastNonSpace;
        }
        text = text.substr(begin, end - begin);
    }

private:
    bool m_left, m_right;
};

class SequenceNormalizer final : public HfNormalizer {
public:
    explicit SequenceNormalizer(std::vector<std::unique_ptr<HfNormalizer>> parts)
        : m_parts(std::move(parts)) {}
    void apply(std::string& text) const override {
        for (const auto& part : m_parts)
            part->apply(text);
    }

private:
    std::vector<std::unique_ptr<HfNormalizer>> m_parts;
};

} // namespace

std::unique_ptr<HfNormalizer> parseHfNormalizer(const Json& json, const std::string& where) {
    if (json.is_null())
        return nullptr;
    const std::string type = hfType(json, where);
    if (type == "NFC")
        return std::make_unique<UnicodeNormalizer>(NormalForm::NFC);
    if (type == "NFD")
        return std::make_unique<UnicodeNormalizer>(NormalForm::NFD);
    if (type == "NFKC")
        return std::make_unique<UnicodeNormalizer>(NormalForm::NFKC);
    if (type == "NFKD")
        return std::make_unique<UnicodeNormalizer>(NormalForm::NFKD);
    if (type == "Lowercase")
        return std::make_unique<LowercaseNormalizer>();
    if (type == "Replace")
        return std::make_unique<ReplaceNormalizer>(hfPattern(json, where),
                                                   hfString(json, "content", where));
    if (type == "Prepend")
        return std::make_unique<PrependNormalizer>(hfString(json, "prepend", where));
    if (type == "Strip")
        return std::make_unique<StripNormalizer>(hfBool(json, "strip_left", true, where),
                                                 hfBool(json, "strip_right", true, where));
    if (type == "Sequence")
        return std::make_unique<SequenceNormalizer>(
            hfParseList(json, "normalizers", where, parseHfNormalizer));
    hfUnsupported(hfPath(where, "type"), type);
}

} // namespace anatomist::core
