#!/usr/bin/env bash
# Installs the project into a temporary prefix and builds examples/embed against the package.
#   embed_test.sh <build dir> <source dir> [<C++ compiler> <compile flags> <link flags>]
# The compiler and flags are the project's: a core built with sanitizers needs them to link.
set -euo pipefail
build_dir="$1" source_dir="$2" cxx="${3:-}" cxx_flags="${4:-}" link_flags="${5:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
configure=(-DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="$cxx_flags"
  -DCMAKE_EXE_LINKER_FLAGS="$link_flags")
if [ -n "$cxx" ]; then configure+=(-DCMAKE_CXX_COMPILER="$cxx"); fi
cmake -S "$source_dir/examples/embed" -B "$work/build" "${configure[@]}" >/dev/null
cmake --build "$work/build" >/dev/null
out="$("$work/build/notes-embed")"
echo "$out"
grep -q "search found 1" <<<"$out"
