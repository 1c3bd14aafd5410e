#!/usr/bin/env bash
# Soak: a distillation left running for MINUTES (default 30), sampled every INTERVAL seconds
# (default 60), in two processes side by side:
#   - anatomist-cli distill (the demo model without its layer 2, healed from the demo model on
#     resources/demo/corpus.txt, checkpoints every 200 steps): its resident memory (VmRSS);
#   - the window (tests/soak/soak_gui, offscreen) running the same distillation through its
#     Distillation tab: its resident memory and its longest event-loop stall per interval.
# Drift = (last sample − first sample) / first sample: the first sample is taken one interval in,
# after start-up and the first steps, so warm-up growth is not counted as drift.
#   scripts/soak.sh [MINUTES] [INTERVAL]      e.g. nice -n 19 scripts/soak.sh 30
# Environment: BUILD (build/release), SOAK_NO_BUILD=1 (use what is built), SOAK_OUT (a folder to
# keep the logs in; default a temporary one, removed at the end). Prints the machine's load average
# with the results: on a shared machine the stall measures the scheduler as much as the window.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
minutes="${1:-30}"
interval="${2:-60}"
build="${BUILD:-build/release}"
if [ -z "${SOAK_NO_BUILD:-}" ]; then
    cmake --build "$build" --target anatomist-cli soak_gui >/dev/null
fi
cli="$build/app/cli/anatomist-cli"
gui="$build/tests/soak/soak_gui"
out="${SOAK_OUT:-}"
if [ -z "$out" ]; then
    out="$(mktemp -d -t anatomist-soak-XXXXXX)"
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
seconds=$(( minutes * 60 ))
plan="$out/remove-layer-2.json"
echo '{"format": "anatomist-plan", "version": 1, "operations": [{"op": "remove_layers", "layers": [2]}]}' >"$plan"
echo "soak: $minutes min, a sample every $interval s; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo -1; }

OMP_NUM_THREADS=1 "$cli" distill --teacher resources/demo/model --plan "$plan" \
    --data resources/demo/corpus.txt --steps 100000000 --batch 4 --seq 64 --accum 1 --lr 1e-4 \
    --eval-every 0 --checkpoint-every 200 --threads 1 --out "$out/cli-run" --log "$out/cli.jsonl" \
    >"$out/cli.out" 2>&1 &
cli_pid=$!
OMP_NUM_THREADS=1 "$gui" resources/demo/model "$plan" "$seconds" "$interval" \
    "$out/gui-run" >"$out/gui.jsonl" 2>"$out/gui.err" &
gui_pid=$!

first="" last="" samples=0
for (( t = interval; t <= seconds; t += interval )); do
    sleep "$interval"
    kill -0 "$cli_pid" 2>/dev/null || { echo "soak: the CLI run stopped early:" >&2; tail -5 "$out/cli.out" >&2; exit 1; }
    rss=$(rss_mb "$cli_pid")
    steps=$(grep -c '"train_step"' "$out/cli.jsonl" || true)
    echo "{\"type\": \"sample\", \"seconds\": $t, \"rss_mb\": $rss, \"steps\": $steps}" >>"$out/cli-samples.jsonl"
    [ -n "$first" ] || first=$rss
    last=$rss
    samples=$((samples + 1))
done
kill -INT "$cli_pid" 2>/dev/null || true
wait "$cli_pid" || true
wait "$gui_pid" || { echo "soak: the window's run failed:" >&2; cat "$out/gui.err" >&2; exit 1; }
steps=$(grep -c '"train_step"' "$out/cli.jsonl" || true)

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CLI distill: $samples samples, $steps steps, RSS first $first MB, last $last MB, drift" \
    "$(awk -v a="$first" -v b="$last" 'BEGIN {printf "%+.2f %%", 100 * (b - a) / a}')"
cat "$out/cli-samples.jsonl"
echo "window:"
cat "$out/gui.jsonl"
