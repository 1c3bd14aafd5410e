#pragma once
// Reading a run's JSONL log in tests, events in the order they were written.

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

// Every event of a log that must be whole (a run that ended cleanly): a line that is not JSON
// throws, so a torn or garbled write fails the test instead of being skipped.
inline std::vector<nlohmann::json> readWholeLog(const std::filesystem::path& log) {
    std::vector<nlohmann::json> events;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
        events.push_back(nlohmann::json::parse(line));
    return events;
}

} // namespace anatomist::test
