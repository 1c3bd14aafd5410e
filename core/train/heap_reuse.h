#pragma once
// Keeps freed memory in the process heap while training runs. A step allocates and frees the same
// large tensors every time (the logits and their gradients: tokens × vocabulary floats, hundreds
// of MB); glibc's default gives each a fresh mapping (or trims the heap) and the kernel zeroes the
// pages again on first touch. perf on the distillation benchmark (CPU, 2 threads) showed over a
// third of the step in the kernel (page faults, clear_page, unmapping); keeping the memory cut the
// step time by about a quarter. The price: the process keeps its peak heap until the last scope
// ends, when the default policy comes back and the heap is trimmed.
//
// Process-wide (malloc's settings are global); scopes nest and may overlap across threads. A no-op
// without glibc.

namespace anatomist::core {

class HeapReuseScope {
public:
    HeapReuseScope();
    ~HeapReuseScope();
    HeapReuseScope(const HeapReuseScope&) = delete;
    HeapReuseScope& operator=(const HeapReuseScope&) = delete;
};

} // namespace anatomist::core
