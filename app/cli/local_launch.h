#pragma once
// `--nproc N`: one machine, N data-parallel processes, started the way torchrun would start them.

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {
class Communicator;
}

namespace anatomist::cli {

class Args;

// The options every data-parallel command accepts: --nproc N, --dist-timeout SECONDS, --bucket-kb
// KB (gradient buckets summed while backward runs; 0: one bucket after it).
inline constexpr const char* kParallelOptions[] = {"nproc", "dist-timeout", "bucket-kb"};

// With --nproc N > 1: starts the N ranks (launchLocalRanks) and returns their exit status; else
// nullopt (this process is the run, or one rank of it). UsageError when --nproc is given inside a
// launched rank (WORLD_SIZE set) or is below 1.
std::optional<int> launchIfAsked(const std::string& command,
                                 const std::vector<std::string>& arguments, const Args& args);

// The communicator of a rank started by --nproc, torchrun or any launcher that sets torchrun's
// variables; null when WORLD_SIZE is unset or 1 (one process). --dist-timeout overrides
// ANATOMIST_DIST_TIMEOUT.
std::shared_ptr<core::Communicator> joinFromEnvironment(const Args& args);

// Runs `anatomist-cli command arguments` N times (this very executable, /proc/self/exe) with
// RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and a free MASTER_PORT
// set, and OMP_NUM_THREADS = cores / N unless already set. SIGINT and SIGTERM are passed on. When a
// rank fails, the others get graceSeconds to stop on their own (they see the lost peer), then
// SIGTERM. Returns 0 when every rank succeeded, else the first failure's exit status
// (128 + signal when it was killed).
int launchLocalRanks(const std::string& command, const std::vector<std::string>& arguments,
                     int nproc, double graceSeconds);

// `arguments` without `--name VALUE` (and `--name=VALUE`).
std::vector<std::string> withoutOption(const std::vector<std::string>& arguments,
                                       const std::string& name);

} // namespace anatomist::cli
