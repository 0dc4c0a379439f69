#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ (preset fuzz: clang-19, ASan and UBSan, in build/fuzz),
# runs every seed corpus once (a regression test per harness), then fuzzes each harness for a
# bounded time, as many at once as there are cores.
#   fuzz.sh [--seconds N] [harness...]     N defaults to 30; the harnesses to every one of fuzz/
# New inputs go to build/fuzz/corpus/<harness>, never into fuzz/corpus. A crash, a hang, a
# sanitizer report or a broken check stops that harness, fails the run and leaves the input in
# build/fuzz/findings/<harness>/; `build/fuzz/fuzz/fuzz-<harness> <file>` replays it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=30
if [ "${1:-}" = "--seconds" ]; then
  seconds="$2"
  shift 2
fi
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for dir in "$root"/fuzz/corpus/*/; do harnesses+=("$(basename "$dir")"); done
fi

"$root/scripts/install-deps.sh" fuzz
cd "$root"
cmake --preset fuzz
cmake --build --preset fuzz -j"$(nproc)"
ctest --preset fuzz -j"$(nproc)"

build="$root/build/fuzz"
# Runs one harness; its exit status goes to findings/<harness>.status.
fuzz_one() {
  local name="$1" dict="$root/fuzz/dict/$1.dict" options=() status=0
  mkdir -p "$build/corpus/$name" "$build/findings/$name"
  if [ -f "$dict" ]; then options+=("-dict=$dict"); fi
  # -timeout: one input taking this long is a hang. -rss_limit_mb: a leak or a blow-up.
  "$build/fuzz/fuzz-$name" "${options[@]}" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/findings/$name/" \
    "$build/corpus/$name" "$root/fuzz/corpus/$name" >"$build/findings/$name.log" 2>&1 ||
    status=$?
  echo "$status" >"$build/findings/$name.status"
}

for name in "${harnesses[@]}"; do
  if [ ! -x "$build/fuzz/fuzz-$name" ]; then
    echo "fuzz.sh: no harness '$name' (fuzz/corpus names them)" >&2
    exit 2
  fi
done
rm -rf "$build/findings"
mkdir -p "$build/findings"
running=0
for name in "${harnesses[@]}"; do
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  echo "fuzzing $name for ${seconds}s"
  fuzz_one "$name" &
  running=$((running + 1))
done
wait

failed=()
for name in "${harnesses[@]}"; do
  log="$build/findings/$name.log"
  if [ "$(cat "$build/findings/$name.status")" = 0 ]; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    echo "fuzz $name: ok, ${runs:-?} inputs"
  else
    failed+=("$name")
    echo "fuzz $name: FAILED; the end of $log:" >&2
    tail -n 60 "$log" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in ${failed[*]} (build/fuzz/findings/<harness>/); replay one with" \
    "build/fuzz/fuzz/fuzz-<harness> <file>" >&2
  exit 1
fi
