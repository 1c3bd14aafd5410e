#pragma once
// Where the built-in demo model is: next to the executable first (an installed package or an
// unpacked .tar.gz uses its own copy even when the source tree it was built from still exists),
// then the configured install prefix, then the source tree (a build that was never installed).

#include <filesystem>

namespace anatomist::core {

// The folder holding the demo model's config.json, or an empty path when none is found.
std::filesystem::path findDemoModel(const std::filesystem::path& executableDir);

// The directory of the running executable (/proc/self/exe), empty when it cannot be read.
std::filesystem::path executableDir();

} // namespace anatomist::core
