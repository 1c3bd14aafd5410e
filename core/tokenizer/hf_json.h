#pragma once
// Typed access to tokenizer.json with errors that name the JSON path
// ("pre_tokenizer.pretokenizers[1] .pattern: expected a string"). The loader prefixes the file
// name.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {

using Json = nlohmann::json;

[[noreturn]] void hfFail(const std::string& where, const std::string& what);
// "<where>: <kind> '<name>' is an unsupported component"
[[noreturn]] void hfUnsupported(const std::string& where, const std::string& name);

const Json& hfMember(const Json& object, const char* key, const std::string& where);
const Json& hfObject(const Json& value, const std::string& where);
const Json& hfArray(const Json& value, const std::string& where);
std::string hfString(const Json& object, const char* key, const std::string& where);
std::optional<std::string> hfOptString(const Json& object, const char* key,
                                       const std::string& where);
bool hfBool(const Json& object, const char* key, bool fallback, const std::string& where);
int64_t hfInt(const Json& object, const char* key, const std::string& where);
// The "type" of a component object.
std::string hfType(const Json& component, const std::string& where);
// A Split / Replace pattern: {"String": s} or {"Regex": r}.
struct HfPattern {
    std::string text;
    bool regex = false;
};
HfPattern hfPattern(const Json& object, const std::string& where);

// The components of a Sequence: parse(item, path) for each element of json[key], nulls skipped.
template <typename Parse>
auto hfParseList(const Json& json, const char* key, const std::string& where, Parse parse) {
    const std::string at = where + "." + key;
    const Json& list = hfArray(hfMember(json, key, where), at);
    std::vector<decltype(parse(list, at))> parts;
    for (std::size_t i = 0; i < list.size(); ++i)
        if (auto part = parse(list[i], at + "[" + std::to_string(i) + "]"))
            parts.push_back(std::move(part));
    return parts;
}

inline std::string hfPath(const std::string& where, const char* key) {
    return where + "." + key;
}
inline std::string hfIndex(const std::string& where, std::size_t i) {
    return where + "[" + std::to_string(i) + "]";
}

} // namespace anatomist::core
