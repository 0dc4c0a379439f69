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

#include "notes/http/server.hpp"

namespace notes::app {

enum class command { serve, migrate, export_notes, import_notes, help, version };

struct config {
  command action = command::serve;
  // import: the file to read ("-" for standard input), and whether to stop after checking it.
  std::string import_file;
  bool dry_run = false;
  std::string database_url = "sqlite:///notes.db";
  http::server_options server;
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
