# shellcheck shell=bash
# Sourced by the scripts that drive headless Chromium (run.sh, scripts/screenshots.sh).
#   install_browser_modules <work folder>
# checks for node, npm and Chromium, copies package.json and the scripts of this folder into the
# work folder and installs the npm modules there on first use and whenever package-lock.json
# changes.
browser_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

install_browser_modules() {
  local work="$1" tool
  for tool in node npm /usr/bin/chromium; do
    if ! command -v "$tool" >/dev/null; then
      echo "browser: $tool is missing; run scripts/install-deps.sh test" >&2
      return 1
    fi
  done
  mkdir -p "$work"
  cp "$browser_dir"/package.json "$browser_dir"/package-lock.json "$browser_dir"/*.mjs "$work/"
  if ! cmp -s "$browser_dir/package-lock.json" "$work/.installed-lock" ||
    [ ! -d "$work/node_modules/playwright-core" ]; then
    # playwright-core never downloads a browser; the variable makes sure of it.
    (cd "$work" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp "$browser_dir/package-lock.json" "$work/.installed-lock"
  fi
}
