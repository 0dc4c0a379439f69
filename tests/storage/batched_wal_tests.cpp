// The batched WAL VFS (batched_wal_vfs.hpp) on real files: a commit is written with one call,
// and every reader, of this process or another, sees exactly the commits that returned, whatever
// happens to the writer after, and whatever other writers do after a transaction rolled back.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

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
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                                   vfs);
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

// A VFS for fault tests: SQLite's default, whose WAL writes are recorded while `recording`, and
// of which the one that covers the byte at `fail_at` after `fail_skip` others did fails. The
// batched VFS runs over it.
struct wal_write {
  sqlite3_int64 offset;
  int amount;
  std::uint32_t commit_size;  // of a frame header: the database's size after a commit, else 0
};
struct {
  bool recording = false;
  std::vector<wal_write> writes;
  sqlite3_int64 fail_at = -1;
  int fail_skip = 0;
  bool failed = false;
} faults;

sqlite3_vfs* default_vfs = nullptr;
const sqlite3_io_methods* real_wal_methods = nullptr;
sqlite3_io_methods faulty_wal_methods{};
sqlite3_vfs faulty_vfs{};

int faulty_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  if (faults.recording) {
    const auto* b = static_cast<const unsigned char*>(data);
    const std::uint32_t size =
        amount == 24 ? (std::uint32_t{b[4]} << 24) | (std::uint32_t{b[5]} << 16) |
                           (std::uint32_t{b[6]} << 8) | std::uint32_t{b[7]}
                     : 0;
    faults.writes.push_back({offset, amount, size});
  }
  if (faults.fail_at >= offset && faults.fail_at < offset + amount && faults.fail_skip-- == 0) {
    faults.fail_at = -1;
    faults.failed = true;
    return SQLITE_IOERR_WRITE;
  }
  return real_wal_methods->xWrite(file, data, amount, offset);
}

int faulty_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
                int* out_flags) {
  const int rc = default_vfs->xOpen(default_vfs, name, file, flags, out_flags);
  if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) != 0 && file->pMethods != nullptr) {
    real_wal_methods = file->pMethods;
    faulty_wal_methods = *file->pMethods;
    faulty_wal_methods.xWrite = faulty_write;
    file->pMethods = &faulty_wal_methods;
  }
  return rc;
}

const char* faulty() {
  if (default_vfs == nullptr) {
    default_vfs = sqlite3_vfs_find(nullptr);
    faulty_vfs = *default_vfs;
    faulty_vfs.zName = "notes-test-faulty";
    faulty_vfs.xOpen = faulty_open;
    REQUIRE(sqlite3_vfs_register(&faulty_vfs, 0) == SQLITE_OK);
  }
  return faulty_vfs.zName;
}

std::string uri(const std::filesystem::path& file, const std::string& vfs,
                const std::string& options = "") {
  return "file:" + file.string() + "?vfs=" + vfs + options;
}


// Forks a writer (before this process opens `file`: the child's SQLite shares nothing with it)
// that opens `file` through the batched VFS, runs `setup`, then each of `commits` in turn and
// tells the parent after each that it returned; once all did, kills the writer with SIGKILL,
// the connection open, and returns how many returned.
int commits_before_kill(const std::filesystem::path& file, const std::string& setup,
                        const std::vector<std::string>& commits) {
  int acks[2];
  REQUIRE(::pipe(acks) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::alarm(30);  // never outlives a parent that failed before killing it
    ::close(acks[0]);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        batched.c_str()) != SQLITE_OK ||
        sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      ::_exit(3);
    }
    for (const auto& commit : commits) {
      if (sqlite3_exec(db, commit.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) ::_exit(4);
      const char byte = 1;
      if (::write(acks[1], &byte, 1) != 1) ::_exit(5);
    }
    ::pause();  // killed here, the connection open
    ::_exit(6);
  }
  ::close(acks[1]);
  int acknowledged = 0;
  char byte = 0;
  while (acknowledged < static_cast<int>(commits.size()) && ::read(acks[0], &byte, 1) == 1) {
    ++acknowledged;
  }
  ::close(acks[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  // Killed, not failed on its own.
  REQUIRE(WIFSIGNALED(status));
  return acknowledged;
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
  REQUIRE(commits_before_kill(file, wal_table, std::vector(commits, insert_rows(3))) == commits);

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

TEST_CASE("frames that a rolled-back transaction spilled are dropped, never written over what "
          "another writer committed since") {
  notes::test::temp_directory dir;
  const auto file = dir.path() / "dropped.db";
  const auto wal = file.string() + "-wal";
  connection writer(file, batched.c_str());
  writer.exec(wal_table);
  writer.exec(insert_rows(5));
  writer.exec("PRAGMA cache_size = 10");  // pages: 40 rows spill into the WAL
  connection other(file, nullptr);

  const auto before = batched_wal_so_far();
  const auto wal_before = std::filesystem::file_size(wal);
  writer.exec("BEGIN");
  writer.exec(insert_rows(40));
  // Spilled frames were gathered, all of them (under 512 KiB), and none written.
  CHECK(batched_wal_so_far().gathered - before.gathered >= 2 * 20);
  CHECK(std::filesystem::file_size(wal) == wal_before);
  writer.exec("ROLLBACK");
  // Dropped at the release of the write lock: once it is released, another writer may write
  // where they would have gone.
  CHECK(batched_wal_so_far().dropped - before.dropped == 1);
  CHECK(std::filesystem::file_size(wal) == wal_before);

  // Another connection commits where the spilled frames would have gone; then the batched one
  // reads and writes again.
  other.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
             " INSERT INTO t (body) SELECT zeroblob(3000) FROM n");
  CHECK(writer.number("SELECT count(*) FROM t") == 45);
  writer.exec(insert_rows(3));
  connection reader(file, nullptr);
  CHECK(reader.number("SELECT count(*) FROM t") == 48);
  CHECK(reader.number("SELECT count(*) FROM t WHERE body = zeroblob(3000)") == 40);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a commit that spilled pages and wrote some of them again is whole in the file after "
          "its writer was killed") {
  notes::test::temp_directory dir;
  const auto file = dir.path() / "rewritten.db";
  // Pages spilled early are written again later in the same transaction: SQLite writes them
  // over their frames and rewrites the frames' checksums after the commit's last frame.
  const std::string transaction =
      "BEGIN; " + insert_rows(200) + "; UPDATE t SET body = zeroblob(3000) WHERE id <= 60; " +
      insert_rows(20) + "; COMMIT";
  REQUIRE(commits_before_kill(file, std::string(wal_table) + "; PRAGMA cache_size = 10",
                              {transaction}) == 1);

  connection reader(file, nullptr);
  CHECK(reader.number("SELECT count(*) FROM t") == 220);
  CHECK(reader.number("SELECT count(*) FROM t WHERE body = zeroblob(3000)") == 60);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a commit fails when a write SQLite makes after its last frame fails: a padding "
          "frame's page (synchronous = FULL, no powersafe overwrite)") {
  // SQLite pads such a commit to a sector with copies of its last frame, and splits the header
  // of the one that crosses the sector's end in two writes.
  const char* statements =
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
      " CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 0)";
  auto update = [](int i) { return "UPDATE t SET v = " + std::to_string(i) + " WHERE id = 1"; };
  // Which commit splits a padding frame's header, and where the page after it goes: recorded
  // through the faulty VFS alone.
  int commit = 0;
  sqlite3_int64 page_at = -1;
  {
    notes::test::temp_directory dir;
    connection db(uri(dir.path() / "pad.db", faulty(), "&psow=0"), nullptr);
    db.exec(statements);
    for (int i = 1; i <= 400 && page_at < 0; ++i) {
      faults.writes.clear();
      faults.recording = true;
      db.exec(update(i));
      faults.recording = false;
      bool split = false;
      for (const auto& w : faults.writes) {
        if (w.offset >= 32 && w.amount < 24) split = true;
        if (split && w.amount == 4096) {
          page_at = w.offset;
          commit = i;
          break;
        }
      }
    }
  }
  REQUIRE(page_at > 0);

  notes::test::temp_directory dir;
  const auto file = dir.path() / "pad.db";
  connection db(uri(file, batched_wal_vfs(faulty()), "&psow=0"), nullptr);
  db.exec(statements);
  for (int i = 1; i < commit; ++i) db.exec(update(i));
  faults.failed = false;
  faults.fail_at = page_at;
  faults.fail_skip = 0;
  CHECK(db.try_exec(update(commit)) != SQLITE_OK);
  CHECK(faults.failed);
  faults.fail_at = -1;
  connection reader(file, nullptr);
  CHECK(reader.number("SELECT v FROM t") == commit - 1);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a commit fails when a write SQLite makes after its last frame fails: a checksum it "
          "rewrites after pages were spilled and written again") {
  const std::string transaction = "BEGIN; " + insert_rows(200) +
                                  "; UPDATE t SET body = zeroblob(3000) WHERE id <= 60; " +
                                  insert_rows(20) + "; COMMIT";
  // Where the last rewritten checksum goes (the last frame header written after the commit's
  // last frame): recorded through the faulty VFS alone.
  sqlite3_int64 rewrite_at = -1;
  int earlier_writes = 0;
  {
    notes::test::temp_directory dir;
    connection db(uri(dir.path() / "rewrite.db", faulty()), nullptr);
    db.exec(wal_table);
    db.exec("PRAGMA cache_size = 10");
    faults.writes.clear();
    faults.recording = true;
    db.exec(transaction);
    faults.recording = false;
    // The first header that carries the database's size is the commit's last frame's; SQLite
    // rewrites the headers from the first page written again up to that one.
    bool committed = false;
    for (const auto& w : faults.writes) {
      if (w.amount != 24) continue;
      if (committed) rewrite_at = w.offset;
      if (w.commit_size != 0) committed = true;
    }
    // The rewrite is not the first write there: the frame's own write came before.
    for (const auto& w : faults.writes) {
      if (rewrite_at >= w.offset && rewrite_at < w.offset + w.amount) ++earlier_writes;
    }
    --earlier_writes;
  }
  REQUIRE(rewrite_at > 0);
  REQUIRE(earlier_writes >= 1);

  notes::test::temp_directory dir;
  const auto file = dir.path() / "rewrite.db";
  connection db(uri(file, batched_wal_vfs(faulty())), nullptr);
  db.exec(wal_table);
  db.exec("PRAGMA cache_size = 10");
  faults.failed = false;
  faults.fail_at = rewrite_at;
  faults.fail_skip = earlier_writes;
  CHECK(db.try_exec(transaction) != SQLITE_OK);
  CHECK(faults.failed);
  faults.fail_at = -1;
  db.try_exec("ROLLBACK");
  connection reader(file, nullptr);
  CHECK(reader.number("SELECT count(*) FROM t") == 0);
  CHECK(reader.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a VFS that SQLite does not know cannot be batched") {
  CHECK_THROWS_WITH(batched_wal_vfs("no-such-vfs"), "no SQLite VFS named 'no-such-vfs'");
  CHECK(batched_wal_vfs("") == batched);
  CHECK(batched_wal_vfs("unix-excl") == "notes-batched-unix-excl");
}
