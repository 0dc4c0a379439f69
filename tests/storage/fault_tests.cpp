// Database faults come back as typed errors with a message: never a crash, never a
// half-written note.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>

#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

namespace {

template <class T>
void check_failure(const result<T>& r, error_code expected) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == expected);
  CHECK_FALSE(r.error().message.empty());
  MESSAGE(r.error().message);
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

}  // namespace

TEST_CASE("a SQLite path that cannot be created is a storage_failure") {
  test::temp_directory dir;
  write_file(dir.path() / "plain-file", "not a directory");
  for (const auto& path :
       {dir.path() / "missing-dir" / "notes.db", dir.path() / "plain-file" / "notes.db"}) {
    CAPTURE(path);
    const auto config = test::sqlite_config(path);
    check_failure(migrate(config), error_code::storage_failure);
    check_failure(open_repository(config), error_code::storage_failure);
    check_failure(check_ready(config), error_code::storage_failure);
    CHECK(migrate(config).error().message.find(path.string()) != std::string::npos);
  }
}

TEST_CASE("a file that is not a database is a storage_failure") {
  test::temp_directory dir;
  const auto path = dir.path() / "garbage.db";
  write_file(path, std::string(8192, 'G'));
  const auto config = test::sqlite_config(path);
  check_failure(migrate(config), error_code::storage_failure);
  check_failure(open_repository(config), error_code::storage_failure);
}

namespace {

// A migrated database holding 200 notes, checkpointed into its main file.
void fill(const database_config& config) {
  auto repo = test::open_or_fail(config);
  for (int i = 0; i < 200; ++i) {
    const std::string body(500, static_cast<char>('a' + i % 26));
    REQUIRE(repo->create(make_note("note " + std::to_string(i), body, at(i))).has_value());
  }
}  // the last connection to close checkpoints the WAL into the main file

void overwrite_from(const std::string& path, std::uintmax_t offset) {
  const auto size = std::filesystem::file_size(path);
  REQUIRE(size > offset);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(offset));
  const std::string junk(size - offset, '\xA5');
  file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

}  // namespace

TEST_CASE("a database whose schema pages are corrupt cannot be opened and says so") {
  test::sqlite_database db;
  fill(db.config);
  overwrite_from(db.config.path, 4096);
  check_failure(open_repository(db.config), error_code::storage_failure);
  check_failure(migrate(db.config), error_code::storage_failure);
}

TEST_CASE("corrupt data pages under an open repository give storage_failure and no crash") {
  test::sqlite_database db;
  fill(db.config);
  auto repo = test::open_or_fail(db.config);
  overwrite_from(db.config.path, std::filesystem::file_size(db.config.path) / 2);
  check_failure(repo->list(no_account, list_order::newest_first, {1, 100}),
                error_code::storage_failure);
  check_failure(repo->search(no_account, "aaa", {1, 100}), error_code::storage_failure);
  check_failure(repo->all(std::nullopt), error_code::storage_failure);
}

TEST_CASE(
    "a write lock held too long makes writes unavailable while reads go on and writes resume "
    "after") {
  test::sqlite_database db;
  auto config = db.config;
  config.busy_timeout = std::chrono::milliseconds(150);
  auto repo = test::open_or_fail(config);
  const note existing = repo->create(make_note("existing", "x", at(1))).value();
  {
    test::sqlite_lock_holder other_writer(config.path);
    const auto started = std::chrono::steady_clock::now();
    check_failure(repo->create(make_note("blocked", "x", at(2))), error_code::unavailable);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(100));
    note changed = existing;
    changed.title = "blocked update";
    check_failure(repo->update(changed, 1, 0), error_code::unavailable);
    check_failure(repo->remove(no_account, existing.id, std::nullopt), error_code::unavailable);
    check_failure(repo->import(std::vector<note>{}), error_code::unavailable);
    // WAL: readers are not blocked
    CHECK(repo->find(no_account, existing.id).value()->title == "existing");
    CHECK(repo->count(no_account).value() == 1);
    other_writer.release();
    CHECK(repo->create(make_note("after", "x", at(3))).has_value());
  }
  CHECK(repo->count(no_account).value() == 2);
  CHECK(repo->find(no_account, existing.id).value()->version == 1);
}

TEST_CASE("a write waiting for another process's lock gives up when its server stops") {
  test::sqlite_database db;
  auto config = db.config;
  config.busy_timeout = std::chrono::seconds(30);
  auto repo = test::open_or_fail(config);
  test::sqlite_lock_holder other_writer(config.path);
  auto waiting = std::async(std::launch::async,
                            [&] { return repo->create(make_note("waiting", "x", at(1))); });
  REQUIRE(waiting.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);

  const auto stopped = std::chrono::steady_clock::now();
  abandon_lock_waits(config);
  REQUIRE(waiting.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
  check_failure(waiting.get(), error_code::unavailable);
  // Later writes do not wait at all, even once the lock is free.
  other_writer.release();
  const auto later = repo->create(make_note("later", "x", at(2)));
  check_failure(later, error_code::unavailable);
  CHECK(later.error().message.find("stopping") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - stopped < std::chrono::seconds(2));
  CHECK(repo->count(no_account).value() == 0);  // reads go on
}

TEST_CASE("a write that fails for lack of space leaves no half-written note") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const note small = repo->create(make_note("small", "fits", at(1))).value();
  // A file size limit stands in for a full disk: SQLite's write fails part-way just the same.
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit original{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &original) == 0);
  const auto wal = std::filesystem::path(db.config.path + "-wal");
  const auto used =
      std::max(std::filesystem::file_size(db.config.path), std::filesystem::file_size(wal));
  rlimit limited = original;
  limited.rlim_cur = used + 16 * 1024;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
  const auto big = repo->create(make_note("big", std::string(400'000, 'b'), at(2)));
  note changed = small;
  changed.content = std::string(400'000, 'c');
  const auto grown = repo->update(changed, 1, 0);
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &original) == 0);

  check_failure(big, error_code::storage_failure);
  check_failure(grown, error_code::storage_failure);
  CHECK(repo->count(no_account).value() == 1);
  CHECK(repo->find(no_account, small.id).value().value() == small);
  CHECK(repo->search(no_account, "bbbb", {1, 10}).value().total == 0);
  CHECK(repo->create(make_note("after", "space is back", at(3))).has_value());
  CHECK(repo->count(no_account).value() == 2);
}

TEST_CASE("a PostgreSQL server that does not answer is unavailable") {
  if (!test::postgresql_built_or_skip()) return;
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const auto config = parse_database_url("postgresql://notes@127.0.0.1:1/notes").value();
  check_failure(migrate(config), error_code::unavailable);
  check_failure(open_repository(config), error_code::unavailable);
  check_failure(check_ready(config), error_code::unavailable);
}

TEST_CASE("a PostgreSQL database that takes no writes is not ready, and its writes are read_only") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  REQUIRE(migrate(db.config()).has_value());
  REQUIRE(check_ready(db.config()).has_value());
  // As on a standby after a failover: every new session is read-only.
  db.execute("ALTER DATABASE \"" + db.config().database_name +
             "\" SET default_transaction_read_only = on");
  const auto ready = check_ready(db.config());
  check_failure(ready, error_code::read_only);
  CHECK(ready.error().message.find("transaction_read_only") != std::string::npos);
  auto repo = test::open_or_fail(db.config());
  check_failure(repo->create(make_note("refused", "x", at(1))), error_code::read_only);
  CHECK(repo->count(no_account).value() == 0);
}
