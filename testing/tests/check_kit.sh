#!/usr/bin/env bash
# Runs the kit's own test program (kit_tests.cpp) and checks what it reports.
#   check_kit.sh <kit test program>
set -euo pipefail
program="$1"
fail() { echo "FAIL: $*" >&2; exit 1; }
# How many cases doctest would run with these filters.
count() { "$program" --count "$@" | sed -n 's/.*current filters: \([0-9]*\).*/\1/p'; }

cases="$(count --test-suite='notes repository contract' --test-case='*<unreachable_factory>')"
[ "${cases:-0}" -gt 0 ] || fail "no contract cases were registered"

out="$("$program" --test-case='*<unreachable_factory>')" ||
  { echo "$out"; fail "a skipping factory failed the run"; }
[ "$(grep -c 'SKIPPED: unreachable_factory: no server here' <<<"$out")" -eq "$cases" ] ||
  { echo "$out"; fail "not every case of a skipping factory said it was skipped"; }
grep -q "repository contract: $cases cases run, $cases skipped" <<<"$out" ||
  { echo "$out"; fail "the summary does not count the skipped cases"; }

out="$("$program" --test-case='*<lambda_factory>')" ||
  { echo "$out"; fail "the contract failed for a callable factory"; }
grep -q "repository contract: $cases cases run, 0 skipped" <<<"$out" ||
  { echo "$out"; fail "the callable factory did not run every case"; }

if out="$("$program" --test-case='a case that checks nothing*')"; then
  echo "$out"
  fail "a case that checked nothing passed"
fi
grep -q "ended with no assertions" <<<"$out" || { echo "$out"; fail "no reason given"; }
echo "kit: $cases cases; skipped and empty cases reported"
