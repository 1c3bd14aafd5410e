#!/usr/bin/env bash
# Builds the .deb and .tar.gz from this build tree, unpacks the .deb into a scratch root and runs
# what it installed: the CLI on the installed demo model, the GUI offscreen on its default model,
# and the freedesktop validators on the installed desktop, AppStream and MIME files.
set -euo pipefail
build="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G "DEB;TGZ" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
    { cat "$scratch/cpack.log"; fail "cpack could not build the packages"; }
deb="$(ls "$scratch"/out/*.deb)"
ls "$scratch"/out/*.tar.gz >/dev/null || fail "no .tar.gz was produced"

depends="$(dpkg-deb -f "$deb" Depends)"
for needed in libopenblas0-pthread libtorch qt6-qpa-plugins libqt6widgets6 libqcustomplot; do
    grep -q "$needed" <<<"$depends" || fail "the .deb does not depend on $needed (Depends: $depends)"
done

root="$scratch/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/anatomist usr/bin/anatomist-cli usr/share/anatomist/demo-model/config.json \
         usr/share/applications/org.anatomist.Anatomist.desktop \
         usr/share/metainfo/org.anatomist.Anatomist.metainfo.xml \
         usr/share/mime/packages/org.anatomist.Anatomist.xml \
         usr/share/icons/hicolor/scalable/apps/org.anatomist.Anatomist.svg; do
    [ -e "$root/$f" ] || fail "the .deb does not install /$f"
done

desktop-file-validate "$root/usr/share/applications/org.anatomist.Anatomist.desktop" ||
    fail "desktop-file-validate rejected the desktop file"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.anatomist.Anatomist.metainfo.xml" ||
    fail "appstreamcli rejected the metainfo file"
if command -v xmllint >/dev/null; then
    xmllint --noout "$root/usr/share/mime/packages/org.anatomist.Anatomist.xml" || fail "MIME file is not XML"
fi
grep -q '^Exec=anatomist %f$' "$root/usr/share/applications/org.anatomist.Anatomist.desktop" ||
    fail "the desktop file does not pass the opened file to anatomist"

# The installed CLI on the installed demo model: its parameter count against the count worked out
# from config.json by hand (a Llama: embeddings, head, per layer 4 attention + 3 MLP projections and
# two norms, a final norm), and the same JSON as the build tree's CLI.
model="$root/usr/share/anatomist/demo-model"
installed_info="$("$root/usr/bin/anatomist-cli" info "$model" --json)" || fail "installed anatomist-cli info failed"
built_info="$("$build/app/cli/anatomist-cli" info "$model" --json)"
[ "$installed_info" = "$built_info" ] || fail "installed and built CLI disagree on the demo model"
expected="$(/usr/bin/python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
h, f, v, n = c["hidden_size"], c["intermediate_size"], c["vocab_size"], c["num_hidden_layers"]
kv = h // c["num_attention_heads"] * c.get("num_key_value_heads", c["num_attention_heads"])
head = 0 if c.get("tie_word_embeddings") else v * h
print(v * h + head + h + n * (2 * h * h + 2 * h * kv + 3 * h * f + 2 * h))' "$model/config.json")"
got="$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["parameters"])' <<<"$installed_info")"
[ "$got" = "$expected" ] || fail "installed anatomist-cli counts $got parameters, config.json gives $expected"

# --help must work without any display.
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$root/usr/bin/anatomist" --help >"$scratch/help.txt" ||
    fail "anatomist --help failed without a display"
grep -q -- "--screenshot" "$scratch/help.txt" || fail "anatomist --help does not list its options"

# The installed GUI, offscreen, on its default (the installed demo model), rendered to a PNG.
QT_QPA_PLATFORM=offscreen HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" \
    "$root/usr/bin/anatomist" --screenshot "$scratch/shot.png" --size 1280x800 >"$scratch/gui.log" 2>&1 ||
    { cat "$scratch/gui.log"; fail "the installed GUI could not render a screenshot"; }
head -c 8 "$scratch/shot.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "the screenshot is not a PNG"
[ "$(stat -c %s "$scratch/shot.png")" -gt 20000 ] || fail "the screenshot is nearly empty"
grep -q "share/anatomist/demo-model" "$scratch/gui.log" ||
    { cat "$scratch/gui.log"; fail "the installed GUI did not open the installed demo model"; }
echo "package OK: $(basename "$deb"), $(stat -c %s "$deb") bytes"
