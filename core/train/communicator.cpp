#include "train/communicator.h"

#include "errors.h"

// ProcessGroupGloo.hpp declares its class only when the build says Gloo is there (libtorch's own
// build defines this; Debian's libtorch ships Gloo and links libgloo).
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <chrono>
#include <cstdlib>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

namespace anatomist::core {

namespace {

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (!value || !*value)
        return std::nullopt;
    return std::string(value);
}

int64_t envInteger(const char* name, const std::string& text, int64_t lo, int64_t hi) {
    std::size_t used = 0;
    int64_t value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || value < lo || value > hi)
        throw InvalidArgument(std::string("environment variable ") + name + "='" + text +
                              "': expected an integer from " + std::to_string(lo) + " to " +
                              std::to_string(hi));
    return value;
}

bool isLoopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

// A torch message's first line (the rest is a C++ backtrace).
std::string firstLine(const std::exception& e) {
    std::string text;
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e))
        text = c10->what_without_backtrace();
    else
        text = e.what();
    return text.substr(0, text.find('\n'));
}

} // namespace

std::optional<DistributedOptions> distributedOptionsFromEnvironment() {
    const auto world = env("WORLD_SIZE");
    if (!world) {
        if (env("RANK"))
            throw InvalidArgument("environment variable RANK is set but WORLD_SIZE is not");
        return std::nullopt;
    }
    DistributedOptions options;
    options.worldSize = int(envInteger("WORLD_SIZE", *world, 1, 1 << 20));
    if (const auto rank = env("RANK"))
        options.rank = int(envInteger("RANK", *rank, 0, options.worldSize - 1));
    else if (options.worldSize > 1)
        throw InvalidArgument("environment variable WORLD_SIZE=" + *world +
                              " is set but RANK is not");
    options.localRank = options.rank;
    if (const auto local = env("LOCAL_RANK"))
        options.localRank = int(envInteger("LOCAL_RANK", *local, 0, 1 << 20));
    if (const auto addr = env("MASTER_ADDR"))
        options.masterAddr = *addr;
    if (const auto port = env("MASTER_PORT"))
        options.masterPort = int(envInteger("MASTER_PORT", *port, 1, 65535));
    options.useAgentStore =
        env("TORCHELASTIC_USE_AGENT_STORE") == std::optional<std::string>("True");
    if (const auto restarts = env("TORCHELASTIC_RESTART_COUNT"))
        options.restartCount = int(envInteger("TORCHELASTIC_RESTART_COUNT", *restarts, 0, 1 << 20));
    if (const auto timeout = env("ANATOMIST_DIST_TIMEOUT"))
        options.timeoutSeconds = double(envInteger("ANATOMIST_DIST_TIMEOUT", *timeout, 1, 86400));
    return options;
}

struct Communicator::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

Communicator::Communicator(DistributedOptions options)
    : m_options(std::move(options))
    , m_impl(std::make_unique<Impl>()) {}

Communicator::~Communicator() = default;

void Communicator::fail(const std::string& what, const std::exception& e) const {
    throw IoError("distributed run, rank " + std::to_string(m_options.rank) + " of " +
                  std::to_string(m_options.worldSize) + " (master " + m_options.masterAddr + ":" +
                  std::to_string(m_options.masterPort) + "): " + what + ": " + firstLine(e));
}

std::shared_ptr<Communicator> Communicator::connect(const DistributedOptions& options) {
    if (options.worldSize < 1 || options.rank < 0 || options.rank >= options.worldSize)
        throw InvalidArgument("distributed run: rank " + std::to_string(options.rank) +
                              " is outside a world of " + std::to_string(options.worldSize));
    if (options.masterPort < 1 || options.masterPort > 65535)
        throw InvalidArgument("distributed run: master port " + std::to_string(options.masterPort) +
                              " is not a TCP port");
    if (!(options.timeoutSeconds > 0))
        throw InvalidArgument("distributed run: the timeout must be positive");
    std::shared_ptr<Communicator> comm(new Communicator(options));
    const auto timeout = std::chrono::milliseconds(int64_t(options.timeoutSeconds * 1000.0));
    try {
        c10d::TCPStoreOptions storeOptions;
        storeOptions.port = static_cast<std::uint16_t>(options.masterPort);
        storeOptions.isServer = options.rank == 0 && !options.useAgentStore;
        storeOptions.numWorkers = static_cast<std::size_t>(options.worldSize);
        storeOptions.waitWorkers = !options.useAgentStore;
        storeOptions.timeout = timeout;
        comm->m_impl->store = c10::make_intrusive<c10d::TCPStore>(options.masterAddr, storeOptions);
        if (options.useAgentStore)
            comm->m_impl->store = c10::make_intrusive<c10d::PrefixStore>(
                "/worker/attempt_" + std::to_string(options.restartCount), comm->m_impl->store);
    } catch (const std::exception& e) {
        comm->fail(options.rank == 0 && !options.useAgentStore
                       ? "cannot serve the rendezvous or the other ranks did not join"
                       : "cannot reach the master",
                   e);
    }
    try {
        auto groupOptions = c10d::ProcessGroupGloo::Options::create(timeout);
        // Loopback runs stay on loopback; otherwise GLOO_SOCKET_IFNAME or the host name decides.
        if (const auto ifname = env("GLOO_SOCKET_IFNAME"))
            groupOptions->devices.push_back(
                c10d::ProcessGroupGloo::createDeviceForInterface(*ifname));
        else if (isLoopback(options.masterAddr))
            groupOptions->devices.push_back(
                c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        else
            groupOptions->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        comm->m_impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(
            comm->m_impl->store, options.rank, options.worldSize, groupOptions);
    } catch (const std::exception& e) {
        comm->fail("cannot form the Gloo process group", e);
    }
    return comm;
}

void Communicator::allReduceSum(at::Tensor& tensor) {
    if (m_options.worldSize == 1)
        return;
    const bool copy = !tensor.device().is_cpu() || !tensor.is_contiguous();
    std::vector<at::Tensor> buffers{copy ? tensor.cpu().contiguous() : tensor};
    try {
        m_impl->group->allreduce(buffers)->wait();
    } catch (const std::exception& e) {
        fail("all-reduce failed (another rank died, was stopped or did not answer in time)", e);
    }
    if (copy)
        tensor.copy_(buffers[0]);
}

struct PendingReduce::Impl {
    const Communicator* comm = nullptr;
    c10::intrusive_ptr<c10d::Work> work;
    std::vector<at::Tensor> buffers;
};

PendingReduce::PendingReduce() = default;
PendingReduce::PendingReduce(PendingReduce&&) noexcept = default;
PendingReduce& PendingReduce::operator=(PendingReduce&&) noexcept = default;
PendingReduce::~PendingReduce() = default;

void PendingReduce::wait() {
    if (!m_impl || !m_impl->work)
        return;
    const auto work = std::move(m_impl->work);
    try {
        work->wait();
    } catch (const std::exception& e) {
        m_impl->comm->fail(
            "all-reduce failed (another rank died, was stopped or did not answer in time)", e);
    }
}

PendingReduce Communicator::allReduceSumAsync(at::Tensor tensor) {
    TORCH_CHECK(tensor.device().is_cpu() && tensor.is_contiguous(),
                "allReduceSumAsync needs a contiguous CPU tensor");
    PendingReduce pending;
    pending.m_impl = std::make_unique<PendingReduce::Impl>();
    pending.m_impl->comm = this;
    pending.m_impl->buffers = {std::move(tensor)};
    if (m_options.worldSize == 1)
        return pending;
    try {
        pending.m_impl->work = m_impl->group->allreduce(pending.m_impl->buffers);
    } catch (const std::exception& e) {
        fail("all-reduce failed (another rank died, was stopped or did not answer in time)", e);
    }
    return pending;
}

void Communicator::broadcast(at::Tensor& tensor, int root) {
    if (m_options.worldSize == 1)
        return;
    const bool copy = !tensor.device().is_cpu() || !tensor.is_contiguous();
    std::vector<at::Tensor> buffers{copy ? tensor.cpu().contiguous() : tensor};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    try {
        m_impl->group->broadcast(buffers, options)->wait();
    } catch (const std::exception& e) {
        fail("broadcast failed (another rank died, was stopped or did not answer in time)", e);
    }
    if (copy)
        tensor.copy_(buffers[0]);
}

} // namespace anatomist::core
