#pragma once
// A small command-line parser: positionals, `--name value` options and `--flag` switches, each
// declared by the command so that a misspelt option is an error rather than silently ignored.

#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace anatomist::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // valueOptions take one argument ("--text FILE"); flags take none ("--json").
    Args(std::vector<std::string> arguments, std::set<std::string> valueOptions,
         std::set<std::string> flags);

    const std::vector<std::string>& positionals() const { return m_positionals; }
    // The positional at index, or a UsageError naming what is missing.
    const std::string& positional(std::size_t index, const char* what) const;
    void expectPositionals(std::size_t min, std::size_t max) const;

    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    // Every value of an option given more than once, in order.
    std::vector<std::string> values(const std::string& name) const;
    std::string valueOr(const std::string& name, const std::string& fallback) const;
    std::string required(const std::string& name) const;
    int64_t intValue(const std::string& name, int64_t fallback) const;
    double doubleValue(const std::string& name, double fallback) const;
    bool has(const std::string& name) const { return flag(name) || value(name).has_value(); }

private:
    std::vector<std::string> m_positionals;
    std::set<std::string> m_flags;
    std::vector<std::pair<std::string, std::string>> m_values;
};

// "0,3,5" or "0-3,7" → sorted unique indices.
std::vector<int> parseIndexList(const std::string& text, const char* what);

} // namespace anatomist::cli
