#pragma once
// `notes-server export` and `notes-server import FILE [--dry-run] [--skip-existing|--replace]`:
// whole databases in and out through the storage port (all(), import(), update()), in the format
// of export_file.hpp.
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "config.hpp"
#include "storage.hpp"

namespace notes::app {

// Where a command reports progress and refusals (stderr, one line each).
using reporter = std::function<void(const std::string&)>;

// Writes every note of every owner to `out`, each owner by its account's name; with `user` only
// that account's notes. Returns the process exit code: 0, or 1 when the database could not be
// read or has no such account.
int run_export(const storage_backend& storage, const std::optional<std::string>& user,
               std::ostream& out, const reporter& say);

struct import_options {
  bool dry_run = false;  // check the file and the ids, say what would happen, change nothing
  existing_ids on_existing = existing_ids::refuse;
  // Every note goes to this account, whatever owner the file names.
  std::optional<std::string> user;
};

// Checks `text` (the file's content, named `source` in messages) completely, then applies pending
// migrations and imports. Notes whose ids are not stored go in one transaction, each to the
// account the file names as its owner (refused, with nothing imported, when the database has no
// account of that name), or all to `options.user`. Ids already stored refuse the whole import by
// default; with skip they are left alone; with replace each stored note then gets the file's
// title, content, pin and updated_at and keeps its owner (its version goes up by one, so clients
// holding the old one see the change; a note already equal to the file's is left alone).
// Returns 0, or 1 when the file or the database refused it; the message says what was done.
int run_import(storage_backend& storage, std::string_view source, std::string_view text,
               const import_options& options, const reporter& say);

}  // namespace notes::app
