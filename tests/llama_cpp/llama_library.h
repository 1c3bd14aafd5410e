#pragma once
// Loading llama.cpp's libraries from the npm package's folder with dlopen and looking up their
// functions: shared by llama_probe (tests) and benchmarks/llama_decode_probe.cpp.

#include <cstdlib>
#include <dlfcn.h>
#include <stdexcept>
#include <string>

namespace llama_abi {

inline void*& llamaHandle() {
    static void* handle = nullptr;
    return handle;
}

template <typename F> F symbol(const char* name) {
    void* p = dlsym(llamaHandle(), name);
    if (!p)
        throw std::runtime_error(std::string("libllama has no symbol ") + name);
    return reinterpret_cast<F>(p);
}

inline void quietLog(int, const char*, void*) {}

// Opens libggml and libllama in `dir`, loads the CPU backends found there and initialises llama.cpp
// (its log silenced unless LLAMA_PROBE_VERBOSE is set).
inline void openLibrary(const std::string& dir) {
    // libggml's CPU backends are separate libraries it loads from a folder at run time.
    void* ggml = dlopen((dir + "/libggml.v0.5.0.so").c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!ggml)
        throw std::runtime_error(dlerror());
    llamaHandle() = dlopen((dir + "/libllama.v0.5.0.so").c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!llamaHandle())
        throw std::runtime_error(dlerror());
    if (!std::getenv("LLAMA_PROBE_VERBOSE"))
        symbol<void (*)(void (*)(int, const char*, void*), void*)>("llama_log_set")(quietLog,
                                                                                    nullptr);
    auto loadAll =
        reinterpret_cast<void (*)(const char*)>(dlsym(ggml, "ggml_backend_load_all_from_path"));
    if (!loadAll)
        throw std::runtime_error("libggml has no ggml_backend_load_all_from_path");
    loadAll(dir.c_str());
    symbol<void (*)()>("llama_backend_init")();
}

} // namespace llama_abi
