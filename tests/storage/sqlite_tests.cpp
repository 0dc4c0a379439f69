// SQLite as a server uses it: WAL, one connection per thread, durable commits, and a search
// index that stays in step with the notes.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <thread>

#include "concurrency_checks.hpp"
#include "storage_test_support.hpp"
#include "write_combiner.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

TEST_CASE("a SQLite database is switched to WAL mode") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  soci::session raw(soci::sqlite3, db.config.path);
  std::string mode;
  raw << "PRAGMA journal_mode", soci::into(mode);
  CHECK(mode == "wal");
}

TEST_CASE("several SQLite repositories on one file work at once with one per thread") {
  test::sqlite_database db;
  test::check_parallel_writers(db.config);
}

TEST_CASE("SQLite totals stay exact under concurrent writes of overlapping tags") {
  test::sqlite_database db;
  test::check_totals_under_concurrent_writes(db.config);
}

TEST_CASE("concurrent SQLite updates with expected versions never lose one") {
  test::sqlite_database db;
  test::check_no_lost_updates(db.config);
}

TEST_CASE("a SQLite restore racing a purge of the same trashed note: exactly one wins") {
  test::sqlite_database db;
  test::check_restore_purge_race(db.config);
}

TEST_CASE("concurrent migrate calls on one new SQLite file apply each migration once") {
  test::temp_directory dir;
  const auto config = test::sqlite_config(dir.path() / "race.db");
  std::vector<result<std::vector<migration_info>>> results(4);
  {
    std::vector<std::jthread> threads;
    for (auto& r : results) threads.emplace_back([&r, &config] { r = migrate(config); });
  }
  std::size_t applied = 0;
  for (const auto& r : results) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    applied += r->size();
  }
  CHECK(applied == known_migrations().size());
}

TEST_CASE("a repository sees other connections' commits right after its own reads and writes") {
  // SOCI leaves a single-row SQLite statement mid-step; unless the adapter finishes it, the
  // reader keeps an old snapshot and a RETURNING insert keeps the write lock.
  test::sqlite_database db;
  auto a = test::open_or_fail(db.config);
  auto quick = db.config;
  quick.busy_timeout = std::chrono::milliseconds(200);
  auto b = test::open_or_fail(quick);

  const note n = a->create(make_note("shared", "x", at(1))).value();
  const note other = b->create(make_note("from b", "x", at(2))).value();  // a holds no write lock
  CHECK(a->find(no_account, n.id).value()->version == 1);
  note changed = n;
  changed.title = "changed by b";
  REQUIRE(b->update(changed, 1, 0).has_value());
  CHECK(a->find(no_account, n.id).value()->title == "changed by b");
  CHECK(a->count(no_account).value() == 2);
  CHECK(a->search(no_account, "changed", {1, 10}).value().total == 1);
  REQUIRE(b->remove(no_account, other.id, std::nullopt).has_value());
  CHECK(a->count(no_account).value() == 1);
  CHECK(b->create(make_note("third", "x", at(3))).has_value());
}

TEST_CASE("a committed note survives the process being killed") {
  test::sqlite_database db;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto repo = open_repository(db.config);
    const bool created =
        repo && (*repo)->create(make_note("durable", "after kill -9", at(1))).has_value();
    if (created) ::raise(SIGKILL);
    ::_exit(3);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  auto repo = test::open_or_fail(db.config);
  const auto found = repo->search(no_account, "kill -9", {1, 10}).value();
  REQUIRE(found.total == 1);
  CHECK(found.notes.front().title == "durable");
}

TEST_CASE(
    "the trigram index stays consistent through creates and updates and removes and imports") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  std::vector<note> kept;
  for (int i = 0; i < 30; ++i) {
    note n = repo->create(make_note("note " + std::to_string(i),
                                    "Inhalt Ärger " + std::to_string(i), at(i)))
                 .value();
    if (i % 3 == 0) {
      REQUIRE(repo->remove(no_account, n.id, std::nullopt).has_value());
    } else {
      n.content = "geändert " + std::to_string(i);
      n.is_pinned = i % 2 == 0;
      kept.push_back(repo->update(n, 1, 0).value());
    }
  }
  note imported = make_note("imported", "Importiert", at(100));
  imported.id = 1000;
  REQUIRE(repo->import(std::vector<note>{imported}).has_value());
  soci::session raw(soci::sqlite3, db.config.path);
  CHECK_NOTHROW(raw << "INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')");
  CHECK(repo->search(no_account, "GEÄNDERT", {1, 100}).value().total ==
        static_cast<std::int64_t>(kept.size()));
  CHECK(repo->search(no_account, "ärger", {1, 100}).value().total == 0);
  CHECK(repo->search(no_account, "importiert", {1, 100}).value().total == 1);
}

TEST_CASE("a note of 100000 code points round-trips and is found by search") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  std::string content;
  for (int i = 0; i < 50'000; ++i) content += "é";  // two bytes each
  for (int i = 0; i < 50'000; ++i) content += 'x';
  content.replace(content.size() - 10, 6, "Needle");
  const note n = repo->create(make_note("long", content, at(1))).value();
  CHECK(repo->find(no_account, n.id).value()->content == content);
  CHECK(repo->search(no_account, "needle", {1, 10}).value().total == 1);
  CHECK(repo->search(no_account, "ÉÉÉX", {1, 10}).value().total == 1);
}

TEST_CASE("ids of removed notes are not handed out again") {
  test::sqlite_database db;
  note_id last = 0;
  {
    auto repo = test::open_or_fail(db.config);
    repo->create(make_note("a", "x", at(1))).value();
    last = repo->create(make_note("b", "x", at(2))).value().id;
    REQUIRE(repo->remove(no_account, last, std::nullopt).has_value());
  }
  auto repo = test::open_or_fail(db.config);
  CHECK(repo->create(make_note("c", "x", at(3))).value().id > last);
}

TEST_CASE("the unix-excl VFS serves every connection of this process and locks others out") {
  test::sqlite_database db;
  auto config = db.config;
  config.sqlite_vfs = "unix-excl";
  test::check_parallel_writers(config);
  auto a = test::open_or_fail(config);
  auto b = test::open_or_fail(config);
  const note n = a->create(make_note("seen by b", "x", at(1))).value();
  note changed = b->find(no_account, n.id).value().value();
  changed.title = "changed by b";
  REQUIRE(b->update(changed, 1, 0).has_value());
  CHECK(a->find(no_account, n.id).value()->title == "changed by b");

  a.reset();
  b.reset();

  // Another process holds the file through unix-excl while this one, with no connection of its
  // own left (a forked child would inherit SQLite's record of them), tries to read it.
  int ready[2];
  int done[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(done) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto holder = open_repository(config);
    const bool ok = holder && (*holder)->count(no_account).has_value();
    char byte = ok ? 1 : 0;
    (void)!::write(ready[1], &byte, 1);
    (void)!::read(done[0], &byte, 1);
    ::_exit(ok ? 0 : 1);
  }
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  CHECK(byte == 1);
  // soci-sqlite3.h declares the SQLite API inside namespace sqlite_api.
  sqlite_api::sqlite3* other = nullptr;
  REQUIRE(sqlite_api::sqlite3_open(db.config.path.c_str(), &other) == SQLITE_OK);
  const int read =
      sqlite_api::sqlite3_exec(other, "SELECT COUNT(*) FROM notes", nullptr, nullptr, nullptr);
  sqlite_api::sqlite3_close(other);
  CHECK(read == SQLITE_BUSY);
  (void)!::write(done[1], &byte, 1);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  for (int fd : {ready[0], ready[1], done[0], done[1]}) ::close(fd);
}

TEST_CASE("a VFS that does not exist is a storage_failure") {
  test::sqlite_database db;
  auto config = db.config;
  config.sqlite_vfs = "no-such-vfs";
  const auto opened = open_repository(config);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == error_code::storage_failure);
  MESSAGE(opened.error().message);
}

TEST_CASE("SQLite's threading mode cannot change once a database is open, and says so") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const auto refused = use_sqlite_multi_thread_mode();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == error_code::storage_failure);
  CHECK(refused.error().message.find("multi-thread") != std::string::npos);
  // The repository goes on working in the mode it started in.
  CHECK(repo->create(make_note("still here", "x", at(1))).has_value());
}

namespace {

// Runs `sql` on a connection of its own, as another program on the same file would.
void exec_elsewhere(sqlite_api::sqlite3* db, const char* sql) {
  char* message = nullptr;
  const int rc = sqlite_api::sqlite3_exec(db, sql, nullptr, nullptr, &message);
  const std::string text = message != nullptr ? message : "";
  sqlite_api::sqlite3_free(message);
  REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << text);
}

std::int64_t reads_served(const std::string& path) {
  return detail::write_combiner::for_file(path)->reads().served();
}

struct two_tagged_notes {
  test::sqlite_database db;
  std::unique_ptr<soci_note_repository> repo = test::open_or_fail(db.config);
  note first = repo->create(tagged("first", at(1))).value();
  note second = repo->create(tagged("second", at(2))).value();
  const std::vector<std::string> tag{"t"};

  static note tagged(std::string title, timestamp when) {
    note n = make_note(std::move(title), "body", when);
    n.tags = {"t"};
    return n;
  }
  // Every read the repository keeps while the file is unchanged, each twice: the second time
  // from memory.
  void read_all_twice() {
    const auto served = reads_served(db.config.path);
    for (int i = 0; i < 2; ++i) {
      REQUIRE(repo->find(no_account, first.id).value().has_value());
      REQUIRE(repo->find(no_account, second.id).value().has_value());
      REQUIRE(repo->list(no_account, list_order::pinned_first, {1, 10}, {}).has_value());
      REQUIRE(repo->list(no_account, list_order::pinned_first, {1, 10}, tag).has_value());
      REQUIRE(repo->search(no_account, "first", {1, 10}, {}).has_value());
      REQUIRE(repo->tag_counts(no_account).has_value());
    }
    CHECK(reads_served(db.config.path) == served + 6);
  }
  // What the reads give now, checked against the file after `first` was renamed "renamed" and
  // `second` deleted by someone else.
  void check_sees_the_change() {
    CHECK(repo->find(no_account, first.id).value()->title == "renamed");
    CHECK_FALSE(repo->find(no_account, second.id).value().has_value());
    const auto page = repo->list(no_account, list_order::pinned_first, {1, 10}, {}).value();
    CHECK(page.total == 1);
    REQUIRE(page.notes.size() == 1);
    CHECK(page.notes.front().title == "renamed");
    CHECK(repo->list(no_account, list_order::pinned_first, {1, 10}, tag).value().total == 1);
    CHECK(repo->search(no_account, "first", {1, 10}, {}).value().total == 0);
    CHECK(repo->search(no_account, "renamed", {1, 10}, {}).value().total == 1);
    CHECK(repo->tag_counts(no_account).value() == std::vector<tag_count>{{"t", 1}});
  }
};

constexpr const char* rename_and_delete =
    "PRAGMA foreign_keys = ON;"
    "BEGIN;"
    "UPDATE notes SET title = 'renamed', search_title = 'renamed' WHERE title = 'first';"
    "DELETE FROM notes WHERE title = 'second';"
    "COMMIT;";

}  // namespace

TEST_CASE("reads are answered from memory while the file is unchanged, and see a change made "
          "by another connection at once") {
  two_tagged_notes on_file;
  on_file.read_all_twice();
  sqlite_api::sqlite3* other = nullptr;
  REQUIRE(sqlite_api::sqlite3_open(on_file.db.config.path.c_str(), &other) == SQLITE_OK);
  exec_elsewhere(other, rename_and_delete);
  sqlite_api::sqlite3_close(other);
  on_file.check_sees_the_change();
  // And this process's own writes.
  REQUIRE(on_file.repo->create(two_tagged_notes::tagged("third", at(3))).has_value());
  CHECK(on_file.repo->list(no_account, list_order::pinned_first, {1, 10}, {}).value().total == 2);
  CHECK(on_file.repo->tag_counts(no_account).value() == std::vector<tag_count>{{"t", 2}});
}

TEST_CASE("reads answered from memory see a change committed by another process at once") {
  test::sqlite_database db;
  // Forked before this process opens the file: the child's SQLite shares nothing with it.
  std::array<int, 2> go{};
  REQUIRE(::pipe(go.data()) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::alarm(30);  // never outlives a parent that failed before letting it go on
    ::close(go[1]);
    char byte = 0;
    sqlite_api::sqlite3* db_elsewhere = nullptr;
    const bool ok = ::read(go[0], &byte, 1) == 1 &&
                    sqlite_api::sqlite3_open(db.config.path.c_str(), &db_elsewhere) == SQLITE_OK &&
                    sqlite_api::sqlite3_busy_timeout(db_elsewhere, 5000) == SQLITE_OK &&
                    sqlite_api::sqlite3_exec(db_elsewhere, rename_and_delete, nullptr, nullptr, nullptr) ==
                        SQLITE_OK;
    sqlite_api::sqlite3_close(db_elsewhere);
    ::_exit(ok ? 0 : 3);
  }
  ::close(go[0]);
  auto repo = test::open_or_fail(db.config);
  const note first = repo->create(two_tagged_notes::tagged("first", at(1))).value();
  const note second = repo->create(two_tagged_notes::tagged("second", at(2))).value();
  const auto served = reads_served(db.config.path);
  for (int i = 0; i < 2; ++i) {
    CHECK(repo->find(no_account, first.id).value()->title == "first");
    CHECK(repo->list(no_account, list_order::pinned_first, {1, 10}, {}).value().total == 2);
    CHECK(repo->tag_counts(no_account).value() == std::vector<tag_count>{{"t", 2}});
  }
  CHECK(reads_served(db.config.path) == served + 3);
  const char byte = 1;
  REQUIRE(::write(go[1], &byte, 1) == 1);
  ::close(go[1]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(repo->find(no_account, first.id).value()->title == "renamed");
  CHECK_FALSE(repo->find(no_account, second.id).value().has_value());
  const auto page = repo->list(no_account, list_order::pinned_first, {1, 10}, {}).value();
  CHECK(page.total == 1);
  CHECK(repo->tag_counts(no_account).value() == std::vector<tag_count>{{"t", 1}});
}
