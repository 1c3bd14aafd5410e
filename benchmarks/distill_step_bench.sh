#!/bin/sh
# Distillation-step throughput of anatomist-cli distill vs PyTorch eager: a stories15m-shaped
# teacher (hidden 288, 6 layers, 6 heads, MLP 768, vocab 32000 = the llama2 tokenizer of
# ../shared) and a student with one layer fewer, both random (trained one step by anatomist-cli
# train so that they are model folders), batch 8 x seq 256 full windows (the demo corpus joined
# into one document, so no window is padded),
# CE + KL (T 2) + hidden-state terms. The two run alternately, ROUNDS times (default 3): each round
# is one anatomist run (median tokens/s of its steps after the first two) then one PyTorch run
# (median of its timed steps), and the round's ratio is anatomist / PyTorch; the median of the
# round ratios is the figure, so that a change in the machine's load hits both sides of a pair.
# Usage: benchmarks/distill_step_bench.sh [anatomist-cli] [threads]   (env ROUNDS, STEPS)
set -eu
CLI=${1:-build/release/app/cli/anatomist-cli}
THREADS=${2:-2}
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-5}
SHARED=${ANATOMIST_SHARED_DIR:-../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for layers in 6 5; do
    "$CLI" train --data resources/demo/corpus.txt --tokenizer "$SHARED/models/llama2-tokenizer" \
        --layers $layers --hidden 288 --heads 6 --kv-heads 6 --intermediate 768 --max-positions 512 \
        --seq 64 --batch 1 --steps 1 --threads "$THREADS" --quiet --out "$WORK/m$layers" >/dev/null
done
tr '\n' ' ' <resources/demo/corpus.txt >"$WORK/one.txt"
: >"$WORK/rounds.txt"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    rm -rf "$WORK/out"
    "$CLI" distill --teacher "$WORK/m6" --student "$WORK/m5" --data "$WORK/one.txt" \
        --batch 8 --seq 256 --accum 1 --steps "$STEPS" --warmup 0 --gamma 0.5 --layer-map 0,1,2,3,5 \
        --checkpoint-every 0 --eval-every 0 --threads "$THREADS" --quiet --out "$WORK/out" \
        --log "$WORK/log.jsonl" >/dev/null
    anatomist=$(python3 -c "
import json, statistics, sys
r = [json.loads(l)['tokens_per_second'] for l in open(sys.argv[1]) if 'tokens_per_second' in l][2:]
print(f'{statistics.median(r):.1f}')" "$WORK/log.jsonl")
    pytorch=$(cd benchmarks && /usr/bin/python3 distill_step_pytorch.py --threads "$THREADS" \
        --steps 3 --warmup 1 | sed -n 's/.*median \([0-9.]*\) tokens.*/\1/p')
    echo "round $round: anatomist $anatomist tokens/s, pytorch $pytorch tokens/s" |
        tee -a "$WORK/rounds.txt"
    round=$((round + 1))
done
python3 -c "
import re, statistics, sys
pairs = [tuple(map(float, re.findall(r'([0-9.]+) tokens/s', l))) for l in open(sys.argv[1])]
ratios = [a / p for a, p in pairs]
print(f'threads $THREADS, {len(pairs)} alternating rounds: anatomist / pytorch = '
      f'{statistics.median(ratios):.2f}x (median of the round ratios; '
      + ', '.join(f'{r:.2f}' for r in ratios) + ')')" "$WORK/rounds.txt"
