#include "storage.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "notes/forwarding_account_repository.hpp"
#include "notes/storage/database.hpp"

namespace notes::app {

namespace {

namespace fs = std::filesystem;

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// SQLite says "unable to open database file" whether the folder is missing, is a file or may not
// be written; the path tells which, so the operator knows what to fix.
std::optional<std::string> sqlite_path_problem(const fs::path& file) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec).lexically_normal();
  if (ec) return std::nullopt;
  const fs::path folder = absolute.parent_path();
  const auto file_status = fs::status(absolute, ec);
  if (fs::is_directory(file_status)) return quoted(absolute) + " is a folder, not a database file";
  // An existing file's writability (and its -wal and -shm) is the storage adapter's to check.
  if (fs::exists(file_status)) return std::nullopt;
  // The file would be created: the nearest folder that exists says why it cannot be.
  fs::path existing = folder;
  while (!fs::exists(fs::symlink_status(existing, ec)) && existing.has_relative_path()) {
    existing = existing.parent_path();
  }
  if (existing != folder) {
    if (!fs::is_directory(fs::status(existing, ec))) {
      return quoted(existing) + " is a file, not a folder, so " + quoted(absolute) +
             " cannot be created";
    }
    return "the folder " + quoted(folder) + " does not exist (create it first)";
  }
  if (!fs::is_directory(fs::status(folder, ec))) {
    return quoted(folder) + " is a file, not a folder, so " + quoted(absolute) +
           " cannot be created";
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    const int error = errno;
    return "cannot create " + quoted(absolute) + " in the folder " + quoted(folder) + ": " +
           std::strerror(error);
  }
  return std::nullopt;
}

}  // namespace

std::expected<storage_backend, std::string> storage_backend::from_url(
    std::string_view url) {
  storage_backend s;
  if (url == "memory:" || url == "memory://") {
    s.memory_ = std::make_shared<memory_note_repository>();
    s.memory_accounts_ = std::make_shared<memory_account_repository>();
    return s;
  }
  auto parsed = notes::storage::parse_database_url(url);
  if (!parsed) return std::unexpected("DATABASE_URL: " + parsed.error().message);
  s.database_ = std::move(*parsed);
  return s;
}

std::string storage_backend::describe() const {
  if (!database_) return "memory: (notes are lost on exit)";
  return notes::storage::redacted_url(*database_);
}

result<std::string> storage_backend::migrate() {
  if (!database_) return std::string("in-memory storage needs no migration");
  auto applied = notes::storage::migrate(*database_);
  if (!applied) {
    error e = std::move(applied.error());
    if (database_->kind == notes::storage::database_kind::sqlite) {
      if (auto problem = sqlite_path_problem(database_->path)) e.message = std::move(*problem);
    }
    return std::unexpected(std::move(e));
  }
  std::string summary = "schema at version " +
                        std::to_string(notes::storage::latest_schema_version()) + " (";
  if (applied->empty()) {
    summary += "already current)";
  } else {
    summary += "applied";
    for (const auto& m : *applied) {
      summary.append(" ").append(std::to_string(m.version)).append(":").append(m.name);
    }
    summary += ")";
  }
  return summary;
}

http::repository_factory storage_backend::repositories() {
  if (!database_) return http::share_repository(*memory_);
  return [config = *database_]() -> std::unique_ptr<note_repository> {
    auto opened = notes::storage::open_repository(config);
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(*opened);
  };
}

std::expected<std::unique_ptr<note_repository>, std::string> storage_backend::open_repository()
    const {
  if (!database_) {
    return std::unexpected(
        "export and import need a database: set DATABASE_URL to sqlite:///... or postgresql://...");
  }
  auto opened = notes::storage::open_repository(*database_);
  if (!opened) return std::unexpected(with_migrate_hint(std::move(opened.error())));
  return std::unique_ptr<note_repository>(std::move(*opened));
}

http::account_repository_factory storage_backend::account_repositories() {
  if (!database_) {
    return [shared = memory_accounts_]() -> std::unique_ptr<account_repository> {
      return std::make_unique<forwarding_account_repository>(*shared);
    };
  }
  return [config = *database_]() -> std::unique_ptr<account_repository> {
    auto opened = notes::storage::open_account_repository(config);
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(*opened);
  };
}

std::expected<std::unique_ptr<account_repository>, std::string>
storage_backend::open_account_repository() const {
  if (!database_) {
    return std::unexpected(
        "accounts need a database: set DATABASE_URL to sqlite:///... or postgresql://...");
  }
  auto opened = notes::storage::open_account_repository(*database_);
  if (!opened) return std::unexpected(with_migrate_hint(std::move(opened.error())));
  return std::unique_ptr<account_repository>(std::move(*opened));
}

// The storage adapter tells an unmigrated database's embedder to call its migrate function;
// the operator of notes-server is told the command that does it instead.
std::string storage_backend::with_migrate_hint(error failure) const {
  if (failure.code != error_code::storage_failure) return std::move(failure.message);
  const auto version = schema_version();
  const auto latest = notes::storage::latest_schema_version();
  if (!version || *version >= latest) return std::move(failure.message);
  return "The database schema is at version " + std::to_string(*version) +
         ", this notes-server needs version " + std::to_string(latest) +
         "; run `notes-server migrate` first.";
}

result<std::int64_t> storage_backend::schema_version() const {
  if (!database_) return notes::storage::latest_schema_version();
  // Opening a SQLite file that does not exist would create it.
  if (database_->kind == notes::storage::database_kind::sqlite &&
      !std::filesystem::exists(database_->path)) {
    return 0;
  }
  return notes::storage::schema_version(*database_);
}

std::function<result<void>()> storage_backend::readiness() const {
  if (!database_) return {};
  return [backend = *this]() -> result<void> {
    auto ready = notes::storage::check_ready(*backend.database_);
    if (!ready) ready.error().message = backend.with_migrate_hint(ready.error());
    return ready;
  };
}

std::function<void()> storage_backend::lock_wait_interrupter() const {
  if (!database_) return {};
  return [config = *database_] { notes::storage::abandon_lock_waits(config); };
}

std::function<http::write_batch_counts()> storage_backend::write_batches() const {
  if (!database_ || database_->kind != notes::storage::database_kind::sqlite) return {};
  return [config = *database_] {
    const auto so_far = notes::storage::write_batches_so_far(config).value_or(
        notes::storage::write_batches{});
    return http::write_batch_counts{.transactions = so_far.transactions,
                                    .writes = so_far.writes,
                                    .checkpoints_beside = so_far.checkpoints_beside,
                                    .checkpoints_by_writers = so_far.checkpoints_by_writers,
                                    .search_queue_moves = so_far.search_queue_moves,
                                    .search_queue_moves_deferred =
                                        so_far.search_queue_moves_deferred,
                                    .revision_queue_moves = so_far.revision_queue_moves,
                                    .revision_queue_moves_deferred =
                                        so_far.revision_queue_moves_deferred};
  };
}

}  // namespace notes::app
