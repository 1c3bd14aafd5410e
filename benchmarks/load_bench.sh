#!/bin/sh
# Loading a model: time to a usable model and peak resident memory against the weight file, for two
# anatomist-cli binaries run alternately on the same random-weight model (`bench --shape --save`,
# F32). Per run: `--version` (process start-up alone), `info MODEL` (start-up + load: the time to a
# usable model is info − version) and `eval MODEL --ids` on 16 tokens (load + score a short text,
# the issue's measurement); /usr/bin/time gives wall time and peak RSS (VmHWM). Medians over PAIRS,
# the order of the two binaries alternating from pair to pair. It measures; it asserts nothing.
# Usage: OLD=path/to/old/anatomist-cli benchmarks/load_bench.sh [SHAPE] [PAIRS]
#   (from the repository root; NEW defaults to build/release/app/cli/anatomist-cli, SHAPE to
#   smollm2-135m). The page cache is warm: the file is read once before the first pair.
set -eu
SHAPE=${1:-smollm2-135m}
PAIRS=${2:-5}
NEW=${NEW:-build/release/app/cli/anatomist-cli}
OLD=${OLD:-$NEW}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$NEW" bench --shape "$SHAPE" --save "$WORK/model" >/dev/null
echo '[[1, 17, 230, 4, 99, 512, 7, 1000, 33, 12, 800, 5, 64, 2048, 3, 9]]' >"$WORK/ids.json"
cat "$WORK/model/model.safetensors" >/dev/null
FILE_BYTES=$(stat -c %s "$WORK/model/model.safetensors")
measure() { # BIN LABEL PAIR: appends "label pair what seconds maxrss_kb" lines
    bin=$1 label=$2 pair=$3
    for what in version info eval; do
        case $what in
        version) set -- --version ;;
        info) set -- info "$WORK/model" --json ;;
        eval) set -- eval "$WORK/model" --ids "$WORK/ids.json" --json ;;
        esac
        /usr/bin/time -f "%e %M" -o "$WORK/time" "$bin" "$@" >/dev/null
        echo "$label $pair $what $(cat "$WORK/time")" >>"$WORK/results"
    done
}
echo "shape $SHAPE, weight file $FILE_BYTES bytes, $PAIRS pairs; load before: $(cat /proc/loadavg)"
i=0
while [ "$i" -lt "$PAIRS" ]; do
    if [ $((i % 2)) -eq 0 ]; then
        measure "$OLD" old "$i"
        measure "$NEW" new "$i"
    else
        measure "$NEW" new "$i"
        measure "$OLD" old "$i"
    fi
    i=$((i + 1))
done
echo "load after: $(cat /proc/loadavg)"
/usr/bin/python3 - "$WORK/results" "$FILE_BYTES" "$PAIRS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
file_bytes, pairs = int(sys.argv[2]), int(sys.argv[3])
def get(label, what, field):  # field 3: seconds, 4: max RSS in KiB; one value per pair
    return [float(r[field]) for r in rows if r[0] == label and r[2] == what]
med = statistics.median
for label in ("old", "new"):
    v, i, e = get(label, "version", 3), get(label, "info", 3), get(label, "eval", 3)
    load = [b - a for a, b in zip(v, i)]
    print(f"{label}: start-up {med(v):.3f} s, info {med(i):.3f} s, time to a usable model "
          f"(info - version) {med(load):.3f} s, load + score 16 tokens (eval) {med(e):.3f} s; "
          f"peak RSS / file: start-up {med(get(label, 'version', 4)) * 1024 / file_bytes:.3f}, "
          f"info {med(get(label, 'info', 4)) * 1024 / file_bytes:.3f}, "
          f"eval {med(get(label, 'eval', 4)) * 1024 / file_bytes:.3f}")
    print("   load per pair: " + " ".join(f"{x:.3f}" for x in load))
def ratio(what, field, sub=None):
    o, n = get("old", what, field), get("new", what, field)
    if sub:
        o = [b - a for a, b in zip(get("old", sub, field), o)]
        n = [b - a for a, b in zip(get("new", sub, field), n)]
    r = [y / x for x, y in zip(o, n)]
    return f"{med(r):.2f} (pairs " + " ".join(f"{x:.2f}" for x in r) + ")"
print("new / old: time to a usable model " + ratio("info", 3, "version"))
print("new / old: eval wall " + ratio("eval", 3) + ", eval peak RSS " + ratio("eval", 4))
PY
