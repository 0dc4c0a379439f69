#!/usr/bin/env bash
# How cost grows with the number of notes: for each size, seeds a fresh database, starts a
# Release notes-server on it and measures, at one connection (wrk -t1 -c1), the p50 latency of
# reads whose cost could grow with the notes (a note by id, list pages first, middle by number
# and by cursor, the HTML middle page, search for a word in 1% of the notes, first and deep
# page, and a search without match); then prints the table (bench/scale_report.py): each row's
# p50 per size and its ratio to the smallest size, the server's peak RSS, the database's size
# and its bytes per byte of note text. On PostgreSQL also the scale-out: requests/s of two reads
# at 64 connections through one server, and through two servers on the one database.
#
#   bash bench/scale.sh
#   SCALE_SIZES="10000 100000" bash bench/scale.sh        a quicker run
#
# Settings (environment): SCALE_SIZES note counts ("10000 100000 1000000"; the first is the one
# every ratio is to), SCALE_DURATION seconds per row (5), SCALE_BACKENDS "sqlite" (default),
# "postgresql" or both (a throwaway PostgreSQL cluster, tests/support/postgres-cluster.sh),
# SCALE_KEEP=1 keeps each size's SQLite database (they are deleted after their size otherwise:
# the 1,000,000-note file is about 880 MB; the PostgreSQL cluster goes at the end either way),
# SCALE_RESULTS file to keep the raw results (JSON lines), BENCH_BUILD_DIR (build-bench),
# BENCH_SERVER_THREADS (nproc).
# Exit status: 0 when every target passed, 1 when one failed, 2 when the run itself failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
duration=${SCALE_DURATION:-5}
read -r -a sizes <<<"${SCALE_SIZES:-10000 100000 1000000}"
read -r -a backends <<<"${SCALE_BACKENDS:-sqlite}"
keep_databases=${SCALE_KEEP:-0}
server_threads=${BENCH_SERVER_THREADS:-$(nproc)}
word=zephyr       # in exactly 1% of the notes (bench/dataset.py)
missing=quetzal   # in none of them
deep_search_page=50
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

install_bench_deps
build_release notes-server notes_seed
start_work notes-scale
[ "$keep_databases" != 1 ] || keep_work=1
results=$work/results.jsonl
pg_state=$work/postgres

# shellcheck disable=SC2317  # run by the EXIT trap
stop_postgres() {
  [ ! -d "$pg_state" ] || bash "$root/tests/support/postgres-cluster.sh" stop "$pg_state" || true
  cleanup
}
trap stop_postgres EXIT

for backend in "${backends[@]}"; do
  case "$backend" in
    sqlite) ;;
    postgresql)
      command -v psql >/dev/null || die "SCALE_BACKENDS has postgresql but psql is missing"
      CI=true bash "$root/tests/support/postgres-cluster.sh" start "$pg_state" >&2 ||
        die "no PostgreSQL cluster could be started"
      ;;
    *) die "unknown backend in SCALE_BACKENDS: $backend (sqlite, postgresql)" ;;
  esac
done

get_json() {  # path field: one field of a JSON answer of the server on $port
  curl -sf "http://127.0.0.1:$port$1" | "$python" -c \
    'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}

# The database of one size on one backend: its URL, and how to measure and drop it.
database_url() {  # backend notes
  if [ "$1" = sqlite ]; then
    echo "sqlite:///$work/notes-$2.db"
  else
    echo "$(sed 's|/postgres$||' "$pg_state/url")/scale_$2"
  fi
}
create_database() {  # backend notes
  [ "$1" = sqlite ] || psql -q "$(cat "$pg_state/url")" -c "CREATE DATABASE scale_$2" >/dev/null
}
# PostgreSQL: the statistics and visibility map autovacuum would have made by the time such a
# database served reads, so its plans (index-only scans among them) are those of a settled one.
settle_database() {  # backend url
  [ "$1" = sqlite ] || psql -q "$2" -c "VACUUM ANALYZE" >/dev/null
}
database_bytes() {  # backend notes
  if [ "$1" = sqlite ]; then
    cat "$work/notes-$2.db" "$work/notes-$2.db-wal" 2>/dev/null | wc -c
  else
    psql -qAt "$(cat "$pg_state/url")" -c "SELECT pg_database_size('scale_$2')"
  fi
}
drop_database() {  # backend notes
  if [ "$1" = sqlite ]; then
    rm -f "$work/notes-$2.db" "$work/notes-$2.db-wal" "$work/notes-$2.db-shm"
  else
    psql -q "$(cat "$pg_state/url")" -c "DROP DATABASE scale_$2" >/dev/null
  fi
}

# Bytes of note text (title and content, UTF-8) in a dataset file.
text_bytes() {  # tsv
  "$python" - "$1" <<'PY'
import re, sys
total = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        _, title, content = line.split("\t")[:3]
        content = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), content)
        total += len(title.encode()) + len(content.encode())
print(total)
PY
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for backend in "${backends[@]}"; do
  for notes in "${sizes[@]}"; do
    tsv=$work/notes-$notes.tsv
    [ -f "$tsv" ] || "$python" "$root/bench/dataset.py" tsv "$notes" "$word" "$tsv"
    url=$(database_url "$backend" "$notes")
    create_database "$backend" "$notes"
    seed_start=$(date +%s%N)
    "$seed_bin" "$url" "$tsv" >/dev/null
    settle_database "$backend" "$url"
    seed_ms=$((($(date +%s%N) - seed_start) / 1000000))
    log "$backend, $notes notes: seeded in $seed_ms ms"

    start_notes "$url"
    pages=$(get_json /api/notes pages)
    middle=$(((pages + 1) / 2))
    [ "$middle" -ge 2 ] || die "$notes notes make $pages pages: too few for a middle page"
    cursor=$(get_json "/api/notes?page=$((middle - 1))" next)
    [[ "$cursor" =~ ^[A-Za-z0-9_.~-]+$ ]] || die "unexpected cursor from page $((middle - 1)): $cursor"
    search_pages=$(get_json "/api/notes/search?q=$word" pages)
    deep=$((search_pages < deep_search_page ? search_pages : deep_search_page))
    [ "$(get_json "/api/notes/search?q=$missing" total)" = 0 ] || die "'$missing' matches notes"

    rows=(
      "get_id /api/notes/%d $notes"
      "list_first /api/notes"
      "list_middle /api/notes?page=$middle"
      "list_cursor /api/notes?after=$cursor"
      "html_middle /notes?page=$middle"
      "search_first /api/notes/search?q=$word"
      "search_deep /api/notes/search?q=$word&page=$deep"
      "search_none /api/notes/search?q=$missing"
    )
    measure_fields="{\"notes\": $notes, \"page\": $middle, \"search_page\": $deep}"
    for spec in "${rows[@]}"; do
      read -r endpoint args <<<"$spec"
      # shellcheck disable=SC2086  # args is a word list on purpose
      measure "$backend" "$endpoint" "$port" "$pid" 1 1 get.lua $args
    done
    measure_fields=
    rss=$(peak_rss_kib "$pid")
    # PostgreSQL's scale-out: the same reads at 64 connections through this server, then
    # through two servers on the one database, 32 connections each, measured at the same time.
    if [ "$backend" = postgresql ]; then
      for spec in "get_id /api/notes/%d $notes" "list_first /api/notes"; do
        read -r endpoint args <<<"$spec"
        measure_fields="{\"notes\": $notes, \"servers\": 1, \"row\": \"$endpoint\"}"
        # shellcheck disable=SC2086  # args is a word list on purpose
        measure "$backend" "out_$endpoint" "$port" "$pid" 64 2 get.lua $args
      done
      first_port=$port first_pid=$pid
      start_notes "$url"
      second_port=$port second_pid=$pid
      for spec in "get_id /api/notes/%d $notes" "list_first /api/notes"; do
        read -r endpoint args <<<"$spec"
        measure_fields="{\"notes\": $notes, \"servers\": 2, \"row\": \"$endpoint\"}"
        # shellcheck disable=SC2086
        measure "$backend" "out_$endpoint" "$first_port" "$first_pid" 32 1 get.lua $args &
        one=$!
        # shellcheck disable=SC2086
        measure "$backend" "out_$endpoint" "$second_port" "$second_pid" 32 1 get.lua $args &
        two=$!
        wait "$one" || die "the scale-out run of $endpoint through the first server failed"
        wait "$two" || die "the scale-out run of $endpoint through the second server failed"
      done
      measure_fields=
      stop_server "$second_pid"
      pid=$first_pid port=$first_port
    fi
    stop_server "$pid"

    printf '{"check": "size", "server": "%s", "notes": %d, "db_bytes": %d, "text_bytes": %d, "rss_kib": %d, "seed_ms": %d}\n' \
      "$backend" "$notes" "$(database_bytes "$backend" "$notes")" "$(text_bytes "$tsv")" "$rss" \
      "$seed_ms" >>"$results"
    log "$(tail -n 1 "$results")"
    [ "$keep_databases" = 1 ] || { drop_database "$backend" "$notes"; rm -f "$tsv"; }
  done
done

report_and_exit "$root/bench/scale_report.py" \
  "notes-server: $server_threads threads; wrk: 1 thread, 1 connection, ${duration}s per row, keep-alive" \
  "${SCALE_RESULTS:-}"
