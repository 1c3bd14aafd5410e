#!/bin/sh
# Data-parallel distillation on this machine, one thread per process: stories260K teacher, the
# student `prune --remove-layers 2` makes of it, stories_a.txt, batch 8 x seq 64, accumulation 1,
# float32. Each round runs, one after the other: 1 process; 2 processes (--nproc 2) with the plain
# all-reduce (--bucket-kb 0: one bucket after backward); 2 processes with gradient buckets of
# BUCKET_KB (default 64) started from backward. Per run: the median tokens/s of the steps after the
# first three, and the all-reduce share of a step = sum of allreduce_seconds / sum of step seconds
# over those steps. The load average is printed before each round: compare figures from one run.
# Usage: benchmarks/distill_parallel_bench.sh [anatomist-cli]   (env ROUNDS, STEPS, BUCKET_KB)
set -eu
CLI=${1:-build/release/app/cli/anatomist-cli}
ROUNDS=${ROUNDS:-2}
STEPS=${STEPS:-30}
BUCKET_KB=${BUCKET_KB:-64}
SHARED=${ANATOMIST_SHARED_DIR:-../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$CLI" prune "$SHARED/models/stories260K" --remove-layers 2 --out "$WORK/student" >/dev/null
run() { # $1 = name, then extra options
    name=$1
    shift
    rm -rf "$WORK/out-$name"
    OMP_NUM_THREADS=1 "$CLI" distill --teacher "$SHARED/models/stories260K" \
        --student "$WORK/student" --data "$SHARED/data/stories_a.txt" --batch 8 --seq 64 \
        --accum 1 --steps "$STEPS" --lr 2e-3 --checkpoint-every 0 --eval-every 0 --threads 1 \
        --quiet --out "$WORK/out-$name" --log "$WORK/$name.jsonl" "$@" >/dev/null
    /usr/bin/python3 - "$WORK/$name.jsonl" <<'PY'
import json, statistics, sys
steps = [json.loads(l) for l in open(sys.argv[1]) if '"train_step"' in l]
prev = steps[2]["elapsed"]
steps = steps[3:]
seconds = []
for s in steps:
    seconds.append(s["elapsed"] - prev)
    prev = s["elapsed"]
tps = statistics.median(s["tokens_per_second"] for s in steps)
share = sum(s.get("allreduce_seconds", 0) for s in steps) / sum(seconds)
inside = sum(s.get("allreduce_buckets_in_backward", 0) for s in steps)
total = sum(s.get("allreduce_buckets", 0) for s in steps)
print(f"{tps:7.1f} tokens/s, all-reduce {100 * share:4.1f} % of a step"
      + (f", {inside}/{total} buckets started in backward" if total else ""))
PY
}
round=1
while [ "$round" -le "$ROUNDS" ]; do
    echo "round $round (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "  1 process:                  $(run one)"
    echo "  2 processes, plain:         $(run plain --nproc 2 --bucket-kb 0)"
    echo "  2 processes, ${BUCKET_KB} KB overlap: $(run overlap --nproc 2 --bucket-kb "$BUCKET_KB")"
    round=$((round + 1))
done
