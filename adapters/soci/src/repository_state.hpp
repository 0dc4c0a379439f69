#pragma once
// What a soci_note_repository owns: its connection, its prepared statements, and the logic
// that turns failures into error values and re-establishes a lost PostgreSQL connection.
#include <soci/soci.h>

#include <functional>
#include <memory>
#include <string_view>

#include "connection.hpp"
#include "error_mapping.hpp"
#include "note_statements.hpp"
#include "notes/storage/soci_note_repository.hpp"
#include "write_combiner.hpp"

namespace notes::storage {

struct soci_note_repository::impl {
  impl(database_config cfg, std::unique_ptr<soci::session> s)
      : config(std::move(cfg)), session(std::move(s)) {
    statements = std::make_unique<detail::note_statements>(*session, config.kind);
    if (config.kind == database_kind::sqlite) {
      combiner = detail::write_combiner::for_file(config.path);
    }
  }

  database_config config;
  std::unique_ptr<soci::session> session;
  std::unique_ptr<detail::note_statements> statements;
  bool broken = false;
  std::shared_ptr<detail::write_combiner> combiner;  // SQLite only

  // Runs a write, `work(statements)`, that has no result but its error. SQLite: through the
  // file's write combiner, which may run it on another thread's connection in a transaction
  // shared with other writes; `work` therefore touches only the statements it is given, and
  // may run more than once when SQLite gives up a whole transaction. SQLite's automatic
  // checkpoint runs inside the leader's COMMIT, so every frame is copied before the next
  // transaction begins and that one can start the WAL over; run beside other writers a
  // checkpoint never catches up, and the WAL only grows. PostgreSQL: plain run(), in
  // autocommit unless `work` opens a transaction.
  result<void> write(std::string_view doing,
                     const std::function<result<void>(detail::note_statements&)>& work) {
    if (!combiner) return run(doing, false, [&] { return work(*statements); });
    return combiner->submit(*statements, doing, work);
  }

  // Prepared statements belong to the old connection: drop them, reconnect, prepare anew.
  void reconnect() {
    statements.reset();
    detail::reconnect(*session, config.kind);
    statements = std::make_unique<detail::note_statements>(*session, config.kind);
    broken = false;
  }

  // Runs `body` (which returns a result<T>) and turns anything it throws into an error value.
  // A PostgreSQL connection the server closed while it sat idle (a restart) is replaced before
  // `body` runs. One that dies during `body` fails the call; a read is then retried once on a
  // new connection, a write is not, as it may have been committed before the answer was lost
  // (the next call reconnects).
  template <class Body>
  auto run(std::string_view doing, bool idempotent, Body&& body) -> decltype(body()) {
    for (int attempt = 0;; ++attempt) {
      bool reconnecting = false;
      try {
        if (!broken && detail::closed_while_idle(*session, config.kind)) broken = true;
        if (broken) {
          reconnecting = true;
          reconnect();
          reconnecting = false;
        }
        return body();
      } catch (const std::exception& failure) {
        const bool lost = detail::connection_lost(*session, config.kind);
        broken = broken || lost;
        if (lost && idempotent && !reconnecting && attempt == 0) continue;
        return std::unexpected(detail::translate(failure, config.kind, lost, doing));
      } catch (...) {
        return std::unexpected(error{
            error_code::storage_failure, std::string(doing) + " failed: unknown exception", {}});
      }
    }
  }
};

}  // namespace notes::storage
