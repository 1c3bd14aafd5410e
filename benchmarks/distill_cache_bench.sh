#!/bin/sh
# Step speed of anatomist-cli distill with teacher logits from the disk cache (--teacher-cache)
# against on the fly: stories260K teacher, the student `prune --remove-layers 2` makes of it,
# stories_a.txt, batch 8 x seq 128, CE + KL (T 2). The
# cache is made first (not timed); then ROUNDS (default 3) alternating pairs of runs, each the
# median tokens/s of its steps after the first two; the figure is the median of the pair ratios.
# Usage: benchmarks/distill_cache_bench.sh [anatomist-cli] [threads] [top-k]   (env ROUNDS, STEPS)
set -eu
CLI=${1:-build/release/app/cli/anatomist-cli}
THREADS=${2:-2}
TOPK=${3:-64}
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-12}
SHARED=${ANATOMIST_SHARED_DIR:-../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$CLI" prune "$SHARED/models/stories260K" --remove-layers 2 --out "$WORK/student" >/dev/null
run() { # $1 = name, then extra options
    name=$1
    shift
    rm -rf "$WORK/out-$name"
    "$CLI" distill --teacher "$SHARED/models/stories260K" --student "$WORK/student" \
        --data "$SHARED/data/stories_a.txt" --batch 8 --seq 128 --accum 1 --steps "$RUN_STEPS" \
        --lr 2e-3 --checkpoint-every 0 --eval-every 0 --threads "$THREADS" --quiet \
        --out "$WORK/out-$name" --log "$WORK/$name.jsonl" "$@" >/dev/null
    python3 -c "
import json, statistics, sys
r = [json.loads(l)['tokens_per_second'] for l in open(sys.argv[1]) if 'tokens_per_second' in l][2:]
print(f'{statistics.median(r):.1f}')" "$WORK/$name.jsonl"
}
RUN_STEPS=3
run warm --teacher-cache "$WORK/cache" --teacher-top-k "$TOPK" >/dev/null
RUN_STEPS=$STEPS
: >"$WORK/rounds.txt"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    fly=$(run fly)
    cached=$(run cached --teacher-cache "$WORK/cache" --teacher-top-k "$TOPK")
    echo "round $round: on the fly $fly tokens/s, cache $cached tokens/s" | tee -a "$WORK/rounds.txt"
    round=$((round + 1))
done
python3 -c "
import re, statistics, sys
pairs = [tuple(map(float, re.findall(r'([0-9.]+) tokens/s', l))) for l in open(sys.argv[1])]
ratios = [c / f for f, c in pairs]
print(f'threads $THREADS, top-$TOPK cache: cache / on the fly = {statistics.median(ratios):.2f}x '
      '(median of ' + ', '.join(f'{r:.2f}' for r in ratios) + ')')" "$WORK/rounds.txt"
