#include "text_documents.h"

#include "errors.h"
#include "input_file.h"

#include <fstream>
#include <sstream>

namespace anatomist::core {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string_view strip(std::string_view s) {
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::vector<std::string> splitDocuments(std::string_view text) {
    std::vector<std::string> documents;
    std::size_t docStart = 0;
    std::size_t lineStart = 0;
    auto flush = [&](std::size_t end) {
        const auto doc = strip(text.substr(docStart, end - docStart));
        if (!doc.empty())
            documents.emplace_back(doc);
    };
    while (lineStart <= text.size()) {
        std::size_t lineEnd = text.find('\n', lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = text.size();
        const auto line = text.substr(lineStart, lineEnd - lineStart);
        if (strip(line).empty()) {
            flush(lineStart);
            docStart = lineEnd;
        }
        if (lineEnd == text.size())
            break;
        lineStart = lineEnd + 1;
    }
    flush(text.size());
    return documents;
}

std::string readTextFile(const std::filesystem::path& path) {
    auto in = openInputFile(path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace anatomist::core
