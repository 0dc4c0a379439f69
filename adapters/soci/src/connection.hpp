#pragma once
// Opening SOCI sessions configured for a server, and the few backend details SOCI hides.
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "notes/storage/database_config.hpp"

namespace sqlite_api {
struct sqlite3;  // as SOCI's SQLite backend declares it
}

namespace notes::storage::detail {

// The SQLite connection under a SQLite session.
sqlite_api::sqlite3* sqlite_handle(soci::session& session);

// Whether opening a SQLite database may create its file. PostgreSQL ignores it.
enum class open_mode { create, existing };

// Opens a session; SQLite gets WAL, synchronous=NORMAL, foreign keys and the busy timeout.
// Throws soci::soci_error like SOCI itself.
std::unique_ptr<soci::session> open_session(const database_config& config,
                                            open_mode mode = open_mode::create);

// While it lives, the busy handler of the SQLite connections this thread uses gives up as soon
// as `give_up` is set instead of waiting out the busy timeout: a server that is stopping must
// not wait for another process's lock. The busy timeout counts from `waiting_since` when that
// is earlier than the first attempt: a write that already waited for another of this process
// gets no fresh timeout. A `timeout` of zero or more replaces the connection's (the write
// being another connection's). Scopes nest; the innermost counts.
class busy_wait_limit {
 public:
  explicit busy_wait_limit(const std::atomic<bool>& give_up,
                           std::chrono::steady_clock::time_point waiting_since =
                               std::chrono::steady_clock::time_point::max(),
                           std::chrono::milliseconds timeout = std::chrono::milliseconds(-1)) noexcept;
  ~busy_wait_limit();
  busy_wait_limit(const busy_wait_limit&) = delete;
  busy_wait_limit& operator=(const busy_wait_limit&) = delete;

 private:
  const std::atomic<bool>* previous_;
  std::chrono::steady_clock::time_point previous_since_;
  std::chrono::milliseconds previous_timeout_;
};

// SQLite: false when the connection was opened read-only, which SQLite does without a word when
// the file cannot be opened for writing. Always true for PostgreSQL (asked in SQL instead).
bool opened_for_writing(soci::session& session, database_kind kind) noexcept;

// Replaces the session's connection with a new one, set up like open_session's.
void reconnect(soci::session& session, database_kind kind);

// SOCI leaves a SQLite statement mid-step after a single-row fetch, which keeps its implicit
// transaction (and with it a read snapshot or the write lock) open until the next execute.
// Resetting ends it; for PostgreSQL, which buffers whole results, there is nothing to do.
void finish(soci::statement& statement, database_kind kind) noexcept;

// True when a PostgreSQL connection is known to be gone (libpq noticed while talking to it).
bool connection_lost(soci::session& session, database_kind kind) noexcept;

// Reads whatever a PostgreSQL server sent an idle connection, without blocking: when it shut
// down or restarted meanwhile, that is its goodbye and the end of the stream, and the
// connection is then known lost before a statement is sent into it. Always false for SQLite.
bool closed_while_idle(soci::session& session, database_kind kind) noexcept;

// Resets `statement` when the scope ends, however it ends.
class statement_scope {
 public:
  statement_scope(soci::statement& statement, database_kind kind) noexcept
      : statement_(statement), kind_(kind) {}
  ~statement_scope() { finish(statement_, kind_); }
  statement_scope(const statement_scope&) = delete;
  statement_scope& operator=(const statement_scope&) = delete;

 private:
  soci::statement& statement_;
  database_kind kind_;
};

// Prepares `sql` on a statement whose into() and use() elements are exchanged already, to be
// executed many times. SOCI keeps the addresses of the variables they name.
void prepare_exchanged(soci::statement& statement, const std::string& sql);

// The same for a new statement with the given elements.
template <class... Elements>
soci::statement prepare_statement(soci::session& session, const std::string& sql,
                                  Elements&&... elements) {
  soci::statement statement(session);
  (statement.exchange(std::forward<Elements>(elements)), ...);
  prepare_exchanged(statement, sql);
  return statement;
}

// How a dialect starts each kind of transaction (dialect.hpp).
struct transaction_sql {
  const char* begin_read;   // one snapshot for a page and its total
  const char* begin_write;  // a writer from the start, waiting for the lock if need be
};

// BEGIN, COMMIT and ROLLBACK of one connection, prepared once: parsing them anew on every call
// cost a read transaction about as much as its own short query.
struct transaction_statements {
  transaction_statements(soci::session& session, database_kind kind, const transaction_sql& sql);
  transaction_statements(const transaction_statements&) = delete;
  transaction_statements& operator=(const transaction_statements&) = delete;

  database_kind kind;
  soci::statement begin_read;
  soci::statement begin_write;
  soci::statement commit;
  soci::statement rollback;
};

// SQLite: false once the connection is back in autocommit mode, e.g. because SQLite rolled
// back the whole transaction after a failure (disk full, I/O error). Always true otherwise.
bool in_transaction(soci::session& session, database_kind kind) noexcept;

// Runs a prepared statement that returns no rows, then resets it.
void run_prepared(soci::statement& statement, database_kind kind);

// A transaction that rolls back unless committed, begun as its dialect begins one of its mode.
class transaction_scope {
 public:
  enum class mode { read, write };
  transaction_scope(transaction_statements& statements, mode m);
  ~transaction_scope();
  transaction_scope(const transaction_scope&) = delete;
  transaction_scope& operator=(const transaction_scope&) = delete;

  void commit();

 private:
  transaction_statements& statements_;
  bool open_ = true;
};

}  // namespace notes::storage::detail
