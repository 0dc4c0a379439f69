#pragma once
// The real notes server, in this process, on 127.0.0.1 and a free port, over a fresh store.
//
//   notes::testing::memory_backend store;            // or sqlite_backend: a temp database file
//   notes::testing::test_server server(store.repositories());
//   notes::testing::http_client client(server.port());
//   auto res = client.get("/api/notes");
//
// The server stops (draining requests in flight) when the test_server goes out of scope.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "notes/account_service.hpp"
#include "notes/credentials.hpp"
#include "notes/http/server.hpp"
#include "notes/memory_account_repository.hpp"
#include "notes/memory_note_repository.hpp"
#include "postgres_test_database.hpp"

namespace notes::testing {

// Loopback, port 0, two worker threads, no access log, a short shutdown timeout, a fixed
// SECRET_KEY.
http::server_options test_server_options();

class test_server {
 public:
  explicit test_server(http::repository_factory repositories,
                       http::server_options options = test_server_options());
  ~test_server();
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  std::uint16_t port() const noexcept;
  http::server& server() noexcept;
  // Stops now (idempotent); the destructor does it otherwise.
  void stop();

 private:
  std::unique_ptr<http::server> server_;
};

// Every store class has: a static unavailable() (why it cannot run on this machine, or
// nothing), repositories() and account_repositories() for the server, and inspect() and
// inspect_accounts() to look at what is stored.

// A fresh, empty store in memory, shared by every server thread.
class memory_backend {
 public:
  static constexpr const char* name = "memory";
  static std::optional<std::string> unavailable() { return std::nullopt; }
  http::repository_factory repositories();
  http::account_repository_factory account_repositories();
  // Direct access to what is stored, for "nothing changed" checks.
  note_repository& inspect() noexcept { return repository_; }
  account_repository& inspect_accounts() noexcept { return accounts_; }

 private:
  memory_note_repository repository_;
  memory_account_repository accounts_;
};

// A fresh SQLite database file in its own temporary directory, migrated; removed afterwards.
class sqlite_backend {
 public:
  static constexpr const char* name = "sqlite";
  static std::optional<std::string> unavailable() { return std::nullopt; }
  sqlite_backend();
  ~sqlite_backend();
  sqlite_backend(const sqlite_backend&) = delete;
  sqlite_backend& operator=(const sqlite_backend&) = delete;

  std::string url() const;
  http::repository_factory repositories();
  http::account_repository_factory account_repositories();
  note_repository& inspect();
  account_repository& inspect_accounts();

 private:
  std::filesystem::path directory_;
  std::unique_ptr<note_repository> inspector_;
  std::unique_ptr<account_repository> account_inspector_;
};

// A fresh database of its own on the tests' PostgreSQL server (postgres_test_database.hpp),
// migrated; dropped afterwards.
class postgres_backend {
 public:
  static constexpr const char* name = "postgresql";
  static std::optional<std::string> unavailable();
  postgres_backend();  // throws when unavailable()
  ~postgres_backend();
  postgres_backend(const postgres_backend&) = delete;
  postgres_backend& operator=(const postgres_backend&) = delete;

  std::string url() const;
  const storage::database_config& config() const noexcept { return database_->config(); }
  http::repository_factory repositories();
  http::account_repository_factory account_repositories();
  note_repository& inspect();
  account_repository& inspect_accounts();

 private:
  std::unique_ptr<test::postgres_test_database> database_;
  std::unique_ptr<note_repository> inspector_;
  std::unique_ptr<account_repository> account_inspector_;
};

// A fast, transparent stand-in for libsodium (tests/sodium checks the real one): a "hash" is the
// password with a prefix, a digest the secret with one. Thread-safe.
class fake_credentials final : public credentials {
 public:
  std::string hash_password(std::string_view password) override;
  bool verify_password(std::string_view hash, std::string_view password) override;
  std::string new_token_secret() override;
  std::string digest_token(std::string_view secret) override;
};

// Options for a test server with accounts on `Backend`'s store: fake credentials, sign-up as
// asked, sessions as long as `session_lifetime`.
template <class Backend>
http::server_options accounts_server_options(
    Backend& store, bool open_signup = false,
    std::chrono::seconds session_lifetime = std::chrono::days(30),
    http::server_options options = test_server_options()) {
  options.auth.accounts = true;
  options.auth.open_signup = open_signup;
  options.auth.session_lifetime = session_lifetime;
  options.auth.make_accounts = store.account_repositories();
  options.auth.crypto = std::make_shared<fake_credentials>();
  return options;
}

// Sets up accounts and tokens in a store directly (not through HTTP), with the fake credentials
// the test servers use.
class account_setup {
 public:
  template <class Backend>
  explicit account_setup(Backend& store)
      : service_(store.inspect_accounts(), store.inspect(), crypto_) {}

  account add(std::string_view name, std::string_view password = "correct horse battery",
              bool is_admin = false);
  // A new token's secret.
  std::string token(const account& owner, token_scope scope, std::string_view name = "test");
  account_service& service() noexcept { return service_; }

 private:
  fake_credentials crypto_;
  account_service service_;
};

// A directory under the system temp dir, unique to this process and call.
std::filesystem::path make_temp_directory(std::string_view prefix);

}  // namespace notes::testing
