#!/usr/bin/env bash
# Starts a notes-server (in memory, free port) and validates the OpenAPI document it serves
# against the official OpenAPI 3.1 schema. The npm tools are installed by install.sh.
#   run.sh <path to notes-server> <work folder>
set -euo pipefail
server_bin="$1"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"

bash "$here/install.sh" "$work"

# shellcheck source=SCRIPTDIR/../../support/server.sh
source "$here/../../support/server.sh"
start_notes_server "openapi check" "$server_bin" --database-url memory: --threads 1 \
  --access-log 0 --secret-key openapi-check || exit 1
node "$work/validate.mjs" "http://127.0.0.1:$notes_server_port"
