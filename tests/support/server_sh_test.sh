#!/usr/bin/env bash
# server.sh stops the server it started and fails the test when that server does not exit
# cleanly: a sanitizer's leak report comes at exit, after every request succeeded.
#   server_sh_test.sh <path to server.sh>
set -euo pipefail
server_sh="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A stand-in for notes-server: announces a port, and on SIGTERM exits with its last argument.
cat >"$work/fake-server" <<'FAKE'
#!/usr/bin/env bash
trap 'echo "==1==ERROR: LeakSanitizer: detected memory leaks" >&2; exit "$exit_status"' TERM
exit_status="${!#}"  # the last argument: server.sh adds its own first
echo "notes-server listening on http://127.0.0.1:4242 (fake)" >&2
while true; do sleep 0.05; done
FAKE
chmod +x "$work/fake-server"

run() {
  bash -c 'set -euo pipefail; source "$1"; start_notes_server "fake test" "$2" "$3"; exit 0' \
    run "$server_sh" "$work/fake-server" "$1" 2>"$work/stderr"
}

if ! run 0; then
  echo "FAIL: a server that exits with 0 failed the test:" >&2
  cat "$work/stderr" >&2
  exit 1
fi
if run 23; then
  echo "FAIL: a server that exits with 23 passed the test" >&2
  exit 1
fi
if ! grep -q "fake test: notes-server exited with status 23" "$work/stderr" ||
    ! grep -q "LeakSanitizer" "$work/stderr"; then
  echo "FAIL: the failure does not name the status and show the log:" >&2
  cat "$work/stderr" >&2
  exit 1
fi
echo "ok"
