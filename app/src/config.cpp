#include "config.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include "dotenv.hpp"

namespace notes::app {

namespace {

using setter = std::optional<std::string> (*)(config&, const std::string&);

struct setting {
  std::string_view variable;  // environment and .env name
  std::string_view flag;      // command-line flag
  std::string_view placeholder;
  std::string_view description;
  setter apply;  // returns an error message for a bad value
};

std::optional<std::uint64_t> parse_unsigned(const std::string& s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> parse_bool(const std::string& s, bool& out) {
  for (std::string_view yes : {"1", "true", "yes", "on"}) {
    if (s == yes) return out = true, std::nullopt;
  }
  for (std::string_view no : {"0", "false", "no", "off"}) {
    if (s == no) return out = false, std::nullopt;
  }
  return "expected 1/0, true/false, yes/no or on/off";
}

// Seconds, fractions allowed ("0.5"), between 1 ms and one day.
std::optional<std::string> parse_seconds(const std::string& s, std::chrono::milliseconds& out) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(seconds) ||
      seconds < 0.001 || seconds > 86400) {
    return "expected a number of seconds between 0.001 and 86400";
  }
  out = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000)));
  return std::nullopt;
}

std::optional<std::string> parse_thread_count(const std::string& s, unsigned& out) {
  auto n = parse_unsigned(s);
  if (!n || *n < 1 || *n > 1024) return "expected a number from 1 to 1024";
  out = static_cast<unsigned>(*n);
  return std::nullopt;
}

std::optional<std::string> parse_size(const std::string& s, std::size_t low, std::size_t high,
                                      std::size_t& out) {
  auto v = parse_unsigned(s);
  if (!v || *v < low || *v > high) {
    return "expected a number of bytes between " + std::to_string(low) + " and " +
           std::to_string(high);
  }
  out = static_cast<std::size_t>(*v);
  return std::nullopt;
}

std::optional<std::string> not_empty(const std::string& s) {
  if (s.empty()) return "must not be empty";
  return std::nullopt;
}

// RFC 1123 labels (letters, digits, '-' inside; '_' too, as resolvers allow it), an optional
// final dot.
bool is_host_name(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  while (true) {
    std::size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    }
    if (dot == std::string_view::npos) return true;
    name.remove_prefix(dot + 1);
  }
}

// An IP address, or a host name the resolver does not deny. A lookup that fails for a reason
// that may pass (a DNS server not reachable yet) is left to start-up, where it is exit code 1
// and a supervisor retries.
std::optional<std::string> check_host(const std::string& host) {
  if (host.empty()) return "must not be empty";
  if (host.find(':') != std::string::npos) {
    std::size_t percent = host.find('%');
    std::string address = host.substr(0, percent);
    in6_addr v6{};
    bool zone_ok = percent == std::string::npos ||
                   (percent + 1 < host.size() &&
                    std::all_of(host.begin() + static_cast<std::ptrdiff_t>(percent) + 1,
                                host.end(), [](char c) {
                                  return std::isalnum(static_cast<unsigned char>(c)) != 0;
                                }));
    if (::inet_pton(AF_INET6, address.c_str(), &v6) != 1 || !zone_ok) {
      return "not a valid IPv6 address (written without brackets: ::1)";
    }
    return std::nullopt;
  }
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return std::nullopt;
  if (host.find_first_not_of("0123456789.") == std::string::npos) {
    return "not a valid IPv4 address";
  }
  if (!is_host_name(host)) return "expected an IP address (127.0.0.1, ::1) or a host name";
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (found != nullptr) ::freeaddrinfo(found);
  if (rc == EAI_NONAME) return "no such host name (the resolver knows no address for it)";
  return std::nullopt;
}

std::optional<std::string> parse_auth(const std::string& s, auth_mode& out) {
  if (s == "none") return out = auth_mode::none, std::nullopt;
  if (s == "accounts") return out = auth_mode::accounts, std::nullopt;
  return "expected none or accounts";
}

std::optional<std::string> parse_signup(const std::string& s, signup_policy& out) {
  if (s == "closed") return out = signup_policy::closed, std::nullopt;
  if (s == "open") return out = signup_policy::open, std::nullopt;
  return "expected closed or open";
}

const std::array settings{
    setting{"DATABASE_URL", "--database-url", "URL",
            "where notes live (default sqlite:///notes.db, relative to the working directory):\n"
            "      sqlite:////absolute/path.db, postgresql://user:pass@host:port/db, or memory:\n"
            "      (nothing kept after exit)",
            [](config& c, const std::string& v) {
              c.database_url = v;
              return not_empty(v);
            }},
    setting{"HOST", "--host", "ADDRESS",
            "IP address or host name to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)",
            [](config& c, const std::string& v) {
              c.server.host = v;
              return check_host(v);
            }},
    setting{"PORT", "--port", "N", "port to listen on, 0 for any free port (default 8080)",
            [](config& c, const std::string& v) -> std::optional<std::string> {
              auto n = parse_unsigned(v);
              if (!n || *n > 65535) return "expected a port number from 0 to 65535";
              c.server.port = static_cast<std::uint16_t>(*n);
              return std::nullopt;
            }},
    setting{"THREADS", "--threads", "N", "worker threads, each with its own database connection "
            "(default: one per core)",
            [](config& c, const std::string& v) {
              return parse_thread_count(v, c.server.threads);
            }},
    setting{"STORAGE_THREADS", "--storage-threads", "N",
            "threads that run the writes, each with its own database connection, 1 to 1024\n"
            "      (default 4)",
            [](config& c, const std::string& v) {
              return parse_thread_count(v, c.server.storage_threads);
            }},
    setting{"STORAGE_WAIT", "--storage-wait", "SECONDS",
            "time a write may wait for a storage thread before it is answered 503 (default 5,\n"
            "      the database's busy timeout)",
            [](config& c, const std::string& v) {
              return parse_seconds(v, c.server.storage_wait);
            }},
    setting{"SECRET_KEY", "--secret-key", "KEY",
            "signs session cookies; unset: a random key per start (sessions end on restart)",
            [](config& c, const std::string& v) {
              c.server.web.secret_key = v;
              return std::optional<std::string>{};
            }},
    setting{"AUTH", "--auth", "none|accounts",
            "none: no sign-in, one notebook shared by everyone who reaches the port; accounts:\n"
            "      sign-in, each note belongs to one account. Unset: none when HOST is a loopback\n"
            "      address (127.0.0.1, ::1, localhost); on any other HOST it must be set",
            [](config& c, const std::string& v) { return parse_auth(v, c.auth.mode); }},
    setting{"SIGNUP", "--signup", "closed|open",
            "closed: only an administrator adds accounts (default); open: anyone may sign up\n"
            "      (needs AUTH=accounts)",
            [](config& c, const std::string& v) { return parse_signup(v, c.auth.signup); }},
    setting{"SESSION_DAYS", "--session-days", "N",
            "days a sign-in lasts, 1 to 3650 (default 30)",
            [](config& c, const std::string& v) -> std::optional<std::string> {
              auto n = parse_unsigned(v);
              if (!n || *n < 1 || *n > 3650) return "expected a number of days from 1 to 3650";
              c.auth.session_lifetime = std::chrono::days(*n);
              return std::nullopt;
            }},
    setting{"TRASH_DAYS", "--trash-days", "N",
            "days a deleted note stays in the trash before the server deletes it for good,\n"
            "      0 to 3650; 0: no trash, a delete is for good (default 30)",
            [](config& c, const std::string& v) -> std::optional<std::string> {
              auto n = parse_unsigned(v);
              if (!n || *n > 3650) return "expected a number of days from 0 to 3650";
              c.server.trash_days = std::chrono::days(*n);
              return std::nullopt;
            }},
    setting{"REVISIONS_KEEP", "--revisions-keep", "N",
            "earlier versions kept per note, 0 to 10000; 0 keeps none (default 100)",
            [](config& c, const std::string& v) -> std::optional<std::string> {
              auto n = parse_unsigned(v);
              if (!n || *n > 10000) return "expected a number from 0 to 10000";
              c.server.history.revisions_keep = static_cast<std::int32_t>(*n);
              return std::nullopt;
            }},
    setting{"MAX_BODY_SIZE", "--max-body-size", "BYTES",
            "largest request body accepted, larger is 413 (default 1048576)",
            [](config& c, const std::string& v) {
              return parse_size(v, 1, std::size_t{1} << 30, c.server.body_limit);
            }},
    setting{"MAX_HEADER_SIZE", "--max-header-size", "BYTES",
            "largest request line + headers accepted, larger is 431 (default 8192)",
            [](config& c, const std::string& v) {
              return parse_size(v, 1024, 1024 * 1024, c.server.header_limit);
            }},
    setting{"READ_TIMEOUT", "--read-timeout", "SECONDS",
            "time allowed to receive a request and to send its response (default 10)",
            [](config& c, const std::string& v) {
              return parse_seconds(v, c.server.read_timeout);
            }},
    setting{"IDLE_TIMEOUT", "--idle-timeout", "SECONDS",
            "time a keep-alive connection may wait for its next request (default 30)",
            [](config& c, const std::string& v) {
              return parse_seconds(v, c.server.idle_timeout);
            }},
    setting{"SHUTDOWN_TIMEOUT", "--shutdown-timeout", "SECONDS",
            "on SIGINT/SIGTERM, time requests in flight get to finish (default 10)",
            [](config& c, const std::string& v) {
              return parse_seconds(v, c.server.shutdown_timeout);
            }},
    setting{"ACCESS_LOG", "--access-log", "1|0",
            "one line per request on stderr: method, target, status, bytes, microseconds "
            "(default 1)",
            [](config& c, const std::string& v) { return parse_bool(v, c.server.access_log); }},
    setting{"SECURE_COOKIES", "--secure-cookies", "1|0",
            "mark session cookies Secure, for serving behind TLS (default 0)",
            [](config& c, const std::string& v) {
              return parse_bool(v, c.server.web.secure_cookies);
            }},
    setting{"TEMPLATES_DIR", "--templates-dir", "DIR",
            "HTML templates to use instead of the built-in ones",
            [](config& c, const std::string& v) {
              c.server.web.templates_dir = v;
              return std::optional<std::string>{};
            }},
    setting{"STATIC_DIR", "--static-dir", "DIR",
            "static files (/static/...) to use instead of the built-in ones",
            [](config& c, const std::string& v) {
              c.server.web.static_dir = v;
              return std::optional<std::string>{};
            }},
};

std::optional<std::string> apply(config& c, const setting& s, const std::string& value,
                                 std::string_view source) {
  if (auto problem = s.apply(c, value)) {
    return std::string(s.variable) + "='" + value + "' (" + std::string(source) + "): " + *problem;
  }
  return std::nullopt;
}

// Settings given as flags, in command-line order.
using flag_values = std::vector<std::pair<const setting*, std::string>>;

// An option of a command rather than a setting: it is read wherever it stands on the command
// line, and checked against the command once the whole line is read.
struct command_option {
  std::string_view flag;
  bool takes_value;
  std::string_view goes_with;  // for the message when it stands with another command
  bool (*fits)(const config&);
  std::optional<std::string> (*apply)(config&, std::string value);
};

bool is_import(const config& c) { return c.action == command::import_notes; }
bool is_users(const config& c, std::string_view verb) {
  return c.action == command::users && c.accounts.verb == verb;
}
bool is_tokens_create(const config& c) {
  return c.action == command::tokens && c.accounts.verb == "create";
}

std::optional<std::string> set_existing(config& c, existing_ids mode) {
  const bool other = c.on_existing != existing_ids::refuse && c.on_existing != mode;
  c.on_existing = mode;
  if (other) return "--skip-existing and --replace exclude each other";
  return std::nullopt;
}

const std::array command_options{
    command_option{"--dry-run", false, "import", is_import,
                   [](config& c, std::string) -> std::optional<std::string> {
                     c.dry_run = true;
                     return std::nullopt;
                   }},
    command_option{"--skip-existing", false, "import", is_import,
                   [](config& c, std::string) { return set_existing(c, existing_ids::skip); }},
    command_option{"--replace", false, "import", is_import,
                   [](config& c, std::string) { return set_existing(c, existing_ids::replace); }},
    command_option{"--user", true, "export, import and tokens",
                   [](const config& c) {
                     return c.action == command::export_notes ||
                            c.action == command::import_notes || c.action == command::tokens;
                   },
                   [](config& c, std::string v) -> std::optional<std::string> {
                     c.user = std::move(v);
                     return std::nullopt;
                   }},
    command_option{"--admin", false, "users add",
                   [](const config& c) { return is_users(c, "add"); },
                   [](config& c, std::string) -> std::optional<std::string> {
                     c.accounts.admin = true;
                     return std::nullopt;
                   }},
    command_option{"--claim-notes", false, "users add",
                   [](const config& c) { return is_users(c, "add"); },
                   [](config& c, std::string) -> std::optional<std::string> {
                     c.accounts.claim_notes = true;
                     return std::nullopt;
                   }},
    command_option{"--delete-notes", false, "users remove",
                   [](const config& c) { return is_users(c, "remove"); },
                   [](config& c, std::string) -> std::optional<std::string> {
                     c.accounts.delete_notes = true;
                     return std::nullopt;
                   }},
    command_option{"--give-notes-to", true, "users remove",
                   [](const config& c) { return is_users(c, "remove"); },
                   [](config& c, std::string v) -> std::optional<std::string> {
                     c.accounts.heir = std::move(v);
                     return std::nullopt;
                   }},
    command_option{"--name", true, "tokens create", is_tokens_create,
                   [](config& c, std::string v) -> std::optional<std::string> {
                     c.accounts.token_name = std::move(v);
                     return std::nullopt;
                   }},
    command_option{"--read-only", false, "tokens create", is_tokens_create,
                   [](config& c, std::string) -> std::optional<std::string> {
                     c.accounts.read_only = true;
                     return std::nullopt;
                   }},
};

// What the command line held besides what goes straight into the config.
struct command_line {
  flag_values flags;
  std::vector<const command_option*> options;
  bool command_seen = false;
  bool file_seen = false;
  // users and tokens: the words after the command (the subcommand, then its arguments).
  std::vector<std::string> words;
};

std::optional<command> command_named(std::string_view word) {
  if (word == "serve") return command::serve;
  if (word == "migrate") return command::migrate;
  if (word == "export") return command::export_notes;
  if (word == "import") return command::import_notes;
  if (word == "users") return command::users;
  if (word == "tokens") return command::tokens;
  return std::nullopt;
}

// A word that is not an option: the command, after import the file to read, after users and
// tokens the subcommand and its arguments.
std::optional<std::string> read_word(const std::string& arg, config& c, command_line& line) {
  if (line.command_seen && c.action == command::import_notes && !line.file_seen) {
    c.import_file = arg;
    line.file_seen = true;
    return std::nullopt;
  }
  if (line.command_seen && (c.action == command::users || c.action == command::tokens)) {
    if (line.words.empty()) c.accounts.verb = arg;
    line.words.push_back(arg);
    return std::nullopt;
  }
  if (line.command_seen) return "unexpected argument '" + arg + "' (see --help)";
  line.command_seen = true;
  auto action = command_named(arg);
  if (!action) return "unknown command '" + arg + "' (see --help)";
  c.action = *action;
  return std::nullopt;
}

const setting* setting_with_flag(std::string_view flag) {
  const setting* found = nullptr;
  for (const auto& s : settings) {
    if (s.flag == flag) found = &s;
  }
  return found;
}

const command_option* command_option_named(std::string_view flag) {
  for (const auto& o : command_options) {
    if (o.flag == flag) return &o;
  }
  return nullptr;
}

// `--flag=value`, or `--flag value` (then `i` moves on to the value): a command's option, or a
// setting.
std::optional<std::string> read_option(std::span<const std::string> args, std::size_t& i,
                                       config& c, command_line& line) {
  const std::string& arg = args[i];
  std::string_view name = arg;
  std::optional<std::string> value;
  if (auto eq = name.find('='); eq != std::string_view::npos) {
    value = std::string(name.substr(eq + 1));
    name = name.substr(0, eq);
  }
  const command_option* option = command_option_named(name);
  const setting* found = setting_with_flag(name);
  if (option == nullptr && found == nullptr) return "unknown option '" + arg + "' (see --help)";
  if (option != nullptr && !option->takes_value) {
    if (value) return "option " + std::string(name) + " takes no value";
    line.options.push_back(option);
    return option->apply(c, {});
  }
  if (!value) {
    if (i + 1 == args.size()) return "option " + std::string(name) + " needs a value";
    value = args[++i];
  }
  if (option == nullptr) {
    line.flags.emplace_back(found, std::move(*value));
    return std::nullopt;
  }
  if (value->empty()) return "option " + std::string(name) + " needs a value";
  line.options.push_back(option);
  return option->apply(c, std::move(*value));
}

// The command and its arguments go into `c`; --help and --version end the reading there, so that
// they work whatever else is wrong.
std::expected<command_line, std::string> read_command_line(std::span<const std::string> args,
                                                           config& c) {
  command_line line;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      c.action = command::help;
      return line;
    }
    if (arg == "--version") {
      c.action = command::version;
      return line;
    }
    std::optional<std::string> problem;
    if (!arg.starts_with("-") || (arg == "-" && c.action == command::import_notes)) {
      problem = read_word(arg, c, line);
    } else {
      problem = read_option(args, i, c, line);
    }
    if (problem) return std::unexpected(std::move(*problem));
  }
  return line;
}

std::optional<std::string> extra_word(const command_line& line, std::size_t expected) {
  if (line.words.size() <= expected) return std::nullopt;
  return "unexpected argument '" + line.words[expected] + "' (see --help)";
}

// users VERB [NAME]: the subcommand is known and has its one NAME, or none for list.
std::optional<std::string> check_users(config& c, const command_line& line) {
  const std::string& verb = c.accounts.verb;
  if (line.words.empty()) {
    return "users needs a subcommand: add NAME, list, passwd NAME or remove NAME (see --help)";
  }
  if (verb == "list") return extra_word(line, 1);
  if (verb != "add" && verb != "passwd" && verb != "remove") {
    return "unknown subcommand 'users " + verb + "': add, list, passwd or remove (see --help)";
  }
  if (line.words.size() < 2) {
    return "users " + verb + " needs the account's name: notes-server users " + verb + " NAME";
  }
  c.accounts.name = line.words[1];
  if (c.accounts.delete_notes && !c.accounts.heir.empty()) {
    return "--delete-notes and --give-notes-to exclude each other";
  }
  return extra_word(line, 2);
}

// tokens VERB --user NAME [ID]: every subcommand names the account; revoke names the token.
std::optional<std::string> check_tokens(config& c, const command_line& line) {
  const std::string& verb = c.accounts.verb;
  if (line.words.empty()) {
    return "tokens needs a subcommand: create, list or revoke (see --help)";
  }
  if (verb != "create" && verb != "list" && verb != "revoke") {
    return "unknown subcommand 'tokens " + verb + "': create, list or revoke (see --help)";
  }
  if (!c.user) return "tokens " + verb + " needs --user NAME, the account the tokens belong to";
  if (verb == "create" && c.accounts.token_name.empty()) {
    return "tokens create needs --name LABEL, which tells the token apart (laptop, backup job)";
  }
  if (verb != "revoke") return extra_word(line, 1);
  if (line.words.size() < 2) {
    return "tokens revoke needs the token's id (tokens list shows it): notes-server tokens "
           "revoke --user NAME ID";
  }
  auto id = parse_unsigned(line.words[1]);
  constexpr auto largest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!id || *id < 1 || *id > largest) {
    return "tokens revoke: '" + line.words[1] + "' is not a token id (tokens list shows them)";
  }
  c.accounts.token = static_cast<std::int64_t>(*id);
  return extra_word(line, 2);
}

std::optional<std::string> check_command(config& c, const command_line& line) {
  if (c.action == command::import_notes && !line.file_seen) {
    return "import needs the file to read: notes-server import notes.json";
  }
  if (c.action == command::users) {
    if (auto problem = check_users(c, line)) return problem;
  }
  if (c.action == command::tokens) {
    if (auto problem = check_tokens(c, line)) return problem;
  }
  for (const command_option* option : line.options) {
    if (!option->fits(c)) {
      return std::string(option->flag) + " only goes with " + std::string(option->goes_with);
    }
  }
  return std::nullopt;
}

// A setting's value, and where it came from for the error message.
struct chosen_value {
  std::string value;
  std::string source;
};

// The last flag wins, then the environment, then the last assignment in .env (as in
// python-dotenv). Only this value is read: a bad PORT in the environment or in .env does not stop
// a server started with --port.
std::optional<chosen_value> winning_value(const setting& s, const flag_values& flags,
                                          const environment& env,
                                          const std::vector<dotenv_entry>& entries) {
  std::optional<chosen_value> chosen;
  for (const auto& [flag_setting, flag_value] : flags) {
    if (flag_setting == &s) chosen = chosen_value{flag_value, std::string(s.flag)};
  }
  if (chosen) return chosen;
  if (auto real = env(s.variable)) return chosen_value{std::move(*real), "environment"};
  for (const auto& e : entries) {
    if (e.key == s.variable) chosen = chosen_value{e.value, ".env line " + std::to_string(e.line)};
  }
  return chosen;
}

// Applies the winning value of each setting that has one; `given` collects their names.
std::optional<std::string> apply_settings(config& c, const flag_values& flags,
                                          const environment& env,
                                          const std::vector<dotenv_entry>& entries,
                                          std::vector<std::string_view>& given) {
  for (const auto& s : settings) {
    if (auto chosen = winning_value(s, flags, env, entries)) {
      if (auto problem = apply(c, s, chosen->value, chosen->source)) return problem;
      given.push_back(s.variable);
    }
  }
  return std::nullopt;
}

// Settings that are valid one by one but not together.
std::optional<std::string> check_combination(config& c,
                                             const std::vector<std::string_view>& given) {
  const bool auth_given = std::find(given.begin(), given.end(), "AUTH") != given.end();
  auto auth = decide_auth(auth_given ? std::optional(c.auth.mode) : std::nullopt, c.auth.signup,
                          c.server.host);
  if (!auth) return auth.error();
  c.auth.mode = auth->mode;
  // The warning is about serving: the other commands open no port.
  if (auth->warning && c.action == command::serve) c.warnings.push_back(*auth->warning);
  return std::nullopt;
}

// Edit distance (insertions, deletions, substitutions), letters compared without case.
std::size_t distance(std::string_view a, std::string_view b) {
  const auto upper = [](char ch) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (upper(a[i - 1]) == upper(b[j - 1]) ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The setting a misspelt name most likely meant: one or two letters off, at most a third of it.
std::optional<std::string_view> closest_setting(std::string_view name) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 3;
  for (const auto& s : settings) {
    const std::size_t d = distance(name, s.variable);
    if (d < best_distance && d * 3 <= s.variable.size()) {
      best = s.variable;
      best_distance = d;
    }
  }
  return best;
}

// A key in .env that no setting reads is ignored, as python-dotenv leaves unused variables alone,
// but said once, so that THREDS=4 does not go unnoticed.
std::vector<std::string> unknown_keys(const std::vector<dotenv_entry>& entries) {
  std::vector<std::string> warnings;
  std::vector<std::string_view> said;
  for (const auto& e : entries) {
    const bool known = std::any_of(settings.begin(), settings.end(),
                                   [&](const setting& s) { return s.variable == e.key; });
    if (known || std::find(said.begin(), said.end(), e.key) != said.end()) continue;
    said.push_back(e.key);
    std::string line = ".env line " + std::to_string(e.line) + ": " + e.key +
                       " is not a setting of notes-server and is ignored";
    if (auto closest = closest_setting(e.key)) {
      line += "; did you mean " + std::string(*closest) + "?";
    }
    warnings.push_back(std::move(line));
  }
  return warnings;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  std::string name(host);
  if (name.ends_with('.')) name.pop_back();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (name == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, name.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, name.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

std::expected<auth_decision, std::string> decide_auth(std::optional<auth_mode> requested,
                                                      signup_policy signup,
                                                      std::string_view host) {
  const bool loopback = is_loopback_host(host);
  if (!requested && !loopback) {
    return std::unexpected(
        "HOST='" + std::string(host) + "' takes connections from other machines and AUTH is "
        "not set: set AUTH=accounts to require sign-in, or AUTH=none to share every note with "
        "everyone who reaches the port");
  }
  auth_decision decision{requested.value_or(auth_mode::none), std::nullopt};
  if (signup == signup_policy::open && decision.mode != auth_mode::accounts) {
    return std::unexpected(
        "SIGNUP=open needs AUTH=accounts: with AUTH=none (the default on a loopback HOST) "
        "there are no accounts to sign up for");
  }
  if (decision.mode == auth_mode::none && !loopback) {
    decision.warning = "AUTH=none on HOST='" + std::string(host) + "', which takes connections "
                       "from other machines: every note is readable and writable by anyone who "
                       "reaches the port";
  }
  return decision;
}

std::expected<config, std::string> load_config(std::span<const std::string> args,
                                               const environment& env, std::string_view dotenv) {
  config c;
  // Flags are read first so that --help works whatever the environment holds, and applied last.
  auto line = read_command_line(args, c);
  if (!line) return std::unexpected(line.error());
  if (c.action == command::help || c.action == command::version) return c;
  if (auto problem = check_command(c, *line)) return std::unexpected(*problem);
  auto entries = parse_dotenv(dotenv);
  if (!entries) return std::unexpected(entries.error());
  std::vector<std::string_view> given;
  if (auto problem = apply_settings(c, line->flags, env, *entries, given)) {
    return std::unexpected(*problem);
  }
  c.warnings = unknown_keys(*entries);
  if (auto problem = check_combination(c, given)) return std::unexpected(*problem);
  return c;
}

std::string help_text() {
  std::string out =
      "usage: notes-server [COMMAND] [options]\n"
      "\n"
      "  serve      run the HTTP server (the default); applies pending migrations first\n"
      "  migrate    bring the database schema up to date and exit\n"
      "  export [--user NAME]\n"
      "             write every note (ids, times, versions, owners) as JSON to standard output:\n"
      "             notes-server export > notes.json; with --user only that account's notes\n"
      "  import FILE [--dry-run] [--skip-existing|--replace] [--user NAME]\n"
      "             add the notes of an export file (- for standard input) in one transaction;\n"
      "             a bad file imports nothing, and so does an id already stored unless:\n"
      "               --skip-existing  keeps the stored note and imports the others\n"
      "               --replace        gives the stored note the file's title, content, pin\n"
      "                                and updated_at (its version goes up by one)\n"
      "             Each note goes to the account the file names as its owner, or with --user\n"
      "             to that account. Applies pending migrations first. --dry-run checks the file\n"
      "             and the ids, says what would happen and writes nothing\n"
      "  users add NAME [--admin] [--claim-notes]\n"
      "             add an account; --claim-notes gives it the notes written without sign-in\n"
      "  users list                  every account: name, administrator, notes, created\n"
      "  users passwd NAME           set a new password; the account's sign-ins end\n"
      "  users remove NAME [--delete-notes | --give-notes-to OTHER]\n"
      "             delete an account and its tokens; refused while it owns notes unless told\n"
      "             what becomes of them\n"
      "             Passwords are read from standard input (one line) when it is not a\n"
      "             terminal, else asked for twice without echo\n"
      "  tokens create --user NAME --name LABEL [--read-only]\n"
      "             a personal access token for the JSON API; its secret is printed once, as\n"
      "             the last line of standard output\n"
      "  tokens list --user NAME     the account's tokens: id, scope, created, last used, label\n"
      "  tokens revoke --user NAME ID\n"
      "             the token stops working at once\n"
      "             users and tokens work whatever AUTH is, so accounts can be prepared first;\n"
      "             those that write apply pending migrations first\n"
      "\n"
      "Each setting comes from, in increasing priority: its default, a .env file in the working\n"
      "directory, the environment variable, the command-line option.\n"
      "\n";
  for (const auto& s : settings) {
    std::string left = "  " + std::string(s.flag) + " " + std::string(s.placeholder);
    out += left;
    out += std::string(left.size() < 32 ? 32 - left.size() : 1, ' ');
    out += "env ";
    out += s.variable;
    out += "\n      ";
    out += s.description;
    out += '\n';
  }
  out +=
      "  -h, --help                    this text\n"
      "  --version                     print the version\n"
      "\n"
      "Only the value that wins is checked (PORT=abc does not matter with --port 8080).\n"
      "\n"
      "Exit codes: 0 done. 2 a bad setting: an unknown option, a malformed value, a HOST that is\n"
      "not an address or a name the resolver knows, AUTH unset on a HOST that is not loopback,\n"
      "a missing STATIC_DIR; one line on stderr, nothing started, and restarting cannot help.\n"
      "For users and tokens also a command they cannot carry out as written: a missing NAME,\n"
      "a name or password the rules refuse, passwords that differ.\n"
      "1 the settings are fine but something failed: the port is in use, the address is not on\n"
      "this machine, the database is unreachable or refused; restarting may help. For users\n"
      "and tokens also what the stored accounts refuse: a name taken, no such account or\n"
      "token, an account that still owns notes.\n";
  return out;
}

}  // namespace notes::app
