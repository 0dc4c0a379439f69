#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: under a fresh temporary directory, on a free
# loopback port, with trust authentication for the user "notes", gone again after "stop".
#
#   postgres-cluster.sh start STATE_DIR         initdb + start; writes STATE_DIR/url (and
#                                               STATE_DIR/skip with the reason if it cannot)
#   postgres-cluster.sh stop STATE_DIR          stop the server and delete the cluster
#   postgres-cluster.sh stop-server STATE_DIR   stop the server only (connection-loss tests)
#   postgres-cluster.sh start-server STATE_DIR  start it again on the same port
#
# When no cluster can be started, "start" writes the reason to STATE_DIR/skip and succeeds, so
# the PostgreSQL tests report themselves skipped; with CI=true it fails instead.
set -euo pipefail

command=${1:-}
state=${2:-}
if [ -z "$command" ] || [ -z "$state" ]; then
  echo "usage: $0 start|stop|stop-server|start-server STATE_DIR" >&2
  exit 2
fi

# Runs a PostgreSQL program as the cluster's owner: initdb and postgres refuse to run as root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_bin() { cat "$state/bin"; }
cluster() { cat "$state/cluster_dir"; }

give_up() {
  echo "postgres-cluster.sh: cannot start PostgreSQL: $1" >&2
  printf '%s\n' "$1" >"$state/skip"
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 0
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_server() {
  local port=$1 dir
  dir=$(cluster)
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
}

# Stops and deletes the cluster recorded in STATE_DIR, if any.
remove_cluster() {
  if [ -f "$state/cluster_dir" ]; then
    local dir
    dir=$(cluster)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  fi
  rm -rf "$state"
}

case "$command" in
  start)
    # A cluster left by an earlier start (ctest --repeat runs the fixture again) goes first.
    remove_cluster
    mkdir -p "$state"
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      give_up "no PostgreSQL server found under /usr/lib/postgresql (Debian package postgresql)"
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      give_up "running as root but there is no postgres user to own the cluster"
    fi
    echo "$bin" >"$state/bin"
    # Tests that stop and start the server find this script here.
    echo "$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" >"$state/script"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/notes-pg.XXXXXX")
    echo "$dir" >"$state/cluster_dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    if ! as_owner "$bin/initdb" -D "$dir/data" -A trust -U notes -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1; then
      give_up "initdb failed: $(tail -n 3 "$dir/initdb.log" | tr '\n' ' ')"
    fi
    started=""
    for _ in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 40000))
      port_in_use "$port" && continue
      if start_server "$port"; then
        started=$port
        break
      fi
    done
    if [ -z "$started" ]; then
      give_up "the server did not start: $(tail -n 3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"
    fi
    echo "$started" >"$state/port"
    echo "postgresql://notes@127.0.0.1:$started/postgres" >"$state/url"
    echo "postgres-cluster.sh: PostgreSQL running at postgresql://notes@127.0.0.1:$started/postgres (cluster $dir)"
    ;;
  stop)
    remove_cluster
    ;;
  stop-server)
    as_owner "$(pg_bin)/pg_ctl" -D "$(cluster)/data" -m fast -w stop >/dev/null
    ;;
  start-server)
    start_server "$(cat "$state/port")"
    ;;
  *)
    echo "postgres-cluster.sh: unknown command '$command'" >&2
    exit 2
    ;;
esac
