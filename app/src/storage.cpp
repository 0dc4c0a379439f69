#include "storage.hpp"

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
    for (const auto& m : *applied) summary += " " + std::to_string(m.version) + ":" + m.name;
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

std::function<result<void>()> storage_backend::readiness() const {
  if (!database_) return {};
  return [config = *database_] { return notes::storage::check_ready(config); };
}

}  // namespace notes::app
