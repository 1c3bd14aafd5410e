#!/bin/sh
# Tokenizer throughput of Anatomist (`anatomist-cli tokenize --bench --chunk lines`) against the
# Rust `tokenizers` library (npm package `tokenizers`, Hugging Face's napi-rs binding, run by
# benchmarks/tokenizer_hf_reference.cjs) on the same files: every tokenizer.json under
# ../shared/fixtures/tokenizers, and the Llama 2 tokenizer.model against the tokenizer.json derived
# from it (same ids on plain text); stories260K's tokenizer.model has no reference and is reported
# alone. The text: the documents of ../shared/data (stories, technical prose, pair prompts) and the
# non-special strings of the fixtures (Unicode, code, whitespace), one per line, shuffled and
# repeated to MB megabytes. Each line is encoded by its own call, on one thread, without special
# tokens; load time and file reading are excluded. The programs run alternately, PAIRS times;
# medians and per-pair ratios are printed, and the token count and ids hash of both must agree.
# It measures; it asserts nothing but id equality (the test suite never times).
# Usage: benchmarks/tokenizer_vs_hf_tokenizers.sh [PAIRS] [MB]   (from the repository root)
#   CLI, SHARED, PASSES, ONLY (names, space separated) and HF_TOKENIZERS_DIR (where node_modules/tokenizers
#   is installed with npm when missing; never inside the repository) override the defaults.
set -eu
PAIRS=${1:-3}
MB=${2:-1}
PASSES=${PASSES:-1} # steady passes per program run, after the first (cold-cache) one
CLI=${CLI:-build/release/app/cli/anatomist-cli}
SHARED=${SHARED:-../shared}
HF=${HF_TOKENIZERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/anatomist-bench/hf-tokenizers}
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$SHARED/fixtures/tokenizers
if [ ! -d "$HF/node_modules/tokenizers" ]; then
    mkdir -p "$HF"
    npm install --prefix "$HF" --no-save --no-package-lock tokenizers@0.23.2 >&2
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
/usr/bin/python3 - "$SHARED" "$MB" "$WORK/corpus.txt" <<'PY'
import json, random, sys
shared, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
docs = []
for name in ("stories_a.txt", "technical.txt"):
    docs += [l for l in open(f"{shared}/data/{name}", encoding="utf-8").read().split("\n") if l]
for name in ("pairs_stories.jsonl", "pairs_adult.jsonl"):
    for line in open(f"{shared}/data/{name}", encoding="utf-8"):
        pair = json.loads(line)
        docs += [pair["a"], pair["b"]]
# Special-token texts are left out: tokenizer.model and tokenizer.json treat them differently.
for s in json.load(open(f"{shared}/fixtures/tokenizers/strings.json", encoding="utf-8")):
    text = s["text"].replace("\n", " ")
    if text.strip() and not s["name"].startswith("sp_"):
        docs.append(text)
rng, lines, size = random.Random(19), [], 0
while size < mb * 1e6:
    batch = docs[:]
    rng.shuffle(batch)
    lines += batch
    size += sum(len(d.encode()) + 1 for d in batch)
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
# name | Anatomist's tokenizer | the tokenizer.json the Rust library loads ("-": none)
cat >"$WORK/list" <<LIST
gpt4o|$FIX/gpt4o/tokenizer.json|$FIX/gpt4o/tokenizer.json
llama3|$FIX/llama3/tokenizer.json|$FIX/llama3/tokenizer.json
qwen3|$FIX/qwen3/tokenizer.json|$FIX/qwen3/tokenizer.json
gemma3|$FIX/gemma3/tokenizer.json|$FIX/gemma3/tokenizer.json
mistral|$FIX/mistral/tokenizer.json|$FIX/mistral/tokenizer.json
llama2-derived|$FIX/llama2-derived/llama2_derived_tokenizer.json|$FIX/llama2-derived/llama2_derived_tokenizer.json
spm-llama2|$FIX/spm-llama2/tokenizer.model|$FIX/llama2-derived/llama2_derived_tokenizer.json
spm-stories260K|$FIX/spm-stories260K/tok512.model|-
LIST
echo "corpus $(wc -c <"$WORK/corpus.txt") bytes, $(wc -l <"$WORK/corpus.txt") lines; $PAIRS pairs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
export TOKENIZERS_PARALLELISM=false RAYON_RS_NUM_CPUS=1 RAYON_NUM_THREADS=1 UV_THREADPOOL_SIZE=1
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
while IFS='|' read -r name ours theirs; do
    if [ -n "${ONLY:-}" ] && ! echo " $ONLY " | grep -q " $name "; then continue; fi
    i=0
    while [ "$i" -lt "$PAIRS" ]; do
        # Alternate which program goes first, so a drift in load favours neither.
        if [ $((i % 2)) -eq 0 ]; then order="ours theirs"; else order="theirs ours"; fi
        for who in $order; do
            if [ "$who" = ours ]; then
                "$CLI" tokenize "$ours" --file "$WORK/corpus.txt" --bench --chunk lines --passes "$PASSES" --json \
                    >"$WORK/$name.ours.$i.json"
            elif [ "$theirs" != - ]; then
                node "$HERE/tokenizer_hf_reference.cjs" "$HF/node_modules" "$theirs" \
                    "$WORK/corpus.txt" "$PASSES" >"$WORK/$name.theirs.$i.json"
            fi
        done
        i=$((i + 1))
    done
    echo "$name" >>"$WORK/done"
done <"$WORK/list"
/usr/bin/python3 - "$WORK" "$PAIRS" <<'PY'
import json, os, statistics, sys
work, pairs = sys.argv[1], int(sys.argv[2])
med = statistics.median
print(f"{'tokenizer':<16} {'tokens':>9} {'ours MB/s':>9} {'Rust MB/s':>9} {'ratio':>6}  pairs"
      f"                 first pass ours/Rust  Rust encode/batch MB/s  ids")
for name in open(f"{work}/done").read().split():
    ours = [json.load(open(f"{work}/{name}.ours.{i}.json")) for i in range(pairs)]
    o = [r["steady_mb_per_s"] for r in ours]
    if not os.path.exists(f"{work}/{name}.theirs.0.json"):
        print(f"{name:<16} {ours[0]['tokens']:>9} {med(o):9.2f} {'-':>9} {'-':>6}  (no reference)")
        continue
    theirs = [json.load(open(f"{work}/{name}.theirs.{i}.json")) for i in range(pairs)]
    t = [r["steady_mb_per_s"] for r in theirs]
    ratios = [x / y for x, y in zip(o, t)]
    same = all(a["tokens"] == b["tokens"] and a["ids_hash"] == b["ids_hash"] for a, b in zip(ours, theirs))
    first = med(r["first_pass_mb_per_s"] for r in ours) / med(r["first_pass_mb_per_s"] for r in theirs)
    print(f"{name:<16} {ours[0]['tokens']:>9} {med(o):9.2f} {med(t):9.2f} {med(ratios):6.2f}  "
          + " ".join(f"{r:.2f}" for r in ratios).ljust(22)
          + f"{first:6.2f}                {med(r['encode_mb_per_s'] for r in theirs):6.2f} / "
          f"{med(r['batch_mb_per_s'] for r in theirs):6.2f}       "
          + ("same" if same else f"DIFFER ({ours[0]['tokens']}/{ours[0]['ids_hash']} vs "
                                  f"{theirs[0]['tokens']}/{theirs[0]['ids_hash']})"))
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
