#include "process_environment.h"

#include <cstdlib>
#include <unistd.h>

namespace anatomist::core {

void applyProcessEnvironment(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("ANATOMIST_NO_REEXEC"))
        return;
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv);
    // exec failed (no /proc): carry on with the spinning default rather than not at all.
}

} // namespace anatomist::core
