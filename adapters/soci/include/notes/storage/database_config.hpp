#pragma once
// Where the notes live, as parsed from a database URL (notes-server's DATABASE_URL). Plain
// values: no SOCI here.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "notes/error.hpp"

namespace notes::storage {

enum class database_kind { sqlite, postgresql };

struct database_config {
  database_kind kind = database_kind::sqlite;

  // sqlite: the database file; a relative path is relative to the working directory.
  std::string path;
  // How long a writer waits for SQLite's write lock before giving up with `unavailable`.
  std::chrono::milliseconds busy_timeout{5000};
  // The SQLite VFS; empty for SQLite's default. "unix-excl" keeps the file locks inside this
  // process (about 2 of the 14 us a GET of one note costs) and thereby locks every other process
  // out of the file, the sqlite3 shell, backups and `notes-server migrate` included: an opt-in
  // for a server that owns its file (docs/storage.md).
  std::string sqlite_vfs;
  // sqlite: how many search matches each connection remembers, over every search, while the
  // database stays unchanged (16 bytes each at most): paging through a search's results then
  // costs each page its rows alone. A search with more matches than this runs its SQL for
  // every page (at 1,000,000 notes, 5-20 ms a page). 0 remembers none.
  std::size_t sqlite_search_matches = std::size_t{1} << 18;

  // postgresql: an empty user or password leaves the choice to libpq (PGUSER, ~/.pgpass, ...).
  std::string host;
  std::uint16_t port = 5432;
  std::string user;
  std::string password;
  std::string database_name;
  // Query parameters of the URL passed through to libpq as given (sslmode=require, ...).
  std::vector<std::pair<std::string, std::string>> options;
  // How long opening a connection may take before it counts as `unavailable`.
  std::chrono::seconds connect_timeout{5};
};

// Accepts sqlite:///relative.db, sqlite:////absolute/path.db (no ?options or #fragment) and
// postgresql://user:password@host:port/database?libpq_option=value (or postgres://...), user and
// password percent-decoded. Anything else is invalid_argument with a message that begins
// "database URL" and never repeats a password.
result<database_config> parse_database_url(std::string_view url);

// The URL with the password masked, for logs and the start-up line.
std::string redacted_url(const database_config& config);

}  // namespace notes::storage
