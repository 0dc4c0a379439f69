#!/usr/bin/env bash
# The benchmark: builds Release, seeds fresh databases, measures notes-server, the ceiling server
# and, when BENCH_FLASK_APP_DIR names a checkout of it, the Flask notes app with wrk on the same
# endpoints, then prints the table.
#
#   bash bench/run.sh
#   BENCH_FLASK_APP_DIR=../flask-notes bash bench/run.sh
#
# Settings (environment): BENCH_DURATION seconds per run (10), BENCH_CONNECTIONS (64),
# BENCH_WRK_THREADS (2), BENCH_SERVER_THREADS (nproc), BENCH_FLASK_APP_DIR the folder holding the
# Flask app's app.py (unset: its rows are skipped),
# BENCH_RESULTS file to keep the raw results (JSON lines), BENCH_BUILD_DIR (build-bench),
# BENCH_ROUNDS rounds over the rows (3; the table shows each row's median, see measure_round),
# BENCH_ONLY="create update durability" measures only those rows (keys as in `endpoints` below,
# and `notes_only_endpoints`, plus get_id_bearer, update_keep0, memory and durability) for a quick
# look at one change.
# Exit status: 0 when every target passed, 1 when one failed, 2 when the run itself failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
server_threads=${BENCH_SERVER_THREADS:-$(nproc)}
flask_app_dir=${BENCH_FLASK_APP_DIR:-}
word=zephyr  # in exactly 1% of the notes (bench/dataset.py)
tag=project  # on every tenth note of the tagged database (bench/dataset.py)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
only=${BENCH_ONLY:-}
rounds=${BENCH_ROUNDS:-3}

selected() {  # row key: in BENCH_ONLY, or BENCH_ONLY unset
  [ -z "$only" ] || [[ " $only " == *" $1 "* ]]
}

install_bench_deps
build_release notes-server ceiling_server notes_seed
ceiling_bin=$build/bench/ceiling_server
[ -x "$ceiling_bin" ] || die "missing $ceiling_bin after the build"

# The Flask app is measured only when it can run here; otherwise the table has no ratios to it.
flask_app=0
if [ -z "$flask_app_dir" ]; then
  log "BENCH_FLASK_APP_DIR is not set: the Flask app's rows are skipped"
elif [ ! -f "$flask_app_dir/app.py" ]; then
  log "BENCH_FLASK_APP_DIR=$flask_app_dir holds no app.py: the Flask app's rows are skipped"
elif [ ! -x /usr/bin/gunicorn ] ||
  ! "$python" -c 'import flask, flask_sqlalchemy, flask_migrate, flask_wtf, dotenv' 2>/dev/null; then
  log "gunicorn or the Flask app's Python packages are missing (scripts/install-deps.sh bench):" \
    "the Flask app's rows are skipped"
else
  flask_app_dir=$(cd "$flask_app_dir" && pwd)
  flask_app=1
fi

start_work notes-bench
results=$work/results.jsonl

# --- data ------------------------------------------------------------------------------------
log "seeding databases in $work"
"$python" "$root/bench/dataset.py" tsv 10000 "$word" "$work/notes-10k.tsv"
"$seed_bin" "sqlite:///$work/notes-10k.db" "$work/notes-10k.tsv" >/dev/null
[ "$flask_app" = 0 ] || "$python" "$root/bench/dataset.py" flask "$work/notes-10k.tsv" "$work/flask-10k.db"
if selected search || selected search_latency || selected search_history; then
  "$python" "$root/bench/dataset.py" tsv 100000 "$word" "$work/notes-100k.tsv"
  "$seed_bin" "sqlite:///$work/notes-100k.db" "$work/notes-100k.tsv" >/dev/null
  [ "$flask_app" = 0 ] ||
    "$python" "$root/bench/dataset.py" flask "$work/notes-100k.tsv" "$work/flask-100k.db"
fi
# 10,000 notes of Markdown, and the usual notes with a tag on every tenth (notes-server only).
if selected detail_md; then
  "$python" "$root/bench/dataset.py" markdown 10000 "$work/notes-10kmd.tsv"
  "$seed_bin" "sqlite:///$work/notes-10kmd.db" "$work/notes-10kmd.tsv" >/dev/null
fi
if selected list_tag; then
  "$python" "$root/bench/dataset.py" tsv 10000 "$word" "$work/notes-10kt.tsv" "$tag"
  "$seed_bin" "sqlite:///$work/notes-10kt.db" "$work/notes-10kt.tsv" >/dev/null
fi
# The same notes, each with a revision, and a trash of a tenth as many (notes_seed --history).
if selected list_api_history; then
  "$seed_bin" "sqlite:///$work/notes-10kh.db" "$work/notes-10k.tsv" --history >/dev/null
fi
if selected search_history; then
  "$seed_bin" "sqlite:///$work/notes-100kh.db" "$work/notes-100k.tsv" --history >/dev/null
fi

fresh_db() {  # pristine copy -> run copy (SQLite's -wal and -shm files included)
  rm -f "$2" "$2-wal" "$2-shm" "$2-journal"
  cp "$1" "$2"
  [ ! -f "$1-wal" ] || cp "$1-wal" "$2-wal"
}

# endpoint database-size script args...: what every server is measured on.
endpoints=(
  "get_id 10k get.lua /api/notes/%d 10000"
  "list_api 10k get.lua /api/notes?page=%d 1000"
  "list_html 10k get.lua /notes"
  "detail_html 10k get.lua /notes/%d 10000"
  "search 100k get.lua /api/notes/search?q=$word"
  "search_latency 100k get.lua /api/notes/search?q=$word"
  "create 10k post.lua"
  "update 10k put.lua 10000"
)
# Rows without a Flask counterpart (it has neither revisions, trash, Markdown nor tags).
notes_only_endpoints=(
  "list_api_history 10kh get.lua /api/notes?page=%d 1000"
  "search_history 100kh get.lua /api/notes/search?q=$word"
  "detail_md 10kmd get.lua /notes/%d 10000"
  "list_tag 10kt get.lua /api/notes?tag=$tag&page=%d 100"
)

connections_for() {  # endpoint
  if [ "$1" = search_latency ]; then echo 1; else echo "$connections"; fi
}
threads_for() {
  if [ "$1" = search_latency ]; then echo 1; else echo "$wrk_threads"; fi
}

start_flask() {  # database -> sets port and pid
  port=$(free_port)
  (cd "$work/flask-app" && DATABASE_URL="sqlite:///$1" SECRET_KEY=x \
    exec "$python" /usr/bin/gunicorn -w 2 -b "127.0.0.1:$port" app:app \
    >>"$work/flask-app.log" 2>&1) &
  pid=$!
  pids+=("$pid")
  wait_for_port "$port" "$pid"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- one round: the ceiling, then every selected notes-server row --------------------------------
# Rows are measured in rounds (BENCH_ROUNDS) and the report takes each row's median. A row whose
# target compares it with another row (compared_with) is measured right after that row in every
# round, so the two run seconds apart, round after round, and a passing moment of load on the
# machine or its drift over the run moves one round of both rather than one of them.
compared_with() {  # row key -> the row its target compares it with, if any
  case "$1" in
    get_id_bearer) echo get_id ;;
    list_api_history) echo list_api ;;
    search_history) echo search ;;
    update_keep0) echo update ;;
  esac
}
compared_rows=(get_id_bearer list_api_history search_history update_keep0)

spec_of() {  # row key -> its line of endpoints or notes_only_endpoints
  local spec
  for spec in "${endpoints[@]}" "${notes_only_endpoints[@]}"; do
    [ "${spec%% *}" != "$1" ] || { echo "$spec"; return; }
  done
}

measure_row() {  # row key
  local endpoint size script args
  case "$1" in
    get_id_bearer)
      # The same GET with a bearer token under AUTH=accounts: what checking a token costs.
      fresh_db "$work/notes-10k.db" "$work/run.db"
      echo 'bench password' | DATABASE_URL="sqlite:///$work/run.db" "$server_bin" users add bench \
        --claim-notes >/dev/null 2>>"$work/notes-server.log"
      token=$(DATABASE_URL="sqlite:///$work/run.db" "$server_bin" tokens create --user bench \
        --name bench --read-only 2>>"$work/notes-server.log" | tail -n 1)
      [ -n "$token" ] || die "notes-server tokens create printed no token"
      start_notes "$work/run.db" accounts
      BENCH_AUTHORIZATION="Bearer $token" measure notes get_id_bearer "$port" "$pid" \
        "$connections" "$wrk_threads" get.lua /api/notes/%d 10000
      ;;
    update_keep0)
      # The PUT row again without revisions: what keeping them costs a write.
      fresh_db "$work/notes-10k.db" "$work/run.db"
      start_notes "$work/run.db" none 0
      measure notes update_keep0 "$port" "$pid" "$connections" "$wrk_threads" put.lua 10000
      ;;
    *)
      read -r endpoint size script args <<<"$(spec_of "$1")"
      fresh_db "$work/notes-$size.db" "$work/run.db"
      start_notes "$work/run.db"
      # shellcheck disable=SC2086  # args is a word list on purpose
      measure notes "$endpoint" "$port" "$pid" "$(connections_for "$endpoint")" \
        "$(threads_for "$endpoint")" "$script" $args
      ;;
  esac
  stop_server "$pid"
}

measure_round() {
  port=$(free_port)
  "$ceiling_bin" --port "$port" --threads "$server_threads" >"$work/ceiling.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_for_port "$port" "$pid"
  measure ceiling get_id "$port" "$pid" "$connections" "$wrk_threads" get.lua /api/notes/%d 10000
  stop_server "$pid"

  local spec key base row
  # The rows of the two lists, then those without a line there (measure_row knows them).
  for spec in "${endpoints[@]}" "${notes_only_endpoints[@]}" get_id_bearer update_keep0; do
    key=${spec%% *}
    selected "$key" || continue
    base=$(compared_with "$key")
    if [ -n "$base" ] && selected "$base"; then continue; fi  # measured right after its row
    measure_row "$key"
    for row in "${compared_rows[@]}"; do
      if [ "$(compared_with "$row")" = "$key" ] && selected "$row"; then measure_row "$row"; fi
    done
  done
}

for round in $(seq 1 "$rounds"); do
  log "round $round of $rounds"
  measure_round
done

if selected memory; then
  log "memory: 256 connections on the HTML list"
  fresh_db "$work/notes-10k.db" "$work/run.db"
  start_notes "$work/run.db"
  measure notes memory "$port" "$pid" 256 "$wrk_threads" get.lua "/notes?page=%d" 1000
  stop_server "$pid"
fi

durability_check() {
  log "durability: kill -9 during creates, restart, look for every acknowledged note"
  fresh_db "$work/notes-10k.db" "$work/run.db"
  start_notes "$work/run.db"
  rm -f "$work"/acks.*
  wrk -t "$wrk_threads" -c "$connections" -d 60s -s "$root/bench/wrk/post_ack.lua" \
    "http://127.0.0.1:$port" -- "$work/acks." >"$work/durability-wrk.log" 2>&1 &
  wrk_pid=$!
  pids+=("$wrk_pid")
  sleep $(((duration + 1) / 2))
  kill -KILL "$pid"
  reap "$pid"
  sleep 0.5
  kill -INT "$wrk_pid" 2>/dev/null || true
  reap "$wrk_pid"
  start_notes "$work/run.db"
  ack_files=("$work"/acks.*)
  [ -e "${ack_files[0]}" ] || die "wrk recorded no acknowledgement file"
  "$python" "$root/bench/verify_acks.py" "$port" "${ack_files[@]}" >>"$results"
  log "$(tail -n 1 "$results")"
  stop_server "$pid"
}
if selected durability; then durability_check; fi

# --- the Flask app -----------------------------------------------------------------------------
if [ "$flask_app" = 1 ]; then
  # A copy, so the app's own files (an instance folder, a database) never land in the checkout.
  cp -r "$flask_app_dir" "$work/flask-app"
  chmod -R u+w "$work/flask-app"
  for spec in "${endpoints[@]}"; do
    read -r endpoint size script args <<<"$spec"
    selected "$endpoint" || continue
    fresh_db "$work/flask-$size.db" "$work/flask-run.db"
    start_flask "$work/flask-run.db"
    # shellcheck disable=SC2086
    measure flask "$endpoint" "$port" "$pid" "$(connections_for "$endpoint")" \
      "$(threads_for "$endpoint")" "$script" $args
    stop_server "$pid"
  done
fi

# --- the table ---------------------------------------------------------------------------------
report_and_exit "$root/bench/report.py" \
  "notes-server: $server_threads threads; wrk: $wrk_threads threads, $connections connections, ${duration}s per endpoint, keep-alive" \
  "${BENCH_RESULTS:-}"
