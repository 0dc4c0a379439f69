#include "storage_test_support.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <stdexcept>

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

timestamp at(std::int64_t seconds, std::int64_t micros) {
  using namespace std::chrono;
  return timestamp{microseconds{1'767'225'600'000'000LL + seconds * 1'000'000LL + micros}};
}

note make_note(std::string title, std::string content, timestamp created, bool pinned) {
  note n;
  n.title = std::move(title);
  n.content = std::move(content);
  n.is_pinned = pinned;
  n.created_at = created;
  n.updated_at = created;
  n.version = 1;
  return n;
}

sqlite_lock_holder::sqlite_lock_holder(const std::string& path) {
  REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
}

sqlite_lock_holder::~sqlite_lock_holder() { sqlite3_close(db_); }

void sqlite_lock_holder::release() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

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

std::unique_ptr<storage::soci_note_repository> open_or_fail(
    const storage::database_config& config) {
  auto repository = storage::open_repository(config);
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

}  // namespace notes::test
