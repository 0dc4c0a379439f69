#pragma once
// What needs libpq and SOCI's PostgreSQL backend, in one place: a build without PostgreSQL
// (NOTES_WITH_POSTGRESQL=OFF) compiles no_postgresql_backend.cpp instead of
// postgresql_backend.cpp and so needs neither their headers nor their libraries.
#include <soci/soci.h>

#include <exception>
#include <memory>
#include <optional>
#include <string>

namespace notes::storage::detail {

// Opens a session with a libpq conninfo string. Throws soci::soci_error like SOCI itself, and
// always in a build without PostgreSQL.
std::unique_ptr<soci::session> open_postgresql(const std::string& conninfo);

// Sets up a PostgreSQL session after SOCI reconnected it, as open_postgresql did.
void after_postgresql_reconnect(soci::session& session);

// connection.hpp's connection_lost and closed_while_idle for a PostgreSQL session.
bool postgresql_connection_lost(soci::session& session) noexcept;
bool postgresql_closed_while_idle(soci::session& session) noexcept;

// The SQLSTATE of a PostgreSQL failure; nothing for anything else.
std::optional<std::string> postgresql_sqlstate(const std::exception& failure);

}  // namespace notes::storage::detail
