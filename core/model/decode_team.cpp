#include "decode_team.h"

#include <climits>
#include <linux/futex.h>
#include <omp.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace anatomist::core {

namespace {

// About 50–100 µs of pause instructions before sleeping: longer than any phase of a step.
constexpr int kSpins = 4000;

void relax() {
#if defined(__x86_64__)
    _mm_pause();
#endif
}

} // namespace

void runOnTeam(int wanted, const std::function<void(int, int)>& fn) {
    if (wanted <= 1 || omp_in_parallel()) {
        fn(0, 1);
        return;
    }
    // `wanted` is libtorch's thread count, which it also gives OpenMP (at::set_num_threads), so
    // the clause matches the pool libgomp keeps and bounds the team by the caller's buffers.
#pragma omp parallel num_threads(wanted)
    { fn(omp_get_thread_num(), omp_get_num_threads()); }
}

void TeamBarrier::arriveAndWait(int threads) {
    if (threads <= 1)
        return;
    const int generation = m_generation.load(std::memory_order_acquire);
    if (m_arrived.fetch_add(1, std::memory_order_acq_rel) == threads - 1) {
        m_arrived.store(0, std::memory_order_relaxed);
        m_generation.fetch_add(1, std::memory_order_seq_cst);
        if (m_sleepers.load(std::memory_order_seq_cst) > 0)
            syscall(SYS_futex, reinterpret_cast<int*>(&m_generation), FUTEX_WAKE_PRIVATE, INT_MAX,
                    nullptr, nullptr, 0);
        return;
    }
    for (int spin = 0; spin < kSpins; ++spin) {
        if (m_generation.load(std::memory_order_acquire) != generation)
            return;
        relax();
    }
    // Dekker-style with the releasing thread: either it sees this sleeper, or this thread sees the
    // new generation before sleeping (and the kernel re-checks the value atomically).
    m_sleepers.fetch_add(1, std::memory_order_seq_cst);
    while (m_generation.load(std::memory_order_seq_cst) == generation)
        syscall(SYS_futex, reinterpret_cast<int*>(&m_generation), FUTEX_WAIT_PRIVATE, generation,
                nullptr, nullptr, 0);
    m_sleepers.fetch_sub(1, std::memory_order_relaxed);
}

} // namespace anatomist::core
