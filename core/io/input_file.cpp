#include "input_file.h"

#include "errors.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace anatomist::core {

namespace fs = std::filesystem;

bool entryExists(const fs::path& path) noexcept {
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec));
}

void checkInputFile(const fs::path& path) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)
        throw IoError(path.string() + ": cannot open (" + ec.message() + ")");
    if (!fs::exists(st)) {
        std::error_code linkEc;
        if (fs::is_symlink(fs::symlink_status(path, linkEc)))
            throw IoError(path.string() + ": broken symbolic link");
        throw IoError(path.string() + ": no such file");
    }
    if (fs::is_directory(st))
        throw IoError(path.string() + ": is a folder, expected a file");
    if (!fs::is_regular_file(st))
        throw IoError(path.string() + ": not a regular file");
    // Permissions are only known by trying (ACLs, root): open once for the errno.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw IoError(path.string() + ": cannot open (" + std::strerror(errno) + ")");
    ::close(fd);
}

std::ifstream openInputFile(const fs::path& path) {
    checkInputFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path.string() + ": cannot open");
    return in;
}

} // namespace anatomist::core
