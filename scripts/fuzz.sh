#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang-14, ASan + UBSan) and runs one of them.
#   scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags]   run TARGET for SECONDS
#   FUZZ_RUNS=N scripts/fuzz.sh TARGET 0                     N executions from a fixed seed
#   scripts/fuzz.sh list                                     the targets
# FUZZ_RUNS makes a run reproducible (same code, same executions): CI uses it so that it never
# goes red by chance. fuzz/regressions/TARGET/ holds every input that once failed; each run replays
# it (those are our own minimised reproducers, not files from ../shared).
# The corpus lives in build/fuzz/corpus/TARGET: seeded on first use by scripts/fuzz_seeds.py from
# ../shared (shrunk copies, never checked in) and grown by each run. Crashes are written to
# build/fuzz/crashes/TARGET/. Prints one summary line: target, executions, coverage, corpus size.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
targets=(fuzz_safetensors fuzz_config fuzz_tokenizer_json fuzz_tokenizer_model fuzz_llama2c
         fuzz_gguf fuzz_datasets fuzz_plan_json fuzz_session)

if [ "${1:-}" = "list" ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
[ $# -ge 2 ] || { echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags] | list" >&2; exit 2; }
target="$1"; seconds="$2"; shift 2
printf '%s\n' "${targets[@]}" | grep -qx "$target" || { echo "fuzz.sh: unknown target $target" >&2; exit 2; }

shared="${ANATOMIST_SHARED_DIR:-$root/../shared}"
build="$root/build/fuzz"
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    [ -f "$build/CMakeCache.txt" ] || cmake --preset fuzz >/dev/null
    cmake --build "$build" --target "$target" >/dev/null
fi

corpus="$build/corpus/$target"
if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
    /usr/bin/python3 "$root/scripts/fuzz_seeds.py" "$shared" "$build/corpus"
fi
crashes="$build/crashes/$target"
mkdir -p "$crashes"
log="$build/logs/$target.log"
mkdir -p "$(dirname "$log")"

case "$target" in
    fuzz_safetensors|fuzz_gguf|fuzz_llama2c|fuzz_tokenizer_json|fuzz_tokenizer_model) max_len=65536 ;;
    *) max_len=8192 ;;
esac

# detect_leaks=0: libtorch and ICU keep process-lifetime caches that LeakSanitizer reports.
# A crash exits non-zero; the reproducer is in $crashes.
if [ -n "${FUZZ_RUNS:-}" ]; then
    budget=(-runs="$FUZZ_RUNS" -seed=1)
else
    budget=(-max_total_time="$seconds")
fi
inputs=("$corpus")
[ -d "$root/fuzz/regressions/$target" ] && inputs+=("$root/fuzz/regressions/$target")
status=0
ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=0:${ASAN_OPTIONS:-}" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
"$build/fuzz/$target" "${inputs[@]}" -dict="$root/fuzz/dict/json.dict" "${budget[@]}" \
    -max_len="$max_len" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$@" >"$log" 2>&1 || status=$?

execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
cov=$(grep -oE '#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo "cov: ?")
echo "$target: ${execs} execs, ${cov}, corpus $(ls "$corpus" | wc -l) files, exit $status (log $log)"
if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|untyped|escaped|abort|round trip|Test unit written' "$log" | head -20 >&2
fi
exit "$status"
