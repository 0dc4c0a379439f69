// Versioned migrations: applied once each, in order; a newer schema is refused.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

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
  CHECK(refused.error().message.find("notes::storage::migrate") != std::string::npos);

  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  REQUIRE_FALSE(applied->empty());
  CHECK(applied->front() == migration_info{5, "accounts"});
  CHECK(applied->back().version == latest_schema_version());

  auto notes = test::open_or_fail(config);
  CHECK(notes->all(std::nullopt).value() == stored);
  CHECK(notes->count(no_account).value() == 2);
  CHECK(notes->search(no_account, "grüße", {1, 10}).value().notes == std::vector<note>{stored[0]});
  CHECK(notes->list(no_account, list_order::pinned_first, {1, 10}).value().notes == stored);

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

// Brings an empty database to `version` exactly as this binary's migrations up to it do, as an
// older notes-server would have left it; `run` executes one statement.
template <class Run>
void migrate_up_to(std::int64_t version, database_kind kind, Run run) {
  run("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
      " applied_at BIGINT NOT NULL)");
  for (const auto& m : detail::migrations()) {
    if (m.version > version) break;
    for (std::string_view sql : kind == database_kind::sqlite ? m.sqlite : m.postgresql) {
      run(std::string(sql));
    }
    run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
        std::to_string(m.version) + ", 'before owners', 1)");
  }
}

// Notes as a server before owners wrote them: every column but owner.
std::string insert_old_note(int i, bool pinned) {
  const std::string n = std::to_string(i);
  return "INSERT INTO notes (title, content, is_pinned, created_at, updated_at, version,"
         " search_title, search_content) VALUES ('Old note " + n + "', 'written before owners " +
         n + "', " + (pinned ? "1" : "0") + ", " + std::to_string(1'000'000 + i) + ", " +
         std::to_string(2'000'000 + i) + ", " + std::to_string(i + 1) + ", 'old note " + n +
         "', 'written before owners " + n + "')";
}

// What a database at version 4 with three notes looks like after migrate: the same notes, now
// the shared notebook's and no one else's, listed, counted and found as before.
void check_notes_joined_shared_notebook(const database_config& config) {
  auto repo = test::open_or_fail(config);
  const auto all = repo->all(std::nullopt).value();
  REQUIRE(all.size() == 3);
  for (int i = 0; i < 3; ++i) {
    const note& n = all[static_cast<std::size_t>(i)];
    CAPTURE(i);
    CHECK(n.id == i + 1);
    CHECK(n.owner == no_account);
    CHECK(n.title == "Old note " + std::to_string(i));
    CHECK(n.content == "written before owners " + std::to_string(i));
    CHECK(n.is_pinned == (i == 1));
    CHECK(n.created_at == timestamp{std::chrono::microseconds{1'000'000 + i}});
    CHECK(n.updated_at == timestamp{std::chrono::microseconds{2'000'000 + i}});
    CHECK(n.version == i + 1);
    CHECK(repo->find(no_account, n.id).value() == n);
    CHECK_FALSE(repo->find(1, n.id).value().has_value());
  }
  CHECK(repo->count(no_account).value() == 3);
  CHECK(repo->count(1).value() == 0);
  const auto page = repo->list(no_account, list_order::pinned_first, {1, 10}).value();
  std::vector<note_id> pinned_first;
  for (const auto& n : page.notes) pinned_first.push_back(n.id);
  CHECK(pinned_first == std::vector<note_id>{2, 3, 1});
  CHECK(repo->search(no_account, "BEFORE OWNERS", {1, 10}).value().total == 3);
  CHECK(repo->search(no_account, "note 2", {1, 10}).value().total == 1);
  CHECK(repo->search(1, "before owners", {1, 10}).value().total == 0);
  const note fresh = repo->create(test::make_note("new", "after owners", test::at(1))).value();
  CHECK(fresh.id == 4);
  CHECK(repo->all(no_account).value().size() == 4);
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
  CHECK(rows == static_cast<long long>(known_migrations().size()));
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
  CHECK(repo->count(no_account).value() == 1);
  CHECK(repo->search(no_account, "across", {1, 10}).value().total == 1);
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

  // Worded for any program that embeds the library, not for notes-server's operator.
  for (const auto* refused : {&migrated.error(), &opened.error(), &ready.error()}) {
    CHECK(refused->message.find("newer than this build of notes knows") != std::string::npos);
    CHECK(refused->message.find("Upgrade the notes library") != std::string::npos);
    CHECK(refused->message.find("notes-server") == std::string::npos);
  }
}

TEST_CASE("a repository on an unmigrated database is refused with a hint to migrate") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "empty.db");
  const auto opened = open_repository(config);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == error_code::storage_failure);
  CHECK(opened.error().message.find("notes::storage::migrate") != std::string::npos);
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

TEST_CASE("a SQLite database from before owners migrates and its notes join the shared notebook") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "before-owners.db");
  {
    soci::session raw(soci::sqlite3, config.path);
    migrate_up_to(4, database_kind::sqlite, [&](const std::string& sql) { raw << sql; });
    for (int i = 0; i < 3; ++i) raw << insert_old_note(i, i == 1);
  }
  REQUIRE(schema_version(config).value() == 4);
  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  REQUIRE_FALSE(applied->empty());
  CHECK(applied->front().version > 4);
  CHECK(applied->back().version == latest_schema_version());
  check_notes_joined_shared_notebook(config);

  // Both list indexes now lead with owner.
  soci::session raw(soci::sqlite3, config.path);
  for (const std::string index : {"notes_newest", "notes_pinned_newest"}) {
    std::string sql;
    raw << "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name",
        soci::use(index), soci::into(sql);
    CAPTURE(index);
    CHECK(sql.find("(owner, ") != std::string::npos);
  }
}

TEST_CASE("a PostgreSQL database from before owners migrates and its notes join the shared "
          "notebook") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  migrate_up_to(4, database_kind::postgresql, [&](const std::string& sql) { db.execute(sql); });
  for (int i = 0; i < 3; ++i) db.execute(insert_old_note(i, i == 1));
  REQUIRE(schema_version(db.config()).value() == 4);
  const auto applied = migrate(db.config());
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(applied->front().version > 4);
  CHECK(applied->back().version == latest_schema_version());
  check_notes_joined_shared_notebook(db.config());
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

namespace {

// A note as a version-6 server wrote it: every column, owner included.
std::string insert_version_6_note(int i, account_id owner) {
  const std::string n = std::to_string(i);
  return "INSERT INTO notes (title, content, is_pinned, created_at, updated_at, version, owner,"
         " search_title, search_content) VALUES ('Note " + n + "', 'before the trash " + n +
         "', 0, " + std::to_string(1'000'000 + i) + ", " + std::to_string(2'000'000 + i) + ", " +
         std::to_string(i + 1) + ", " + std::to_string(owner) + ", 'note " + n +
         "', 'before the trash " + n + "')";
}

// What migrate applies to a database at `version`: every later migration this binary knows.
std::vector<migration_info> migrations_after(std::int64_t version) {
  std::vector<migration_info> out;
  for (const auto& m : known_migrations()) {
    if (m.version > version) out.push_back(m);
  }
  return out;
}

// A version-6 database with four notes of two owners, after migrate: migrations 7 and 8 (and
// the later ones) were applied, every note is as it was, and the trash and revisions work on them.
void check_upgrade_from_version_6(const database_config& config) {
  REQUIRE(schema_version(config).value() == 6);
  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(*applied == migrations_after(6));
  CHECK(applied->at(0) == migration_info{7, "trash"});
  CHECK(schema_version(config).value() == latest_schema_version());

  auto repo = test::open_or_fail(config);
  const auto all = repo->all(std::nullopt).value();
  REQUIRE(all.size() == 4);
  for (int i = 0; i < 4; ++i) {
    const note& n = all[static_cast<std::size_t>(i)];
    CAPTURE(i);
    CHECK(n.id == i + 1);
    CHECK(n.owner == (i < 3 ? no_account : 7));
    CHECK(n.title == "Note " + std::to_string(i));
    CHECK(n.content == "before the trash " + std::to_string(i));
    CHECK(n.created_at == timestamp{std::chrono::microseconds{1'000'000 + i}});
    CHECK(n.updated_at == timestamp{std::chrono::microseconds{2'000'000 + i}});
    CHECK(n.version == i + 1);
  }
  CHECK(repo->count(no_account).value() == 3);
  CHECK(repo->search(no_account, "before the trash", {1, 10}).value().total == 3);
  CHECK(repo->list_trash(no_account, {1, 10}).value().total == 0);
  CHECK(repo->list_revisions(no_account, 1, {1, 10}).value().total == 0);

  note edited = all[0];
  edited.title = "Note 0, edited";
  edited.updated_at = test::at(5);
  REQUIRE(repo->update(edited, 1, 10).has_value());
  CHECK(repo->find_revision(no_account, 1, 1).value()->title == "Note 0");
  REQUIRE(repo->trash(no_account, 2, std::nullopt, test::at(6)).has_value());
  CHECK(repo->search(no_account, "before the trash", {1, 10}).value().total == 2);
  CHECK(repo->restore(no_account, 2, 2, test::at(7)).value().version == 3);
  CHECK(repo->search(no_account, "before the trash", {1, 10}).value().total == 3);
  CHECK(repo->find(7, 4).value() == all[3]);
}

// A version-8 database with four notes of two owners, after migrate: migration 9 (and the later
// ones) was applied, the notes have no tags, and tags given to them are filtered, counted and kept in the trash.
void check_upgrade_from_version_8(const database_config& config) {
  REQUIRE(schema_version(config).value() == 8);
  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(*applied == migrations_after(8));
  CHECK(applied->at(0) == migration_info{9, "tags"});
  auto repo = test::open_or_fail(config);
  const auto all = repo->all(std::nullopt).value();
  REQUIRE(all.size() == 4);
  for (const note& n : all) CHECK(n.tags.empty());
  CHECK(repo->tag_counts(no_account).value().empty());
  note edited = all[0];
  edited.tags = {"Work"};
  edited.updated_at = test::at(5);
  REQUIRE(repo->update(edited, 1, 10).has_value());
  const std::vector<std::string> work{"work"};
  CHECK(repo->list(no_account, list_order::newest_first, {1, 10}, work).value().total == 1);
  CHECK(repo->tag_counts(no_account).value() == std::vector<tag_count>{{"work", 1}});
  CHECK(repo->tag_counts(7).value().empty());
  REQUIRE(repo->trash(no_account, 1, std::nullopt, test::at(6)).has_value());
  CHECK(repo->tag_counts(no_account).value().empty());
  CHECK(repo->restore(no_account, 1, std::nullopt, test::at(7)).value().tags ==
        std::vector<std::string>{"Work"});
  CHECK(repo->tag_counts(no_account).value() == std::vector<tag_count>{{"work", 1}});
}

}  // namespace

TEST_CASE("a version-8 SQLite database migrates to 9 and its notes take tags") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "version8.db");
  {
    soci::session raw(soci::sqlite3, config.path);
    migrate_up_to(8, database_kind::sqlite, [&](const std::string& sql) { raw << sql; });
    for (int i = 0; i < 4; ++i) raw << insert_version_6_note(i, i < 3 ? no_account : 7);
  }
  check_upgrade_from_version_8(config);
}

TEST_CASE("a version-8 PostgreSQL database migrates to 9 and its notes take tags") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  migrate_up_to(8, database_kind::postgresql, [&](const std::string& sql) { db.execute(sql); });
  for (int i = 0; i < 4; ++i) db.execute(insert_version_6_note(i, i < 3 ? no_account : 7));
  check_upgrade_from_version_8(db.config());
}

TEST_CASE("a version-6 SQLite database migrates to 8 with every note kept") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "version6.db");
  {
    soci::session raw(soci::sqlite3, config.path);
    migrate_up_to(6, database_kind::sqlite, [&](const std::string& sql) { raw << sql; });
    for (int i = 0; i < 4; ++i) raw << insert_version_6_note(i, i < 3 ? no_account : 7);
  }
  check_upgrade_from_version_6(config);
}

TEST_CASE("a version-6 PostgreSQL database migrates to 8 with every note kept") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  migrate_up_to(6, database_kind::postgresql, [&](const std::string& sql) { db.execute(sql); });
  for (int i = 0; i < 4; ++i) db.execute(insert_version_6_note(i, i < 3 ? no_account : 7));
  check_upgrade_from_version_6(db.config());
}

namespace {

// A row of `table` as a notes-server at version 9 wrote it: the search columns case folded,
// not normalised.
std::string insert_version_9_row(std::string_view table, int id, const std::string& title,
                                 const std::string& tag) {
  const std::string key = text::fold_case(tag);
  const bool trashed = table == "trashed_notes";
  return "INSERT INTO " + std::string(table) +
         " (id, title, content, is_pinned, created_at, updated_at, version, owner, search_title,"
         " search_content, tags, search_tags" + (trashed ? ", deleted_at" : "") + ") VALUES (" +
         std::to_string(id) + ", '" + title + "', 'body of " + title + "', 0, 1, 2, 1, 0, '" +
         text::fold_case(title) + "', 'body of " + text::fold_case(title) + "', '[\"" + tag +
         "\"]', '[\"" + key + "\"]'" + (trashed ? ", 3" : "") + ")";
}

void fill_version_9(const std::function<void(const std::string&)>& run) {
  run(insert_version_9_row("notes", 1, "Cafe\u0301 noir", "Cafe\u0301"));
  run(insert_version_9_row("notes", 2, "plain ASCII", "work"));
  run(insert_version_9_row("trashed_notes", 3, "The\u0301 vert", "The\u0301"));
}

// After migration 10 a note written decomposed is found, filtered and counted by the composed
// spelling, live or restored from the trash, and is still exactly as written.
void check_upgrade_from_version_9(const database_config& config) {
  REQUIRE(schema_version(config).value() == 9);
  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(applied->front() == migration_info{10, "search text normalised"});
  auto repo = test::open_or_fail(config);
  const auto found = repo->search(no_account, "caf\u00E9", {1, 10}).value();
  REQUIRE(found.notes.size() == 1);
  CHECK(found.notes[0].title == "Cafe\u0301 noir");
  CHECK(found.notes[0].tags == std::vector<std::string>{"Cafe\u0301"});
  CHECK(repo->search(no_account, "BODY OF CAF\u00C9", {1, 10}).value().total == 1);
  CHECK(repo->search(no_account, "cafe", {1, 10}).value().total == 0);
  CHECK(repo->search(no_account, "plain", {1, 10}).value().total == 1);
  const std::vector<std::string> cafe{"caf\u00E9"};
  CHECK(repo->list(no_account, list_order::newest_first, {1, 10}, cafe).value().total == 1);
  CHECK(repo->tag_counts(no_account).value() ==
        std::vector<tag_count>{{"caf\u00E9", 1}, {"work", 1}});
  REQUIRE(repo->restore(no_account, 3, std::nullopt, test::at(9)).has_value());
  CHECK(repo->search(no_account, "th\u00E9 v", {1, 10}).value().total == 1);
  const std::vector<std::string> the{"th\u00E9"};
  CHECK(repo->list(no_account, list_order::newest_first, {1, 10}, the).value().total == 1);
}

}  // namespace

TEST_CASE("a version-9 SQLite database migrates to 10: decomposed notes found composed") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "version9.db");
  {
    soci::session raw(soci::sqlite3, config.path);
    migrate_up_to(9, database_kind::sqlite, [&](const std::string& sql) { raw << sql; });
    fill_version_9([&](const std::string& sql) { raw << sql; });
    // Counts the rows the migration writes: only those whose key changed.
    raw << "CREATE TABLE updated_rows (id BIGINT)";
    raw << "CREATE TRIGGER count_updates AFTER UPDATE ON notes BEGIN"
           " INSERT INTO updated_rows VALUES (new.id); END";
  }
  check_upgrade_from_version_9(config);
  soci::session raw(soci::sqlite3, config.path);
  std::vector<long long> updated(10);
  raw << "SELECT id FROM updated_rows ORDER BY id", soci::into(updated);
  // Note 1 by the migration; note 3 came back from the trash through an insert.
  CHECK(updated == std::vector<long long>{1});
}

TEST_CASE("a version-9 PostgreSQL database migrates to 10: decomposed notes found composed") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  migrate_up_to(9, database_kind::postgresql, [&](const std::string& sql) { db.execute(sql); });
  fill_version_9([&](const std::string& sql) { db.execute(sql); });
  check_upgrade_from_version_9(db.config());
}

namespace {

// A tagged note as a notes-server at version 11 wrote it; its note_tags row comes from that
// version's trigger, without the list keys.
std::string insert_version_11_note(int id, long long owner, bool pinned, int updated) {
  const std::string n = std::to_string(id);
  return "INSERT INTO notes (id, title, content, is_pinned, created_at, updated_at, version,"
         " owner, search_title, search_content, tags, search_tags) VALUES (" +
         n + ", 't" + n + "', 'body', " + (pinned ? "1" : "0") + ", " + n + ", " +
         std::to_string(updated) + ", 1, " + std::to_string(owner) + ", 't" + n +
         "', 'body', '[\"Work\"]', '[\"work\"]')";
}

void fill_version_11(const std::function<void(const std::string&)>& run) {
  run(insert_version_11_note(1, 0, false, 10));
  run(insert_version_11_note(2, 0, false, 2));
  run(insert_version_11_note(3, 0, true, 3));
  run(insert_version_11_note(4, 0, false, 4));
  run(insert_version_11_note(5, 7, false, 5));
}

// After migration 12 a tag's list is in each order, from the keys the migration copied.
void check_upgrade_from_version_11(const database_config& config) {
  REQUIRE(schema_version(config).value() == 11);
  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(applied->front() == migration_info{12, "tag list keys"});
  auto repo = test::open_or_fail(config);
  const std::vector<std::string> work{"work"};
  const auto ids = [&](list_order order, page_request page) {
    const note_page listed = repo->list(no_account, order, page, work).value();
    std::vector<note_id> out;
    for (const note& n : listed.notes) out.push_back(n.id);
    return out;
  };
  CHECK(ids(list_order::newest_first, {1, 10}) == std::vector<note_id>{4, 3, 2, 1});
  CHECK(ids(list_order::pinned_first, {1, 10}) == std::vector<note_id>{3, 4, 2, 1});
  CHECK(ids(list_order::pinned_recently_updated, {1, 10}) == std::vector<note_id>{3, 1, 4, 2});
  CHECK(ids(list_order::pinned_recently_updated, {2, 2}) == std::vector<note_id>{4, 2});
  CHECK(repo->list(7, list_order::pinned_first, {1, 10}, work).value().total == 1);
  // Written after the upgrade, a pin moves the note, through the new triggers.
  note first = repo->find(no_account, 1).value().value();
  first.is_pinned = true;
  first.updated_at = test::at(20);
  REQUIRE(repo->update(first, 1, 0).has_value());
  CHECK(ids(list_order::pinned_first, {1, 10}) == std::vector<note_id>{3, 1, 4, 2});
}

}  // namespace

TEST_CASE("a version-11 SQLite database migrates to 12: tag lists in every order") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "version11.db");
  {
    soci::session raw(soci::sqlite3, config.path);
    migrate_up_to(11, database_kind::sqlite, [&](const std::string& sql) { raw << sql; });
    fill_version_11([&](const std::string& sql) { raw << sql; });
  }
  check_upgrade_from_version_11(config);
}

TEST_CASE("a version-11 PostgreSQL database migrates to 12: tag lists in every order") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  migrate_up_to(11, database_kind::postgresql, [&](const std::string& sql) { db.execute(sql); });
  fill_version_11([&](const std::string& sql) { db.execute(sql); });
  check_upgrade_from_version_11(db.config());
}

namespace {

// After migration 13 PostgreSQL reads list, tag and tag-list totals from rows its triggers keep:
// they start from the notes the database had, and follow every kind of write after.
void check_upgrade_to_kept_totals(const database_config& config) {
  REQUIRE(schema_version(config).value() == 12);
  const auto applied = migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(*applied == std::vector<migration_info>{{13, "note counts"},
                                                {14, "note change stamps"},
                                                {15, "revision queue"}});
  auto repo = test::open_or_fail(config);
  const auto total = [&](account_id owner, std::vector<std::string> tags = {}) {
    const auto listed = repo->list(owner, list_order::newest_first, {1, 10}, tags);
    REQUIRE_MESSAGE(listed.has_value(), (listed ? "" : listed.error().message));
    return listed->total;
  };
  const auto tags = [&](account_id owner) {
    auto counted = repo->tag_counts(owner);
    REQUIRE_MESSAGE(counted.has_value(), (counted ? "" : counted.error().message));
    return *counted;
  };
  CHECK(total(no_account) == 4);
  CHECK(total(7) == 1);
  CHECK(total(no_account, {"work"}) == 4);
  CHECK(tags(no_account) == std::vector<tag_count>{{"work", 4}});

  note fresh = test::make_note("new", "body", test::at(30));
  fresh.tags = {"Work", "Home"};
  const auto made = repo->create(fresh);
  REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().message));
  const note& created = *made;
  CHECK(total(no_account) == 5);
  CHECK(tags(no_account) == std::vector<tag_count>{{"home", 1}, {"work", 5}});
  CHECK(total(no_account, {"home"}) == 1);

  note untagged = created;
  untagged.tags = {"work"};
  REQUIRE(repo->update(untagged, created.version, 0).has_value());
  CHECK(tags(no_account) == std::vector<tag_count>{{"work", 5}});  // home's row went
  CHECK(total(no_account, {"home"}) == 0);

  REQUIRE(repo->trash(no_account, 1, std::nullopt, test::at(40)).has_value());
  CHECK(total(no_account) == 4);
  CHECK(tags(no_account) == std::vector<tag_count>{{"work", 4}});
  REQUIRE(repo->restore(no_account, 1, std::nullopt, test::at(41)).has_value());
  CHECK(total(no_account) == 5);

  // Imports and changes of owner count the totals again at their end (PostgreSQL).
  std::vector<note> imported;
  for (note_id id = 200; id < 203; ++id) {
    imported.push_back(test::make_note("imported", "x", test::at(50)));
    imported.back().id = id;
    imported.back().owner = 7;
    imported.back().tags = {"Work", "Old"};
  }
  REQUIRE(repo->import(imported).has_value());
  CHECK(total(7) == 4);
  CHECK(tags(7) == std::vector<tag_count>{{"old", 3}, {"work", 4}});
  CHECK(repo->change_owner(7, no_account).value() == 4);
  CHECK(total(no_account) == 9);
  CHECK(total(7) == 0);
  CHECK(tags(7).empty());
  CHECK(tags(no_account) == std::vector<tag_count>{{"old", 3}, {"work", 9}});
  // After them, the triggers count again.
  note last = test::make_note("after", "x", test::at(60));
  last.tags = {"work"};
  REQUIRE(repo->create(last).has_value());
  CHECK(total(no_account) == 10);
  CHECK(tags(no_account) == std::vector<tag_count>{{"old", 3}, {"work", 10}});
  CHECK(repo->remove_all(no_account).value() == 10);
  CHECK(total(no_account) == 0);
  CHECK(tags(no_account).empty());
}

}  // namespace

TEST_CASE("a version-12 PostgreSQL database migrates to 13: totals kept by triggers") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  migrate_up_to(12, database_kind::postgresql, [&](const std::string& sql) { db.execute(sql); });
  fill_version_11([&](const std::string& sql) { db.execute(sql); });
  // The rows came with their ids; new notes take ids after them.
  db.execute("SELECT setval(pg_get_serial_sequence('notes', 'id'), 100)");
  check_upgrade_to_kept_totals(db.config());
  // The totals are read from the kept rows, not counted.
  db.execute("INSERT INTO note_counts (owner, notes) VALUES (0, 42)"
             " ON CONFLICT (owner) DO UPDATE SET notes = 42");
  db.execute("INSERT INTO note_tag_counts (owner, tag, notes) VALUES (0, 'kept', 7)");
  auto repo = test::open_or_fail(db.config());
  CHECK(repo->list(no_account, list_order::newest_first, {1, 10}).value().total == 42);
  const std::vector<std::string> kept{"kept"};
  CHECK(repo->list(no_account, list_order::newest_first, {1, 10}, kept).value().total == 7);
  CHECK(repo->tag_counts(no_account).value() == std::vector<tag_count>{{"kept", 7}});
}

TEST_CASE("a version-12 SQLite database migrates to 13, 14 and 15 with nothing to keep") {
  temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "version12.db");
  {
    soci::session raw(soci::sqlite3, config.path);
    migrate_up_to(12, database_kind::sqlite, [&](const std::string& sql) { raw << sql; });
    fill_version_11([&](const std::string& sql) { raw << sql; });
  }
  check_upgrade_to_kept_totals(config);
}

TEST_CASE("a version-13 PostgreSQL database migrates to 14: every owner with notes gets a "
          "change stamp, which every write of its notes moves and a rollback leaves") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  migrate_up_to(12, database_kind::postgresql, [&](const std::string& sql) { db.execute(sql); });
  fill_version_11([&](const std::string& sql) { db.execute(sql); });
  db.execute("SELECT setval(pg_get_serial_sequence('notes', 'id'), 100)");
  const auto session = detail::open_session(db.config(), detail::open_mode::existing);
  soci::session& raw = *session;
  CHECK(detail::apply_migrations(raw, database_kind::postgresql, 13) ==
        std::vector<migration_info>{{13, "note counts"}});
  const auto applied = migrate(db.config());
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  CHECK(*applied ==
        std::vector<migration_info>{{14, "note change stamps"}, {15, "revision queue"}});
  const auto stamp = [&](account_id owner) {
    std::string changed;
    raw << "SELECT CAST(changed AS text) FROM note_stamps WHERE owner = :owner", soci::use(owner),
        soci::into(changed);
    return changed;
  };
  long long owners = 0;
  long long unstamped = -1;
  raw << "SELECT COUNT(DISTINCT owner) FROM notes", soci::into(owners);
  raw << "SELECT COUNT(*) FROM (SELECT DISTINCT owner FROM notes) AS o"
         " WHERE NOT EXISTS (SELECT 1 FROM note_stamps AS s WHERE s.owner = o.owner)",
      soci::into(unstamped);
  CHECK(owners > 0);
  CHECK(unstamped == 0);
  auto repo = test::open_or_fail(db.config());
  std::string before = stamp(no_account);
  CHECK(before.size() == 36);
  const note created = repo->create(test::make_note("new", "x", test::at(20))).value();
  CHECK(stamp(no_account) != before);
  before = stamp(no_account);
  note changed = created;
  changed.is_pinned = true;
  REQUIRE(repo->update(changed, created.version, 0).has_value());
  CHECK(stamp(no_account) != before);
  before = stamp(no_account);
  REQUIRE(repo->trash(no_account, created.id, std::nullopt, test::at(21)).has_value());
  CHECK(stamp(no_account) != before);
  before = stamp(no_account);
  // A change that is rolled back leaves the stamp as it was.
  {
    soci::transaction undone(raw);
    raw << "UPDATE notes SET title = 'undone' WHERE owner = 0";
    undone.rollback();
  }
  CHECK(stamp(no_account) == before);
  // A value of the stamp's setting that is not the transaction's own is never taken for one.
  raw << "SET notes.stamp = '00000000-0000-0000-0000-000000000001'";
  raw << "UPDATE notes SET title = 'once' WHERE owner = 0";
  const std::string once = stamp(no_account);
  raw << "UPDATE notes SET title = 'twice' WHERE owner = 0";
  CHECK(once != before);
  CHECK(stamp(no_account) != once);
  CHECK(once != "00000000-0000-0000-0000-000000000001");
}
