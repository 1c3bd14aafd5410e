#pragma once
// A whole file in memory, for readers whose results point straight into it (tensors loaded in
// place): mapped copy-on-write (MAP_PRIVATE, read + write), so those tensors may even be modified
// in place (training) without the file on disk ever changing.
//
// A mapping is only as stable as the file behind it. If another program truncates the file, the
// pages past the new end raise SIGBUS when touched, even pages already read, populated, locked or
// privately copied (truncation takes all of them back); a program rewriting the file in place
// changes what a loaded model computes. So the mapping is guarded by a read lease (fcntl
// F_SETLEASE): before any process can open the file for writing or truncate it, the kernel holds it
// back and signals a watcher thread, which copies the mapping into anonymous memory at the same
// address (same bytes: the tensors never notice) and only then lets the writer go on (detach()).
// Replacing the file by rename, as atomic writers and most editors do, leaves the mapped inode
// alone and needs nothing. When no lease can be had (the file is open for writing somewhere, it
// belongs to another user, the file system has no leases), the file is read into anonymous memory
// instead: the same bytes in the same amount of memory, just read rather than mapped; a file that
// changes size while it is read is an IoError naming it. Either way a loaded model never changes
// or crashes because its file changed.
//
// Leases need process-wide state (a realtime signal's handler, the watcher thread), so they are
// switched on by enableLeasedMappings(), which core::configureProcess() calls; without it (fuzz
// targets, other programs linking core) every file is read, never mapped.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>

namespace anatomist::core {

// Installs the handler of the lease-break signal (the first free realtime signal from SIGRTMIN + 4)
// and starts the watcher thread; once per process, before the first MappedFile::open that should
// map rather than read.
void enableLeasedMappings();

class MappedFile {
public:
    enum class Backing {
        Leased,   // the file's own pages, guarded by a read lease
        Copied,   // read into anonymous memory at open (no lease could be had)
        Detached, // was Leased; copied into anonymous memory when a writer came
    };

    // Throws IoError naming the file when it cannot be opened, mapped or read.
    static std::shared_ptr<MappedFile> open(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return m_data; }
    std::uint8_t* mutableData() { return m_data; }
    std::size_t size() const { return m_size; }
    const std::filesystem::path& path() const { return m_path; }
    Backing backing() const;
    bool contains(const void* p) const {
        const auto* b = static_cast<const std::uint8_t*>(p);
        return b >= m_data && b < m_data + m_size;
    }

    // Gives back the memory of the whole pages inside [begin, begin + bytes) after their contents
    // were copied elsewhere; touched again they read back from the file, so readers stay correct.
    // Only while Leased (anonymous pages would read back as zeros).
    void release(const void* begin, std::size_t bytes);

    // Copies the mapping into anonymous memory at the same address, then gives up the lease. The
    // watcher calls it when a writer comes; idempotent. A concurrent in-place write to the mapping
    // (a training step) that lands between the copy of its page and the switch is lost.
    void detach();

private:
    MappedFile() = default;
    void readWhole(int fd);
    void dropLease();

    mutable std::mutex m_mutex; // guards the backing against a detach in the watcher thread
    std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
    std::filesystem::path m_path;
    Backing m_backing = Backing::Copied;
    int m_fd = -1; // held open while Leased: the lease lives on it
};

} // namespace anatomist::core
