# shellcheck shell=bash
# Sourced by the shell tests that drive a real notes-server over HTTP.
#   start_notes_server <label> <notes-server> [flags...] || exit 1
# starts the server on a free port (--port 0 is added) in a fresh working directory and sets
# notes_server_port, notes_server_pid and notes_server_log. Sourcing sets an EXIT trap that stops
# the server and removes its directory, so the sourcing script keeps no trap of its own; <label>
# starts every message, naming the test. A server that does not exit cleanly on SIGTERM (it
# crashed, or a sanitizer reported an error or a leak) fails the test, with its log.

notes_server_pid=""
notes_server_port=""
notes_server_dir=""
notes_server_log=""
notes_server_label="notes-server"

stop_notes_server() {
  local status=0
  if [ -n "$notes_server_pid" ]; then
    kill "$notes_server_pid" 2>/dev/null || true
    wait "$notes_server_pid" 2>/dev/null || status=$?
    if [ "$status" -ne 0 ]; then
      echo "$notes_server_label: notes-server exited with status $status:" >&2
      cat "$notes_server_log" >&2
    fi
  fi
  notes_server_pid=""
  if [ -n "$notes_server_dir" ]; then rm -rf "$notes_server_dir"; fi
  notes_server_dir=""
  return "$status"
}
trap 'stop_notes_server || exit 1' EXIT

start_notes_server() {
  local label="$1" server_bin="$2"
  shift 2
  notes_server_label="$label"
  # The server starts in another directory, so a relative path must be made absolute first.
  case "$server_bin" in */*) [[ "$server_bin" = /* ]] || server_bin="$PWD/$server_bin" ;; esac
  # Its own working directory, so no developer's .env is picked up. The log exists before the
  # server starts: the loop below may read it before the background shell has opened it.
  notes_server_dir="$(mktemp -d)"
  notes_server_log="$notes_server_dir/server.log"
  : >"$notes_server_log"
  (cd "$notes_server_dir" && exec "$server_bin" --port 0 "$@") 2>"$notes_server_log" &
  notes_server_pid=$!

  notes_server_port=""
  for _ in $(seq 200); do
    notes_server_port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' \
      "$notes_server_log")"
    [ -n "$notes_server_port" ] && return 0
    if ! kill -0 "$notes_server_pid" 2>/dev/null; then
      echo "$label: notes-server did not start:" >&2
      cat "$notes_server_log" >&2
      wait "$notes_server_pid" 2>/dev/null || true
      notes_server_pid=""
      return 1
    fi
    sleep 0.05
  done
  echo "$label: notes-server did not report its port" >&2
  cat "$notes_server_log" >&2
  return 1
}
