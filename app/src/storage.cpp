#include "storage.hpp"

#include <filesystem>
#include <stdexcept>

#include "notes/storage/database.hpp"

namespace notes::app {

std::expected<storage_backend, std::string> storage_backend::from_url(
    std::string_view url) {
  storage_backend s;
  if (url == "memory:" || url == "memory://") {
    s.memory_ = std::make_shared<memory_note_repository>();
    return s;
  }
  auto parsed = notes::storage::parse_database_url(url);
  if (!parsed) return std::unexpected(parsed.error().message);
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
  if (!applied) return std::unexpected(std::move(applied.error()));
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
  if (!opened) return std::unexpected(opened.error().message);
  return std::unique_ptr<note_repository>(std::move(*opened));
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
  return [config = *database_] { return notes::storage::check_ready(config); };
}

std::function<void()> storage_backend::lock_wait_interrupter() const {
  if (!database_) return {};
  return [config = *database_] { notes::storage::abandon_lock_waits(config); };
}

}  // namespace notes::app
