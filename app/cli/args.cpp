#include "args.h"

#include <algorithm>
#include <charconv>

namespace anatomist::cli {

Args::Args(std::vector<std::string> arguments, std::set<std::string> valueOptions,
           std::set<std::string> flags) {
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& arg = arguments[i];
        if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
            m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2), inlineValue;
        const auto eq = name.find('=');
        const bool hasInline = eq != std::string::npos;
        if (hasInline) {
            inlineValue = name.substr(eq + 1);
            name.resize(eq);
        }
        if (flags.count(name)) {
            if (hasInline)
                throw UsageError("option --" + name + " takes no value");
            m_flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (hasInline) {
                m_values.emplace_back(name, inlineValue);
            } else {
                if (i + 1 >= arguments.size())
                    throw UsageError("option --" + name + " needs a value");
                m_values.emplace_back(name, arguments[++i]);
            }
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

const std::string& Args::positional(std::size_t index, const char* what) const {
    if (index >= m_positionals.size())
        throw UsageError(std::string("missing ") + what);
    return m_positionals[index];
}

void Args::expectPositionals(std::size_t min, std::size_t max) const {
    if (m_positionals.size() < min)
        throw UsageError("missing argument");
    if (m_positionals.size() > max)
        throw UsageError("unexpected argument '" + m_positionals[max] + "'");
}

std::optional<std::string> Args::value(const std::string& name) const {
    std::optional<std::string> last;
    for (const auto& [key, value] : m_values)
        if (key == name)
            last = value;
    return last;
}

std::vector<std::string> Args::values(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : m_values)
        if (key == name)
            out.push_back(value);
    return out;
}

std::string Args::valueOr(const std::string& name, const std::string& fallback) const {
    return value(name).value_or(fallback);
}

std::string Args::required(const std::string& name) const {
    auto v = value(name);
    if (!v)
        throw UsageError("option --" + name + " is required");
    return *v;
}

int64_t Args::intValue(const std::string& name, int64_t fallback) const {
    auto v = value(name);
    if (!v)
        return fallback;
    int64_t result = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), result);
    if (ec != std::errc() || end != v->data() + v->size())
        throw UsageError("option --" + name + " needs an integer, got '" + *v + "'");
    return result;
}

double Args::doubleValue(const std::string& name, double fallback) const {
    auto v = value(name);
    if (!v)
        return fallback;
    try {
        std::size_t used = 0;
        double result = std::stod(*v, &used);
        if (used == v->size())
            return result;
    } catch (const std::exception&) {
    }
    throw UsageError("option --" + name + " needs a number, got '" + *v + "'");
}

std::vector<int> parseIndexList(const std::string& text, const char* what) {
    std::vector<int> result;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        const std::string item = text.substr(start, comma - start);
        const auto dash = item.find('-', 1);
        try {
            if (dash == std::string::npos) {
                result.push_back(std::stoi(item));
            } else {
                const int first = std::stoi(item.substr(0, dash)),
                          last = std::stoi(item.substr(dash + 1));
                for (int i = first; i <= last; ++i)
                    result.push_back(i);
            }
        } catch (const std::exception&) {
            throw UsageError(std::string("bad ") + what + " list '" + text + "'");
        }
        start = comma + 1;
    }
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
}

} // namespace anatomist::cli
