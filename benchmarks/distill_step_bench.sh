#!/bin/sh
# Distillation-step throughput of anatomist-cli distill vs PyTorch eager: a stories15m-shaped
# teacher (hidden 288, 6 layers, 6 heads, MLP 768, vocab 32000 = the llama2 tokenizer of
# ../shared) and a student with one layer fewer, both random (trained one step by anatomist-cli
# train so that they are model folders), batch 8 x seq 256 full windows (the demo corpus joined
# into one document, so no window is padded),
# CE + KL (T 2) + hidden-state terms. Usage: benchmarks/distill_step_bench.sh [anatomist-cli] [threads]
set -eu
CLI=${1:-build/release/app/cli/anatomist-cli}
THREADS=${2:-2}
SHARED=${ANATOMIST_SHARED_DIR:-../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for layers in 6 5; do
    "$CLI" train --data resources/demo/corpus.txt --tokenizer "$SHARED/models/llama2-tokenizer" \
        --layers $layers --hidden 288 --heads 6 --kv-heads 6 --intermediate 768 --max-positions 512 \
        --seq 64 --batch 1 --steps 1 --threads "$THREADS" --quiet --out "$WORK/m$layers" >/dev/null
done
tr '\n' ' ' <resources/demo/corpus.txt >"$WORK/one.txt"
"$CLI" distill --teacher "$WORK/m6" --student "$WORK/m5" --data "$WORK/one.txt" \
    --batch 8 --seq 256 --accum 1 --steps 8 --warmup 0 --gamma 0.5 --layer-map 0,1,2,3,5 \
    --checkpoint-every 0 --eval-every 0 --threads "$THREADS" --quiet --out "$WORK/out" \
    --log "$WORK/log.jsonl" >/dev/null
python3 -c "
import json, statistics, sys
r = [json.loads(l)['tokens_per_second'] for l in open(sys.argv[1]) if 'tokens_per_second' in l][2:]
print(f'anatomist threads $THREADS: distillation step median {statistics.median(r):.0f} tokens/s '
      f'over {len(r)} steps (min {min(r):.0f}, max {max(r):.0f})')" "$WORK/log.jsonl"
cd benchmarks && /usr/bin/python3 distill_step_pytorch.py --threads "$THREADS" --steps 6
