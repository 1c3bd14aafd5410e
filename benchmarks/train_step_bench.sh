#!/bin/sh
# Training-step throughput of anatomist-cli train vs PyTorch eager on a stories15m-shaped Llama
# (hidden 288, 6 layers, 6 heads, MLP 768, vocab 32000), batch 8 × seq 256, random token ids.
# Usage: benchmarks/train_step_bench.sh [anatomist-cli] [threads]
set -eu
CLI=${1:-build/rel/app/cli/anatomist-cli}
THREADS=${2:-2}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -c "
import json, random
random.seed(0)
print(json.dumps([[random.randrange(32000) for _ in range(257)] for _ in range(64)]))" >"$WORK/ids.json"
"$CLI" train --ids "$WORK/ids.json" --vocab 32000 --layers 6 --hidden 288 --heads 6 --kv-heads 6 \
    --intermediate 768 --seq 256 --batch 8 --steps 8 --warmup 0 --threads "$THREADS" --quiet \
    --out "$WORK/out" --log "$WORK/log.jsonl" >/dev/null
python3 -c "
import json, statistics, sys
r = [json.loads(l)['tokens_per_second'] for l in open(sys.argv[1]) if 'tokens_per_second' in l][2:]
print(f'anatomist threads $THREADS: median {statistics.median(r):.0f} tokens/s over {len(r)} steps '
      f'(min {min(r):.0f}, max {max(r):.0f})')" "$WORK/log.jsonl"
/usr/bin/python3 benchmarks/train_step_pytorch.py --threads "$THREADS" --steps 6 --attention eager  # torch 1.13 (Debian) has no SDPA
