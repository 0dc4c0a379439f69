#!/usr/bin/env bash
# Installs the project into a temporary prefix and builds examples/embed against the package.
set -euo pipefail
build_dir="$1" source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/examples/embed" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
out="$("$work/build/notes-embed")"
echo "$out"
grep -q "search found 1" <<<"$out"
