// The batched WAL VFS (batched_wal_vfs.hpp) on real files: a commit is written with one call,
// and every reader, of this process or another, sees exactly the commits that returned, whatever
// happens to the writer after.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "batched_wal_vfs.hpp"
#include "storage_test_support.hpp"

using notes::storage::detail::batched_wal_so_far;
using notes::storage::detail::batched_wal_vfs;

namespace {

// A connection of its own, through `vfs` (SQLite's default when null).
class connection {
 public:
  connection(const std::filesystem::path& file, const char* vfs) {
    const int rc = sqlite3_open_v2(file.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    if (rc != SQLITE_OK) FAIL("cannot open " << file << ": " << sqlite3_errstr(rc));
  }
  ~connection() { sqlite3_close(db_); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  int try_exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  void exec(const std::string& sql) {
    const int rc = try_exec(sql);
    REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << sqlite3_errmsg(db_));
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* value = sqlite3_column_text(statement, 0);
      out = value == nullptr ? "" : reinterpret_cast<const char*>(value);
    }
    sqlite3_finalize(statement);
    return out;
  }
  std::int64_t number(const std::string& sql) { return std::stoll(text(sql)); }

 private:
  sqlite3* db_ = nullptr;
};

const std::string batched = batched_wal_vfs("");

constexpr const char* wal_table =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
    " CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body BLOB)";

// `rows` rows of 3,000 random bytes, one page each.
std::string insert_rows(int rows) {
  return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         std::to_string(rows) + ") INSERT INTO t (body) SELECT randomblob(3000) FROM n";
}

}  // namespace

TEST_CASE("a commit through the batched WAL is written with one call and read at once by "
          "another connection") {
  notes::test::temp_directory dir;
  const auto file = dir.path() / "batched.db";
  connection writer(file, batched.c_str());
  writer.exec(wal_table);
  connection reader(file, nullptr);
  for (int i = 1; i <= 10; ++i) {
    const auto before = batched_wal_so_far();
    writer.exec(insert_rows(20));
    const auto after = batched_wal_so_far();
    // A frame is two writes: its header and its page; at least one page per row.
    CHECK(after.gathered - before.gathered >= 2 * 20);
    CHECK(after.written - before.written == 1);
    CHECK(reader.number("SELECT count(*) FROM t") == 20 * i);
  }
  // A commit of 1.2 MiB: more than is gathered at once, and more than one call writes.
  const auto before = batched_wal_so_far();
  writer.exec(insert_rows(300));
  const auto after = batched_wal_so_far();
  CHECK(after.written - before.written >= 10);
  CHECK(after.written - before.written <= 14);
  CHECK(reader.number("SELECT count(*) FROM t") == 500);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a transaction that spills pages before its commit leaves the file intact, rolled "
          "back whole or to a savepoint, or committed") {
  notes::test::temp_directory dir;
  const auto file = dir.path() / "spill.db";
  connection writer(file, batched.c_str());
  writer.exec(wal_table);
  writer.exec("PRAGMA cache_size = 10");  // pages: 200 rows spill into the WAL
  connection reader(file, nullptr);

  writer.exec("BEGIN");
  writer.exec(insert_rows(200));
  CHECK(reader.number("SELECT count(*) FROM t") == 0);
  writer.exec("ROLLBACK");
  CHECK(reader.number("SELECT count(*) FROM t") == 0);

  writer.exec("BEGIN");
  writer.exec(insert_rows(100));
  writer.exec("SAVEPOINT half");
  writer.exec(insert_rows(200));
  writer.exec("ROLLBACK TO half");
  writer.exec(insert_rows(50));
  writer.exec("COMMIT");
  CHECK(reader.number("SELECT count(*) FROM t") == 150);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
  // And after a checkpoint copied it all back and the WAL started over.
  writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  writer.exec(insert_rows(5));
  CHECK(reader.number("SELECT count(*) FROM t") == 155);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("every commit that returned through the batched WAL is in the file after its writer "
          "was killed") {
  notes::test::temp_directory dir;
  const auto file = dir.path() / "killed.db";
  // 150 commits of three pages and more: between the gathered bytes' own limit and SQLite's
  // automatic checkpoint, either of which would write them anyway.
  constexpr int commits = 150;
  int acks[2];
  REQUIRE(::pipe(acks) == 0);
  // Forked before this process opens the file: the child's SQLite shares nothing with it.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::alarm(30);  // never outlives a parent that failed before killing it
    ::close(acks[0]);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        batched.c_str()) != SQLITE_OK ||
        sqlite3_exec(db, wal_table, nullptr, nullptr, nullptr) != SQLITE_OK) {
      ::_exit(3);
    }
    for (int i = 0; i < commits; ++i) {
      if (sqlite3_exec(db, insert_rows(3).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        ::_exit(4);
      }
      const char byte = 1;
      if (::write(acks[1], &byte, 1) != 1) ::_exit(5);
    }
    ::pause();  // killed here, the connection open
    ::_exit(6);
  }
  ::close(acks[1]);
  int acknowledged = 0;
  char byte = 0;
  while (acknowledged < commits && ::read(acks[0], &byte, 1) == 1) ++acknowledged;
  ::close(acks[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  // Killed, not failed on its own.
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(acknowledged == commits);

  connection reader(file, nullptr);
  CHECK(reader.number("SELECT count(*) FROM t") == 3 * commits);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a commit whose write fails fails, nothing of it can be read, and the next commit "
          "succeeds") {
  notes::test::temp_directory dir;
  const auto file = dir.path() / "full.db";
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::alarm(30);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        batched.c_str()) != SQLITE_OK ||
        sqlite3_exec(db, wal_table, nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_exec(db, insert_rows(1).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      ::_exit(3);
    }
    // Files of this process may grow 64 KiB past the WAL's size now (a full disk, as far as
    // the writer can tell): a commit of 50 pages cannot be written whole.
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    const auto wal_size = std::filesystem::file_size(file.string() + "-wal");
    const rlimit limited{static_cast<rlim_t>(wal_size + 64 * 1024), RLIM_INFINITY};
    if (::setrlimit(RLIMIT_FSIZE, &limited) != 0) ::_exit(4);
    const int failed = sqlite3_exec(db, insert_rows(50).c_str(), nullptr, nullptr, nullptr);
    if (::setrlimit(RLIMIT_FSIZE, &unlimited) != 0) ::_exit(5);
    if (failed == SQLITE_OK) ::_exit(6);
    if (sqlite3_exec(db, insert_rows(2).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      ::_exit(7);
    }
    // No close: the child dies as a killed server would, with the WAL as it is.
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  connection reader(file, nullptr);
  CHECK(reader.number("SELECT count(*) FROM t") == 3);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a VFS that SQLite does not know cannot be batched") {
  CHECK_THROWS_WITH(batched_wal_vfs("no-such-vfs"), "no SQLite VFS named 'no-such-vfs'");
  CHECK(batched_wal_vfs("") == batched);
  CHECK(batched_wal_vfs("unix-excl") == "notes-batched-unix-excl");
}
