#include "tokenizer.h"

#include "errors.h"
#include "hf_tokenizer.h"
#include "io/input_file.h"
#include "sentencepiece_tokenizer.h"

#include <fstream>
#include <nlohmann/json.hpp>

namespace anatomist::core {

int byteTokenValue(std::string_view token) {
    auto digit = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                      : -1;
    };
    if (token.size() != 6 || !token.starts_with("<0x") || token.back() != '>')
        return -1;
    const int high = digit(token[3]), low = digit(token[4]);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
}

namespace fs = std::filesystem;

namespace {

std::optional<std::string> tokenText(const nlohmann::json& config, const char* key) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null())
        return std::nullopt;
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
        return (*it)["content"].get<std::string>();
    throw TokenizerError(std::string("tokenizer_config.json: '") + key +
                         "' must be a string or an object with 'content'");
}

template <typename T>
std::optional<T> optionalValue(const nlohmann::json& config, const char* key, const char* typeName,
                               bool (nlohmann::json::*check)() const noexcept) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null())
        return std::nullopt;
    if (!((*it).*check)())
        throw TokenizerError(std::string("tokenizer_config.json: '") + key + "' must be " +
                             typeName);
    return it->get<T>();
}

} // namespace

TokenizerConfig readTokenizerConfig(const fs::path& file) {
    TokenizerConfig config;
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return config;
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw TokenizerError(file.string() + ": not valid JSON (" + e.what() + ")");
    }
    if (!json.is_object())
        throw TokenizerError(file.string() + ": expected a JSON object");
    config.add_bos_token =
        optionalValue<bool>(json, "add_bos_token", "a boolean", &nlohmann::json::is_boolean);
    config.add_eos_token =
        optionalValue<bool>(json, "add_eos_token", "a boolean", &nlohmann::json::is_boolean);
    config.clean_up_tokenization_spaces = optionalValue<bool>(
        json, "clean_up_tokenization_spaces", "a boolean", &nlohmann::json::is_boolean);
    config.tokenizer_class =
        optionalValue<std::string>(json, "tokenizer_class", "a string", &nlohmann::json::is_string);
    if (auto it = json.find("model_max_length"); it != json.end() && it->is_number()) {
        // Tokenizers store "infinity" as 1e30; a negative or fractional value is clamped rather
        // than converted out of range.
        const double v = it->get<double>();
        config.model_max_length = v > 9e15 ? INT64_MAX : v < 0 ? 0 : static_cast<int64_t>(v);
    }
    config.bos_token = tokenText(json, "bos_token");
    config.eos_token = tokenText(json, "eos_token");
    config.pad_token = tokenText(json, "pad_token");
    config.unk_token = tokenText(json, "unk_token");
    return config;
}

bool hasTokenizer(const fs::path& folder) {
    return entryExists(folder / "tokenizer.json") || entryExists(folder / "tokenizer.model");
}

std::unique_ptr<Tokenizer> loadTokenizer(const fs::path& folderOrFile) {
    std::error_code ec;
    if (fs::is_directory(folderOrFile, ec)) {
        const auto config = readTokenizerConfig(folderOrFile / "tokenizer_config.json");
        if (entryExists(folderOrFile / "tokenizer.json"))
            return std::make_unique<HfTokenizer>(folderOrFile / "tokenizer.json", config);
        if (entryExists(folderOrFile / "tokenizer.model"))
            return std::make_unique<SentencePieceTokenizer>(folderOrFile / "tokenizer.model",
                                                            config);
        throw TokenizerError(folderOrFile.string() +
                             ": no tokenizer (expected tokenizer.json or tokenizer.model)");
    }
    if (!fs::exists(folderOrFile, ec))
        throw TokenizerError(folderOrFile.string() + ": no such file or folder");
    const auto config = readTokenizerConfig(folderOrFile.parent_path() / "tokenizer_config.json");
    if (folderOrFile.extension() == ".json")
        return std::make_unique<HfTokenizer>(folderOrFile, config);
    if (folderOrFile.extension() == ".model")
        return std::make_unique<SentencePieceTokenizer>(folderOrFile, config);
    throw TokenizerError(folderOrFile.string() +
                         ": unknown tokenizer file (expected tokenizer.json or a .model file)");
}

} // namespace anatomist::core
