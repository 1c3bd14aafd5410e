# Compiler, cache and sanitizer settings shared by every target.

find_program(ANATOMIST_CCACHE ccache)
if(ANATOMIST_CCACHE)
    # The torch precompiled header changes ccache's hashing rules; these sloppiness flags are the
    # ones ccache documents as required for PCH users.
    set(CMAKE_CXX_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env
        "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
        ${ANATOMIST_CCACHE})
endif()

add_library(anatomist_warnings INTERFACE)
target_compile_options(anatomist_warnings INTERFACE
    -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-restrict -Winvalid-pch)

if(ANATOMIST_ENABLE_ASAN)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()

# Build-time policy for libtorch: parsing its headers costs ~10 s and loading a precompiled header
# ~5 s per translation unit, so torch-heavy targets get one small PCH (core/torch_headers.h) and are
# compiled in unity batches, which pays the PCH load once per batch instead of once per file.
# Sources that never include torch opt out with the ANATOMIST_NO_TORCH source property below.
option(ANATOMIST_UNITY_BUILD "Compile torch-heavy targets in unity batches" ON)
set(ANATOMIST_TORCH_PCH "${CMAKE_SOURCE_DIR}/core/torch_headers.h")

function(anatomist_use_torch_pch target)
    target_precompile_headers(${target} PRIVATE "${ANATOMIST_TORCH_PCH}")
    if(ANATOMIST_UNITY_BUILD)
        set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
endfunction()

# Marks torch-free sources: no PCH load, and kept out of unity batches.
function(anatomist_torch_free_sources target)
    set_source_files_properties(${ARGN} TARGET_DIRECTORY ${target} PROPERTIES
        SKIP_PRECOMPILE_HEADERS ON SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()

# Executables and tests reuse core's precompiled header instead of building their own (a torch PCH
# costs ~20 s to build); the flags match because every target compiles with the same settings.
function(anatomist_reuse_torch_pch target)
    target_precompile_headers(${target} REUSE_FROM anatomist_core)
    # Executables default to -fPIE, which a -fPIC header refuses; -fPIC objects link into them fine.
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
        set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
        target_compile_options(${target} PRIVATE -fPIC)
    endif()
    if(ANATOMIST_UNITY_BUILD)
        set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
endfunction()

# The process defaults every executable carries (app/process_defaults.cpp; why: see
# core/process_environment.h): the source must be part of the executable and its getenv exported.
function(anatomist_process_defaults target)
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/app/process_defaults.cpp)
    target_link_options(${target} PRIVATE "LINKER:--export-dynamic-symbol=getenv")
    anatomist_torch_free_sources(${target} ${PROJECT_SOURCE_DIR}/app/process_defaults.cpp)
endfunction()
