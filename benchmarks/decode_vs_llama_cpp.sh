#!/bin/sh
# Decode and prefill speed of Anatomist (`anatomist-cli bench`) against llama.cpp's own library on
# the same random-weight model: the `--shape` is written as a model folder and exported as GGUF
# F32, llama.cpp runs it through benchmarks/llama_decode_probe.cpp (the CPU libraries of the npm
# package @node-llama-cpp/linux-x64 that tst_llama_cpp installs into the build tree). The two
# programs run alternately, PAIRS times, and the medians and the per-pair ratios are printed.
# It measures; it asserts nothing (the test suite guards op counts, never times).
# Usage: benchmarks/decode_vs_llama_cpp.sh [SHAPE] [THREADS] [PAIRS]   (from the repository root)
#   SHAPE stories15m (default) or smollm2-135m; CLI, LLAMA_LIB_DIR, PROMPT, GEN override defaults.
set -eu
SHAPE=${1:-stories15m}
THREADS=${2:-2}
PAIRS=${3:-5}
CLI=${CLI:-build/release/app/cli/anatomist-cli}
PROMPT=${PROMPT:-512}
GEN=${GEN:-64}
LIB=${LLAMA_LIB_DIR:-build/release/tests/llama_cpp/npm/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64}
TOKENIZER=${TOKENIZER:-../shared/models/llama2-tokenizer}
if [ ! -e "$LIB/libllama.v0.5.0.so" ]; then
    echo "llama.cpp libraries not found in $LIB: run tst_llama_cpp once (it installs them) or set LLAMA_LIB_DIR" >&2
    exit 1
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
c++ -O2 -std=c++20 benchmarks/llama_decode_probe.cpp -ldl -o "$WORK/probe"
# smollm2-135m has a 49152-token vocabulary: any tokenizer folder of that size works (TOKENIZER=).
"$CLI" bench --shape "$SHAPE" --save "$WORK/model" --tokenizer "$TOKENIZER" >/dev/null
"$CLI" export "$WORK/model" --format gguf --type f32 --out "$WORK/model.gguf" >/dev/null
echo "shape $SHAPE, $THREADS threads, prompt $PROMPT, $GEN decoded tokens, $PAIRS pairs; load: $(cat /proc/loadavg)"
i=0
while [ "$i" -lt "$PAIRS" ]; do
    "$CLI" bench "$WORK/model" --threads "$THREADS" --prompt "$PROMPT" --gen "$GEN" \
        --depths "0,$PROMPT" --json >"$WORK/anatomist.$i.json"
    "$WORK/probe" "$LIB" "$WORK/model.gguf" "$THREADS" "$PROMPT" "$GEN" "0,$PROMPT" >"$WORK/llama.$i.json"
    i=$((i + 1))
done
/usr/bin/python3 - "$WORK" "$PAIRS" <<'PY'
import json, statistics, sys
work, pairs = sys.argv[1], int(sys.argv[2])
a = [json.load(open(f"{work}/anatomist.{i}.json")) for i in range(pairs)]
l = [json.load(open(f"{work}/llama.{i}.json")) for i in range(pairs)]
def row(name, ours, theirs):
    ratios = [x / y for x, y in zip(ours, theirs)]
    print(f"{name:<18} anatomist {statistics.median(ours):9.1f}  llama.cpp {statistics.median(theirs):9.1f}"
          f"  ratio median {statistics.median(ratios):.2f}  pairs " + " ".join(f"{r:.2f}" for r in ratios))
row("prefill tokens/s", [r["prefill"]["tokens_per_second"] for r in a], [r["prefill"]["tokens_per_second"] for r in l])
for k, d in enumerate(a[0]["decode_depths"]):
    row(f"decode@{d['depth']} tokens/s", [r["decode_depths"][k]["tokens_per_second"] for r in a],
        [r["decode_depths"][k]["tokens_per_second"] for r in l])
print(f"anatomist prefill / sgemm: median {statistics.median(r['prefill']['ratio_to_sgemm'] for r in a):.2f}")
PY
