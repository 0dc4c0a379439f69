#include "notes/storage/database.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "account_repository_state.hpp"
#include "connection.hpp"
#include "error_mapping.hpp"
#include "repository_state.hpp"
#include "schema.hpp"
#include "sqlite_file.hpp"
#include "write_combiner.hpp"

namespace notes::storage {
namespace {

std::string describe(const database_config& config) {
  return config.kind == database_kind::sqlite
             ? "SQLite database '" + config.path + "'"
             : "PostgreSQL database '" + config.database_name + "' on " + config.host + ":" +
                   std::to_string(config.port);
}

// What a configuration must name before anything is opened: SQLite would open a private
// temporary database for an empty path, and a build without PostgreSQL cannot reach one.
result<void> check_config(const database_config& config) {
  if (config.kind == database_kind::postgresql) {
    if (postgresql_supported()) return {};
    return make_error(error_code::invalid_argument,
                      "this build of notes has no PostgreSQL support (it was built with "
                      "NOTES_WITH_POSTGRESQL=OFF), so the " + describe(config) +
                          " cannot be used; only SQLite databases can");
  }
  if (!config.path.empty()) return {};
  return make_error(error_code::invalid_argument,
                    "no database given: the SQLite file of database_config::path is empty (set "
                    "it, or build the configuration with parse_database_url)");
}

// Whether a SQLite configuration's file is there; PostgreSQL databases always count as there.
bool file_exists(const database_config& config) {
  std::error_code ec;
  return config.kind != database_kind::sqlite || std::filesystem::exists(config.path, ec);
}

// Worded for any program that embeds the library; notes-server names its own command where it
// reports the error.
result<void> require_current_schema(const database_config& config, std::int64_t found) {
  if (found < latest_schema_version()) {
    return make_error(error_code::storage_failure,
                      "The schema of the " + describe(config) + " is at version " +
                          std::to_string(found) + ", this build of notes needs version " +
                          std::to_string(latest_schema_version()) +
                          ": bring it up to date with notes::storage::migrate first.");
  }
  return detail::require_current_schema(found);
}

// Opening for use never creates a SQLite file: a repository on a file that is not there is
// refused without leaving an empty one behind; only migrate creates it.
std::unexpected<error> missing_file(const database_config& config) {
  return make_error(error_code::storage_failure,
                    "The " + describe(config) +
                        " does not exist: notes::storage::migrate creates it and its schema.");
}

// Opens a connection and runs `body` on it, translating whatever either throws.
template <class Body>
auto with_session(const database_config& config, std::string_view doing, Body&& body,
                  detail::open_mode mode = detail::open_mode::create)
    -> decltype(body(std::declval<std::unique_ptr<soci::session>&>())) {
  std::unique_ptr<soci::session> session;
  try {
    session = detail::open_session(config, mode);
  } catch (const std::exception& failure) {
    auto e = detail::translate(failure, config.kind, config.kind == database_kind::postgresql,
                               "open " + describe(config));
    return std::unexpected(std::move(e));
  }
  try {
    return body(session);
  } catch (const detail::schema_too_new& newer) {
    return std::unexpected(detail::require_current_schema(newer.found).error());
  } catch (const std::exception& failure) {
    const bool lost = session != nullptr && detail::connection_lost(*session, config.kind);
    return std::unexpected(detail::translate(failure, config.kind, lost, doing));
  }
}

// Whether the database takes writes, asked on an open connection: SQLite opens a file it
// cannot write read-only without a word, and a PostgreSQL standby (or a database with
// default_transaction_read_only) refuses every write.
result<void> accepts_writes(soci::session& session, const database_config& config) {
  if (config.kind == database_kind::sqlite) {
    if (detail::opened_for_writing(session, config.kind)) return {};
    return make_error(error_code::read_only,
                      describe(config) + " could only be opened read-only by this process.");
  }
  std::string read_only;
  session << "SHOW transaction_read_only", soci::into(read_only);
  if (read_only != "on") return {};
  return make_error(error_code::read_only,
                    describe(config) + " accepts no writes (transaction_read_only is on: a "
                                       "standby, or default_transaction_read_only is set).");
}

}  // namespace

std::int64_t latest_schema_version() noexcept { return detail::migrations().back().version; }

std::vector<migration_info> known_migrations() {
  std::vector<migration_info> out;
  for (const auto& m : detail::migrations()) out.push_back({m.version, std::string(m.name)});
  return out;
}

result<std::vector<migration_info>> migrate(const database_config& config) {
  if (auto valid = check_config(config); !valid) return std::unexpected(std::move(valid.error()));
  if (config.kind == database_kind::sqlite) {
    // Before SQLite opens the file: it would open it read-only and leave -wal and -shm files
    // behind that stay unwritable.
    if (auto writable = detail::check_writable(config.path, false); !writable) {
      return std::unexpected(std::move(writable.error()));
    }
  }
  return with_session(
      config, "migrate",
      [&](std::unique_ptr<soci::session>& session) -> result<std::vector<migration_info>> {
        return detail::apply_migrations(*session, config.kind);
      });
}

result<std::int64_t> schema_version(const database_config& config) {
  if (auto valid = check_config(config); !valid) return std::unexpected(std::move(valid.error()));
  if (!file_exists(config)) return 0;
  return with_session(
      config, "read schema version",
      [&](std::unique_ptr<soci::session>& session) -> result<std::int64_t> {
        return detail::read_schema_version(*session, config.kind);
      },
      detail::open_mode::existing);
}

result<std::unique_ptr<soci_note_repository>> open_repository(const database_config& config) {
  if (auto valid = check_config(config); !valid) return std::unexpected(std::move(valid.error()));
  if (!file_exists(config)) return missing_file(config);
  return with_session(
      config, "open repository",
      [&](std::unique_ptr<soci::session>& session)
          -> result<std::unique_ptr<soci_note_repository>> {
        if (auto ok =
                require_current_schema(config, detail::read_schema_version(*session, config.kind));
            !ok) {
          return std::unexpected(ok.error());
        }
        auto state = std::make_unique<soci_note_repository::impl>(config, std::move(session));
        return std::make_unique<soci_note_repository>(std::move(state));
      },
      detail::open_mode::existing);
}

result<std::unique_ptr<soci_account_repository>> open_account_repository(
    const database_config& config) {
  if (auto valid = check_config(config); !valid) return std::unexpected(std::move(valid.error()));
  if (!file_exists(config)) return missing_file(config);
  return with_session(
      config, "open account repository",
      [&](std::unique_ptr<soci::session>& session)
          -> result<std::unique_ptr<soci_account_repository>> {
        if (auto ok =
                require_current_schema(config, detail::read_schema_version(*session, config.kind));
            !ok) {
          return std::unexpected(ok.error());
        }
        auto state = std::make_unique<soci_account_repository::impl>(config, std::move(session));
        return std::make_unique<soci_account_repository>(std::move(state));
      },
      detail::open_mode::existing);
}

result<void> check_ready(const database_config& config) {
  if (auto valid = check_config(config); !valid) return valid;
  if (config.kind == database_kind::sqlite) {
    // Asked without opening the file: a check that opened a deleted database's path would
    // create an empty one there.
    if (auto same = detail::write_combiner::check_files_opened_through(config.path); !same) {
      return same;
    }
    if (auto writable = detail::check_writable(config.path, true); !writable) return writable;
  }
  return with_session(
      config, "readiness check",
      [&](std::unique_ptr<soci::session>& session) -> result<void> {
        if (auto current = require_current_schema(
                config, detail::read_schema_version(*session, config.kind));
            !current) {
          return current;
        }
        return accepts_writes(*session, config);
      },
      detail::open_mode::existing);
}

void abandon_lock_waits(const database_config& config) {
  if (config.kind == database_kind::sqlite) {
    detail::write_combiner::abandon_writes_through(config.path);
  }
}

std::optional<write_batches> write_batches_so_far(const database_config& config) {
  if (config.kind != database_kind::sqlite) return std::nullopt;
  const auto totals = detail::write_combiner::batches_through(config.path);
  return write_batches{.transactions = totals.batches,
                       .writes = totals.writes,
                       .checkpoints_beside = totals.checkpoints.beside,
                       .checkpoints_by_writers = totals.checkpoints.by_writers,
                       .search_queue_moves = totals.moves.search,
                       .search_queue_moves_deferred = totals.moves.search_deferred,
                       .revision_queue_moves = totals.moves.revisions,
                       .revision_queue_moves_deferred = totals.moves.revisions_deferred};
}

result<void> use_sqlite_multi_thread_mode() {
  if (sqlite_api::sqlite3_threadsafe() == 0 ||
      sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD) != SQLITE_OK) {
    return make_error(error_code::storage_failure,
                      "SQLite cannot switch to multi-thread mode: it has started already, or it "
                      "was built without threads.");
  }
  return {};
}

}  // namespace notes::storage
