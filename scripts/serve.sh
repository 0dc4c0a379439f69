#!/usr/bin/env bash
# Installs what is missing, builds notes-server in Release and starts it on the SQLite default.
# Extra arguments go to notes-server (see: notes-server --help).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" build
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DNOTES_BUILD_TESTS=OFF >/dev/null
cmake --build "$root/build-release" --target notes-server -j"$(nproc)"
exec "$root/build-release/app/notes-server" "$@"
