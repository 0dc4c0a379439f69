#include "postgresql_backend.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <sys/socket.h>

#include "notes/storage/database.hpp"

namespace notes::storage {

bool postgresql_supported() noexcept { return true; }

}  // namespace notes::storage

namespace notes::storage::detail {
namespace {

PGconn* native(soci::session& session) noexcept {
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  return backend == nullptr ? nullptr : backend->conn_;
}

// libpq prints notices to stderr by default: "already exists, skipping" from migrations and
// the server's goodbye on shutdown. Failures that matter come back as errors anyway.
void silence_notices(soci::session& session) {
  PQsetNoticeProcessor(
      native(session), [](void*, const char*) {}, nullptr);
}

// Writers rely on READ COMMITTED and row locks (each statement sees what committed before it,
// and waits for the rows it changes), whatever the database's default says: under REPEATABLE
// READ two edits of one owner's notes would fail on the owner's change stamp (migration 14).
// Reads choose their own level (BEGIN ISOLATION LEVEL REPEATABLE READ).
void set_up(soci::session& session) {
  silence_notices(session);
  session << "SET default_transaction_isolation = 'read committed'";
}

}  // namespace

std::unique_ptr<soci::session> open_postgresql(const std::string& conninfo) {
  auto session = std::make_unique<soci::session>(soci::postgresql, conninfo);
  set_up(*session);
  return session;
}

void after_postgresql_reconnect(soci::session& session) { set_up(session); }

bool postgresql_connection_lost(soci::session& session) noexcept {
  PGconn* conn = native(session);
  return conn == nullptr || PQstatus(conn) == CONNECTION_BAD;
}

bool postgresql_closed_while_idle(soci::session& session) noexcept {
  PGconn* conn = native(session);
  if (conn == nullptr) return true;
  // Takes in the server's parting message, if any; libpq notices the end of the stream only
  // on a later read, so peek once more: zero bytes means the server hung up.
  if (PQconsumeInput(conn) == 0 || PQstatus(conn) == CONNECTION_BAD) return true;
  char byte = 0;
  return ::recv(PQsocket(conn), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

std::optional<std::string> postgresql_sqlstate(const std::exception& failure) {
  if (const auto* e = dynamic_cast<const soci::postgresql_soci_error*>(&failure)) {
    return e->sqlstate();
  }
  return std::nullopt;
}

}  // namespace notes::storage::detail
