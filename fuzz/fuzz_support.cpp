#include "fuzz_support.h"

#include "errors.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <unistd.h>

namespace anatomist::fuzz {

const std::filesystem::path& scratchDir() {
    static const std::filesystem::path dir = [] {
        const std::filesystem::path base = std::filesystem::is_directory("/dev/shm")
                                               ? "/dev/shm"
                                               : std::filesystem::temp_directory_path();
        auto d = base / ("anatomist-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(scratchDir(), ec);
        });
        return d;
    }();
    return dir;
}

std::filesystem::path writeInput(std::string_view name, const uint8_t* data, std::size_t size) {
    auto path = scratchDir() / std::string(name);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) {
        std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
        std::abort();
    }
    return path;
}

void expectTypedErrors(const char* target, const std::function<void()>& parse) {
    try {
        parse();
    } catch (const core::Error&) {
        // The documented way to refuse an input.
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: untyped exception escaped the parser: %s\n", target, e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "%s: unknown exception escaped the parser\n", target);
        std::abort();
    }
}

} // namespace anatomist::fuzz
