#include "connection.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "postgresql_backend.hpp"

namespace notes::storage::detail {
namespace {

// libpq conninfo value: single-quoted, with backslash and quote escaped.
std::string conninfo_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string postgresql_conninfo(const database_config& config) {
  std::string info = "host=" + conninfo_value(config.host) +
                     " port=" + std::to_string(config.port) +
                     " dbname=" + conninfo_value(config.database_name);
  if (!config.user.empty()) info += " user=" + conninfo_value(config.user);
  if (!config.password.empty()) info += " password=" + conninfo_value(config.password);
  bool has_timeout = false;
  bool has_name = false;
  for (const auto& [key, value] : config.options) {
    info += ' ' + key + '=' + conninfo_value(value);
    has_timeout = has_timeout || key == "connect_timeout";
    has_name = has_name || key == "application_name";
  }
  if (!has_timeout) info += " connect_timeout=" + std::to_string(config.connect_timeout.count());
  if (!has_name) info += " application_name='notes'";
  return info;
}

// SOCI's SQLite connect string treats a string without '=' as the file name itself, which
// takes any path verbatim; only a path containing '=' needs its quoted db="..." form. SOCI has
// no VFS option and no way to open without creating: both take a file: URI (the system SQLite
// is built with USE_URI), whose path escapes what URI syntax would read: '%', '?' and '#', and
// '"', which would end SOCI's quoted value. An absolute path follows an empty authority
// ("file://" + "/x.db"), so that one starting with "//" is not read as a host.
std::string sqlite_connect_string(const database_config& config, open_mode mode) {
  const std::string& path = config.path;
  if (!config.sqlite_vfs.empty() || mode == open_mode::existing) {
    std::string uri = path.starts_with('/') ? "file://" : "file:";
    for (char c : path) {
      if (c == '%' || c == '?' || c == '#' || c == '"') {
        static constexpr char hex[] = "0123456789ABCDEF";
        uri += '%';
        uri += hex[static_cast<unsigned char>(c) >> 4];
        uri += hex[static_cast<unsigned char>(c) & 0xF];
      } else {
        uri += c;
      }
    }
    char separator = '?';
    if (!config.sqlite_vfs.empty()) {
      uri += "?vfs=" + config.sqlite_vfs;
      separator = '&';
    }
    if (mode == open_mode::existing) uri += std::string(1, separator) + "mode=rw";
    return "db=\"" + uri + "\"";
  }
  if (path.find('=') == std::string::npos) return path;
  return "db=\"" + path + "\"";
}

// Several connections opening a new file at once race to convert it to WAL; SQLite answers the
// losers SQLITE_BUSY at once, without its busy handler (to avoid a deadlock), so retry here
// within the same busy timeout.
std::string switch_to_wal(soci::session& session, const database_config& config) {
  const auto deadline = std::chrono::steady_clock::now() + config.busy_timeout;
  for (;;) {
    try {
      std::string journal_mode;
      session << "PRAGMA journal_mode = WAL", soci::into(journal_mode);
      return journal_mode;
    } catch (const soci::sqlite3_soci_error& e) {
      const int code = e.result() & 0xFF;
      if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
          std::chrono::steady_clock::now() >= deadline) {
        throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}


// SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ... 100 ms between attempts: far
// longer than the 0.1 ms another process's write transaction usually holds the lock. This one
// tries again after 50 us, doubling up to 1 ms, until the busy timeout (carried in the context
// pointer itself, so there is nothing to keep alive) has passed since the first attempt.
// Set by a busy_wait_limit on this thread: when it is true, waiting ends at once.
thread_local const std::atomic<bool>* busy_give_up = nullptr;
thread_local std::chrono::steady_clock::time_point busy_waiting_since =
    std::chrono::steady_clock::time_point::max();
// Negative: the connection's own busy timeout.
thread_local std::chrono::milliseconds busy_timeout_instead{-1};

int busy_handler(void* timeout_ms, int attempt) {
  using namespace std::chrono;
  thread_local steady_clock::time_point first_attempt;
  if (busy_give_up != nullptr && busy_give_up->load(std::memory_order_relaxed)) return 0;
  const auto now = steady_clock::now();
  if (attempt == 0) first_attempt = std::min(now, busy_waiting_since);
  const milliseconds timeout = busy_timeout_instead >= milliseconds(0)
                                    ? busy_timeout_instead
                                    : milliseconds(reinterpret_cast<std::intptr_t>(timeout_ms));
  const auto deadline = first_attempt + timeout;
  if (now >= deadline) return 0;
  const microseconds pause = std::min(microseconds(50 << std::min(attempt, 5)), microseconds(1000));
  std::this_thread::sleep_for(std::min<steady_clock::duration>(pause, deadline - now));
  return 1;
}

void configure_sqlite(soci::session& session, const database_config& config) {
  // Set first: switching to WAL takes a lock another connection may be holding.
  sqlite_api::sqlite3_busy_handler(
      sqlite_handle(session), busy_handler,
      reinterpret_cast<void*>(static_cast<std::intptr_t>(config.busy_timeout.count())));
  const std::string journal_mode = switch_to_wal(session, config);
  if (journal_mode != "wal") {
    throw soci::soci_error("cannot switch '" + config.path + "' to WAL mode (journal mode is '" +
                           journal_mode + "')");
  }
  // In WAL mode NORMAL loses no committed transaction when the process dies (kill -9); only
  // an OS crash or power loss can undo the last commits. The database stays consistent.
  session << "PRAGMA synchronous = NORMAL";
  session << "PRAGMA foreign_keys = ON";
}

}  // namespace

sqlite_api::sqlite3* sqlite_handle(soci::session& session) {
  return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

std::unique_ptr<soci::session> open_session(const database_config& config, open_mode mode) {
  if (config.kind == database_kind::postgresql) {
    return open_postgresql(postgresql_conninfo(config));
  }
  const bool quoted_path = config.path.find('=') != std::string::npos &&
                           config.sqlite_vfs.empty() && mode == open_mode::create;
  if (config.path.find('"') != std::string::npos && quoted_path) {
    throw soci::soci_error("a SQLite path may not contain '\"' together with '='");
  }
  if (config.sqlite_vfs.find_first_of("\"&#%?= ") != std::string::npos) {
    throw soci::soci_error("invalid SQLite VFS name '" + config.sqlite_vfs + "'");
  }
  auto session =
      std::make_unique<soci::session>(soci::sqlite3, sqlite_connect_string(config, mode));
  configure_sqlite(*session, config);
  return session;
}

busy_wait_limit::busy_wait_limit(const std::atomic<bool>& give_up,
                                 std::chrono::steady_clock::time_point waiting_since,
                                 std::chrono::milliseconds timeout) noexcept
    : previous_(busy_give_up),
      previous_since_(busy_waiting_since),
      previous_timeout_(busy_timeout_instead) {
  busy_give_up = &give_up;
  busy_waiting_since = waiting_since;
  busy_timeout_instead = timeout;
}

busy_wait_limit::~busy_wait_limit() {
  busy_give_up = previous_;
  busy_waiting_since = previous_since_;
  busy_timeout_instead = previous_timeout_;
}

bool opened_for_writing(soci::session& session, database_kind kind) noexcept {
  return kind != database_kind::sqlite ||
         sqlite_api::sqlite3_db_readonly(sqlite_handle(session), "main") == 0;
}

void reconnect(soci::session& session, database_kind kind) {
  session.reconnect();
  if (kind == database_kind::postgresql) after_postgresql_reconnect(session);
}

void finish(soci::statement& statement, database_kind kind) noexcept {
  if (kind != database_kind::sqlite) return;
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement.get_backend());
  if (backend != nullptr && backend->stmt_ != nullptr) sqlite_api::sqlite3_reset(backend->stmt_);
}

bool connection_lost(soci::session& session, database_kind kind) noexcept {
  return kind == database_kind::postgresql && postgresql_connection_lost(session);
}

bool closed_while_idle(soci::session& session, database_kind kind) noexcept {
  return kind == database_kind::postgresql && postgresql_closed_while_idle(session);
}

void prepare_exchanged(soci::statement& statement, const std::string& sql) {
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
}

transaction_statements::transaction_statements(soci::session& session, database_kind k,
                                               const transaction_sql& sql)
    : kind(k),
      begin_read(prepare_statement(session, sql.begin_read)),
      begin_write(prepare_statement(session, sql.begin_write)),
      commit(prepare_statement(session, "COMMIT")),
      rollback(prepare_statement(session, "ROLLBACK")) {}

bool in_transaction(soci::session& session, database_kind kind) noexcept {
  return kind != database_kind::sqlite ||
         sqlite_api::sqlite3_get_autocommit(sqlite_handle(session)) == 0;
}

void run_prepared(soci::statement& statement, database_kind kind) {
  statement_scope scope(statement, kind);
  statement.execute(true);
}

transaction_scope::transaction_scope(transaction_statements& statements, mode m)
    : statements_(statements) {
  run_prepared(m == mode::write ? statements_.begin_write : statements_.begin_read,
               statements_.kind);
}

transaction_scope::~transaction_scope() {
  if (!open_) return;
  try {
    run_prepared(statements_.rollback, statements_.kind);
  } catch (...) {
    // Nothing to add: the connection is gone or the transaction already ended, and either way
    // nothing of it was committed.
  }
}

void transaction_scope::commit() {
  run_prepared(statements_.commit, statements_.kind);
  open_ = false;
}

}  // namespace notes::storage::detail
