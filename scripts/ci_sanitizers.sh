#!/usr/bin/env bash
# CI's sanitizer pass (run by .ci/run after the test suite): builds the parsers of outside input
# with clang's AddressSanitizer + UBSan + libFuzzer (the `fuzz` preset), replays each target's seed
# corpus (generated from ../shared by scripts/fuzz_seeds.py) and the committed reproducers of past
# findings (fuzz/regressions/), then runs a fixed number of mutations from a fixed seed, so the
# pass is the same on every run of the same code: open-ended fuzzing (scripts/fuzz.sh TARGET
# SECONDS) finds new bugs, CI keeps them found. Any crash, sanitizer report or untyped exception
# fails the pass; the reproducer is left in build/fuzz/crashes/TARGET/. FUZZ_RUNS sets the
# mutations per target (default 20000). Then the bad-input suites (label bad_input: hostile files
# through the readers, the model loader's errors, the malformed model folders through the CLI) on
# a gcc ASan + UBSan build of core and the CLI (the `asan-bad-input` preset: -O1 -g1, only the
# three targets those suites run). Then the job runner's tests under ThreadSanitizer (the
# `tsan` preset: gcc -fsanitize=thread, only the runner's sources, about a minute of CPU to build;
# tests/tsan/tsan.supp lists what uninstrumented Qt hides from TSan).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export FUZZ_RUNS="${FUZZ_RUNS:-20000}"
start=$(date +%s)
command -v clang++-14 >/dev/null || { echo "ci_sanitizers: clang++-14 is missing (scripts/setup.sh test installs it)" >&2; exit 1; }
printf '\033[1m== %s\033[0m\n' "sanitizer pass: building the fuzz targets (clang-14, ASan + UBSan)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
failed=0
for target in $(scripts/fuzz.sh list); do
    # A fresh corpus each time: CI measures the seeds and a short run, not an accumulated corpus.
    rm -rf "build/fuzz/corpus/$target"
    FUZZ_NO_BUILD=1 scripts/fuzz.sh "$target" 0 || failed=1
done
printf '\033[1m== %s\033[0m\n' "sanitizer pass: the bad-input suites under ASan + UBSan"
asan_start=$(date +%s)
cmake --preset asan-bad-input >/dev/null
cmake --build --preset asan-bad-input
ctest --preset asan-bad-input || failed=1
echo "sanitizer pass: bad-input suites under ASan: $(( $(date +%s) - asan_start )) s"
printf '\033[1m== %s\033[0m\n' "sanitizer pass: the job runner's tests under ThreadSanitizer"
cmake --preset tsan >/dev/null
cmake --build --preset tsan
ctest --preset tsan || failed=1
echo "sanitizer pass: $(( $(date +%s) - start )) s"
exit "$failed"
