#include "storage_test_support.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <stdexcept>

#include "notes/forwarding_note_repository.hpp"

namespace notes::test {

temp_directory::temp_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "notes-storage-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_directory::~temp_directory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

sqlite_lock_holder::sqlite_lock_holder(const std::string& path) {
  REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
}

sqlite_lock_holder::~sqlite_lock_holder() { sqlite3_close(db_); }

void sqlite_lock_holder::release() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

namespace {

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  const std::string text = message != nullptr ? message : "";
  sqlite3_free(message);
  REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << text);
}

struct raw_connection {
  explicit raw_connection(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
  }
  ~raw_connection() { sqlite3_close(db); }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;
  sqlite3* db = nullptr;
};

// The database file is a base of its own so that it is made before, and outlives, the repository
// opened on it.
struct database_file {
  sqlite_database database;
};

// Forwards to a SQLite repository and indexes the queued notes after every `every`-th write.
class indexing_repository final : private database_file, public forwarding_note_repository {
 public:
  explicit indexing_repository(int every)
      : forwarding_note_repository(open_or_fail(database.config)), every_(every) {}

  result<note> create(const note& fresh) override {
    return wrote(forwarding_note_repository::create(fresh));
  }
  result<note> update(const note& changed, note_version expected,
                      std::int32_t keep_revisions) override {
    return wrote(forwarding_note_repository::update(changed, expected, keep_revisions));
  }
  result<void> remove(account_id owner, note_id id,
                      std::optional<note_version> expected) override {
    return wrote(forwarding_note_repository::remove(owner, id, expected));
  }
  result<void> trash(account_id owner, note_id id, std::optional<note_version> expected,
                     timestamp at) override {
    return wrote(forwarding_note_repository::trash(owner, id, expected, at));
  }
  result<note> restore(account_id owner, note_id id, std::optional<note_version> expected,
                       timestamp at) override {
    return wrote(forwarding_note_repository::restore(owner, id, expected, at));
  }
  result<void> import(std::span<const note> notes) override {
    return wrote(forwarding_note_repository::import(notes));
  }
  result<void> import_archive(const note_archive& archive) override {
    return wrote(forwarding_note_repository::import_archive(archive));
  }
  result<std::int64_t> change_owner(account_id from, account_id to) override {
    return wrote(forwarding_note_repository::change_owner(from, to));
  }
  result<std::int64_t> remove_all(account_id owner) override {
    return wrote(forwarding_note_repository::remove_all(owner));
  }

 private:
  template <class T>
  T wrote(T outcome) {
    if (++writes_ % every_ == 0) {
      index_queued_notes(database.config.path);
      move_queued_revisions(database.config.path);
    }
    return outcome;
  }

  int every_;
  int writes_ = 0;
};

}  // namespace

void index_queued_notes(const std::string& path) {
  raw_connection c(path);
  exec(c.db,
       "BEGIN IMMEDIATE;"
       "INSERT INTO notes_fts (notes_fts, rowid, search_title, search_content)"
       " SELECT 'delete', id, old_title, old_content FROM notes_fts_pending"
       " WHERE old_title IS NOT NULL;"
       "INSERT INTO notes_fts (rowid, search_title, search_content)"
       " SELECT n.id, n.search_title, n.search_content"
       " FROM notes_fts_pending p JOIN notes n ON n.id = p.id;"
       "DELETE FROM notes_fts_pending;"
       "COMMIT");
}

void move_queued_revisions(const std::string& path) {
  raw_connection c(path);
  exec(c.db,
       "BEGIN IMMEDIATE;"
       "INSERT INTO note_revisions"
       " (owner, note_id, version, title, content, is_pinned, replaced_at)"
       " SELECT owner, note_id, version, title, content, is_pinned, replaced_at"
       " FROM note_revisions_queue ORDER BY note_id, version;"
       "DELETE FROM note_revisions_queue;"
       "COMMIT");
}

namespace {

std::int64_t count_rows(const std::string& path, const char* table) {
  raw_connection c(path);
  sqlite3_stmt* st = nullptr;
  const std::string sql = std::string("SELECT COUNT(*) FROM ") + table;
  REQUIRE(sqlite3_prepare_v2(c.db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const std::int64_t rows = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rows;
}

}  // namespace

std::int64_t queued_notes(const std::string& path) {
  return count_rows(path, "notes_fts_pending");
}

std::int64_t queued_revisions(const std::string& path) {
  return count_rows(path, "note_revisions_queue");
}

std::int64_t moved_revisions(const std::string& path) { return count_rows(path, "note_revisions"); }

storage::database_config sqlite_config(const std::filesystem::path& file) {
  auto config = storage::parse_database_url("sqlite:///" + file.string());
  REQUIRE_MESSAGE(config.has_value(), (config ? "" : config.error().message));
  return *config;
}

sqlite_database::sqlite_database() {
  auto applied = storage::migrate(config);
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
}

std::optional<storage::database_config> postgres_or_skip() {
  auto server = find_postgres();
  if (server) return *server;
  if (postgres_required()) {
    FAIL("PostgreSQL is required here (CI=true) but not available: " << server.error());
  }
  MESSAGE("SKIPPED: PostgreSQL tests: " << server.error());
  return std::nullopt;
}

bool postgresql_built_or_skip() {
  if (storage::postgresql_supported()) return true;
  MESSAGE("SKIPPED: PostgreSQL tests: this build of notes has no PostgreSQL support");
  return false;
}

std::unique_ptr<storage::soci_note_repository> open_or_fail(
    const storage::database_config& config) {
  auto repository = storage::open_repository(config);
  REQUIRE_MESSAGE(repository.has_value(), (repository ? "" : repository.error().message));
  return std::move(*repository);
}

std::unique_ptr<storage::soci_account_repository> open_accounts_or_fail(
    const storage::database_config& config) {
  auto repository = storage::open_account_repository(config);
  REQUIRE_MESSAGE(repository.has_value(), (repository ? "" : repository.error().message));
  return std::move(*repository);
}

std::shared_ptr<note_repository> memory_backend::open() {
  return std::make_shared<memory_note_repository>();
}

std::shared_ptr<note_repository> sqlite_backend::open() {
  struct holder {
    sqlite_database database;
    std::unique_ptr<storage::soci_note_repository> repository = open_or_fail(database.config);
  };
  auto h = std::make_shared<holder>();
  return std::shared_ptr<note_repository>(h, h->repository.get());
}

std::shared_ptr<note_repository> sqlite_indexed_backend::open() {
  return std::make_shared<indexing_repository>(1);
}

std::shared_ptr<note_repository> sqlite_half_indexed_backend::open() {
  return std::make_shared<indexing_repository>(2);
}

std::shared_ptr<note_repository> postgres_backend::open() {
  auto server = postgres_or_skip();
  if (!server) return nullptr;
  struct holder {
    explicit holder(const storage::database_config& s) : database(s) {}
    postgres_test_database database;
    std::unique_ptr<storage::soci_note_repository> repository;
  };
  auto h = std::make_shared<holder>(*server);
  auto applied = storage::migrate(h->database.config());
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  h->repository = open_or_fail(h->database.config());
  return std::shared_ptr<note_repository>(h, h->repository.get());
}

std::shared_ptr<account_repository> memory_account_backend::open() {
  return std::make_shared<memory_account_repository>();
}

std::shared_ptr<account_repository> sqlite_account_backend::open() {
  struct holder {
    sqlite_database database;
    std::unique_ptr<storage::soci_account_repository> repository =
        open_accounts_or_fail(database.config);
  };
  auto h = std::make_shared<holder>();
  return std::shared_ptr<account_repository>(h, h->repository.get());
}

std::shared_ptr<account_repository> postgres_account_backend::open() {
  auto server = postgres_or_skip();
  if (!server) return nullptr;
  struct holder {
    explicit holder(const storage::database_config& s) : database(s) {}
    postgres_test_database database;
    std::unique_ptr<storage::soci_account_repository> repository;
  };
  auto h = std::make_shared<holder>(*server);
  auto applied = storage::migrate(h->database.config());
  REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  h->repository = open_accounts_or_fail(h->database.config());
  return std::shared_ptr<account_repository>(h, h->repository.get());
}

}  // namespace notes::test
