// The PostgreSQL backend of a build without it (NOTES_WITH_POSTGRESQL=OFF). database.cpp
// refuses a PostgreSQL configuration before it gets here; these only keep that promise.
#include "postgresql_backend.hpp"

#include "notes/storage/database.hpp"

namespace notes::storage {

bool postgresql_supported() noexcept { return false; }

}  // namespace notes::storage

namespace notes::storage::detail {

std::unique_ptr<soci::session> open_postgresql(const std::string&) {
  throw soci::soci_error("this build of notes has no PostgreSQL support");
}

void after_postgresql_reconnect(soci::session&) {}

bool postgresql_connection_lost(soci::session&) noexcept { return true; }

bool postgresql_closed_while_idle(soci::session&) noexcept { return true; }

std::optional<std::string> postgresql_sqlstate(const std::exception&) { return std::nullopt; }

}  // namespace notes::storage::detail
