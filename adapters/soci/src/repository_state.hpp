#pragma once
// What a soci_note_repository owns: its connection, its prepared statements and its dialect's
// plans over them, and the logic that turns failures into error values and re-establishes a lost
// PostgreSQL connection.
#include <soci/soci.h>

#include <exception>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "connection.hpp"
#include "dialect.hpp"
#include "guarded_call.hpp"
#include "note_statements.hpp"
#include "notes/storage/soci_note_repository.hpp"

namespace notes::storage {

struct soci_note_repository::impl {
  impl(database_config cfg, std::unique_ptr<soci::session> s)
      : config(std::move(cfg)), dialect(detail::dialect_for(config.kind)), session(std::move(s)) {
    prepare();
  }

  database_config config;
  const detail::dialect& dialect;
  std::unique_ptr<soci::session> session;
  std::unique_ptr<detail::note_statements> statements;
  std::unique_ptr<detail::dialect_plans> plans;  // over `statements`
  bool broken = false;

  // Runs a write, `work(statements)`, that has no result but its error, as the dialect runs
  // writes: SQLite's may run on another thread's connection in a transaction shared with other
  // writes (write_combiner), so `work` touches only the statements it is given and may run
  // more than once.
  result<void> write(std::string_view doing, const detail::write_work& work) {
    return run(doing, false, [&] { return plans->write(doing, work); });
  }

  // The same for a write of several statements that commit together or not at all.
  result<void> write_together(std::string_view doing, const detail::write_work& work) {
    return run(doing, false, [&] { return plans->write_together(doing, work); });
  }

  // Where the dialect keeps reads while `owner`'s notes are unchanged, and their state now (see
  // dialect_plans::unchanged_now); nothing while the connection is broken (no plans, on
  // PostgreSQL, until run() reconnects), or when asking fails (run() then finds out).
  std::optional<detail::dialect_plans::unchanged> unchanged_now(account_id owner,
                                                                bool one_query) {
    if (broken || !plans) return std::nullopt;
    try {
      return plans->unchanged_now(owner, one_query);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  // What `lookup(reads, state)` finds kept for the state of `owner`'s notes now, else what
  // `read()` reads, kept by `keep(reads, state, found)` when the state was the same before and
  // after the read: then the read saw exactly that state, and what is kept is of it alone.
  // `one_query`: the read is a single query (see unchanged_now).
  template <class Lookup, class Read, class Keep>
  auto kept_or_read(account_id owner, bool one_query, Lookup&& lookup, Read&& read, Keep&& keep)
      -> decltype(read()) {
    const auto before = unchanged_now(owner, one_query);
    if (before) {
      if (auto known = lookup(before->reads, before->at)) return std::move(*known);
    }
    auto found = read();
    if (found && before) {
      const auto after = unchanged_now(owner, one_query);
      if (after && after->at == before->at) keep(before->reads, before->at, *found);
    }
    return found;
  }

  void prepare() {
    statements = std::make_unique<detail::note_statements>(*session, config.kind,
                                                           dialect.transactions,
                                                           dialect.content_bytes);
    plans = dialect.prepare(*statements, config);
  }

  // Prepared statements belong to the old connection: drop them, reconnect, prepare anew.
  void reconnect() {
    plans.reset();
    statements.reset();
    detail::reconnect(*session, config.kind);
    prepare();
    broken = false;
  }

  // Runs `body` (which returns a result<T>) as guarded_call runs it: failures become error
  // values, and a lost PostgreSQL connection is replaced (statements and plans prepared anew).
  template <class Body>
  auto run(std::string_view doing, bool idempotent, Body&& body) -> decltype(body()) {
    return detail::guarded_call(
        *session, config.kind, broken, [this] { reconnect(); }, doing, idempotent,
        std::forward<Body>(body));
  }
};

}  // namespace notes::storage
