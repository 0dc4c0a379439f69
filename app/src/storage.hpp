#pragma once
// Turns DATABASE_URL into repositories of notes and of accounts: SQLite or PostgreSQL through the
// SOCI adapter, or `memory:` (one shared in-memory repository of each, nothing kept after exit).
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "notes/account_repository.hpp"
#include "notes/error.hpp"
#include "notes/http/server.hpp"
#include "notes/memory_account_repository.hpp"
#include "notes/memory_note_repository.hpp"
#include "notes/storage/database_config.hpp"

namespace notes::app {

class storage_backend {
 public:
  // A URL no backend understands is an error meant for the user (exit code 2).
  static std::expected<storage_backend, std::string> from_url(std::string_view url);

  // memory: nothing is kept, and no other process (a command) reaches what is stored.
  bool in_memory() const noexcept { return !database_; }

  // For the start-up line: the URL with any password masked.
  std::string describe() const;

  // Applies pending migrations; returns a one-line summary. When a SQLite file cannot be opened
  // the error says why, from its path: the folder is missing, is a file, or may not be written.
  result<std::string> migrate();

  // One repository per server thread (a connection each); the memory backend shares one.
  http::repository_factory repositories();

  // One repository for a command that runs once (export, import). The in-memory store has
  // nothing to export and would keep nothing imported, so it is refused.
  std::expected<std::unique_ptr<note_repository>, std::string> open_repository() const;

  // The same for accounts: one per server thread (a connection each; memory shares one) ...
  http::account_repository_factory account_repositories();
  // ... and one for a command (users, tokens), refused for the in-memory store like
  // open_repository().
  std::expected<std::unique_ptr<account_repository>, std::string> open_account_repository()
      const;

  // The schema version recorded in the database: 0 for an empty one or a SQLite file that does
  // not exist yet (memory: the latest).
  result<std::int64_t> schema_version() const;

  // For /readyz: the database answers, its schema is current and it takes writes, checked on a
  // short-lived connection of its own (so a probe never waits behind a request). Empty for
  // memory.
  std::function<result<void>()> readiness() const;

  // For a server that is stopping (http::ops_options::interrupt_storage): writes waiting for
  // another process's SQLite lock give up at once. Empty for memory, which never waits.
  std::function<void()> lock_wait_interrupter() const;

  // For /metrics (http::ops_options::write_batches): SQLite's write batches in this process.
  // Empty for memory and PostgreSQL, which batch nothing.
  std::function<http::write_batch_counts()> write_batches() const;

 private:
  // The message of a failed open or readiness check; when the schema is behind, the command
  // that brings it up to date.
  std::string with_migrate_hint(error failure) const;

  std::optional<notes::storage::database_config> database_;  // empty: in memory
  std::shared_ptr<memory_note_repository> memory_;
  std::shared_ptr<memory_account_repository> memory_accounts_;
};

}  // namespace notes::app
