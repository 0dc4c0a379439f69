// What a program embedding the storage adapter is told: errors name the library's own calls,
// never notes-server's commands or settings, and opening for use never creates a file.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "notes/storage/database.hpp"
#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::temp_directory;

namespace {

bool mentions(const error& e, const std::string& text) {
  return e.message.find(text) != std::string::npos;
}

// Nothing of a SQLite database is at `file`: neither it nor its -wal and -shm.
bool nothing_at(const std::filesystem::path& file) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    if (std::filesystem::exists(file.string() + suffix)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("opening a SQLite file that does not exist names migrate and leaves no file behind") {
  temp_directory dir;
  const auto file = dir.path() / "missing.db";
  const auto config = test::sqlite_config(file);

  const auto notes = open_repository(config);
  REQUIRE_FALSE(notes.has_value());
  CHECK(notes.error().code == error_code::storage_failure);
  CHECK(mentions(notes.error(), "does not exist"));
  CHECK(mentions(notes.error(), "notes::storage::migrate"));
  CHECK_FALSE(mentions(notes.error(), "notes-server"));

  const auto accounts = open_account_repository(config);
  REQUIRE_FALSE(accounts.has_value());
  CHECK(mentions(accounts.error(), "notes::storage::migrate"));

  const auto version = schema_version(config);
  REQUIRE(version.has_value());
  CHECK(*version == 0);
  CHECK_FALSE(check_ready(config).has_value());
  CHECK(nothing_at(file));

  REQUIRE(migrate(config).has_value());
  CHECK(open_repository(config).has_value());
}

TEST_CASE("a repository on a database without the schema is told to call notes::storage::migrate") {
  temp_directory dir;
  const auto file = dir.path() / "empty.db";
  std::ofstream(file).close();  // an empty file is an empty SQLite database
  const auto config = test::sqlite_config(file);

  const auto opened = open_repository(config);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == error_code::storage_failure);
  CHECK(mentions(opened.error(), "at version 0"));
  CHECK(mentions(opened.error(), "needs version " + std::to_string(latest_schema_version())));
  CHECK(mentions(opened.error(), "notes::storage::migrate"));
  CHECK_FALSE(mentions(opened.error(), "notes-server"));

  const auto ready = check_ready(config);
  REQUIRE_FALSE(ready.has_value());
  CHECK(mentions(ready.error(), "notes::storage::migrate"));
  CHECK_FALSE(mentions(ready.error(), "notes-server"));
}

TEST_CASE("a default database_config names no database and is refused as such") {
  const database_config config{};
  const auto opened = open_repository(config);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == error_code::invalid_argument);
  CHECK(mentions(opened.error(), "no database given"));
  CHECK_FALSE(mentions(opened.error(), "WAL"));

  for (const auto& failure : {migrate(config).error(), schema_version(config).error(),
                              check_ready(config).error(),
                              open_account_repository(config).error()}) {
    CHECK(failure.code == error_code::invalid_argument);
    CHECK(mentions(failure, "no database given"));
  }
}

TEST_CASE("a SQLite path with a double quote opens for use as well as for migrating") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "say \"notes\".db");
  REQUIRE(migrate(config).has_value());
  const auto opened = open_repository(config);
  REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
  CHECK(check_ready(config).has_value());
}

TEST_CASE("a build without PostgreSQL refuses a PostgreSQL database with a clear error") {
  if (postgresql_supported()) {
    MESSAGE("SKIPPED: PostgreSQL is built in (NOTES_WITH_POSTGRESQL=ON); nothing to refuse");
    return;
  }
  const auto config = parse_database_url("postgresql://notes@127.0.0.1:1/notes");
  REQUIRE(config.has_value());
  for (const auto& failure : {migrate(*config).error(), open_repository(*config).error(),
                              check_ready(*config).error(), schema_version(*config).error()}) {
    CHECK(failure.code == error_code::invalid_argument);
    CHECK(mentions(failure, "this build of notes has no PostgreSQL support"));
  }
}
