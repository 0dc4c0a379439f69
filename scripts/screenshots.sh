#!/usr/bin/env bash
# Writes the pictures of docs/screenshots/ (see docs/web.md): seeds a fresh in-memory notes-server
# with a realistic set of notes, then takes the list, a note and a search at desktop and phone
# widths with headless Chromium.
#   scripts/screenshots.sh [path to notes-server, default build/app/notes-server]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
server_bin="${1:-$root/build/app/notes-server}"
if [ ! -x "$server_bin" ]; then
  echo "screenshots: no notes-server at $server_bin; build the target notes-server first" >&2
  exit 1
fi
work="$root/build/screenshots-work"

# shellcheck source=SCRIPTDIR/../tests/browser/modules.sh
source "$root/tests/browser/modules.sh"
install_browser_modules "$work" || exit 1
# shellcheck source=SCRIPTDIR/../tests/support/server.sh
source "$root/tests/support/server.sh"
start_notes_server "screenshots" "$server_bin" --database-url memory:// --threads 2 \
  --access-log 0 || exit 1
node "$work/screenshots.mjs" "http://127.0.0.1:$notes_server_port" "$root/docs/screenshots"
