#include "hf_post_processor.h"

#include <sstream>

namespace anatomist::core {

namespace {

struct TemplatePiece {
    bool sequence = false; // $A
    Encoding special;      // the ids and tokens a special piece stands for
};

class TemplateProcessor final : public HfPostProcessor {
public:
    explicit TemplateProcessor(std::vector<TemplatePiece> pieces)
        : m_pieces(std::move(pieces)) {}
    void process(Encoding& encoding) const override {
        Encoding out;
        for (const auto& piece : m_pieces) {
            const Encoding& from = piece.sequence ? encoding : piece.special;
            out.ids.insert(out.ids.end(), from.ids.begin(), from.ids.end());
            out.tokens.insert(out.tokens.end(), from.tokens.begin(), from.tokens.end());
        }
        encoding = std::move(out);
    }

private:
    std::vector<TemplatePiece> m_pieces;
};

class NoOpProcessor final : public HfPostProcessor {
public:
    void process(Encoding&) const override {}
};

class SequenceProcessor final : public HfPostProcessor {
public:
    explicit SequenceProcessor(std::vector<std::unique_ptr<HfPostProcessor>> parts)
        : m_parts(std::move(parts)) {}
    void process(Encoding& encoding) const override {
        for (const auto& part : m_parts)
            part->process(encoding);
    }

private:
    std::vector<std::unique_ptr<HfPostProcessor>> m_parts;
};

Encoding specialTokenEntry(const Json& specials, const std::string& name,
                           const std::string& where) {
    const std::string at = where + "['" + name + "']";
    const Json& entry = hfObject(hfMember(specials, name.c_str(), where), at);
    const Json& ids = hfArray(hfMember(entry, "ids", at), hfPath(at, "ids"));
    const Json& tokens = hfArray(hfMember(entry, "tokens", at), hfPath(at, "tokens"));
    if (ids.size() != tokens.size())
        hfFail(at, "'ids' and 'tokens' differ in length");
    Encoding e;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!ids[i].is_number_integer() || !tokens[i].is_string())
            hfFail(hfIndex(hfPath(at, "ids"), i), "expected integer ids and string tokens");
        e.ids.push_back(ids[i].get<TokenId>());
        e.tokens.push_back(tokens[i].get<std::string>());
    }
    return e;
}

// "single" as a list of {"SpecialToken": {...}} / {"Sequence": {...}} or as "[CLS] $A [SEP]".
std::unique_ptr<HfPostProcessor> parseTemplate(const Json& json, const std::string& where) {
    const std::string at = hfPath(where, "single");
    const Json& single = hfMember(json, "single", where);
    const Json& specials =
        hfObject(hfMember(json, "special_tokens", where), hfPath(where, "special_tokens"));
    std::vector<std::pair<bool, std::string>> items; // (isSequence, special token name)
    if (single.is_string()) {
        std::istringstream words(single.get<std::string>());
        for (std::string word; words >> word;) {
            const std::size_t colon = word.find(':', 1); // "$A:0", "[CLS]:1": drop the type id
            const std::string name = word.substr(0, colon);
            items.emplace_back(name.starts_with('$'), name);
        }
    } else {
        hfArray(single, at);
        for (std::size_t i = 0; i < single.size(); ++i) {
            const std::string itemAt = hfIndex(at, i);
            hfObject(single[i], itemAt);
            if (single[i].contains("Sequence"))
                items.emplace_back(true, "");
            else if (single[i].contains("SpecialToken"))
                items.emplace_back(false, hfString(single[i]["SpecialToken"], "id",
                                                   hfPath(itemAt, "SpecialToken")));
            else
                hfFail(itemAt, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
        }
    }
    std::vector<TemplatePiece> pieces;
    for (const auto& [sequence, name] : items) {
        TemplatePiece piece;
        piece.sequence = sequence;
        if (!sequence)
            piece.special = specialTokenEntry(specials, name, hfPath(where, "special_tokens"));
        pieces.push_back(std::move(piece));
    }
    return std::make_unique<TemplateProcessor>(std::move(pieces));
}

// BertProcessing / RobertaProcessing: "cls": ["[CLS]", 101], "sep": ["[SEP]", 102].
TemplatePiece namedToken(const Json& json, const char* key, const std::string& where) {
    const std::string at = hfPath(where, key);
    const Json& pair = hfArray(hfMember(json, key, where), at);
    if (pair.size() != 2 || !pair[0].is_string() || !pair[1].is_number_integer())
        hfFail(at, "expected [token, id]");
    TemplatePiece piece;
    piece.special.tokens.push_back(pair[0].get<std::string>());
    piece.special.ids.push_back(pair[1].get<TokenId>());
    return piece;
}

} // namespace

std::unique_ptr<HfPostProcessor> parseHfPostProcessor(const Json& json, const std::string& where) {
    if (json.is_null())
        return nullptr;
    const std::string type = hfType(json, where);
    if (type == "TemplateProcessing")
        return parseTemplate(json, where);
    if (type == "ByteLevel")
        return std::make_unique<NoOpProcessor>();
    if (type == "BertProcessing" || type == "RobertaProcessing") {
        std::vector<TemplatePiece> pieces;
        pieces.push_back(namedToken(json, "cls", where));
        pieces.push_back(TemplatePiece{true, {}});
        pieces.push_back(namedToken(json, "sep", where));
        return std::make_unique<TemplateProcessor>(std::move(pieces));
    }
    if (type == "Sequence")
        return std::make_unique<SequenceProcessor>(
            hfParseList(json, "processors", where, parseHfPostProcessor));
    hfUnsupported(hfPath(where, "type"), type);
}

} // namespace anatomist::core
