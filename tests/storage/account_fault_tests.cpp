// Faults under an account repository come back as they do for notes: typed errors with a
// message, the same SQLite lock waits and file checks, never a half-written account.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <string>

#include "sqlite_size_limit.hpp"
#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
namespace fs = std::filesystem;

namespace {

template <class T>
void check_failure(const result<T>& r, error_code expected, std::string_view says = "") {
  REQUIRE_FALSE(r.has_value());
  CHECK_MESSAGE(r.error().code == expected, r.error().message);
  CHECK_MESSAGE(r.error().message.find(says) != std::string::npos, r.error().message);
}

account make_account(std::string name, std::string password_hash = "$argon2id$hash") {
  account a;
  a.name = std::move(name);
  a.password_hash = std::move(password_hash);
  a.created_at = at(1);
  return a;
}

api_token make_token(account_id owner, std::string digest) {
  api_token t;
  t.owner = owner;
  t.name = "token";
  t.secret_digest = std::move(digest);
  t.created_at = at(2);
  return t;
}

// A SQLite file with the account alice and her token (digest "digest").
struct alice_with_token {
  explicit alice_with_token(std::chrono::milliseconds busy_timeout)
      : config([&] {
          auto c = db.config;
          c.busy_timeout = busy_timeout;
          return c;
        }()),
        repo(test::open_accounts_or_fail(config)),
        alice(repo->create_account(make_account("alice")).value()),
        token(repo->create_token(make_token(alice.id, "digest")).value()) {}

  test::sqlite_database db;
  database_config config;
  std::unique_ptr<soci_account_repository> repo;
  account alice;
  api_token token;
};

}  // namespace

TEST_CASE("account writes give up on another process's lock after the busy timeout") {
  alice_with_token on_file(std::chrono::milliseconds(150));
  auto& repo = on_file.repo;
  const account& alice = on_file.alice;
  const api_token& token = on_file.token;
  {
    test::sqlite_lock_holder other_writer(on_file.config.path);
    const auto started = std::chrono::steady_clock::now();
    check_failure(repo->create_account(make_account("bob")), error_code::unavailable);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(100));
    check_failure(repo->touch_token(token.id, at(3)), error_code::unavailable);
    check_failure(repo->record_failed_sign_in("alice", "192.0.2.1", at(3)),
                  error_code::unavailable);
    // WAL: readers are not blocked.
    CHECK(repo->find_token("digest").value() == token);
    CHECK(repo->find_account(alice.id).value() == alice);
    other_writer.release();
    CHECK(repo->create_account(make_account("bob")).has_value());
  }
  CHECK(repo->accounts().value().size() == 2);
  CHECK_FALSE(repo->find_token("digest").value()->last_used_at.has_value());
}

TEST_CASE("recording a token's use gives up on another process's lock within moments, not "
          "after the busy timeout: a request waits for it") {
  alice_with_token on_file(std::chrono::seconds(5));
  auto& repo = on_file.repo;
  const api_token& token = on_file.token;
  {
    test::sqlite_lock_holder other_writer(on_file.config.path);
    const auto started = std::chrono::steady_clock::now();
    check_failure(repo->touch_token(token.id, at(3)), error_code::unavailable);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
    // Other account writes still wait out the busy timeout (see above); the lock released,
    // the next use is recorded.
  }
  REQUIRE(repo->touch_token(token.id, at(4)).has_value());
  CHECK(repo->find_token("digest").value()->last_used_at == at(4));
}

TEST_CASE("an account write waiting for another process's lock gives up when its server stops") {
  test::sqlite_database db;
  auto config = db.config;
  config.busy_timeout = std::chrono::seconds(30);
  auto repo = test::open_accounts_or_fail(config);
  test::sqlite_lock_holder other_writer(config.path);
  auto waiting =
      std::async(std::launch::async, [&] { return repo->create_account(make_account("waiting")); });
  REQUIRE(waiting.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);

  const auto stopped = std::chrono::steady_clock::now();
  abandon_lock_waits(config);
  REQUIRE(waiting.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
  check_failure(waiting.get(), error_code::unavailable);
  // Later writes do not wait at all, even once the lock is free.
  other_writer.release();
  check_failure(repo->record_failed_sign_in("alice", "192.0.2.1", at(1)), error_code::unavailable,
                "stopping");
  CHECK(std::chrono::steady_clock::now() - stopped < std::chrono::seconds(2));
  CHECK(repo->accounts().value().empty());  // reads go on
}

TEST_CASE("a database file deleted under an account repository: writes are refused, reads go on") {
  test::sqlite_database db;
  auto repo = test::open_accounts_or_fail(db.config);
  const account alice = repo->create_account(make_account("alice")).value();
  const fs::path file = db.config.path;
  const fs::path moved = file.string() + ".moved";
  fs::rename(file, moved);

  check_failure(repo->create_account(make_account("lost")), error_code::read_only, "was deleted");
  check_failure(repo->set_password(alice.id, "$argon2id$lost"), error_code::read_only,
                "was deleted");
  check_failure(repo->create_token(make_token(alice.id, "lost")), error_code::read_only,
                "was deleted");
  CHECK(repo->find_account(alice.id).value() == alice);

  fs::rename(moved, file);
  CHECK(repo->create_account(make_account("after")).has_value());
  repo.reset();
  auto reopened = test::open_accounts_or_fail(db.config);
  CHECK(reopened->accounts().value().size() == 2);
  CHECK(reopened->find_account(alice.id).value()->session_generation == 1);
  CHECK_FALSE(reopened->find_token("lost").value().has_value());
}

TEST_CASE("an account database with no room left answers storage_full and keeps what it had") {
  test::sqlite_database db;
  std::unique_ptr<soci_account_repository> repo;
  {
    notes::testing::sqlite_size_limit limit;
    repo = test::open_accounts_or_fail(db.config);
  }
  const account alice = repo->create_account(make_account("alice")).value();
  check_failure(repo->create_account(make_account("big", std::string(300'000, 'h'))),
                error_code::storage_full, "full");
  check_failure(repo->set_password(alice.id, std::string(300'000, 'h')), error_code::storage_full,
                "full");
  CHECK(repo->accounts().value().size() == 1);
  CHECK(repo->find_account(alice.id).value() == alice);
  CHECK(repo->create_account(make_account("small")).has_value());
}

TEST_CASE("an account write that fails for lack of space is reported and leaves nothing") {
  // SQLite writes a transaction's pages to the WAL at its COMMIT, so this write fails there.
  test::sqlite_database db;
  auto repo = test::open_accounts_or_fail(db.config);
  const account alice = repo->create_account(make_account("alice")).value();
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit original{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &original) == 0);
  const auto used = std::max(fs::file_size(db.config.path), fs::file_size(db.config.path + "-wal"));
  rlimit limited = original;
  limited.rlim_cur = used + 16 * 1024;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
  const auto big = repo->create_account(make_account("big", std::string(400'000, 'h')));
  const auto grown = repo->set_password(alice.id, std::string(400'000, 'h'));
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &original) == 0);

  check_failure(big, error_code::storage_failure);
  check_failure(grown, error_code::storage_failure);
  CHECK_FALSE(repo->find_account_by_name("big").value().has_value());
  CHECK(repo->find_account(alice.id).value() == alice);
  CHECK(repo->create_account(make_account("after")).has_value());
  CHECK(repo->accounts().value().size() == 2);
}

TEST_CASE("a PostgreSQL database that takes no writes refuses account writes with read_only") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  REQUIRE(migrate(db.config()).has_value());
  db.execute("ALTER DATABASE \"" + db.config().database_name +
             "\" SET default_transaction_read_only = on");
  auto repo = test::open_accounts_or_fail(db.config());
  check_failure(repo->create_account(make_account("refused")), error_code::read_only);
  check_failure(repo->record_failed_sign_in("alice", "192.0.2.1", at(1)), error_code::read_only);
  CHECK(repo->accounts().value().empty());
  CHECK(repo->failed_sign_ins("alice", "192.0.2.1", at(0)).value() == sign_in_failures{});
}

TEST_CASE("an account repository on an unreachable PostgreSQL server is unavailable") {
  if (!test::postgresql_built_or_skip()) return;
  const auto config = parse_database_url("postgresql://notes@127.0.0.1:1/notes").value();
  check_failure(open_account_repository(config), error_code::unavailable);
}
