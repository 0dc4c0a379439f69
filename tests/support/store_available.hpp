#pragma once
// For tests that run against a store that may be missing on this machine (PostgreSQL).
#include <doctest/doctest.h>

#include "postgres_test_database.hpp"

namespace notes::testing {

// False when store B (a class from test_server.hpp) cannot run here: the test then reports
// itself skipped ("SKIPPED: PostgreSQL ...", which ctest counts as skipped) and should return.
// With CI=true that is a failure instead.
template <class Backend>
bool store_available() {
  const auto why = Backend::unavailable();
  if (!why) return true;
  if (test::postgres_required()) {
    FAIL("PostgreSQL is required here (CI=true) but not available: " << *why);
  }
  MESSAGE("SKIPPED: PostgreSQL tests: " << *why);
  return false;
}

}  // namespace notes::testing
