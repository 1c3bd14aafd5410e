#include "analysis/dataset_files.h"

#include "errors.h"
#include "io/text_documents.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace anatomist::core {

namespace {

std::string lowerExtension(const std::filesystem::path& file) {
    auto ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return ext;
}

// Calls fn(lineNumber, line) for every non-blank line.
template <typename Fn> void forEachDatasetLine(std::string_view content, Fn&& fn) {
    std::size_t lineNo = 0, pos = 0;
    while (pos <= content.size()) {
        auto end = content.find('\n', pos);
        if (end == std::string_view::npos)
            end = content.size();
        ++lineNo;
        auto line = content.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos)
            fn(lineNo, line);
        pos = end + 1;
    }
}

nlohmann::json parseDatasetLine(std::string_view line, const std::string& source,
                                std::size_t lineNo) {
    try {
        auto j = nlohmann::json::parse(line);
        if (!j.is_object())
            throw FormatError(source + ":" + std::to_string(lineNo) + ": expected a JSON object");
        return j;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(source + ":" + std::to_string(lineNo) + ": not valid JSON (" + e.what() +
                          ")");
    }
}

std::string pairStringField(const nlohmann::json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || j[key].is_null())
        return {};
    if (!j[key].is_string())
        throw FormatError(where + ": \"" + key + "\" must be a string");
    return j[key].get<std::string>();
}

// One CSV record starting at pos (RFC 4180: quotes, doubled quotes, newlines inside quotes).
std::vector<std::string> readCsvRecord(std::string_view s, std::size_t& pos, std::size_t& lineNo,
                                       const std::string& source) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    const std::size_t startLine = lineNo;
    while (pos < s.size()) {
        const char c = s[pos++];
        if (quoted) {
            if (c == '"') {
                if (pos < s.size() && s[pos] == '"') {
                    fields.back() += '"';
                    ++pos;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n')
                    ++lineNo;
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else if (c == '\n') {
            ++lineNo;
            break;
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    if (quoted)
        throw FormatError(source + ":" + std::to_string(startLine) + ": unterminated quoted field");
    return fields;
}

} // namespace

std::vector<std::pair<std::size_t, nlohmann::json>> parseJsonlObjects(std::string_view content,
                                                                      const std::string& source) {
    std::vector<std::pair<std::size_t, nlohmann::json>> out;
    forEachDatasetLine(content, [&](std::size_t lineNo, std::string_view line) {
        out.emplace_back(lineNo, parseDatasetLine(line, source, lineNo));
    });
    return out;
}

std::vector<std::string> parseJsonlTexts(std::string_view content, const std::string& source) {
    std::vector<std::string> out;
    forEachDatasetLine(content, [&](std::size_t lineNo, std::string_view line) {
        const auto j = parseDatasetLine(line, source, lineNo);
        const auto where = source + ":" + std::to_string(lineNo);
        if (!j.contains("text") || !j["text"].is_string())
            throw FormatError(where + ": expected a string field \"text\"");
        out.push_back(j["text"].get<std::string>());
    });
    return out;
}

std::vector<std::string> readTextDataset(const std::filesystem::path& file) {
    const auto content = readTextFile(file);
    const auto ext = lowerExtension(file);
    if (ext == ".jsonl" || ext == ".ndjson")
        return parseJsonlTexts(content, file.string());
    return splitDocuments(content);
}

std::vector<PromptPair> parsePromptPairsJsonl(std::string_view content, const std::string& source) {
    std::vector<PromptPair> out;
    forEachDatasetLine(content, [&](std::size_t lineNo, std::string_view line) {
        const auto j = parseDatasetLine(line, source, lineNo);
        const auto where = source + ":" + std::to_string(lineNo);
        PromptPair p;
        p.a = pairStringField(j, "a", where);
        p.b = pairStringField(j, "b", where);
        if (p.a.empty() || p.b.empty())
            throw FormatError(where + ": a prompt pair needs non-empty strings \"a\" and \"b\"");
        p.category = pairStringField(j, "category", where);
        p.attribute_a = pairStringField(j, "attribute_a", where);
        p.attribute_b = pairStringField(j, "attribute_b", where);
        out.push_back(std::move(p));
    });
    return out;
}

std::vector<PromptPair> parsePromptPairsCsv(std::string_view content, const std::string& source) {
    std::size_t pos = 0, lineNo = 1;
    if (content.substr(0, 3) == "\xEF\xBB\xBF")
        pos = 3;
    const auto header = readCsvRecord(content, pos, lineNo, source);
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string name = header[i];
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        column[name] = i;
    }
    if (!column.count("a") || !column.count("b"))
        throw FormatError(source + ":1: the header must name columns \"a\" and \"b\"");
    std::vector<PromptPair> out;
    while (pos < content.size()) {
        const std::size_t recordLine = lineNo;
        const auto fields = readCsvRecord(content, pos, lineNo, source);
        if (fields.size() == 1 && fields[0].find_first_not_of(" \t") == std::string::npos)
            continue; // blank line
        if (fields.size() != header.size())
            throw FormatError(source + ":" + std::to_string(recordLine) + ": " +
                              std::to_string(fields.size()) + " fields, the header has " +
                              std::to_string(header.size()));
        auto get = [&](const char* key) {
            auto it = column.find(key);
            return it == column.end() ? std::string() : fields[it->second];
        };
        PromptPair p{get("a"), get("b"), get("category"), get("attribute_a"), get("attribute_b")};
        if (p.a.empty() || p.b.empty())
            throw FormatError(source + ":" + std::to_string(recordLine) + ": empty prompt a or b");
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<PromptPair> readPromptPairs(const std::filesystem::path& file) {
    const auto content = readTextFile(file);
    auto pairs = lowerExtension(file) == ".csv" ? parsePromptPairsCsv(content, file.string())
                                                : parsePromptPairsJsonl(content, file.string());
    if (pairs.empty())
        throw FormatError(file.string() + ": contains no prompt pairs");
    return pairs;
}

} // namespace anatomist::core
