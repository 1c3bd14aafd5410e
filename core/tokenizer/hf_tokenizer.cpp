#include "hf_tokenizer.h"

#include "errors.h"
#include "hf_added_vocabulary.h"
#include "hf_bpe.h"
#include "hf_decoder.h"
#include "hf_normalizer.h"
#include "hf_post_processor.h"
#include "hf_pre_tokenizer.h"
#include "hf_unicode.h"
#include "io/input_file.h"

#include <fstream>
#include <sstream>

namespace anatomist::core {

namespace {

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in;
    try {
        in = openInputFile(file);
    } catch (const IoError& e) {
        throw TokenizerError(e.what());
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace

HfTokenizer::HfTokenizer(const std::filesystem::path& file, const TokenizerConfig& config) {
    parse(readFile(file), file.string());
    applyConfig(config);
}

HfTokenizer::HfTokenizer(std::string_view json, const TokenizerConfig& config,
                         const std::string& source) {
    parse(json, source);
    applyConfig(config);
}

HfTokenizer::~HfTokenizer() = default;

void HfTokenizer::parse(std::string_view text, const std::string& source) {
    Json json;
    try {
        json = Json::parse(text);
    } catch (const Json::exception& e) {
        throw TokenizerError(source + ": not valid JSON (" + e.what() + ")");
    }
    try {
        hfObject(json, "tokenizer.json");
        const Json& model = hfObject(hfMember(json, "model", "tokenizer.json"), "model");
        const auto type = hfOptString(model, "type", "model");
        // ref: files from before the "type" tag are recognised by their merges.
        if (type.value_or(model.contains("merges") ? "BPE" : "") != "BPE")
            hfUnsupported("model.type", type.value_or("(none)"));
        m_model = std::make_unique<HfBpeModel>(model, "model");
        m_added =
            std::make_unique<HfAddedVocabulary>(json.value("added_tokens", Json()), "added_tokens");
        m_normalizer = parseHfNormalizer(json.value("normalizer", Json()), "normalizer");
        m_preTokenizer = parseHfPreTokenizer(json.value("pre_tokenizer", Json()), "pre_tokenizer");
        m_postProcessor =
            parseHfPostProcessor(json.value("post_processor", Json()), "post_processor");
        m_decoder = parseHfDecoder(json.value("decoder", Json()), "decoder");
    } catch (const TokenizerError& e) {
        throw TokenizerError(source + ": " + e.what());
    } catch (const Json::exception& e) {
        throw TokenizerError(source + ": unexpected content (" + e.what() + ")");
    }
}

void HfTokenizer::applyConfig(const TokenizerConfig& config) {
    auto idOf = [&](const std::optional<std::string>& name) -> std::optional<TokenId> {
        return name ? tokenToId(*name) : std::nullopt;
    };
    m_bos = idOf(config.bos_token);
    m_eos = idOf(config.eos_token);
    m_pad = idOf(config.pad_token);
    m_unk = idOf(config.unk_token);
}

void HfTokenizer::encodeSection(std::string_view section, bool atStart,
                                std::vector<TokenId>& ids) const {
    std::string normalized(section);
    if (m_normalizer)
        m_normalizer->apply(normalized);
    for (const auto& part : m_added->split(normalized, true)) {
        if (part.id) {
            ids.push_back(*part.id);
            continue;
        }
        std::vector<HfPiece> pieces;
        pieces.push_back(
            {normalized.substr(part.begin, part.end - part.begin), atStart && part.begin == 0});
        if (m_preTokenizer)
            m_preTokenizer->apply(pieces);
        for (const auto& piece : pieces)
            m_model->tokenize(piece.text, ids);
    }
}

std::vector<TokenId> HfTokenizer::encodeRaw(std::string_view input) const {
    const std::string text = toValidUtf8(input);
    std::vector<TokenId> ids;
    for (const auto& section : m_added->split(text, false)) {
        if (section.id)
            ids.push_back(*section.id);
        else
            encodeSection(std::string_view(text).substr(section.begin, section.end - section.begin),
                          section.begin == 0, ids);
    }
    return ids;
}

Encoding HfTokenizer::encode(std::string_view input, bool addSpecialTokens) const {
    Encoding encoding;
    encoding.ids = encodeRaw(input);
    encoding.tokens.reserve(encoding.ids.size());
    for (const TokenId id : encoding.ids)
        encoding.tokens.push_back(idToToken(id));
    if (addSpecialTokens && m_postProcessor)
        m_postProcessor->process(encoding);
    return encoding;
}

std::vector<TokenId> HfTokenizer::encodeIds(std::string_view input, bool addSpecialTokens) const {
    Encoding encoding;
    encoding.ids = encodeRaw(input);
    // The post-processor also inserts token strings; only the ids are read back.
    if (addSpecialTokens && m_postProcessor)
        m_postProcessor->process(encoding);
    return std::move(encoding.ids);
}

std::string HfTokenizer::decode(std::span<const TokenId> ids, bool skipSpecialTokens) const {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (const TokenId id : ids) {
        // ref: tokenizer/mod.rs decode: unknown ids are dropped, added tokens looked up first.
        if (const HfAddedToken* added = m_added->byId(id)) {
            if (!(skipSpecialTokens && added->special))
                tokens.push_back(added->content);
        } else if (const std::string* token = m_model->idToToken(id)) {
            tokens.push_back(*token);
        }
    }
    if (!m_decoder) {
        std::string joined;
        for (std::size_t i = 0; i < tokens.size(); ++i)
            joined += (i ? " " : "") + tokens[i];
        return joined;
    }
    m_decoder->decodeChain(tokens);
    std::string out;
    for (const auto& t : tokens)
        out += t;
    return out;
}

std::string HfTokenizer::idToToken(TokenId id) const {
    if (const HfAddedToken* added = m_added->byId(id))
        return added->content;
    if (const std::string* token = m_model->idToToken(id))
        return *token;
    return {};
}

std::optional<TokenId> HfTokenizer::tokenToId(std::string_view token) const {
    if (const auto id = m_added->idOf(token))
        return id;
    return m_model->tokenToId(token);
}

WordCacheStats HfTokenizer::wordCacheStats() const {
    return m_model->cacheStats();
}

int64_t HfTokenizer::vocabSize() const {
    return int64_t(std::max(m_model->maxId(), m_added->maxId())) + 1;
}

} // namespace anatomist::core
