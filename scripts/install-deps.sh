#!/usr/bin/env bash
# Installs the Debian 12 packages a task needs, skipping what is already there.
#   install-deps.sh build   compiler, CMake and the libraries
#   install-deps.sh test    build + what the tests drive (PostgreSQL, Chromium, Node.js)
#   install-deps.sh bench   build + load tools
#   install-deps.sh fuzz    build + clang 19 and its libFuzzer and sanitizer runtimes (fuzz/)
set -euo pipefail

build_pkgs=(g++ cmake make ccache pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libsoci-dev libsqlite3-dev
  libkainjow-mustache-dev doctest-dev libssl-dev libsodium-dev libmd4c-dev)
test_pkgs=(postgresql postgresql-contrib chromium nodejs npm procps curl)
# bench/run.sh measures the Flask notes app (gunicorn) beside notes-server when BENCH_FLASK_APP_DIR
# names one, and perf profiles it.
# Debian 12's default clang (14) cannot compile std::expected; clang 19 can, and its
# compiler-rt brings libFuzzer; llvm-19 has the symbolizer that puts names in its reports.
fuzz_pkgs=(clang-19 libclang-rt-19-dev llvm-19)
bench_pkgs=(wrk procps curl python3 linux-perf
  python3-flask python3-flask-sqlalchemy python3-flask-migrate python3-flaskext.wtf python3-dotenv gunicorn)

want=("${build_pkgs[@]}")
for task in "$@"; do
  case "$task" in
    build) ;;
    test) want+=("${test_pkgs[@]}") ;;
    bench) want+=("${bench_pkgs[@]}") ;;
    fuzz) want+=("${fuzz_pkgs[@]}") ;;
    *) echo "install-deps.sh: unknown task '$task' (build, test, bench, fuzz)" >&2; exit 2 ;;
  esac
done

# Node.js and npm count as present when their commands are: some machines carry a Node.js build that
# bundles npm and conflicts with Debian's npm package.
provided_by_command() {
  case "$1" in
    nodejs) command -v node >/dev/null ;;
    npm) command -v npm >/dev/null ;;
    *) return 1 ;;
  esac
}

missing=()
for p in "${want[@]}"; do
  provided_by_command "$p" && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi
echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
