#pragma once
// notes-server's configuration: defaults, then a `.env` file, then the real environment, then
// command-line flags, each overriding the one before. Read here only; the rest of the program
// receives the resulting values.
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notes/http/server.hpp"

namespace notes::app {

enum class command { serve, migrate, export_notes, import_notes, users, tokens, help, version };

// What import does with a note whose id is already stored.
enum class existing_ids {
  refuse,   // the whole import: nothing is imported (the default)
  skip,     // --skip-existing: keep the stored note, import the others
  replace,  // --replace: the stored note takes the file's text, pin and updated_at
};

// Who may use the server. none: no sign-in, one notebook shared by everyone who reaches the
// port. accounts: sign-in (pages) or an API token (JSON API), each note owned by one account.
enum class auth_mode { none, accounts };

// Who creates accounts: an administrator only (closed), or anyone on the sign-up page (open).
enum class signup_policy { closed, open };

struct auth_settings {
  auth_mode mode = auth_mode::none;
  signup_policy signup = signup_policy::closed;
  std::chrono::days session_lifetime{30};
};

// What `users` and `tokens` were asked to do: the word after the command and its arguments.
struct account_command {
  std::string verb;  // users: add, list, passwd, remove; tokens: create, list, revoke
  std::string name;  // users add, passwd, remove: the account
  bool admin = false;         // users add --admin
  bool claim_notes = false;   // users add --claim-notes: take the shared notebook's notes
  bool delete_notes = false;  // users remove --delete-notes
  std::string heir;           // users remove --give-notes-to OTHER (empty: not given)
  std::string token_name;     // tokens create --name LABEL
  bool read_only = false;     // tokens create --read-only
  std::int64_t token = 0;     // tokens revoke: the token's id
};

struct config {
  command action = command::serve;
  // --user NAME: the account whose notes export and import move, or whose tokens are meant.
  std::optional<std::string> user;
  account_command accounts;
  // import: the file to read ("-" for standard input), whether to stop after checking it, and
  // what to do with ids already stored.
  std::string import_file;
  bool dry_run = false;
  existing_ids on_existing = existing_ids::refuse;
  std::string database_url = "sqlite:///notes.db";
  http::server_options server;
  // AUTH (resolved: never unset here), SIGNUP, SESSION_DAYS.
  auth_settings auth;
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

// Whether HOST takes connections from this machine only: an address in 127.0.0.0/8 (also
// IPv4-mapped), ::1, or the name localhost. Any other name counts as reachable from elsewhere.
bool is_loopback_host(std::string_view host);

// What AUTH means on HOST, decided from the values alone. `requested` is AUTH's value, nullopt
// when no source set it. Unset is none on a loopback HOST and an error on any other: who may
// read the notes is then the operator's explicit choice. none set on another HOST is allowed,
// with a warning for the start-up. SIGNUP=open needs accounts. The error is one line.
struct auth_decision {
  auth_mode mode = auth_mode::none;
  std::optional<std::string> warning;
};
std::expected<auth_decision, std::string> decide_auth(std::optional<auth_mode> requested,
                                                      signup_policy signup,
                                                      std::string_view host);

// What `notes-server --help` prints.
std::string help_text();

}  // namespace notes::app
