#include "atomic_file.h"

#include "errors.h"
#include "input_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <unistd.h>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

fs::path temporarySibling(const fs::path& target) {
    std::random_device rd;
    return target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                   std::to_string(::getpid()) + "-" + std::to_string(rd()));
}

// fsync of the temporary file before the rename: without it a power cut after the rename can
// leave the new name pointing at an empty or partial file (ext4 delalloc, XFS).
void syncFile(const fs::path& path, const fs::path& target) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int error = errno;
        if (fd >= 0)
            ::close(fd);
        throw IoError(target.string() + ": cannot flush the file to disk (" + std::strerror(error) +
                      ")");
    }
    ::close(fd);
}

} // namespace

void syncDirectory(const fs::path& folder) {
    const fs::path path = folder.empty() ? fs::path(".") : folder;
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

void writeFileAtomically(const fs::path& target, const std::function<void(std::ostream&)>& writer) {
    std::error_code ec;
    if (!target.parent_path().empty())
        fs::create_directories(target.parent_path(), ec);
    const fs::path tmp = temporarySibling(target);
    try {
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            if (!out)
                throw IoError(target.string() + ": cannot create a temporary file in " +
                              target.parent_path().string() + " (" + std::strerror(errno) + ")");
            writer(out);
            out.flush();
            if (!out)
                throw IoError(target.string() + ": write failed (disk full?)");
        }
        syncFile(tmp, target);
        fs::rename(tmp, target);
        syncDirectory(target.parent_path());
    } catch (const fs::filesystem_error& e) {
        fs::remove(tmp, ec);
        throw IoError(target.string() + ": cannot replace the file (" + e.code().message() + ")");
    } catch (...) {
        fs::remove(tmp, ec);
        throw;
    }
}

void writeTextAtomically(const fs::path& target, std::string_view text) {
    writeFileAtomically(target, [&](std::ostream& out) {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    });
}

void copyFileAtomically(const fs::path& source, const fs::path& target) {
    auto in = openInputFile(source);
    writeFileAtomically(target, [&](std::ostream& out) {
        out << in.rdbuf();
        if (in.bad())
            throw IoError(source.string() + ": read failed");
    });
}

} // namespace anatomist::core
