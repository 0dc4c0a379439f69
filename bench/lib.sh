# shellcheck shell=bash disable=SC2154,SC2016  # the sourcing script sets root, build...; awk programs quoted
# Shell helpers shared by the benchmark scripts (bench/run.sh, bench/scale.sh); sourced, not run.
#
# The sourcing script sets `root` (the repository) and `build` (the Release build folder) before
# sourcing; `start_work` then makes the work folder, and `build_release` the binaries. Servers
# started here are remembered in `pids` and stopped when the script exits; `die` keeps the work
# folder (logs, databases) for a look.

python=/usr/bin/python3
pids=()
keep_work=0
work=

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
  log "$*"
  keep_work=1
  exit 2
}

# wrk, perf and the Flask app's packages; as another user than root, whatever is installed.
install_bench_deps() {
  if [ "$(id -u)" -eq 0 ]; then
    bash "$root/scripts/install-deps.sh" bench
  else
    bash "$root/scripts/install-deps.sh" bench || log "continuing with what is installed"
  fi
}

# Release binaries of the given targets in $build; sets server_bin and seed_bin.
build_release() {  # target...
  log "building Release in $build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNOTES_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j2 --target "$@" >/dev/null
  server_bin=$build/app/notes-server
  seed_bin=$build/bench/notes_seed
  local bin
  for bin in "$server_bin" "$seed_bin"; do
    [ -x "$bin" ] || die "missing $bin after the build"
  done
}

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$work" ] || return 0
  if [ "$keep_work" = 1 ]; then
    log "logs and databases kept in $work"
  else
    rm -rf "$work"
  fi
}

start_work() {  # name: a fresh /tmp/NAME.XXXXXX folder in $work, removed on exit
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  trap cleanup EXIT
}

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {  # port pid
  local _
  for _ in $(seq 1 200); do
    kill -0 "$2" 2>/dev/null || die "server (pid $2) exited during start-up; see $work/*.log"
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  die "nothing answered on port $1"
}

# A figure of a process and its children (gunicorn's workers), summed: an awk program over
# each one's /proc/<pid>/FILE.
sum_over_tree() {  # pid file awk-program
  local total=0 each value
  for each in "$1" $(pgrep -P "$1" || true); do
    value=$(awk "$3" "/proc/$each/$2" 2>/dev/null || echo 0)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}
peak_rss_kib() { sum_over_tree "$1" status '/^VmHWM:/ {print $2}'; }
cpu_ticks() { sum_over_tree "$1" stat '{print $14 + $15}'; }  # user + system, clock ticks

reap() {  # pid: waits for it and forgets it
  wait "$1" 2>/dev/null || true
  local keep=() pid
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
  pids=("${keep[@]}")
}

stop_server() {  # pid
  kill -TERM "$1" 2>/dev/null || true
  reap "$1"
}

# notes-server on a database: a SQLite file's path, or a DATABASE_URL (postgresql://...).
start_notes() {  # database [auth mode [revisions kept]] -> sets port and pid
  local url=$1
  [[ "$url" == *://* ]] || url="sqlite:///$1"
  port=$(free_port)
  (cd "$work" && DATABASE_URL="$url" HOST=127.0.0.1 PORT=$port THREADS=$server_threads \
    SECRET_KEY=bench ACCESS_LOG=0 AUTH=${2:-none} REVISIONS_KEEP=${3:-100} exec "$server_bin" \
    >>"$work/notes-server.log" 2>&1) &
  pid=$!
  pids+=("$pid")
  wait_for_port "$port" "$pid"
}

# wrk against port with a script, appending one JSON line to $results (its fields: server,
# endpoint, peak RSS, server CPU and wrk's summary, plus those of the JSON object in
# $measure_fields when set), for $duration seconds: server endpoint port rss_pid connections
# threads script [script args...]
# What a notes-server's /metrics says of its write batches so far, as JSON fields of a row
# (write_transactions, batched_writes; {} when it does not say: memory, PostgreSQL, no server).
write_batch_fields() {  # port
  "$python" - "$1" <<'PY'
import json, sys, urllib.request
names = {"notes_storage_write_transactions_total": "write_transactions",
         "notes_storage_writes_total": "batched_writes"}
fields = {}
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5) as answer:
        text = answer.read().decode()
except OSError:
    text = ""
for line in text.splitlines():
    name, _, value = line.partition(" ")
    if name in names:
        fields[names[name]] = int(value)
print(json.dumps(fields))
PY
}

measure() {
  local server=$1 endpoint=$2 port=$3 pid=$4 conns=$5 threads=$6 script=$7
  shift 7
  local out cpu_before cpu_after batches_before="{}" batches_after="{}"
  [ "$server" != notes ] || batches_before=$(write_batch_fields "$port")
  cpu_before=$(cpu_ticks "$pid")
  out=$(wrk -t "$threads" -c "$conns" -d "${duration}s" --timeout 5s \
    -s "$root/bench/wrk/$script" "http://127.0.0.1:$port" -- "$@" 2>&1) ||
    die "wrk failed for $server $endpoint: $out"
  local line rss fields=${measure_fields:-"{}"}
  line=$(grep '^BENCH ' <<<"$out") || die "no summary from wrk for $server $endpoint: $out"
  cpu_after=$(cpu_ticks "$pid")
  rss=$(peak_rss_kib "$pid")
  [ "$server" != notes ] || batches_after=$(write_batch_fields "$port")
  "$python" - "$server" "$endpoint" "$rss" "$((cpu_after - cpu_before))" "$(getconf CLK_TCK)" \
    "$line" "$fields" "$batches_before" "$batches_after" >>"$results" <<'PY'
import json, sys
server, endpoint, rss, ticks, hz, line, fields, before, after = sys.argv[1:]
row = {"server": server, "endpoint": endpoint, "rss_kib": int(rss),
       "cpu_us": int(ticks) * 1_000_000 // int(hz)}
for field in line.split()[1:]:
    key, value = field.split("=")
    row[key] = int(value)
row.update(json.loads(fields))
# The write batches of this row alone: the server may have written before it (tokens).
before, after = json.loads(before), json.loads(after)
for key, value in after.items():
    row[key] = value - before.get(key, 0)
print(json.dumps(row))
PY
  log "$(printf '%-8s %-15s %s' "$server" "$endpoint" "${line#BENCH }")"
}

# The end of a run: keeps the raw results in the file named (if any), prints the load averages,
# the run's settings and the report's table, and exits with the report's status (0 every
# target passed, 1 one failed, 2 the report itself failed).
report_and_exit() {  # report-script settings keep-results-file
  [ -z "$3" ] || cp "$results" "$3"
  echo
  echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$2; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo
  local status=0
  "$python" "$1" "$results" || status=$?
  [ "$status" -le 1 ] || exit 2
  exit "$status"
}
