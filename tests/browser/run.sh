#!/usr/bin/env bash
# The browser tests: start a real notes-server on a fresh SQLite file and a free port, then drive
# it with headless Chromium through playwright-core: the round trip with AUTH=none, then sign-in
# with AUTH=accounts and two accounts made by `notes-server users add`. npm modules are installed on first use
# (and whenever package-lock.json changes) into the work folder, next to the screenshots.
#   run.sh <path to notes-server> <work folder>
set -euo pipefail
server_bin="$1"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source=SCRIPTDIR/modules.sh
source "$here/modules.sh"
install_browser_modules "$work" || exit 1

# shellcheck source=SCRIPTDIR/../support/server.sh
source "$here/../support/server.sh"
start_notes_server "browser test" "$server_bin" --database-url sqlite:///notes.db \
  --secret-key browser-test-key --threads 2 --access-log 0 || exit 1

status=0
node "$work/round_trip.mjs" "http://127.0.0.1:$notes_server_port" "$work/screenshots" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- notes-server log" >&2
  cat "$notes_server_log" >&2
  exit "$status"
fi
stop_notes_server || exit 1

# The accounts exist before the server starts, as an operator would make them.
db_dir="$(mktemp -d)"
trap 'rc=$?; stop_notes_server || rc=1; rm -rf "$db_dir"; exit "$rc"' EXIT
db_url="sqlite:///$db_dir/notes.db"
echo 'correct horse battery' | "$server_bin" users add alice --database-url "$db_url" >/dev/null
echo 'another long password' | "$server_bin" users add bob --database-url "$db_url" >/dev/null
start_notes_server "browser sign-in test" "$server_bin" --database-url "$db_url" --auth accounts \
  --secret-key browser-test-key --threads 2 --access-log 0 || exit 1
node "$work/accounts.mjs" "http://127.0.0.1:$notes_server_port" "$work/screenshots-accounts" \
  || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- notes-server log" >&2
  cat "$notes_server_log" >&2
fi
exit "$status"
