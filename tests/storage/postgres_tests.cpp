// PostgreSQL beyond the shared contract: several servers on one database, and exports that
// move between SQLite and PostgreSQL unchanged.
#include <doctest/doctest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <chrono>
#include <thread>
#include <string>
#include <vector>

#include "concurrency_checks.hpp"
#include "connection.hpp"
#include "dialect.hpp"
#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

namespace {

// A migrated database of its own on the test server; empty optional when skipped.
struct migrated_postgres {
  explicit migrated_postgres(const database_config& server) : db(server) {
    const auto applied = migrate(db.config());
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  }
  test::postgres_test_database db;
};

// The titles of `owner`'s first list page, and whether the process's kept reads answered it.
struct listed {
  std::vector<std::string> titles;
  bool from_memory = false;
};

listed list_of(note_repository& repo, const std::shared_ptr<detail::unchanged_reads>& kept,
               account_id owner) {
  const auto served = kept->served();
  const note_page page = repo.list(owner, list_order::newest_first, {1, 10}).value();
  listed out;
  for (const note& n : page.notes) out.titles.push_back(n.title);
  out.from_memory = kept->served() != served;
  return out;
}

// Makes `owner`'s first page kept: read once, then once more from memory.
void keep_list_of(note_repository& repo, const std::shared_ptr<detail::unchanged_reads>& kept,
                  account_id owner) {
  const auto first = list_of(repo, kept, owner);
  const auto again = list_of(repo, kept, owner);
  REQUIRE(again.from_memory);
  REQUIRE(again.titles == first.titles);
}

note owned_by(account_id owner, std::string title, int second) {
  note n = make_note(std::move(title), "x", at(second));
  n.owner = owner;
  return n;
}

}  // namespace

TEST_CASE("notes round-trip exactly from SQLite to PostgreSQL and back") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::sqlite_database sqlite_source;
  auto source = test::open_or_fail(sqlite_source.config);
  note a = source->create(make_note("Grüße", "Ärger über \"Café\" 100% _x_ \\n", at(1, 1), true))
               .value();
  const note b = source->create(make_note("gone", "x", at(2))).value();
  source->create(make_note("emoji 👋", std::string(5000, 'z'), at(3, 999999))).value();
  a.content = "edited twice";
  a.updated_at = at(10, 42);
  a = source->update(a, 1, 0).value();
  a = source->update(a, 2, 0).value();
  REQUIRE(source->remove(no_account, b.id, std::nullopt).has_value());
  const auto exported = source->all(std::nullopt).value();

  migrated_postgres pg(*server);
  auto middle = test::open_or_fail(pg.db.config());
  REQUIRE(middle->import(exported).has_value());
  const auto through_postgres = middle->all(std::nullopt).value();
  CHECK(through_postgres == exported);
  CHECK(middle->search(no_account, "CAFÉ", {1, 10}).value().total == 0);
  CHECK(middle->search(no_account, "EDITED", {1, 10}).value().total == 1);

  test::sqlite_database sqlite_target;
  auto target = test::open_or_fail(sqlite_target.config);
  REQUIRE(target->import(through_postgres).has_value());
  CHECK(target->all(std::nullopt).value() == exported);
}

TEST_CASE("two repositories on one PostgreSQL database act as one store") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  auto first = test::open_or_fail(pg.db.config());
  auto second = test::open_or_fail(pg.db.config());
  const note n = first->create(make_note("from first", "x", at(1))).value();
  REQUIRE(second->find(no_account, n.id).value().has_value());
  note edit = n;
  edit.title = "edited by second";
  REQUIRE(second->update(edit, 1, 0).has_value());
  edit.title = "stale edit by first";
  const auto stale = first->update(edit, 1, 0);
  REQUIRE_FALSE(stale.has_value());
  CHECK(stale.error().code == error_code::conflict);
  CHECK(first->find(no_account, n.id).value()->title == "edited by second");
  CHECK(first->search(no_account, "second", {1, 10}).value().total == 1);
}

TEST_CASE("several PostgreSQL repositories work at once with one per thread") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_parallel_writers(pg.db.config());
}

TEST_CASE("PostgreSQL's kept totals stay exact under concurrent writes of overlapping tags") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_totals_under_concurrent_writes(pg.db.config());
}

TEST_CASE("concurrent PostgreSQL updates with expected versions never lose one") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_no_lost_updates(pg.db.config());
}

TEST_CASE("a PostgreSQL restore racing a purge of the same trashed note: exactly one wins") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_restore_purge_race(pg.db.config());
}

TEST_CASE("the PostgreSQL search uses the trigram indexes") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  long long indexes = 0;
  // A query through the adapter's own connection would be nicer; the catalog says the same.
  soci::session raw(soci::postgresql,
                    "host=" + pg.db.config().host + " port=" + std::to_string(pg.db.config().port) +
                        " dbname=" + pg.db.config().database_name + " user=" + pg.db.config().user);
  raw << "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'notes' AND indexdef LIKE "
         "'%gin_trgm_ops%'",
      soci::into(indexes);
  CHECK(indexes == 2);
}

TEST_CASE("PostgreSQL pages read again are answered from memory while the owner's notes are "
          "unchanged, and a change made through another connection is seen at once") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  auto repo = test::open_or_fail(pg.db.config());
  const auto kept = detail::postgresql_kept_reads(pg.db.config());
  note tagged = make_note("first zephyr", "x", at(1));
  tagged.tags = {"t"};
  const note first = repo->create(tagged).value();
  const note second = repo->create(make_note("second zephyr", "x", at(2))).value();
  const std::vector<std::string> tag{"t"};
  const auto titles = [&] { return list_of(*repo, kept, no_account).titles; };
  const auto searched = [&] { return repo->search(no_account, "zephyr", {1, 10}).value().total; };
  const auto tagged_total = [&] {
    return repo->list(no_account, list_order::newest_first, {1, 10}, tag).value().total;
  };

  const auto served = kept->served();
  for (int i = 0; i < 2; ++i) {
    CHECK(titles() == std::vector<std::string>{"second zephyr", "first zephyr"});
    CHECK(searched() == 2);
    CHECK(tagged_total() == 1);
  }
  // The second of each: a list page, a search page and a tag's page.
  CHECK(kept->served() == served + 3);

  // As another server would: SQL on a connection of its own.
  pg.db.execute("UPDATE notes SET title = 'renamed', search_title = 'renamed' WHERE id = " +
                std::to_string(second.id));
  CHECK(titles() == std::vector<std::string>{"renamed", "first zephyr"});
  CHECK(searched() == 1);
  const std::string third_at = std::to_string(
      std::chrono::duration_cast<std::chrono::microseconds>(at(3).time_since_epoch()).count());
  pg.db.execute("INSERT INTO notes (title, content, created_at, updated_at, search_title,"
                " search_content, tags, search_tags) VALUES ('third zephyr', 'x', " +
                third_at + ", " + third_at + ", 'third zephyr', 'x', '[\"t\"]', '[\"t\"]')");
  CHECK(titles() == std::vector<std::string>{"third zephyr", "renamed", "first zephyr"});
  CHECK(searched() == 2);
  CHECK(tagged_total() == 2);
  pg.db.execute("DELETE FROM notes WHERE id = " + std::to_string(first.id));
  CHECK(titles() == std::vector<std::string>{"third zephyr", "renamed"});
  CHECK(tagged_total() == 1);

  // Another owner's reads take the kept state over and give it back: each sees its own notes.
  REQUIRE(repo->create(owned_by(7, "owned", 4)).has_value());
  for (int i = 0; i < 2; ++i) {
    CHECK(repo->list(7, list_order::newest_first, {1, 10}).value().total == 1);
    CHECK(titles() == std::vector<std::string>{"third zephyr", "renamed"});
  }
  // A change of owner in SQL moves both owners' stamps.
  pg.db.execute("UPDATE notes SET owner = 7 WHERE title = 'renamed'");
  CHECK(titles() == std::vector<std::string>{"third zephyr"});
  CHECK(repo->list(7, list_order::newest_first, {1, 10}).value().total == 2);
  pg.db.execute("UPDATE notes SET owner = 0 WHERE title = 'renamed'");
  // A change of owner (counted again at its end) and removing an owner's notes move the stamp.
  CHECK(repo->change_owner(7, no_account).value() == 1);
  CHECK(titles() == std::vector<std::string>{"owned", "third zephyr", "renamed"});
  CHECK(repo->list(7, list_order::newest_first, {1, 10}).value().total == 0);
  CHECK(repo->remove_all(no_account).value() == 3);
  CHECK(titles().empty());
  REQUIRE(repo->create(make_note("again", "x", at(5))).has_value());
  CHECK(titles() == std::vector<std::string>{"again"});
}

TEST_CASE("a PostgreSQL edit does not wait for a writer that holds the kept totals, and a "
          "TRUNCATE forgets the kept pages") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  auto repo = test::open_or_fail(pg.db.config());
  const note first = repo->create(make_note("first", "x", at(1))).value();
  // An import, a change of owner and removing an owner's notes hold these locks to their commit
  // (defer_kept_totals); an edit of any note goes on meanwhile.
  const auto importer = detail::open_session(pg.db.config(), detail::open_mode::existing);
  soci::transaction importing(*importer);
  *importer << "LOCK TABLE note_tag_counts, note_counts IN SHARE ROW EXCLUSIVE MODE";
  const auto editor = detail::open_session(pg.db.config(), detail::open_mode::existing);
  *editor << "SET lock_timeout = '2s'";
  CHECK_NOTHROW(*editor << "UPDATE notes SET title = 'edited', version = version + 1 WHERE id = "
                               + std::to_string(first.id));
  importing.rollback();

  const auto kept = detail::postgresql_kept_reads(pg.db.config());
  keep_list_of(*repo, kept, no_account);
  pg.db.execute("TRUNCATE notes CASCADE");
  const auto read = list_of(*repo, kept, no_account);
  CHECK(read.titles.empty());
  CHECK_FALSE(read.from_memory);
}


TEST_CASE("every PostgreSQL write of an owner's notes moves the stamp of each owner it changes, "
          "while that owner's page is kept") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  auto repo = test::open_or_fail(pg.db.config());
  const auto kept = detail::postgresql_kept_reads(pg.db.config());
  REQUIRE(repo->create(owned_by(3, "three", 1)).has_value());
  REQUIRE(repo->create(owned_by(7, "seven", 2)).has_value());
  const auto seen_first = [&](account_id owner, std::vector<std::string> titles) {
    const auto read = list_of(*repo, kept, owner);
    CHECK_FALSE(read.from_memory);
    CHECK(read.titles == titles);
  };

  SUBCASE("an import") {
    keep_list_of(*repo, kept, 3);
    note_archive archive;
    archive.live.push_back(owned_by(3, "imported", 3));
    archive.live.back().id = 1000;
    REQUIRE(repo->import_archive(archive).has_value());
    seen_first(3, {"imported", "three"});
  }
  SUBCASE("a change of owner, seen by the owner it leaves and the one it joins") {
    keep_list_of(*repo, kept, 7);
    REQUIRE(repo->change_owner(7, 3).value() == 1);
    seen_first(7, {});
    REQUIRE(repo->create(owned_by(7, "seven again", 4)).has_value());
    keep_list_of(*repo, kept, 3);
    REQUIRE(repo->change_owner(7, 3).value() == 1);
    seen_first(3, {"seven again", "seven", "three"});
  }
  SUBCASE("removing an owner's notes") {
    keep_list_of(*repo, kept, 3);
    REQUIRE(repo->remove_all(3).value() == 1);
    seen_first(3, {});
  }
  SUBCASE("a change of owner in SQL, seen by the owner it joins") {
    keep_list_of(*repo, kept, 3);
    pg.db.execute("UPDATE notes SET owner = 3 WHERE owner = 7");
    seen_first(3, {"seven", "three"});
  }
  SUBCASE("bulk writes of a binary from before the stamps, which defer only the totals") {
    const auto old_binary = detail::open_session(pg.db.config(), detail::open_mode::existing);
    const auto deferred = [&](const std::string& sql) {
      soci::transaction writing(*old_binary);
      *old_binary << "LOCK TABLE note_tag_counts, note_counts IN SHARE ROW EXCLUSIVE MODE";
      *old_binary << "SET LOCAL notes.defer_kept_totals = 'on'";
      *old_binary << sql;
      writing.commit();
    };
    keep_list_of(*repo, kept, 3);
    deferred("UPDATE notes SET owner = 3 WHERE owner = 7");
    seen_first(3, {"seven", "three"});
    keep_list_of(*repo, kept, 3);
    deferred("INSERT INTO notes (owner, title, content, created_at, updated_at, search_title,"
             " search_content) SELECT 3, 'inserted', 'x', created_at + 10, updated_at + 10,"
             " 'inserted', 'x' FROM notes WHERE title = 'seven'");
    seen_first(3, {"inserted", "seven", "three"});
    keep_list_of(*repo, kept, 3);
    deferred("DELETE FROM notes WHERE owner = 3");
    seen_first(3, {});
  }
}

TEST_CASE("PostgreSQL edits of one owner's notes both succeed even where the database's default "
          "isolation is REPEATABLE READ") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  pg.db.execute("ALTER DATABASE " + pg.db.config().database_name +
                " SET default_transaction_isolation = 'repeatable read'");
  auto repo = test::open_or_fail(pg.db.config());
  const note first = repo->create(make_note("first", "x", at(1))).value();
  const note second = repo->create(make_note("second", "x", at(2))).value();
  // The repository's session set its level when it connected: so when it connects again too.
  pg.db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  bool reconnected = false;
  for (int attempt = 0; attempt < 50 && !reconnected; ++attempt) {
    reconnected = repo->find(no_account, first.id).has_value();
  }
  REQUIRE(reconnected);
  // Another writer holds the owner's stamp until it commits; the repository's edit waits for it
  // and then goes on (under REPEATABLE READ it would fail: the row changed after its snapshot).
  const auto other = detail::open_session(pg.db.config(), detail::open_mode::existing);
  soci::transaction holding(*other);
  *other << "UPDATE notes SET title = 'first, edited', version = version + 1 WHERE id = " +
                std::to_string(first.id);
  result<note> edited = std::unexpected(error{});
  std::thread editor([&] {
    note changed = second;
    changed.title = "second, edited";
    edited = repo->update(changed, second.version, 0);
  });
  // Commits only once the edit waits for the stamp (it took its snapshot before the commit).
  const auto watcher = detail::open_session(pg.db.config(), detail::open_mode::existing);
  long long waiting = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (waiting == 0 && std::chrono::steady_clock::now() < deadline) {
    *watcher << "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock'",
        soci::into(waiting);
    if (waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  holding.commit();
  editor.join();
  REQUIRE(waiting == 1);
  REQUIRE_MESSAGE(edited.has_value(), (edited ? "" : edited.error().message));
  CHECK(repo->find(no_account, second.id).value()->title == "second, edited");
}
