#include "tokenizer/gguf_bpe_vocab.h"

#include "errors.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "io/text_documents.h"
#include "tokenizer/hf_tokenizer.h"

#include <nlohmann/json.hpp>
#include <set>

namespace anatomist::core {

namespace {

using Json = nlohmann::json;

// ref: llama-vocab.cpp llm_tokenizer_bpe: the regexes of each LLAMA_VOCAB_PRE_TYPE, as written in
// the Hugging Face tokenizer.json files of those models.
struct PreTokenizer {
    const char* name;
    const char* regex; // nullptr: ByteLevel's own GPT-2 regex
    bool ignoreMerges; // llama.cpp sets it for Llama 3
    bool addBos;       // llama.cpp's default when tokenizer.ggml.add_bos_token is absent
};
const PreTokenizer kPreTokenizers[] = {
    {"gpt-2", nullptr, false, false},
    {"llama-bpe",
     R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
     true, true},
    {"qwen2",
     R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
     false, false},
    {"gpt-4o",
     R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
     false, false},
};

const PreTokenizer* findPreTokenizer(const std::string& name) {
    // ref: llama-vocab.cpp: older names of the same types
    const std::string n = name == "gpt2"                           ? "gpt-2"
                          : name == "llama3" || name == "llama-v3" ? "llama-bpe"
                                                                   : name;
    for (const auto& p : kPreTokenizers)
        if (n == p.name)
            return &p;
    return nullptr;
}

Json preTokenizerJson(const PreTokenizer& p) {
    if (!p.regex)
        return {{"type", "ByteLevel"},
                {"add_prefix_space", false},
                {"trim_offsets", true},
                {"use_regex", true}};
    return {{"type", "Sequence"},
            {"pretokenizers", Json::array({{{"type", "Split"},
                                            {"pattern", {{"Regex", p.regex}}},
                                            {"behavior", "Isolated"},
                                            {"invert", false}},
                                           {{"type", "ByteLevel"},
                                            {"add_prefix_space", false},
                                            {"trim_offsets", true},
                                            {"use_regex", false}}})}};
}

// ref: gguf-py constants.py TokenType
enum TokenType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

std::string mergeText(const Json& merge) {
    if (merge.is_string())
        return merge.get<std::string>();
    return merge.at(0).get<std::string>() + " " + merge.at(1).get<std::string>();
}

} // namespace

std::string hfTokenizerJsonFromGguf(const GgufFile& f) {
    const std::string where = f.path().string();
    const auto tokens = f.optionalStringArray("tokenizer.ggml.tokens");
    if (!tokens || tokens->empty())
        throw TokenizerError(where + ": key 'tokenizer.ggml.tokens' is missing or empty");
    const auto merges = f.optionalStringArray("tokenizer.ggml.merges");
    if (!merges)
        throw TokenizerError(where + ": key 'tokenizer.ggml.merges' is missing (a 'gpt2' "
                                     "vocabulary needs its BPE merges)");
    const auto types = f.optionalIntArray("tokenizer.ggml.token_type");
    if (types && types->size() != tokens->size())
        throw TokenizerError(where + ": key 'tokenizer.ggml.token_type' has " +
                             std::to_string(types->size()) + " entries for " +
                             std::to_string(tokens->size()) + " tokens");
    const std::string preName = f.optionalString("tokenizer.ggml.pre").value_or("gpt-2");
    const auto* pre = findPreTokenizer(preName);
    if (!pre) {
        std::string known;
        for (const auto& p : kPreTokenizers)
            known += (known.empty() ? "" : ", ") + std::string(p.name);
        throw TokenizerError(where + ": key 'tokenizer.ggml.pre' is '" + preName +
                             "', a pre-tokenizer Anatomist does not know (known: " + known + ")");
    }
    Json vocab = Json::object();
    Json added = Json::array();
    for (std::size_t i = 0; i < tokens->size(); ++i) {
        const auto& text = (*tokens)[i];
        const int64_t type = types ? (*types)[i] : int64_t(Normal);
        if (type < Normal || type > Byte)
            throw TokenizerError(where + ": key 'tokenizer.ggml.token_type' entry " +
                                 std::to_string(i) + " is " + std::to_string(type) +
                                 " (expected 1 to 6)");
        if (text.empty())
            throw TokenizerError(where + ": key 'tokenizer.ggml.tokens' entry " +
                                 std::to_string(i) + " is empty");
        if (!vocab.contains(text)) // a repeated token keeps its first id, as a map would
            vocab[text] = i;
        if (type == Control || type == UserDefined)
            added.push_back({{"id", i},
                             {"content", text},
                             {"single_word", false},
                             {"lstrip", false},
                             {"rstrip", false},
                             {"normalized", false},
                             {"special", type == Control}});
    }
    Json doc = {{"version", "1.0"},
                {"added_tokens", added},
                {"normalizer", nullptr},
                {"pre_tokenizer", preTokenizerJson(*pre)},
                {"decoder",
                 {{"type", "ByteLevel"},
                  {"add_prefix_space", true},
                  {"trim_offsets", true},
                  {"use_regex", true}}},
                {"model",
                 {{"type", "BPE"},
                  {"dropout", nullptr},
                  {"unk_token", nullptr},
                  {"continuing_subword_prefix", nullptr},
                  {"end_of_word_suffix", nullptr},
                  {"fuse_unk", false},
                  {"byte_fallback", false},
                  {"ignore_merges", pre->ignoreMerges},
                  {"vocab", vocab},
                  {"merges", *merges}}}};
    auto id = [&](const char* key) -> std::optional<int64_t> {
        const auto v = f.optionalInt(key);
        if (v && (*v < 0 || *v >= int64_t(tokens->size())))
            throw TokenizerError(where + ": key '" + key + "' is " + std::to_string(*v) +
                                 ", outside the vocabulary of " + std::to_string(tokens->size()));
        return v;
    };
    const auto bos = id("tokenizer.ggml.bos_token_id");
    const auto eos = id("tokenizer.ggml.eos_token_id");
    const bool addBos = f.optionalBool("tokenizer.ggml.add_bos_token").value_or(pre->addBos);
    const bool addEos = f.optionalBool("tokenizer.ggml.add_eos_token").value_or(false);
    Json single = Json::array(), specials = Json::object();
    auto special = [&](int64_t token) {
        const auto& name = (*tokens)[std::size_t(token)];
        single.push_back({{"SpecialToken", {{"id", name}, {"type_id", 0}}}});
        specials[name] = {{"id", name}, {"ids", {token}}, {"tokens", {name}}};
    };
    if (addBos && bos)
        special(*bos);
    single.push_back({{"Sequence", {{"id", "A"}, {"type_id", 0}}}});
    if (addEos && eos)
        special(*eos);
    if (single.size() > 1)
        doc["post_processor"] = {{"type", "TemplateProcessing"},
                                 {"single", single},
                                 {"pair", single},
                                 {"special_tokens", specials}};
    else
        doc["post_processor"] = nullptr;
    return doc.dump();
}

bool isKnownGgufPreTokenizer(const std::string& name) {
    return findPreTokenizer(name) != nullptr;
}

std::unique_ptr<Tokenizer> bpeTokenizerFromGguf(const GgufFile& f) {
    TokenizerConfig config;
    const auto tokens = f.optionalStringArray("tokenizer.ggml.tokens");
    auto name = [&](const char* key) -> std::optional<std::string> {
        const auto v = f.optionalInt(key);
        if (!v || !tokens || *v < 0 || *v >= int64_t(tokens->size()))
            return std::nullopt;
        return (*tokens)[std::size_t(*v)];
    };
    config.bos_token = name("tokenizer.ggml.bos_token_id");
    config.eos_token = name("tokenizer.ggml.eos_token_id");
    config.pad_token = name("tokenizer.ggml.padding_token_id");
    config.unk_token = name("tokenizer.ggml.unknown_token_id");
    return std::make_unique<HfTokenizer>(hfTokenizerJsonFromGguf(f), config, f.path().string());
}

std::string ggufPreTokenizerName(const std::filesystem::path& file) {
    Json doc;
    try {
        doc = Json::parse(readTextFile(file));
    } catch (const Json::exception&) {
        return "";
    }
    const auto& model = doc.value("model", Json::object());
    if (model.value("type", std::string()) != "BPE" || model.value("byte_fallback", false) ||
        !doc.contains("pre_tokenizer") ||
        (doc.contains("normalizer") && !doc["normalizer"].is_null() &&
         doc["normalizer"].value("type", "") != "NFC"))
        return "";
    for (const auto& p : kPreTokenizers) {
        auto expected = preTokenizerJson(p);
        auto actual = doc["pre_tokenizer"];
        // trim_offsets only moves offsets, never ids; a Split that removes the non-matches
        // (inverted) keeps the same pieces as one that isolates the matches.
        auto canonical = [](Json& j) {
            auto one = [](Json& x) {
                if (x.value("type", "") == "ByteLevel")
                    x.erase("trim_offsets");
                if (x.value("type", "") == "Split" && x.value("behavior", "") == "Removed" &&
                    x.value("invert", false)) {
                    x["behavior"] = "Isolated";
                    x["invert"] = false;
                }
            };
            one(j);
            if (j.contains("pretokenizers"))
                for (auto& x : j["pretokenizers"])
                    one(x);
        };
        canonical(expected);
        canonical(actual);
        if (actual == expected && model.value("ignore_merges", false) == p.ignoreMerges)
            return p.name;
    }
    return "";
}

bool writeGgufBpeVocabulary(const std::filesystem::path& file, const TokenizerConfig& config,
                            int64_t vocabSize, GgufWriter& w) {
    const auto pre = ggufPreTokenizerName(file);
    if (pre.empty())
        return false;
    const auto doc = Json::parse(readTextFile(file));
    const HfTokenizer tokenizer(file, config);
    const auto n = std::max<int64_t>(vocabSize, tokenizer.vocabSize());
    const auto count = static_cast<std::size_t>(n);
    std::vector<std::string> tokens(count);
    std::vector<int32_t> types(count, Normal);
    std::vector<bool> filled(count, false);
    for (const auto& [text, id] : doc["model"]["vocab"].items()) {
        const auto i = id.get<int64_t>();
        if (i >= 0 && i < n) {
            tokens[std::size_t(i)] = text;
            filled[std::size_t(i)] = true;
        }
    }
    for (const auto& a : doc.value("added_tokens", Json::array())) {
        const auto i = a.at("id").get<int64_t>();
        if (i < 0 || i >= n)
            continue;
        tokens[std::size_t(i)] = a.at("content").get<std::string>();
        types[std::size_t(i)] = a.value("special", false) ? Control : UserDefined;
        filled[std::size_t(i)] = true;
    }
    // ref: convert_hf_to_gguf.py get_vocab_base: holes become unused [PADn] tokens.
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (!filled[i]) {
            tokens[i] = "[PAD" + std::to_string(i) + "]";
            types[i] = Unused;
        }
    std::vector<std::string> merges;
    for (const auto& m : doc["model"].value("merges", Json::array()))
        merges.push_back(mergeText(m));
    w.setString("tokenizer.ggml.model", "gpt2");
    w.setString("tokenizer.ggml.pre", pre);
    w.setStringArray("tokenizer.ggml.tokens", tokens);
    w.setI32Array("tokenizer.ggml.token_type", types);
    w.setStringArray("tokenizer.ggml.merges", merges);
    // What the tokenizer adds around a text, read off its own output.
    const auto plain = tokenizer.encodeIds("a", false), full = tokenizer.encodeIds("a", true);
    const bool addBos = full.size() > plain.size() && full.front() != plain.front();
    const bool addEos = full.size() > plain.size() && full.back() != plain.back();
    auto setId = [&](const char* key, std::optional<TokenId> id) {
        if (id && *id >= 0)
            w.setU32(key, uint32_t(*id));
    };
    setId("tokenizer.ggml.bos_token_id",
          addBos ? std::optional<TokenId>(full.front()) : tokenizer.bosId());
    setId("tokenizer.ggml.eos_token_id",
          addEos ? std::optional<TokenId>(full.back()) : tokenizer.eosId());
    setId("tokenizer.ggml.padding_token_id", tokenizer.padId());
    w.setBool("tokenizer.ggml.add_bos_token", addBos);
    w.setBool("tokenizer.ggml.add_eos_token", addEos);
    return true;
}

} // namespace anatomist::core
