#!/bin/sh
# Regenerates the built-in demo model (resources/demo/model) from the demo corpus, deterministically:
#   1. scripts/make_demo_corpus.py writes resources/demo/corpus.txt (own grammar, seed 7);
#   2. spm_train (Debian package `sentencepiece`, run as a separate process) trains a 512-piece BPE
#      tokenizer with byte fallback on it;
#   3. anatomist-cli train trains a 4-layer Llama (hidden 128) from seed 1 on one thread
#      (one thread: the float reduction order, hence the weights, do not depend on the machine).
# Usage: scripts/make_demo_model.sh [path/to/anatomist-cli]   (run from the repository root)
set -eu
CLI=${1:-build/rel/app/cli/anatomist-cli}
OUT=resources/demo/model
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 scripts/make_demo_corpus.py --stories 700 --seed 7 --out resources/demo/corpus.txt
spm_train --input=resources/demo/corpus.txt --model_prefix="$WORK/tokenizer" --vocab_size=512 \
    --model_type=bpe --character_coverage=1.0 --byte_fallback=true --num_threads=1 \
    --random_seed=7 --input_sentence_size=0 --shuffle_input_sentence=false \
    --normalization_rule_name=identity >"$WORK/spm_train.log" 2>&1

rm -rf "$OUT"
"$CLI" train --data resources/demo/corpus.txt --tokenizer "$WORK/tokenizer.model" \
    --arch llama --layers 4 --hidden 128 --heads 4 --kv-heads 4 --max-positions 256 \
    --steps 150 --batch 16 --seq 128 --lr 3e-3 --warmup 8 --min-lr-ratio 0.05 \
    --weight-decay 0.1 --clip 1.0 --seed 1 --eval-fraction 0.05 --eval-every 50 \
    --threads 1 --out "$OUT" --log "$WORK/train_log.jsonl" --print-every 25 --json
cp "$WORK/train_log.jsonl" resources/demo/train_log.jsonl
rm -f "$OUT/train_state.safetensors" # the checkpoint is for resuming, not for shipping
