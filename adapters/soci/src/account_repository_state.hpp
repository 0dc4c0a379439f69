#pragma once
// What a soci_account_repository owns: its connection and prepared statements, how its calls
// turn failures into error values and re-establish a lost PostgreSQL connection (as the note
// repository's do), and how its writes run.
#include <soci/soci.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>

#include "account_statements.hpp"
#include "connection.hpp"
#include "dialect.hpp"
#include "guarded_call.hpp"
#include "notes/storage/soci_account_repository.hpp"
#include "write_combiner.hpp"

namespace notes::storage {

struct soci_account_repository::impl {
  impl(database_config cfg, std::unique_ptr<soci::session> s)
      : config(std::move(cfg)), session(std::move(s)) {
    if (config.kind == database_kind::sqlite) {
      combiner = detail::write_combiner::for_file(config.path);
      watch();
    }
    prepare();
  }
  ~impl() {
    if (combiner) detail::write_combiner::unwatch_commits(*session);
  }
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  database_config config;
  std::unique_ptr<soci::session> session;
  std::unique_ptr<detail::account_statements> statements;
  // SQLite only: the file's write combiner, which refuses writes as it refuses the notes' (the
  // server is stopping, the file was deleted or replaced).
  std::shared_ptr<detail::write_combiner> combiner;
  bool broken = false;

  void prepare() {
    statements = std::make_unique<detail::account_statements>(
        *session, config.kind, detail::dialect_for(config.kind).transactions);
  }

  // Its commits leave the WAL to the file's checkpointer, as the notes' do: SQLite's own
  // checkpoint would otherwise copy the WAL inside an account write's COMMIT, on the network
  // thread that records a token's use.
  void watch() {
    combiner->watch_commits(
        *session, [this] { return detail::open_session(config, detail::open_mode::existing); },
        false);
  }

  // Prepared statements belong to the old connection: drop them, reconnect, prepare anew.
  void reconnect() {
    statements.reset();
    detail::reconnect(*session, config.kind);
    if (combiner) watch();
    prepare();
    broken = false;
  }

  template <class Body>
  auto run(std::string_view doing, bool idempotent, Body&& body) -> decltype(body()) {
    return detail::guarded_call(
        *session, config.kind, broken, [this] { reconnect(); }, doing, idempotent,
        std::forward<Body>(body));
  }

  // Runs a write. On SQLite it runs in a write transaction of its own (BEGIN IMMEDIATE), so
  // that a failing COMMIT is seen: in autocommit, a statement with RETURNING commits when it is
  // reset, whose error nobody reads. PostgreSQL commits each statement before answering it.
  // `lock_wait`, when zero or more, replaces the busy timeout: how long the write waits for
  // SQLite's lock (another process's, or this one's batches).
  result<void> write(std::string_view doing,
                     const std::function<result<void>(detail::account_statements&)>& work,
                     std::chrono::milliseconds lock_wait = std::chrono::milliseconds(-1)) {
    return run(doing, false, [&]() -> result<void> {
      detail::account_statements& s = *statements;
      if (!combiner) return work(s);
      return combiner->run_unbatched(doing, [&]() -> result<void> {
        detail::transaction_scope transaction(s.transactions,
                                              detail::transaction_scope::mode::write);
        auto outcome = work(s);
        if (outcome) transaction.commit();
        return outcome;
      }, lock_wait);
    });
  }
};

}  // namespace notes::storage
