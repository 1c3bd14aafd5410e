#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace anatomist::core {

// Writes `target` atomically: the writer fills a temporary file in the same folder, which is
// flushed, fsync'ed and renamed over the target only when the writer returned normally. On any
// exception the temporary file is removed and the previous target is left untouched.
void writeFileAtomically(const std::filesystem::path& target,
                         const std::function<void(std::ostream&)>& writer);

void writeTextAtomically(const std::filesystem::path& target, std::string_view text);

// Copies `source` over `target` atomically (IoError naming `source` when it cannot be read).
void copyFileAtomically(const std::filesystem::path& source, const std::filesystem::path& target);

} // namespace anatomist::core
