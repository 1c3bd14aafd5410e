// The executable's getenv: the environment's value, else OpenMP's wait policy PASSIVE (why, and why
// this way: core/process_environment.h). Must be compiled into the executable itself, with getenv
// exported (CMake: anatomist_process_defaults), so that libgomp's getenv call binds to it.

#include <cstdlib>
#include <cstring>
#include <unistd.h>

extern "C" char* getenv(const char* name) noexcept {
    const std::size_t length = std::strlen(name);
    for (char** entry = environ; entry && *entry; ++entry)
        if (std::strncmp(*entry, name, length) == 0 && (*entry)[length] == '=')
            return *entry + length + 1;
    if (std::strcmp(name, "OMP_WAIT_POLICY") == 0)
        return const_cast<char*>("PASSIVE");
    return nullptr;
}
