#include "hf_json.h"

#include "errors.h"

namespace anatomist::core {

void hfFail(const std::string& where, const std::string& what) {
    throw TokenizerError(where + ": " + what);
}

void hfUnsupported(const std::string& where, const std::string& name) {
    throw TokenizerError(where + ": '" + name + "' is an unsupported component");
}

const Json& hfObject(const Json& value, const std::string& where) {
    if (!value.is_object())
        hfFail(where, std::string("expected an object, found ") + value.type_name());
    return value;
}

const Json& hfArray(const Json& value, const std::string& where) {
    if (!value.is_array())
        hfFail(where, std::string("expected an array, found ") + value.type_name());
    return value;
}

const Json& hfMember(const Json& object, const char* key, const std::string& where) {
    hfObject(object, where);
    const auto it = object.find(key);
    if (it == object.end())
        hfFail(where, std::string("missing '") + key + "'");
    return *it;
}

std::string hfString(const Json& object, const char* key, const std::string& where) {
    const Json& value = hfMember(object, key, where);
    if (!value.is_string())
        hfFail(hfPath(where, key), std::string("expected a string, found ") + value.type_name());
    return value.get<std::string>();
}

std::optional<std::string> hfOptString(const Json& object, const char* key,
                                       const std::string& where) {
    hfObject(object, where);
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string())
        hfFail(hfPath(where, key), std::string("expected a string, found ") + it->type_name());
    return it->get<std::string>();
}

bool hfBool(const Json& object, const char* key, bool fallback, const std::string& where) {
    hfObject(object, where);
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return fallback;
    if (!it->is_boolean())
        hfFail(hfPath(where, key), std::string("expected a boolean, found ") + it->type_name());
    return it->get<bool>();
}

int64_t hfInt(const Json& object, const char* key, const std::string& where) {
    const Json& value = hfMember(object, key, where);
    if (!value.is_number_integer())
        hfFail(hfPath(where, key), std::string("expected an integer, found ") + value.type_name());
    return value.get<int64_t>();
}

std::string hfType(const Json& component, const std::string& where) {
    return hfString(component, "type", where);
}

HfPattern hfPattern(const Json& object, const std::string& where) {
    const std::string at = hfPath(where, "pattern");
    const Json& pattern = hfObject(hfMember(object, "pattern", where), at);
    if (pattern.contains("String"))
        return {hfString(pattern, "String", at), false};
    if (pattern.contains("Regex"))
        return {hfString(pattern, "Regex", at), true};
    hfFail(at, "expected {\"String\": ...} or {\"Regex\": ...}");
}

} // namespace anatomist::core
