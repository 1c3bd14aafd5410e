#pragma once
// Opening a file the user named, with an error that says what is wrong with that path: missing,
// a folder, unreadable, a symlink loop. std::ifstream alone reports none of these (a folder even
// "opens" and then reads as empty), and std::filesystem's own messages are libstdc++'s.
#include <filesystem>
#include <fstream>

namespace anatomist::core {

// Whether anything is at `path`, a dangling link or a symlink loop included (never throws): such an
// entry is then opened and refused with a message naming it, instead of being taken for absent or
// surfacing std::filesystem's own exception, as fs::exists does on a loop.
bool entryExists(const std::filesystem::path& path) noexcept;

// Throws IoError naming `path` unless it is a regular file that can be opened for reading.
void checkInputFile(const std::filesystem::path& path);

// checkInputFile, then the open stream (binary).
std::ifstream openInputFile(const std::filesystem::path& path);

} // namespace anatomist::core
