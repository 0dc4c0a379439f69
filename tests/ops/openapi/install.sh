#!/usr/bin/env bash
# Installs the npm tools of the OpenAPI checks (the OpenAPI 3.1 schema validator, the validating
# proxy prism) into a work folder: on first use, and again whenever package-lock.json changes.
#   install.sh <work folder>
set -euo pipefail
work="$1"
here="$(cd "$(dirname "$0")" && pwd)"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "openapi tools: $tool is missing; run scripts/install-deps.sh test" >&2
    exit 1
  fi
done

mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/validate.mjs" "$work/"
if ! cmp -s "$here/package-lock.json" "$work/.installed-lock" ||
    [ ! -d "$work/node_modules/@seriousme/openapi-schema-validator" ] ||
    [ ! -x "$work/node_modules/.bin/prism" ]; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$work/.installed-lock"
fi
