#!/usr/bin/env bash
# Installs notes into temporary prefixes and builds programs against the package:
#   1. this build, installed whole (core, storage_soci, testing): examples/embed asks for
#      COMPONENTS core with SOCI, SQLite, Boost and PostgreSQL unfindable; examples/embed_sqlite
#      keeps notes in SQLite; examples/custom-repository runs the contract kit (COMPONENTS
#      testing, no SOCI either) and runs as many contract cases as this build's memory backend,
#      none skipped; without doctest, COMPONENTS testing fails naming doctest-dev;
#      find_package(notes) without components finds every component.
#   2. the core alone (NOTES_BUILD_STORAGE=OFF): examples/embed again; asking for storage_soci,
#      or for a component notes does not have, fails with a message naming it.
#   3. storage without PostgreSQL (NOTES_WITH_POSTGRESQL=OFF): no source of it includes libpq's
#      headers, and examples/embed_sqlite, which keeps notes in SQLite, needs no libpq.
#   embed_test.sh <build dir> <source dir> [<C++ compiler> <compile flags> <link flags>]
# The compiler and flags are the project's: a core built with sanitizers needs them to link.
# The partial builds of 2 and 3 stay in <build dir>/embed-test, so a later run rebuilds only
# what changed.
set -euo pipefail
build_dir="$1" source_dir="$2" cxx="${3:-}" cxx_flags="${4:-}" link_flags="${5:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Objects of the two partial builds are alike; ccache may share them although their folders
# differ.
export CCACHE_NOHASHDIR=1

flags=(-DCMAKE_CXX_FLAGS="$cxx_flags" -DCMAKE_EXE_LINKER_FLAGS="$link_flags")
if [ -n "$cxx" ]; then flags+=(-DCMAKE_CXX_COMPILER="$cxx"); fi

# Find modules that stop configure when anything looks for these packages.
mkdir "$work/poison"
for package in SOCI SQLite3 Boost PostgreSQL; do
  echo "message(FATAL_ERROR \"${package} was looked for\")" >"$work/poison/Find${package}.cmake"
done
nothing_else=(-DCMAKE_MODULE_PATH="$work/poison" -DCMAKE_DISABLE_FIND_PACKAGE_SOCI=ON)

fail() { echo "FAIL: $*" >&2; exit 1; }

# configure_consumer <name> <prefix> <source dir> [cmake arguments...]
configure_consumer() {
  local name="$1" prefix="$2" source="$3"
  shift 3
  cmake -S "$source" -B "$work/$name" -DCMAKE_PREFIX_PATH="$prefix" "${flags[@]}" "$@" \
    >"$work/$name.log" 2>&1
}

# consumer_of <name> <cmake code>: a project whose CMakeLists.txt is that code.
consumer_of() {
  mkdir -p "$work/$1-source"
  printf 'cmake_minimum_required(VERSION 3.25)\nproject(%s LANGUAGES CXX)\n%s\n' "$1" "$2" \
    >"$work/$1-source/CMakeLists.txt"
  echo "$work/$1-source"
}

# partial_install <name> <cmake options...>: the library alone, built and installed.
partial_install() {
  local name="$1"
  shift
  local dir="$build_dir/embed-test/$name"
  cmake -S "$source_dir" -B "$dir" -DNOTES_BUILD_SERVER=OFF -DNOTES_BUILD_TESTS=OFF \
    -DNOTES_BUILD_BENCH=OFF "${flags[@]}" "$@" >"$work/$name-configure.log" 2>&1 ||
    { cat "$work/$name-configure.log"; fail "configure $name"; }
  cmake --build "$dir" --parallel 2 >"$work/$name-build.log" 2>&1 ||
    { cat "$work/$name-build.log"; fail "build $name"; }
  cmake --install "$dir" --prefix "$work/$name" >/dev/null
}

echo "== 1. this build, installed whole"
cmake --install "$build_dir" --prefix "$work/whole" >/dev/null
configure_consumer embed-whole "$work/whole" "$source_dir/examples/embed" "${nothing_else[@]}" ||
  { cat "$work/embed-whole.log"; fail "COMPONENTS core looked for more than the core"; }
cmake --build "$work/embed-whole" >/dev/null
out="$("$work/embed-whole/notes-embed")"
echo "$out"
grep -q "search found 1" <<<"$out"
if readelf -d "$work/embed-whole/notes-embed" | grep NEEDED | grep -Eq "soci|sqlite|libpq"; then
  fail "the core consumer links SOCI, SQLite or libpq"
fi
# A build with NOTES_BUILD_STORAGE=OFF installs the core alone; one without doctest no kit.
installed=(core)
for component in storage_soci testing; do
  if [ -n "$(find "$work/whole" -name "notes-$component-targets.cmake")" ]; then
    installed+=("$component")
  fi
done
if [[ " ${installed[*]} " == *" storage_soci "* ]]; then
  configure_consumer sqlite-whole "$work/whole" "$source_dir/examples/embed_sqlite" ||
    { cat "$work/sqlite-whole.log"; fail "examples/embed_sqlite did not configure"; }
  cmake --build "$work/sqlite-whole" >/dev/null
  "$work/sqlite-whole/notes-embed-sqlite" "$work/whole.db" | grep -q "search found 1"
fi
if [[ " ${installed[*]} " == *" testing "* ]]; then
  configure_consumer custom "$work/whole" "$source_dir/examples/custom-repository" \
    "${nothing_else[@]}" ||
    { cat "$work/custom.log"; fail "COMPONENTS testing looked for more than doctest"; }
  cmake --build "$work/custom" >/dev/null
  # The kit's summary line: "[notes::testing] repository contract: <n> cases run, <m> skipped".
  contract_summary() {
    local out
    out="$("$@" --test-suite='notes repository contract')" || { echo "$out" >&2; return 1; }
    sed -n 's/^\[notes::testing\] repository contract: \(.*\)$/\1/p' <<<"$out"
  }
  custom_run="$(contract_summary "$work/custom/notes-custom-repository-contract")" ||
    fail "examples/custom-repository failed the contract"
  # Every case of the program, the decorator's own as well, passes.
  "$work/custom/notes-custom-repository-contract" >/dev/null ||
    fail "examples/custom-repository failed its own case"
  project_tests="$build_dir/tests/storage/notes_storage_tests"
  if [ -x "$project_tests" ]; then
    memory_run="$(contract_summary "$project_tests" --test-case='*<memory>')" ||
      fail "the project's memory backend failed the contract"
    memory_cases="${memory_run%% cases*}"
    [ "${memory_cases:-0}" -gt 0 ] || fail "the project's memory run reported no contract cases"
    [ "$custom_run" = "$memory_cases cases run, 0 skipped" ] ||
      fail "custom-repository ran '$custom_run', the memory backend $memory_cases cases"
  fi
  echo "custom repository: $custom_run"
  no_doctest="$(consumer_of no_doctest 'find_package(notes REQUIRED COMPONENTS testing)')"
  if configure_consumer no-doctest "$work/whole" "$no_doctest" \
    -DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON; then
    fail "COMPONENTS testing was found without doctest"
  fi
  grep -q "doctest-dev" "$work/no-doctest.log" ||
    { cat "$work/no-doctest.log"; fail "the missing doctest is not named"; }
fi
everything="$(consumer_of everything "find_package(notes 0.1 REQUIRED)
foreach(component ${installed[*]})
  if(NOT TARGET notes::\${component} OR NOT notes_\${component}_FOUND)
    message(FATAL_ERROR \"find_package(notes) did not bring \${component}\")
  endif()
endforeach()")"
configure_consumer everything "$work/whole" "$everything" ||
  { cat "$work/everything.log"; fail "find_package(notes) without components"; }

echo "== 2. the core alone"
partial_install core-only -DNOTES_BUILD_STORAGE=OFF
[ ! -e "$work/core-only/lib/cmake/notes/FindSOCI.cmake" ] || fail "core-only installed FindSOCI"
configure_consumer embed-core "$work/core-only" "$source_dir/examples/embed" \
  "${nothing_else[@]}" || { cat "$work/embed-core.log"; fail "the core alone did not configure"; }
cmake --build "$work/embed-core" >/dev/null
"$work/embed-core/notes-embed" | grep -q "search found 1"
if configure_consumer storage-missing "$work/core-only" \
  "$(consumer_of storage_missing 'find_package(notes REQUIRED COMPONENTS storage_soci)')"; then
  fail "asking the core-only installation for storage_soci succeeded"
fi
grep -q "component 'storage_soci' is not installed" "$work/storage-missing.log" ||
  { cat "$work/storage-missing.log"; fail "the missing component is not named"; }
if configure_consumer unknown "$work/core-only" \
  "$(consumer_of unknown 'find_package(notes REQUIRED COMPONENTS core gui)')"; then
  fail "asking for an unknown component succeeded"
fi
grep -q "no component 'gui'" "$work/unknown.log" ||
  { cat "$work/unknown.log"; fail "the unknown component is not named"; }
optional="$(consumer_of optional 'find_package(notes REQUIRED COMPONENTS core
  OPTIONAL_COMPONENTS storage_soci)
if(notes_storage_soci_FOUND OR NOT notes_core_FOUND)
  message(FATAL_ERROR "wrong notes_<component>_FOUND")
endif()')"
configure_consumer optional "$work/core-only" "$optional" ||
  { cat "$work/optional.log"; fail "a missing optional component failed find_package"; }
echo "core alone: builds without SOCI; storage_soci and gui refused by name"

echo "== 3. storage without PostgreSQL"
partial_install sqlite-only -DNOTES_WITH_POSTGRESQL=OFF
if grep -rqs --include='*.d' "libpq-fe.h" "$build_dir/embed-test/sqlite-only"; then
  fail "a source of the SQLite-only storage adapter includes libpq-fe.h"
fi
configure_consumer embed-sqlite "$work/sqlite-only" "$source_dir/examples/embed_sqlite" ||
  { cat "$work/embed-sqlite.log"; fail "the SQLite consumer did not configure"; }
cmake --build "$work/embed-sqlite" >/dev/null
binary="$work/embed-sqlite/notes-embed-sqlite"
out="$("$binary" "$work/notes.db")"
echo "$out"
grep -q "search found 1; PostgreSQL support: no" <<<"$out"
if readelf -d "$binary" | grep NEEDED | grep -Eq "libpq|soci_postgresql"; then
  readelf -d "$binary" | grep NEEDED
  fail "the SQLite consumer links libpq or soci_postgresql"
fi
if ldd "$binary" | grep -Eq "libpq|soci_postgresql"; then
  ldd "$binary"
  fail "the SQLite consumer loads libpq or soci_postgresql"
fi
needed="$(readelf -d "$binary" | grep -c NEEDED)"
echo "SQLite consumer: $needed libraries needed, none of them libpq"
