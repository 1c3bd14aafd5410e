#include "mapped_file.h"

#include "errors.h"

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace anatomist::core {

namespace {

int g_breakPipe = -1; // write end: the signal handler passes the leased descriptor through it

void onLeaseBreak(int, siginfo_t* info, void*) {
    const int saved = errno;
    const int fd = info->si_fd;
    [[maybe_unused]] const auto written = ::write(g_breakPipe, &fd, sizeof fd);
    errno = saved;
}

// One thread per process acts on broken leases. Each leased descriptor carries a realtime signal
// (F_SETSIG, so the signal names the descriptor) aimed at that thread (F_SETOWN_EX, set after the
// lease because taking a lease makes the whole process the owner again); the handler, which may
// also run in another thread, only writes the descriptor into a pipe that the thread reads. The
// copy itself must not run in a signal handler.
class LeaseWatcher {
public:
    // Null until enableLeasedMappings(); then never destroyed (it lives with the process).
    static std::atomic<LeaseWatcher*>& instance() {
        static std::atomic<LeaseWatcher*> watcher{nullptr};
        return watcher;
    }

    // Takes a read lease on `fd` for `file`; false when the kernel refuses one (or in a forked
    // child, which has no watcher thread, or when no signal was free).
    bool guard(int fd, const std::shared_ptr<MappedFile>& file) {
        if (m_signal < 0 || ::getpid() != m_pid || ::fcntl(fd, F_SETSIG, m_signal) != 0)
            return false;
        {
            std::lock_guard lock(m_mutex);
            m_files[fd] = file;
        }
        if (::fcntl(fd, F_SETLEASE, F_RDLCK) != 0) {
            forget(fd);
            return false;
        }
        f_owner_ex owner{F_OWNER_TID, m_tid};
        ::fcntl(fd, F_SETOWN_EX, &owner); // if this fails the handler still hears it
        return true;
    }

    void forget(int fd) {
        std::lock_guard lock(m_mutex);
        m_files.erase(fd);
    }

    LeaseWatcher()
        : m_pid(::getpid()) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            return;
        ::fcntl(fds[1], F_SETFL, O_NONBLOCK); // the handler never blocks
        g_breakPipe = fds[1];
        // The first realtime signal nobody handles yet (glibc keeps the lowest ones for itself).
        for (int sig = SIGRTMIN + 4; sig <= SIGRTMAX && m_signal < 0; ++sig) {
            struct sigaction current {};
            if (::sigaction(sig, nullptr, &current) != 0 || current.sa_handler != SIG_DFL)
                continue;
            struct sigaction action {};
            action.sa_sigaction = onLeaseBreak;
            action.sa_flags = SA_SIGINFO | SA_RESTART;
            sigemptyset(&action.sa_mask);
            if (::sigaction(sig, &action, nullptr) == 0)
                m_signal = sig;
        }
        if (m_signal < 0)
            return;
        std::mutex startMutex;
        std::condition_variable started;
        bool ready = false;
        const int readEnd = fds[0];
        std::thread([this, readEnd, &startMutex, &started, &ready] {
            {
                std::lock_guard lock(startMutex);
                m_tid = static_cast<pid_t>(::syscall(SYS_gettid));
                ready = true;
            }
            started.notify_one();
            run(readEnd);
        }).detach();
        std::unique_lock lock(startMutex);
        started.wait(lock, [&] { return ready; });
    }

private:
    [[noreturn]] void run(int readEnd) {
        for (;;) {
            int fd = -1;
            if (::read(readEnd, &fd, sizeof fd) != ssize_t(sizeof fd))
                continue;
            std::shared_ptr<MappedFile> file;
            {
                std::lock_guard lock(m_mutex);
                if (auto it = m_files.find(fd); it != m_files.end())
                    file = it->second.lock();
            }
            if (file)
                file->detach();
        }
    }

    const pid_t m_pid;
    int m_signal = -1;
    pid_t m_tid = 0;
    std::mutex m_mutex;
    std::map<int, std::weak_ptr<MappedFile>> m_files; // leased descriptor → its file
};

// Forgets `fd` in the watcher, if there is one.
void forgetLease(int fd) {
    if (auto* watcher = LeaseWatcher::instance().load())
        watcher->forget(fd);
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int err) {
    throw IoError(path.string() + ": " + what + " (" + std::strerror(err) + ")");
}

} // namespace

void enableLeasedMappings() {
    static std::once_flag once;
    std::call_once(once, [] { LeaseWatcher::instance().store(new LeaseWatcher()); });
}

std::shared_ptr<MappedFile> MappedFile::open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(path, "cannot open", errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        fail(path, "cannot stat", err);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw IoError(path.string() + (S_ISDIR(st.st_mode) ? ": is a folder, expected a file"
                                                           : ": not a regular file"));
    }
    std::shared_ptr<MappedFile> file(new MappedFile());
    file->m_path = path;
    // Held until the file is in memory, so that a lease broken at once waits for the mapping.
    std::lock_guard lock(file->m_mutex);
    file->m_fd = fd;
    file->m_backing = Backing::Leased;
    auto* watcher = LeaseWatcher::instance().load();
    if (!watcher || !watcher->guard(fd, file)) {
        file->m_fd = -1;
        file->m_backing = Backing::Copied;
        try {
            file->readWhole(fd);
        } catch (...) {
            ::close(fd);
            throw;
        }
        ::close(fd);
        return file;
    }
    // With the lease held nobody can be writing the file, so this size is the size.
    if (::fstat(fd, &st) != 0)
        fail(path, "cannot stat", errno);
    file->m_size = static_cast<std::size_t>(st.st_size);
    if (file->m_size > 0) {
        void* p = ::mmap(nullptr, file->m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
            fail(path, "cannot map into memory", errno);
        file->m_data = static_cast<std::uint8_t*>(p);
    }
    return file;
}

void MappedFile::readWhole(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        fail(m_path, "cannot stat", errno);
    const auto expected = static_cast<std::size_t>(st.st_size);
    if (expected == 0)
        return;
    void* p = ::mmap(nullptr, expected, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        fail(m_path, "cannot allocate memory to read it", errno);
    m_data = static_cast<std::uint8_t*>(p);
    m_size = expected;
    std::size_t done = 0;
    while (done < expected) {
        const ssize_t n = ::pread(fd, m_data + done, expected - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(m_path, "cannot read", errno);
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    if (done != expected || ::fstat(fd, &st) != 0 ||
        static_cast<std::size_t>(st.st_size) != expected)
        throw IoError(m_path.string() + ": changed size while being read (" +
                      std::to_string(expected) + " bytes when opened, " + std::to_string(done) +
                      " read); another program is writing it");
}

MappedFile::~MappedFile() {
    {
        std::lock_guard lock(m_mutex);
        dropLease();
    }
    if (m_data)
        ::munmap(m_data, m_size);
}

MappedFile::Backing MappedFile::backing() const {
    std::lock_guard lock(m_mutex);
    return m_backing;
}

void MappedFile::dropLease() {
    if (m_fd < 0)
        return;
    forgetLease(m_fd);
    ::fcntl(m_fd, F_SETLEASE, F_UNLCK); // explicitly: a forked child may hold a duplicate
    ::close(m_fd);
    m_fd = -1;
}

void MappedFile::release(const void* begin, std::size_t bytes) {
    std::lock_guard lock(m_mutex);
    if (m_backing != Backing::Leased || m_fd < 0 || !contains(begin) ||
        bytes > m_size - std::size_t(static_cast<const std::uint8_t*>(begin) - m_data))
        return;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto from = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
    const auto to = (reinterpret_cast<std::uintptr_t>(begin) + bytes) / page * page;
    if (to > from)
        ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
}

void MappedFile::detach() {
    std::lock_guard lock(m_mutex);
    if (m_backing != Backing::Leased || m_fd < 0)
        return;
    bool copied = m_size == 0;
    if (!copied) {
        void* copy =
            ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (copy != MAP_FAILED) {
            std::memcpy(copy, m_data, m_size);
            // Atomically replaces the file's pages by the copy: readers see the same bytes.
            copied =
                ::mremap(copy, m_size, m_size, MREMAP_MAYMOVE | MREMAP_FIXED, m_data) != MAP_FAILED;
            if (!copied)
                ::munmap(copy, m_size);
        }
    }
    // The writer must go on either way (the kernel would break the lease after
    // /proc/sys/fs/lease-break-time anyway); without memory for the copy the mapping stays the
    // file's, and a truncation can then still fault it.
    dropLease();
    if (copied)
        m_backing = Backing::Detached;
}

} // namespace anatomist::core
