#pragma once
// Process-wide settings, in one place. Each main() calls configureProcess() once, first thing:
// anatomist-cli and anatomist in their main(), every test executable through
// tests/support/process_setup.cpp. Library code (model loading, analyses) never changes them.
//
// - torch's intra-op threads: the machine's cores (bench, train, distill and lora --threads
//   override it for their run).
// - glibc malloc keeps large blocks in the heap (mmap threshold 512 MiB, trim threshold 1 GiB). The
//   activations of a forward pass are large, short-lived buffers; served by fresh mmaps, every
//   batch pays page faults for zeroed pages (a third of the eval time on small models).
// - OpenMP's wait policy defaults to PASSIVE. libtorch parallelises element-wise work with OpenMP
//   (libgomp) while matrix products run on OpenBLAS's own threads; libgomp's default spin-wait
//   keeps the cores busy exactly when OpenBLAS needs them (on 2 cores it halved prefill speed,
//   258 → 497 tokens/s on the smollm2-135m shape, and divided decode speed by 3). libgomp reads
//   OMP_WAIT_POLICY in its load-time constructor, before main() and before anything the
//   executable can run (a .preinit_array setenv is undone: libc's own initialiser resets environ
//   after it). So the default comes from app/process_defaults.cpp, linked into every executable
//   (CMake: anatomist_process_defaults): the executable's getenv, which libgomp's call binds to,
//   answers "PASSIVE" for OMP_WAIT_POLICY when the environment does not set it. A value the user
//   sets wins. This replaced a re-execution of the program with the variable set, which cost a
//   second start of the process (about half of `anatomist-cli info`'s wall time).
// - Weight files are mapped under a read lease (io/mapped_file.h): a realtime signal's handler
//   and a watcher thread that copy a mapping into memory before another program may change the
//   file. Without them files are read instead of mapped.

namespace anatomist::core {

void configureProcess();

} // namespace anatomist::core
