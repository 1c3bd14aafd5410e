#include "train/heap_reuse.h"

#include <climits>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace anatomist::core {

namespace {

std::mutex g_mutex;
int g_depth = 0;

} // namespace

HeapReuseScope::HeapReuseScope() {
#if defined(__GLIBC__)
    const std::lock_guard lock(g_mutex);
    if (g_depth++ == 0) {
        mallopt(M_MMAP_MAX, 0);                // large blocks from the heap, not fresh mappings
        mallopt(M_TRIM_THRESHOLD, INT_MAX);    // and freed ones stay there for the next step
        mallopt(M_TOP_PAD, 256 * 1024 * 1024); // grow the heap in big steps
    }
#endif
}

HeapReuseScope::~HeapReuseScope() {
#if defined(__GLIBC__)
    const std::lock_guard lock(g_mutex);
    if (--g_depth == 0) {
        // glibc's documented defaults (mallopt(3)), then give the kept memory back.
        mallopt(M_MMAP_MAX, 65536);
        mallopt(M_TRIM_THRESHOLD, 128 * 1024);
        mallopt(M_TOP_PAD, 0);
        malloc_trim(0);
    }
#endif
}

} // namespace anatomist::core
