#include "local_launch.h"

#include "args.h"
#include "train/communicator.h"

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <netinet/in.h>
#include <signal.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace anatomist::cli {

namespace {

std::atomic<int> g_forwardSignal{0};

void onSignal(int signal) {
    g_forwardSignal.store(signal);
}

// A port nobody listens on now (the kernel picks it); rank 0 binds it moments later.
int freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw std::runtime_error("--nproc: cannot open a socket to pick a port");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t length = sizeof addr;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0;
    ::close(fd);
    if (!ok)
        throw std::runtime_error("--nproc: cannot find a free port on 127.0.0.1");
    return ntohs(addr.sin_port);
}

int exitStatus(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

} // namespace

std::vector<std::string> withoutOption(const std::vector<std::string>& arguments,
                                       const std::string& name) {
    std::vector<std::string> out;
    const std::string flag = "--" + name;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == flag) {
            ++i; // and its value
            continue;
        }
        if (arguments[i].rfind(flag + "=", 0) == 0)
            continue;
        out.push_back(arguments[i]);
    }
    return out;
}

int launchLocalRanks(const std::string& command, const std::vector<std::string>& arguments,
                     int nproc, double graceSeconds) {
    const int port = freeLoopbackPort();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const bool threadsSet = std::getenv("OMP_NUM_THREADS") != nullptr;
    // Everything execve needs is built before fork: the child only calls async-signal-safe code.
    std::vector<std::vector<std::string>> environments(nproc);
    for (int rank = 0; rank < nproc; ++rank) {
        auto& env = environments[rank];
        for (char** e = environ; *e; ++e) {
            const std::string entry = *e;
            bool ours = false;
            for (const char* name : {"RANK=", "WORLD_SIZE=", "LOCAL_RANK=", "LOCAL_WORLD_SIZE=",
                                     "MASTER_ADDR=", "MASTER_PORT="})
                ours = ours || entry.rfind(name, 0) == 0;
            if (!ours)
                env.push_back(entry);
        }
        env.push_back("RANK=" + std::to_string(rank));
        env.push_back("LOCAL_RANK=" + std::to_string(rank));
        env.push_back("WORLD_SIZE=" + std::to_string(nproc));
        env.push_back("LOCAL_WORLD_SIZE=" + std::to_string(nproc));
        env.push_back("MASTER_ADDR=127.0.0.1");
        env.push_back("MASTER_PORT=" + std::to_string(port));
        if (!threadsSet)
            env.push_back("OMP_NUM_THREADS=" +
                          std::to_string(std::max(1u, cores / unsigned(nproc))));
    }
    std::vector<std::string> argvStrings{"anatomist-cli", command};
    argvStrings.insert(argvStrings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& a : argvStrings)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    struct sigaction oldInt {
    }, oldTerm{};
    sigaction(SIGINT, &action, &oldInt);
    sigaction(SIGTERM, &action, &oldTerm);

    std::vector<pid_t> children;
    for (int rank = 0; rank < nproc; ++rank) {
        std::vector<char*> envp;
        for (auto& e : environments[rank])
            envp.push_back(e.data());
        envp.push_back(nullptr);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::execve("/proc/self/exe", argv.data(), envp.data());
            ::_exit(127);
        }
        if (pid < 0) {
            for (pid_t child : children)
                ::kill(child, SIGTERM);
            throw std::runtime_error("--nproc: cannot start rank " + std::to_string(rank) + ": " +
                                     std::strerror(errno));
        }
        children.push_back(pid);
    }

    using Clock = std::chrono::steady_clock;
    int result = 0;
    int running = nproc;
    std::vector<bool> done(nproc, false);
    Clock::time_point deadline = Clock::time_point::max();
    bool terminated = false;
    while (running > 0) {
        if (const int signal = g_forwardSignal.exchange(0); signal != 0)
            for (int r = 0; r < nproc; ++r)
                if (!done[r])
                    ::kill(children[r], signal);
        if (!terminated && Clock::now() > deadline) {
            for (int r = 0; r < nproc; ++r)
                if (!done[r]) {
                    std::cerr << "anatomist-cli " << command << ": stopping rank " << r
                              << " (another rank failed)\n";
                    ::kill(children[r], SIGTERM);
                }
            terminated = true;
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid <= 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        for (int r = 0; r < nproc; ++r) {
            if (children[r] != pid || done[r])
                continue;
            done[r] = true;
            --running;
            const int code = exitStatus(status);
            if (code != 0 && result == 0) {
                result = code;
                if (code == 130) // the rank's own "cancelled" line said it all
                    std::cerr << "anatomist-cli " << command << ": rank " << r << " cancelled\n";
                else
                    std::cerr << "anatomist-cli " << command << ": rank " << r
                              << " failed (exit status " << code << ")\n";
                deadline = Clock::now() + std::chrono::milliseconds(int64_t(graceSeconds * 1000));
            }
        }
    }
    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    return result;
}

std::optional<int> launchIfAsked(const std::string& command,
                                 const std::vector<std::string>& arguments, const Args& args) {
    if (!args.has("nproc"))
        return std::nullopt;
    const auto nproc = args.intValue("nproc", 1);
    if (nproc < 1 || nproc > 1024)
        throw UsageError("--nproc must be from 1 to 1024");
    if (std::getenv("WORLD_SIZE"))
        throw UsageError("--nproc starts its own ranks; this process is already one (WORLD_SIZE is "
                         "set): drop --nproc when a launcher such as torchrun starts the ranks");
    if (nproc == 1)
        return std::nullopt;
    double timeout = args.doubleValue("dist-timeout", 0);
    if (const char* env = std::getenv("ANATOMIST_DIST_TIMEOUT"); timeout <= 0 && env)
        timeout = std::atof(env);
    if (timeout <= 0)
        timeout = core::DistributedOptions{}.timeoutSeconds;
    return launchLocalRanks(command, withoutOption(arguments, "nproc"), int(nproc), timeout + 10);
}

std::shared_ptr<core::Communicator> joinFromEnvironment(const Args& args) {
    auto options = core::distributedOptionsFromEnvironment();
    if (!options || options->worldSize == 1) // torchrun with one process: nothing to talk to
        return nullptr;
    if (args.has("bucket-kb")) {
        const auto kb = args.intValue("bucket-kb", 0);
        if (kb < 0 || kb > (int64_t(1) << 30))
            throw UsageError("--bucket-kb must be 0 (one bucket after backward) or more");
        options->bucketBytes = kb * 1024;
    }
    if (args.has("dist-timeout")) {
        options->timeoutSeconds = args.doubleValue("dist-timeout", 0);
        if (!(options->timeoutSeconds > 0))
            throw UsageError("--dist-timeout must be a positive number of seconds");
    }
    return core::Communicator::connect(*options);
}

} // namespace anatomist::cli
