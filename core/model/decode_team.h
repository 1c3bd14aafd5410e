#pragma once
// The threads of one decode step: libtorch's intra-op OpenMP team (the threads
// torch::set_num_threads sizes), entered once per token instead of once per operator, with a
// barrier between the step's phases. Torch-free; this file's unit is the only one compiled with
// OpenMP (the rest of the project is not, so at::parallel_for in it runs on the calling thread
// alone).

#include <atomic>
#include <cstdint>
#include <functional>

namespace anatomist::core {

// Runs fn(thread, threads) once on each thread of the team: the OpenMP team of the calling thread's
// thread count when `wanted` > 1 and no parallel region is active, else on the calling thread
// alone as fn(0, 1). fn must not throw.
void runOnTeam(int wanted, const std::function<void(int, int)>& fn);

// A barrier for the team above that spins briefly (the phases of a step are microseconds apart)
// and then sleeps on a futex, so that a descheduled partner on a busy machine costs no spinning.
class TeamBarrier {
public:
    // `threads`: the team's size, the same for every caller. The count of arrivals returns to
    // zero after each passage, so the barrier needs no reset between steps.
    void arriveAndWait(int threads);

private:
    alignas(64) std::atomic<int> m_arrived{0};
    alignas(64) std::atomic<int> m_generation{0};
    std::atomic<int> m_sleepers{0};
};

// Hands out [begin, end) pieces of `total` items in chunks to whichever thread asks first, so that
// a thread that starts late (woken from sleep) or is preempted takes less of the work.
class WorkCounter {
public:
    void reset() { m_next.store(0, std::memory_order_relaxed); }
    // False when nothing is left.
    bool take(int64_t total, int64_t chunk, int64_t& begin, int64_t& end) {
        begin = m_next.fetch_add(chunk, std::memory_order_relaxed);
        if (begin >= total)
            return false;
        end = begin + chunk < total ? begin + chunk : total;
        return true;
    }

private:
    alignas(64) std::atomic<int64_t> m_next{0};
};

} // namespace anatomist::core
