#pragma once
// How a repository calls into its connection, the same for notes and for accounts: whatever the
// call throws becomes an error value, and a lost PostgreSQL connection is replaced.
#include <soci/soci.h>

#include <exception>
#include <string>
#include <string_view>

#include "connection.hpp"
#include "error_mapping.hpp"

namespace notes::storage::detail {

// Runs `body` (which returns a result<T>) on `session` and turns anything it throws into an
// error value. `broken` is the connection's state between calls; `reconnect()` replaces the
// connection, prepares its statements anew and clears `broken`. A PostgreSQL connection the
// server closed while it sat idle (a restart) is replaced before `body` runs. One that dies
// during `body` fails the call; a read (`idempotent`) is then retried once on a new connection,
// a write is not, as it may have been committed before the answer was lost (the next call
// reconnects).
template <class Reconnect, class Body>
auto guarded_call(soci::session& session, database_kind kind, bool& broken, Reconnect&& reconnect,
                  std::string_view doing, bool idempotent, Body&& body) -> decltype(body()) {
  for (int attempt = 0;; ++attempt) {
    bool reconnecting = false;
    try {
      if (!broken && closed_while_idle(session, kind)) broken = true;
      if (broken) {
        reconnecting = true;
        reconnect();
        reconnecting = false;
      }
      return body();
    } catch (const std::exception& failure) {
      const bool lost = connection_lost(session, kind);
      broken = broken || lost;
      if (lost && idempotent && !reconnecting && attempt == 0) continue;
      return std::unexpected(translate(failure, kind, lost, doing));
    } catch (...) {
      return std::unexpected(error{
          error_code::storage_failure, std::string(doing) + " failed: unknown exception", {}});
    }
  }
}

}  // namespace notes::storage::detail
