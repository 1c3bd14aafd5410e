#pragma once
// Data-parallel processes talking through PyTorch's own distributed engine (c10d): a TCPStore for
// the rendezvous (rank 0 serves it at MASTER_ADDR:MASTER_PORT) and a Gloo process group for the
// collectives. The c10d headers stay in communicator.cpp; callers see plain tensors.
//
// Launch conventions are torchrun's: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT, plus
// ANATOMIST_DIST_TIMEOUT (seconds, default 300): how long a rank waits for the others at the
// rendezvous and in each collective before it gives up with an error.

#include <ATen/Tensor.h>
#include <memory>
#include <optional>
#include <string>

namespace anatomist::core {

struct DistributedOptions {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    double timeoutSeconds = 300;
    // torchrun's default (static) rendezvous: its agent already serves the store at MASTER_PORT
    // (TORCHELASTIC_USE_AGENT_STORE=True), so every rank joins it as a client, under the key
    // prefix of the agent's restart (TORCHELASTIC_RESTART_COUNT), as PyTorch's env:// does.
    bool useAgentStore = false;
    int restartCount = 0;
    // Gradients are summed in buckets of about this size, each started from backward as soon as
    // its parameters' gradients are final (train/gradient_buckets.h); 0: one bucket after backward.
    int64_t bucketBytes = int64_t(1) << 20;
};

class Communicator;

// An all-reduce in flight (Communicator::allReduceSumAsync). wait() returns once the sum is in the
// tensor, or throws IoError as allReduceSum does; until then the tensor must not be touched.
class PendingReduce {
public:
    PendingReduce();
    PendingReduce(PendingReduce&&) noexcept;
    PendingReduce& operator=(PendingReduce&&) noexcept;
    ~PendingReduce();
    void wait();

private:
    friend class Communicator;
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The options torchrun's variables describe; nullopt when WORLD_SIZE is not set. InvalidArgument
// naming the variable when one is malformed, out of range or missing (RANK without WORLD_SIZE ...).
std::optional<DistributedOptions> distributedOptionsFromEnvironment();

class Communicator {
public:
    // Joins the group. IoError naming the master's address when it cannot be reached or the other
    // ranks do not arrive within the timeout (never a hang). InvalidArgument for bad options.
    static std::shared_ptr<Communicator> connect(const DistributedOptions& options);
    ~Communicator();
    Communicator(const Communicator&) = delete;
    Communicator& operator=(const Communicator&) = delete;

    int rank() const { return m_options.rank; }
    int size() const { return m_options.worldSize; }
    const DistributedOptions& options() const { return m_options; }

    // In-place sum over all ranks (a tensor on any device; Gloo reduces a CPU copy). IoError when a
    // rank has died or does not answer within the timeout.
    void allReduceSum(at::Tensor& tensor);
    // Starts an in-place sum of a contiguous CPU tensor and returns at once. Collectives are
    // matched by the order they start in: every rank must start the same ones in the same order.
    PendingReduce allReduceSumAsync(at::Tensor tensor);
    // In-place copy of root's tensor to every rank.
    void broadcast(at::Tensor& tensor, int root);

private:
    friend class PendingReduce;
    struct Impl;
    explicit Communicator(DistributedOptions options);
    [[noreturn]] void fail(const std::string& what, const std::exception& e) const;

    DistributedOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

} // namespace anatomist::core
