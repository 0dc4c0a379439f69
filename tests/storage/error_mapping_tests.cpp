// The translation table from driver errors to error codes, including faults that are hard to
// provoke for real (a full disk on PostgreSQL, a recovering WAL).
#include <doctest/doctest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "error_mapping.hpp"
#include "storage_test_support.hpp"

using notes::error_code;
using notes::storage::database_kind;
using notes::storage::detail::translate;

namespace {

error_code sqlite(int result) {
  return translate(soci::sqlite3_soci_error("sqlite says no", result), database_kind::sqlite, false,
                   "x")
      .code;
}

error_code postgresql(const char* sqlstate) {
  return translate(soci::postgresql_soci_error("postgresql says no", sqlstate),
                   database_kind::postgresql, false, "x")
      .code;
}

}  // namespace

TEST_CASE(
    "SQLite busy and locked are unavailable, full and read-only have codes of their own, and "
    "disk corruption and access faults are storage failures") {
  CHECK(sqlite(5) == error_code::unavailable);                  // SQLITE_BUSY
  CHECK(sqlite(5 | (2 << 8)) == error_code::unavailable);       // SQLITE_BUSY_SNAPSHOT
  CHECK(sqlite(6) == error_code::unavailable);                  // SQLITE_LOCKED
  CHECK(sqlite(13) == error_code::storage_full);                // SQLITE_FULL
  CHECK(sqlite(8) == error_code::read_only);                    // SQLITE_READONLY
  CHECK(sqlite(8 | (4 << 8)) == error_code::read_only);         // SQLITE_READONLY_DBMOVED
  CHECK(sqlite(11) == error_code::storage_failure);             // SQLITE_CORRUPT
  CHECK(sqlite(26) == error_code::storage_failure);             // SQLITE_NOTADB
  CHECK(sqlite(14) == error_code::storage_failure);             // SQLITE_CANTOPEN
  CHECK(sqlite(10 | (3 << 8)) == error_code::storage_failure);  // SQLITE_IOERR_WRITE
  CHECK(sqlite(19) == error_code::conflict);                    // SQLITE_CONSTRAINT
}

TEST_CASE("SQLite's message decides when SOCI passes no specific code") {
  const auto locked =
      translate(soci::soci_error("database is locked"), database_kind::sqlite, false, "x");
  CHECK(locked.code == error_code::unavailable);
  const auto generic = translate(soci::sqlite3_soci_error("database is locked", 1),
                                 database_kind::sqlite, false, "x");
  CHECK(generic.code == error_code::unavailable);
  const auto other =
      translate(soci::soci_error("no such table: notes"), database_kind::sqlite, false, "x");
  CHECK(other.code == error_code::storage_failure);
  const auto full = translate(soci::sqlite3_soci_error("database or disk is full", 1),
                              database_kind::sqlite, false, "x");
  CHECK(full.code == error_code::storage_full);
  const auto read_only = translate(soci::soci_error("attempt to write a readonly database"),
                                   database_kind::sqlite, false, "x");
  CHECK(read_only.code == error_code::read_only);
}

TEST_CASE(
    "PostgreSQL connection and transient states are unavailable, a full disk and a read-only "
    "database have codes of their own, and the rest are storage failures") {
  if (!notes::test::postgresql_built_or_skip()) return;
  CHECK(postgresql("08006") == error_code::unavailable);      // connection failure
  CHECK(postgresql("57P01") == error_code::unavailable);      // admin shutdown
  CHECK(postgresql("57P03") == error_code::unavailable);      // cannot connect now
  CHECK(postgresql("53300") == error_code::unavailable);      // too many connections
  CHECK(postgresql("40001") == error_code::unavailable);      // serialization failure
  CHECK(postgresql("40P01") == error_code::unavailable);      // deadlock detected
  CHECK(postgresql("53100") == error_code::storage_full);     // disk full
  CHECK(postgresql("25006") == error_code::read_only);        // read-only transaction
  CHECK(postgresql("42P01") == error_code::storage_failure);  // undefined table
  CHECK(postgresql("23505") == error_code::conflict);         // unique violation
}

TEST_CASE("a lost PostgreSQL connection is unavailable whatever the error says") {
  const auto e = translate(soci::soci_error("server closed the connection unexpectedly"),
                           database_kind::postgresql, true, "find note");
  CHECK(e.code == error_code::unavailable);
  CHECK(e.message.find("find note") == 0);
  CHECK(e.message.find("server closed the connection") != std::string::npos);
}
