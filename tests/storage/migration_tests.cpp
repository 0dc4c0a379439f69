// Versioned migrations: applied once each, in order; a newer schema is refused.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <thread>

#include "connection.hpp"
#include "notes/text.hpp"
#include "schema.hpp"
#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::temp_directory;

namespace {

// Makes the database what a notes-server of schema version 4 left (notes, no accounts) and
// stores `notes` in it as that version did; returns them with their ids.
std::vector<note> version_4_database(const database_config& config, std::vector<note> notes) {
  auto session = detail::open_session(config);
  const auto applied = detail::apply_migrations(*session, config.kind, 4);
  REQUIRE(applied.size() == 4);
  for (note& n : notes) {
    int pinned = n.is_pinned ? 1 : 0;
    long long created = n.created_at.time_since_epoch().count();
    long long updated = n.updated_at.time_since_epoch().count();
    long long version = n.version;
    std::string search_title = text::fold_case(n.title);
    std::string search_content = text::fold_case(n.content);
    long long id = 0;
    *session << "INSERT INTO notes (title, content, is_pinned, created_at, updated_at, version,"
                " search_title, search_content) VALUES (:title, :content, :pinned, :created,"
                " :updated, :version, :search_title, :search_content) RETURNING id",
        soci::use(n.title, "title"), soci::use(n.content, "content"), soci::use(pinned, "pinned"),
        soci::use(created, "created"), soci::use(updated, "updated"), soci::use(version, "version"),
        soci::use(search_title, "search_title"), soci::use(search_content, "search_content"),
        soci::into(id);
    n.id = id;
  }
  return notes;
}

// A version-4 database with two notes migrates to the latest version: the accounts tables
// appear (migration 5 first), the notes are exactly as they were and are still found.
void check_upgrade_from_version_4(const database_config& config) {
  note edited =
      test::make_note("Grüße", "aus Köln, mit \"Anführungszeichen\"", test::at(10, 123456), true);
  edited.updated_at = test::at(20, 654321);
  edited.version = 3;
  const auto stored =
      version_4_database(config, {edited, test::make_note("plain", "second", test::at(11))});
  CHECK(schema_version(config).value() == 4);
  const auto refused = open_account_repository(config);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("notes-server migrate") != std::string::npos);

  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  REQUIRE_FALSE(applied->empty());
  CHECK(applied->front() == migration_info{5, "accounts"});
  CHECK(applied->back().version == latest_schema_version());

  auto notes = test::open_or_fail(config);
  CHECK(notes->all().value() == stored);
  CHECK(notes->count().value() == 2);
  CHECK(notes->search("grüße", {1, 10}).value().notes == std::vector<note>{stored[0]});
  CHECK(notes->list(list_order::pinned_first, {1, 10}).value().notes == stored);

  auto accounts = test::open_accounts_or_fail(config);
  CHECK(accounts->accounts().value().empty());
  account alice;
  alice.name = "alice";
  alice.password_hash = "$argon2id$hash";
  CHECK(accounts->create_account(alice).has_value());
}

void record_future_version(const database_config& config, std::int64_t version) {
  soci::session raw(soci::sqlite3, config.path);
  raw << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
             std::to_string(version) + ", 'from the future', 0)";
}

}  // namespace

TEST_CASE("migrate on a fresh database applies every migration in order") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "fresh.db");
  CHECK(schema_version(config).value() == 0);
  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(*applied == known_migrations());
  REQUIRE(applied->size() >= 2);
  CHECK(applied->front().version == 1);
  CHECK(applied->back().version == latest_schema_version());
  CHECK(schema_version(config).value() == latest_schema_version());

  soci::session raw(soci::sqlite3, config.path);
  long long rows = 0;
  raw << "SELECT COUNT(*) FROM schema_migrations WHERE applied_at > 0", soci::into(rows);
  CHECK(rows == latest_schema_version());
}

TEST_CASE("running migrate again is a no-op and keeps the data") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "again.db");
  REQUIRE(migrate(config).has_value());
  {
    auto repo = test::open_or_fail(config);
    REQUIRE(repo->create(test::make_note("kept", "across migrate", test::at(1))).has_value());
  }
  const auto second = migrate(config);
  REQUIRE(second.has_value());
  CHECK(second->empty());
  auto repo = test::open_or_fail(config);
  CHECK(repo->count().value() == 1);
  CHECK(repo->search("across", {1, 10}).value().total == 1);
}

TEST_CASE("a schema newer than this binary is refused by migrate and open and readiness") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "newer.db");
  REQUIRE(migrate(config).has_value());
  record_future_version(config, latest_schema_version() + 1);

  const auto migrated = migrate(config);
  REQUIRE_FALSE(migrated.has_value());
  CHECK(migrated.error().code == error_code::storage_failure);
  CHECK(migrated.error().message.find("newer") != std::string::npos);

  const auto opened = open_repository(config);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().message.find("newer") != std::string::npos);

  const auto ready = check_ready(config);
  REQUIRE_FALSE(ready.has_value());
  CHECK(ready.error().message.find("newer") != std::string::npos);
}

TEST_CASE("a repository on an unmigrated database is refused with a hint to migrate") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "empty.db");
  const auto opened = open_repository(config);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == error_code::storage_failure);
  CHECK(opened.error().message.find("notes-server migrate") != std::string::npos);
  REQUIRE_FALSE(check_ready(config).has_value());
}

TEST_CASE(
    "readiness passes with a current schema on a fresh connection and on a repository's own") {
  test::sqlite_database db;
  CHECK(check_ready(db.config).has_value());
  auto repo = test::open_or_fail(db.config);
  CHECK(repo->check_ready().has_value());
  record_future_version(db.config, latest_schema_version() + 5);
  const auto ready = repo->check_ready();
  REQUIRE_FALSE(ready.has_value());
  CHECK(ready.error().code == error_code::storage_failure);
}

TEST_CASE("migrate on PostgreSQL applies then re-runs as a no-op and refuses a newer schema") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  CHECK(schema_version(db.config()).value() == 0);
  const auto applied = migrate(db.config());
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(*applied == known_migrations());
  CHECK(migrate(db.config()).value().empty());
  CHECK(check_ready(db.config()).has_value());

  db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
             std::to_string(latest_schema_version() + 1) + ", 'future', 0)");
  const auto refused = migrate(db.config());
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("newer") != std::string::npos);
  REQUIRE_FALSE(open_repository(db.config()).has_value());
}

TEST_CASE("concurrent migrate calls on one PostgreSQL database apply each migration once") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  std::vector<result<std::vector<migration_info>>> results(4);
  {
    std::vector<std::jthread> threads;
    for (auto& r : results) threads.emplace_back([&r, &db] { r = migrate(db.config()); });
  }
  std::size_t applied = 0;
  for (const auto& r : results) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    applied += r->size();
  }
  CHECK(applied == known_migrations().size());
}

TEST_CASE("a version-4 SQLite database migrates to the latest version with its notes unchanged") {
  temp_directory dir;
  check_upgrade_from_version_4(test::sqlite_config(dir.path() / "version4.db"));
}

TEST_CASE(
    "a version-4 PostgreSQL database migrates to the latest version with its notes "
    "unchanged") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  check_upgrade_from_version_4(db.config());
}
