#pragma once
// Reading a run's JSONL log in tests: the events of one type, in the order they were written.

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace anatomist::test {

// Lines that are not JSON (a torn last line of a killed run) are skipped.
inline std::vector<nlohmann::json> logEvents(const std::filesystem::path& log,
                                             const std::string& type) {
    std::vector<nlohmann::json> out;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
        const auto e = nlohmann::json::parse(line, nullptr, false);
        if (!e.is_discarded() && e.value("type", "") == type)
            out.push_back(e);
    }
    return out;
}

} // namespace anatomist::test
