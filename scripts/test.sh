#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test (ctest).
#   test.sh [--sanitizers] [ctest arguments...]
#   test.sh --all
# --sanitizers: the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer (preset
# asan, in build/asan) and run with the preset's ASAN_OPTIONS/UBSAN_OPTIONS, which the
# notes-server processes that tests start inherit: any report fails the run.
# --all: what CI runs, each step timed: the suite, the suite under the sanitizers, then the fuzzers
# (scripts/fuzz.sh, each harness for NOTES_FUZZ_SECONDS, default 30).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = "--all" ]; then
  step() {
    local started=$SECONDS
    echo "=== $*"
    "$@"
    echo "=== $* took $((SECONDS - started))s"
  }
  step bash "$root/scripts/test.sh"
  step bash "$root/scripts/test.sh" --sanitizers
  step bash "$root/scripts/fuzz.sh" --seconds "${NOTES_FUZZ_SECONDS:-30}"
  exit 0
fi
"$root/scripts/install-deps.sh" test
if [ "${1:-}" = "--sanitizers" ]; then
  shift
  cd "$root"
  cmake --preset asan -DNOTES_WARNINGS_AS_ERRORS=ON
  cmake --build --preset asan -j"$(nproc)"
  exec ctest --preset asan -j"$(nproc)" "$@"
fi
build="${NOTES_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNOTES_WARNINGS_AS_ERRORS=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
