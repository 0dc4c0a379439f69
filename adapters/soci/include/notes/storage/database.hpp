#pragma once
// Opening a notes database: schema migrations, repositories and the readiness check.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "notes/error.hpp"
#include "notes/storage/database_config.hpp"
#include "notes/storage/soci_account_repository.hpp"
#include "notes/storage/soci_note_repository.hpp"

namespace notes::storage {

struct migration_info {
  std::int64_t version = 0;
  std::string name;
  friend bool operator==(const migration_info&, const migration_info&) = default;
};

// Whether this build reaches PostgreSQL (NOTES_WITH_POSTGRESQL); without it every call below
// refuses a PostgreSQL configuration with invalid_argument. SQLite is always there.
bool postgresql_supported() noexcept;

// Every call below refuses a SQLite configuration with an empty path with invalid_argument.

// The schema version this binary writes and expects.
std::int64_t latest_schema_version() noexcept;

// Every migration this binary knows, oldest first.
std::vector<migration_info> known_migrations();

// Brings the schema up to date, each pending migration in its own transaction, and returns
// those applied (empty when it was already current). A database whose schema is newer than
// this binary is refused with storage_failure. A SQLite database this process may not write
// (the file, its -wal or -shm, or the folder where those are created) is refused with
// read_only before SQLite opens it. Safe to run from several processes at once.
result<std::vector<migration_info>> migrate(const database_config& config);

// The version recorded in the database (0 for an empty database, and for a SQLite file that
// does not exist, which is not created).
result<std::int64_t> schema_version(const database_config& config);

// Opens one repository (one connection); call once per thread. Fails with storage_failure
// when the schema is not at latest_schema_version() (run migrate() first) or the SQLite file
// does not exist (it is never created here), and with unavailable or storage_failure when the
// database cannot be reached.
result<std::unique_ptr<soci_note_repository>> open_repository(const database_config& config);

// The same for accounts, their tokens and failed sign-ins: one repository (one connection of
// its own) per thread, refused in the same ways.
result<std::unique_ptr<soci_account_repository>> open_account_repository(
    const database_config& config);

// Readiness for /readyz on a short-lived connection of its own: the database answers, its
// schema is current and it takes writes. The error says what is wrong: read_only when this
// process may not write it, or, for SQLite, when the file this process's repositories have open
// was deleted or replaced (their writes are refused then). Never creates a SQLite file.
result<void> check_ready(const database_config& config);

// For a server that is stopping: its repositories' writes that wait for another process's lock
// (SQLite's busy timeout) give up now, and later ones fail at once, all with unavailable.
// PostgreSQL calls are not interrupted.
void abandon_lock_waits(const database_config& config);

// SQLite: every write of this process to one file goes through one queue, and the writes that
// arrive while a transaction commits are committed together in the next. What that did so far
// for the file of `config`, over the repositories open on it (counted from when the first of
// them opened, while any stays open); nothing for PostgreSQL, which commits each write alone.
struct write_batches {
  std::int64_t transactions = 0;  // transactions that committed writes
  std::int64_t writes = 0;        // the writes saved in them
  // Checkpoints (the WAL copied back into the file) on the checkpointer's own thread, and on a
  // writer's connection after its COMMIT (what lets the WAL start over).
  std::int64_t checkpoints_beside = 0;
  std::int64_t checkpoints_by_writers = 0;
  // Moves of the queues that wait for the search index and for note_revisions into them, each
  // in a transaction of its own after a batch: those that committed, and those put off to a
  // later batch because they could not (another connection held the write lock, or the
  // database failed; search and revisions read the queues meanwhile). A search move put off
  // puts off the revisions' too, and is counted once, as the search queue's.
  std::int64_t search_queue_moves = 0;
  std::int64_t search_queue_moves_deferred = 0;
  std::int64_t revision_queue_moves = 0;
  std::int64_t revision_queue_moves_deferred = 0;
};
std::optional<write_batches> write_batches_so_far(const database_config& config);

// Puts SQLite in multi-thread mode for this process: each connection and statement call then
// skips the connection's mutex (about a tenth of a list page's CPU: SOCI reads every column
// of every row through a locking call). Safe when no connection is used by two threads at once,
// which is what note_repository and account_repository already ask (one instance per thread);
// notes-server calls it first thing. Must come before the process opens its first SQLite
// database (by this library or any other): refused with storage_failure after that, or when
// the SQLite library was built without thread support. Changes nothing for PostgreSQL.
result<void> use_sqlite_multi_thread_mode();

}  // namespace notes::storage
