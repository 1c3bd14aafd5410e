#!/usr/bin/env bash
# Fails when a C++ source or header differs from what clang-format 14 makes of it with the
# checked-in .clang-format. Run by CTest (format_check); `scripts/check_format.sh --fix` rewrites
# the files instead. The version is pinned: another clang-format major can format differently.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
formatter=clang-format-14
command -v "$formatter" >/dev/null || { echo "check_format: $formatter is missing (scripts/setup.sh test installs it)" >&2; exit 1; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files -- '*.cpp' '*.h')
else
    mapfile -t files < <(find app core widgets tests fuzz benchmarks -name '*.cpp' -o -name '*.h' | sort)
fi
if [ "${1:-}" = "--fix" ]; then
    "$formatter" -i "${files[@]}"
    exit 0
fi
if ! "$formatter" --dry-run --Werror "${files[@]}" 2>/tmp/check_format.$$; then
    grep -E '^[^ ].*(warning|error):' /tmp/check_format.$$ | cut -d: -f1 | sort -u | sed 's/^/not formatted: /'
    echo "check_format: run scripts/check_format.sh --fix" >&2
    rm -f /tmp/check_format.$$
    exit 1
fi
rm -f /tmp/check_format.$$
echo "check_format: ${#files[@]} files formatted as .clang-format says"
