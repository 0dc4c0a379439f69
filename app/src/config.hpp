#pragma once
// notes-server's configuration: defaults, then a `.env` file, then the real environment, then
// command-line flags, each overriding the one before. Read here only; the rest of the program
// receives the resulting values.
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notes/http/server.hpp"

namespace notes::app {

enum class command { serve, migrate, export_notes, import_notes, help, version };

// What import does with a note whose id is already stored.
enum class existing_ids {
  refuse,   // the whole import: nothing is imported (the default)
  skip,     // --skip-existing: keep the stored note, import the others
  replace,  // --replace: the stored note takes the file's text, pin and updated_at
};

struct config {
  command action = command::serve;
  // import: the file to read ("-" for standard input), whether to stop after checking it, and
  // what to do with ids already stored.
  std::string import_file;
  bool dry_run = false;
  existing_ids on_existing = existing_ids::refuse;
  std::string database_url = "sqlite:///notes.db";
  http::server_options server;
  // Things worth a line on stderr that do not stop the program: a .env key that is no setting.
  std::vector<std::string> warnings;
};

// Looks a variable up in the real environment.
using environment = std::function<std::optional<std::string>(std::string_view name)>;

// `args` excludes the program name. `dotenv` is the text of ./.env (empty when there is none).
// Only the value that wins for each setting is checked. A HOST that is a name is looked up.
// The error is one line naming the setting and where its bad value came from.
std::expected<config, std::string> load_config(std::span<const std::string> args,
                                               const environment& env, std::string_view dotenv);

// What `notes-server --help` prints.
std::string help_text();

}  // namespace notes::app
