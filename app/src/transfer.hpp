#pragma once
// `notes-server export` and `notes-server import FILE [--dry-run]`: whole databases in and out
// through the storage port (all() and import()), in the format of export_file.hpp.
#include <functional>
#include <ostream>
#include <string>

#include "storage.hpp"

namespace notes::app {

// Where a command reports progress and refusals (stderr, one line each).
using reporter = std::function<void(const std::string&)>;

// Writes every note to `out`. Returns the process exit code: 0, or 1 when the database could
// not be read.
int run_export(const storage_backend& storage, std::ostream& out, const reporter& say);

// Checks `text` (the file's content, named `source` in messages) completely, then applies pending
// migrations and imports every note in one transaction; with `dry_run` it only checks that none
// of the ids is taken, and changes nothing. Returns 0, or 1 when the file or the database refused
// it: nothing is imported then.
int run_import(storage_backend& storage, std::string_view source, std::string_view text,
               bool dry_run, const reporter& say);

}  // namespace notes::app
