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

run_dir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$run_dir"
}
trap cleanup EXIT

# Its own working directory, so no developer's .env is picked up. The log exists before the server
# starts: the loop below may read it before the background shell has opened it.
: >"$run_dir/server.log"
(cd "$run_dir" && exec "$server_bin" --port 0 --database-url memory: --threads 1 \
  --access-log 0 --secret-key openapi-check) 2>"$run_dir/server.log" &
server_pid=$!

port=""
for _ in $(seq 200); do
  port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$run_dir/server.log")"
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "openapi check: notes-server did not start:" >&2
    cat "$run_dir/server.log" >&2
    exit 1
  fi
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "openapi check: notes-server did not report its port" >&2
  exit 1
fi
node "$work/validate.mjs" "http://127.0.0.1:$port"
