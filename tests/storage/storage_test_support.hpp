#pragma once
// Shared by the storage tests: temporary directories, notes to store, and the three
// backends the contract suites (notes, accounts) run against.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "notes/memory_account_repository.hpp"
#include "notes/memory_note_repository.hpp"
#include "notes/note.hpp"
#include "notes/storage/database.hpp"
#include "notes/testing/contract_support.hpp"
#include "postgres_test_database.hpp"

struct sqlite3;

namespace notes::test {

// A fresh directory under the system temp dir, removed with everything in it.
class temp_directory {
 public:
  temp_directory();
  ~temp_directory();
  temp_directory(const temp_directory&) = delete;
  temp_directory& operator=(const temp_directory&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

// 2026-01-01T00:00:00Z plus seconds, and a note to create: the contract kit's.
using testing::at;
using testing::make_note;

storage::database_config sqlite_config(const std::filesystem::path& file);

// A migrated SQLite database in a fresh directory.
struct sqlite_database {
  temp_directory dir;
  storage::database_config config = sqlite_config(dir.path() / "notes.db");
  sqlite_database();
};

// The PostgreSQL server for this test, or nothing: then the test has reported itself skipped
// (MESSAGE "SKIPPED: PostgreSQL ...") or, with CI=true, failed.
std::optional<storage::database_config> postgres_or_skip();

// False in a build without PostgreSQL (NOTES_WITH_POSTGRESQL=OFF): the test has then reported
// itself skipped and should return. For PostgreSQL tests that need no server.
bool postgresql_built_or_skip();

// Holds SQLite's write lock on `path` until released or destroyed, as another process's
// writer would: its own connection, outside the adapter's per-process write gate.
class sqlite_lock_holder {
 public:
  explicit sqlite_lock_holder(const std::string& path);
  ~sqlite_lock_holder();
  sqlite_lock_holder(const sqlite_lock_holder&) = delete;
  sqlite_lock_holder& operator=(const sqlite_lock_holder&) = delete;
  void release();

 private:
  sqlite3* db_ = nullptr;
};

// SQLite: moves the notes queued for the search index (notes_fts_pending) into it, on a
// connection of its own, as the adapter does every few hundred writes; and counts the queue.
void index_queued_notes(const std::string& path);
// SQLite: moves the revisions queued in note_revisions_queue into note_revisions, as the adapter
// does every few thousand; and counts the revisions in each.
void move_queued_revisions(const std::string& path);
std::int64_t queued_revisions(const std::string& path);
std::int64_t moved_revisions(const std::string& path);
std::int64_t queued_notes(const std::string& path);

// Opens a repository and fails the test when that does not work.
std::unique_ptr<storage::soci_note_repository> open_or_fail(const storage::database_config& config);

// Opens an account repository and fails the test when that does not work.
std::unique_ptr<storage::soci_account_repository> open_accounts_or_fail(
    const storage::database_config& config);

// The backends of the repository contract (the kit's factories). open() hands out a fresh,
// empty repository that owns whatever it needs (a temporary file, a database); nullptr when
// the backend is skipped.
struct memory_backend {
  static std::shared_ptr<note_repository> open();
};
struct sqlite_backend {
  static std::shared_ptr<note_repository> open();
};
struct postgres_backend {
  static std::shared_ptr<note_repository> open();
};
// SQLite with every note in the search index and every revision in note_revisions
// (sqlite_backend's stay queued: the adapter moves them only every few hundred writes, and
// revisions every few thousand), and with every other one.
struct sqlite_indexed_backend {
  static std::shared_ptr<note_repository> open();
};
struct sqlite_half_indexed_backend {
  static std::shared_ptr<note_repository> open();
};

// The backends of the account repository contract, alike.
struct memory_account_backend {
  static std::shared_ptr<account_repository> open();
};
struct sqlite_account_backend {
  static std::shared_ptr<account_repository> open();
};
struct postgres_account_backend {
  static std::shared_ptr<account_repository> open();
};

}  // namespace notes::test

TYPE_TO_STRING_AS("memory", notes::test::memory_backend);
TYPE_TO_STRING_AS("sqlite", notes::test::sqlite_backend);
TYPE_TO_STRING_AS("postgresql", notes::test::postgres_backend);
TYPE_TO_STRING_AS("sqlite indexed", notes::test::sqlite_indexed_backend);
TYPE_TO_STRING_AS("sqlite half indexed", notes::test::sqlite_half_indexed_backend);
TYPE_TO_STRING_AS("memory", notes::test::memory_account_backend);
TYPE_TO_STRING_AS("sqlite", notes::test::sqlite_account_backend);
TYPE_TO_STRING_AS("postgresql", notes::test::postgres_account_backend);
