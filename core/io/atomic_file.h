#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace anatomist::core {

// Writes `target` atomically and durably: the writer fills a temporary file in the same folder,
// which is flushed, fsync'ed and renamed over the target only when the writer returned normally;
// the folder is then fsync'ed so that the rename survives a power cut. On any exception the
// temporary file is removed and the previous target is left untouched. A kill at any point leaves
// the old file or the new one (tests/io/tst_hostile_inputs kills writers to check it).
void writeFileAtomically(const std::filesystem::path& target,
                         const std::function<void(std::ostream&)>& writer);

void writeTextAtomically(const std::filesystem::path& target, std::string_view text);

// fsync of a folder, after a rename into it (or out of it) that must survive a power cut. A folder
// that cannot be opened is skipped: the rename has happened, only its durability is at stake.
void syncDirectory(const std::filesystem::path& folder);

// Copies `source` over `target` atomically (IoError naming `source` when it cannot be read).
void copyFileAtomically(const std::filesystem::path& source, const std::filesystem::path& target);

} // namespace anatomist::core
