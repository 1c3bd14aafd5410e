#include "hf_decoder.h"

#include "hf_byte_level.h"
#include "hf_split.h"
#include "hf_unicode.h"
#include "tokenizer.h"

namespace anatomist::core {

namespace {

// ref: byte_level.rs decode_chain: a token with a character outside the alphabet keeps its own
// bytes; the joined bytes are read as UTF-8 lossily.
class ByteLevelDecoder final : public HfDecoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::string bytes;
        for (const auto& token : tokens) {
            const std::size_t mark = bytes.size();
            bool mapped = true;
            for (std::size_t pos = 0; pos < token.size() && mapped;) {
                const int b = byteLevelByte(utf8Next(token, pos));
                mapped = b >= 0;
                if (mapped)
                    bytes += char(b);
            }
            if (!mapped) {
                bytes.resize(mark);
                bytes += token;
            }
        }
        tokens.assign(1, toValidUtf8(bytes));
    }
};

class ReplaceDecoder final : public HfDecoder {
public:
    ReplaceDecoder(const HfPattern& pattern, std::string content)
        : m_matcher(pattern)
        , m_content(std::move(content)) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (auto& token : tokens)
            token = m_matcher.replaceAll(token, m_content);
    }

private:
    HfMatcher m_matcher;
    std::string m_content;
};

// ref: byte_fallback.rs: runs of <0xAB> tokens become their bytes when those form valid UTF-8,
// else one U+FFFD per byte.
class ByteFallbackDecoder final : public HfDecoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::vector<std::string> out;
        std::string pending;
        auto flush = [&] {
            if (pending.empty())
                return;
            if (isValidUtf8(pending))
                out.push_back(pending);
            else
                for (std::size_t i = 0; i < pending.size(); ++i)
                    out.emplace_back("\xEF\xBF\xBD");
            pending.clear();
        };
        for (auto& token : tokens) {
            const int byte = byteTokenValue(token);
            if (byte >= 0) {
                pending += char(byte);
            } else {
                flush();
                out.push_back(std::move(token));
            }
        }
        flush();
        tokens = std::move(out);
    }
};

class FuseDecoder final : public HfDecoder {
public:
    void decodeChain(std::vector<std::string>& tokens) const override {
        std::string joined;
        for (const auto& token : tokens)
            joined += token;
        tokens.assign(1, joined);
    }
};

// ref: strip.rs: per token, up to `start` leading and `stop` trailing copies of one character.
class StripDecoder final : public HfDecoder {
public:
    StripDecoder(char32_t content, std::size_t start, std::size_t stop)
        : m_content(content)
        , m_start(start)
        , m_stop(stop) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (auto& token : tokens) {
            std::vector<std::size_t> bounds; // byte offset of each character, then the end
            for (std::size_t pos = 0; pos < token.size(); utf8Next(token, pos))
                bounds.push_back(pos);
            bounds.push_back(token.size());
            const std::size_t count = bounds.size() - 1;
            auto charAt = [&](std::size_t i) {
                std::size_t pos = bounds[i];
                return utf8Next(token, pos);
            };
            std::size_t first = 0, last = count;
            while (first < std::min(m_start, count) && charAt(first) == m_content)
                ++first;
            for (std::size_t i = 0; i < m_stop && last > 0 && charAt(last - 1) == m_content; ++i)
                --last;
            token = last > first ? token.substr(bounds[first], bounds[last] - bounds[first]) : "";
        }
    }

private:
    char32_t m_content;
    std::size_t m_start, m_stop;
};

// ref: metaspace.rs decode_chain: the marker becomes a space, except at the very start of the
// first token unless the prepend scheme is "never".
class MetaspaceDecoder final : public HfDecoder {
public:
    MetaspaceDecoder(std::string replacement, bool dropFirst)
        : m_replacement(std::move(replacement))
        , m_dropFirst(dropFirst) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            std::string out;
            const std::string& token = tokens[i];
            for (std::size_t pos = 0; pos < token.size();) {
                if (token.compare(pos, m_replacement.size(), m_replacement) == 0 &&
                    !m_replacement.empty()) {
                    if (!(i == 0 && m_dropFirst))
                        out += ' ';
                    pos += m_replacement.size();
                } else {
                    out += token[pos++];
                }
            }
            tokens[i] = std::move(out);
        }
    }

private:
    std::string m_replacement;
    bool m_dropFirst;
};

class SequenceDecoder final : public HfDecoder {
public:
    explicit SequenceDecoder(std::vector<std::unique_ptr<HfDecoder>> parts)
        : m_parts(std::move(parts)) {}
    void decodeChain(std::vector<std::string>& tokens) const override {
        for (const auto& part : m_parts)
            part->decodeChain(tokens);
    }

private:
    std::vector<std::unique_ptr<HfDecoder>> m_parts;
};

std::unique_ptr<HfDecoder> parseStrip(const Json& json, const std::string& where) {
    const std::string content = hfString(json, "content", where);
    std::size_t pos = 0;
    const char32_t c = content.empty() ? 0 : utf8Next(content, pos);
    if (content.empty() || pos != content.size())
        hfFail(hfPath(where, "content"), "expected one character");
    const auto start = hfInt(json, "start", where), stop = hfInt(json, "stop", where);
    if (start < 0 || stop < 0)
        hfFail(where, "start and stop must not be negative");
    return std::make_unique<StripDecoder>(c, std::size_t(start), std::size_t(stop));
}

std::unique_ptr<HfDecoder> parseMetaspaceDecoder(const Json& json, const std::string& where) {
    bool dropFirst = hfBool(json, "add_prefix_space", true, where);
    if (const auto scheme = hfOptString(json, "prepend_scheme", where))
        dropFirst = *scheme != "never";
    return std::make_unique<MetaspaceDecoder>(hfString(json, "replacement", where), dropFirst);
}

} // namespace

std::unique_ptr<HfDecoder> parseHfDecoder(const Json& json, const std::string& where) {
    if (json.is_null())
        return nullptr;
    const std::string type = hfType(json, where);
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelDecoder>();
    if (type == "Replace")
        return std::make_unique<ReplaceDecoder>(hfPattern(json, where),
                                                hfString(json, "content", where));
    if (type == "ByteFallback")
        return std::make_unique<ByteFallbackDecoder>();
    if (type == "Fuse")
        return std::make_unique<FuseDecoder>();
    if (type == "Strip")
        return parseStrip(json, where);
    if (type == "Metaspace")
        return parseMetaspaceDecoder(json, where);
    if (type == "Sequence")
        return std::make_unique<SequenceDecoder>(
            hfParseList(json, "decoders", where, parseHfDecoder));
    hfUnsupported(hfPath(where, "type"), type);
}

} // namespace anatomist::core
