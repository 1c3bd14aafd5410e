#include "process_environment.h"

#include "io/mapped_file.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <malloc.h>
#include <thread>

namespace anatomist::core {

void configureProcess() {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    at::set_num_threads(static_cast<int>(cores));
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    enableLeasedMappings();
}

} // namespace anatomist::core
