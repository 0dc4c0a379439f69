#!/usr/bin/env bash
# Profiles notes-server under wrk with perf: where one endpoint's time goes.
#
#   bash bench/profile.sh [PATTERN [MAX]]      e.g.  bash bench/profile.sh '/api/notes/%d' 10000
#
# Uses the binaries bench/run.sh built (BENCH_BUILD_DIR, default build-bench). Seeds 10,000
# notes (100,000 when the pattern is a search), loads the server for BENCH_DURATION seconds (10),
# records with DWARF call graphs, and prints the heaviest functions with and without their
# callees. The perf.data file is kept in the printed folder for `perf report -i`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
duration=${BENCH_DURATION:-10}
pattern=${1:-/api/notes/%d}
top=${2:-10000}
python=/usr/bin/python3
command -v perf >/dev/null || { echo "profile.sh: perf is missing (install-deps.sh bench)" >&2; exit 2; }
for bin in app/notes-server bench/notes_seed; do
  [ -x "$build/$bin" ] || { echo "profile.sh: run bench/run.sh first ($build/$bin)" >&2; exit 2; }
done

count=10000
case "$pattern" in */search*) count=100000 ;; esac
work=$(mktemp -d /tmp/notes-profile.XXXXXX)
"$python" "$root/bench/dataset.py" tsv "$count" zephyr "$work/notes.tsv"
"$build/bench/notes_seed" "sqlite:///$work/notes.db" "$work/notes.tsv" >/dev/null

port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work" && DATABASE_URL="sqlite:///$work/notes.db" PORT=$port ACCESS_LOG=0 SECRET_KEY=profile \
  exec "$build/app/notes-server" >"$work/server.log" 2>&1) &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done

script=get.lua
args=("$pattern" "$top")
case "$pattern" in
  POST) script=post.lua args=() ;;
  PUT) script=put.lua args=("$top") ;;
esac
wrk -t 2 -c 64 -d "$((duration + 2))s" -s "$root/bench/wrk/$script" "http://127.0.0.1:$port" \
  -- "${args[@]}" >"$work/wrk.log" 2>&1 &
load=$!
sleep 1
perf record --call-graph dwarf,16384 -F 499 -p "$server" -o "$work/perf.data" -- sleep "$duration" \
  >/dev/null 2>&1
wait "$load"
grep -E '^(Requests/sec|BENCH)' "$work/wrk.log"

# head closes the pipe early on purpose: no pipefail here.
report() {
  set +o pipefail
  perf report -i "$work/perf.data" "$@" --sort dso,symbol --stdio -g none 2>/dev/null |
    grep -E '^ +[0-9]' | sed -E 's/ {3,}/  /g' | cut -c1-180 | grep -E "$filter" | head -40
  set -o pipefail
}
echo "== self time"
filter=. report --no-children
echo "== with callees (this program's functions and the big library entry points)"
filter='notes::|sqlite3_step|kainjow|sendmsg|recvmsg|fcntl|malloc|free' report --children
echo "perf data: $work/perf.data"
