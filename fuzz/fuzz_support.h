#pragma once
// Shared by the libFuzzer targets: inputs become real files (the parsers open paths, as the
// application does), and the one rule every target checks: a parser may refuse its input only with
// one of core's typed errors. Any other exception (a libstdc++, nlohmann or c10 message reaching
// the user) aborts, so libFuzzer records it as a crash.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

namespace anatomist::fuzz {

// A private scratch folder for this process (under /dev/shm when present), created once.
const std::filesystem::path& scratchDir();

// Writes `bytes` to scratchDir()/name and returns the path.
std::filesystem::path writeInput(std::string_view name, const uint8_t* data, std::size_t size);

// Runs `parse`; returns normally when it succeeds or throws core::Error, aborts on anything else.
void expectTypedErrors(const char* target, const std::function<void()>& parse);

} // namespace anatomist::fuzz
