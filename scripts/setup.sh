#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   scripts/setup.sh launch [MODEL]   install what is missing, build, open the application
#   scripts/setup.sh test             install what is missing, build, run the whole test suite
# It installs Debian packages (with sudo when not root), makes OpenBLAS the BLAS libtorch uses and
# checks that by measuring a 1024² sgemm, then builds the release preset with CMake and Ninja.
set -euo pipefail

mode="${1:-launch}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(
    build-essential cmake ninja-build ccache pkg-config git
    libtorch-dev libgloo-dev libopenblas0-pthread
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
    libqcustomplot-dev nlohmann-json3-dev libpcre2-dev libicu-dev
    xvfb xauth
    desktop-file-utils appstream
)
# npm installs llama.cpp's prebuilt libraries for the tests that compare with llama.cpp; a machine
# that already has npm (e.g. from another Node.js distribution) keeps its own.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# The test mode's sanitizer pass (scripts/ci_sanitizers.sh) builds the fuzz targets with clang and
# libFuzzer; format_check (scripts/check_format.sh) runs clang-format 14.
[ "$mode" = test ] && packages+=(clang-14 libclang-rt-14-dev clang-format-14)

say() { printf '\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

# libtorch calls the generic libblas.so.3, which Debian resolves through alternatives; the reference
# BLAS makes matrix products ~20x slower than OpenBLAS.
select_openblas() {
    local arch; arch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
    local blas="/usr/lib/$arch/openblas-pthread/libblas.so.3"
    local lapack="/usr/lib/$arch/openblas-pthread/liblapack.so.3"
    [ -e "$blas" ] || die "OpenBLAS (libopenblas0-pthread) is not installed: $blas is missing"
    if [ "$(readlink -f "/usr/lib/$arch/libblas.so.3")" != "$(readlink -f "$blas")" ]; then
        say "selecting OpenBLAS as the system BLAS"
        as_root update-alternatives --set "libblas.so.3-$arch" "$blas"
    fi
    if [ -e "$lapack" ] && [ "$(readlink -f "/usr/lib/$arch/liblapack.so.3")" != "$(readlink -f "$lapack")" ]; then
        as_root update-alternatives --set "liblapack.so.3-$arch" "$lapack" || true
    fi
}

build() {
    say "configuring and building (release preset)"
    cmake --preset release
    cmake --build --preset release
}

check_blas_speed() {
    say "checking the BLAS libtorch uses (1024² sgemm)"
    build/release/app/cli/anatomist-cli sgemm --size 1024 --min-gflops 40 ||
        die "libtorch's matrix products are too slow: the BLAS in use is not OpenBLAS (see above)"
}

install_missing
select_openblas
build
check_blas_speed

case "$mode" in
    test)
        say "running the test suite"
        ctest --preset release
        ;;
    launch)
        gui=build/release/app/gui/anatomist
        if [ -x "$gui" ]; then
            if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
                say "no display: rendering the main window to build/anatomist.png instead"
                QT_QPA_PLATFORM=offscreen "$gui" "$@" --screenshot build/anatomist.png
            else
                exec "$gui" "$@"
            fi
        else
            model="${1:-$root/resources/demo/model}"
            say "the GUI is not built; model summary of $model"
            build/release/app/cli/anatomist-cli info "$model" --depth 2
        fi
        ;;
    *)
        die "unknown mode '$mode' (use: launch [MODEL] | test)"
        ;;
esac
