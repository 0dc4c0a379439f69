#!/usr/bin/env bash
# Starts a notes-server (in memory, free port) and validates the OpenAPI document it serves
# against the official OpenAPI 3.1 schema. npm modules are installed on first use (and whenever
# package-lock.json changes) into the work folder.
#   run.sh <path to notes-server> <work folder>
set -euo pipefail
server_bin="$1"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "openapi check: $tool is missing; run scripts/install-deps.sh test" >&2
    exit 1
  fi
done

mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/validate.mjs" "$work/"
if ! cmp -s "$here/package-lock.json" "$work/.installed-lock" ||
    [ ! -d "$work/node_modules/@seriousme/openapi-schema-validator" ]; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$work/.installed-lock"
fi

# shellcheck source=SCRIPTDIR/../../support/server.sh
source "$here/../../support/server.sh"
start_notes_server "openapi check" "$server_bin" --database-url memory: --threads 1 \
  --access-log 0 --secret-key openapi-check || exit 1
node "$work/validate.mjs" "http://127.0.0.1:$notes_server_port"
