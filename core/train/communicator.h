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
    // In-place copy of root's tensor to every rank.
    void broadcast(at::Tensor& tensor, int root);

private:
    struct Impl;
    explicit Communicator(DistributedOptions options);
    [[noreturn]] void fail(const std::string& what, const std::exception& e) const;

    DistributedOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

} // namespace anatomist::core
