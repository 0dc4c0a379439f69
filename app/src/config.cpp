#include "config.hpp"

#include <array>
#include <charconv>
#include <cmath>

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

const std::array settings{
    setting{"DATABASE_URL", "--database-url", "URL",
            "where notes live (default sqlite:///notes.db, relative to the working directory):\n"
            "      sqlite:////absolute/path.db, postgresql://user:pass@host:port/db, or memory:\n"
            "      (nothing kept after exit)",
            [](config& c, const std::string& v) {
              c.database_url = v;
              return not_empty(v);
            }},
    setting{"HOST", "--host", "ADDRESS", "address to listen on (default 127.0.0.1)",
            [](config& c, const std::string& v) {
              c.server.host = v;
              return not_empty(v);
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
            [](config& c, const std::string& v) -> std::optional<std::string> {
              auto n = parse_unsigned(v);
              if (!n || *n < 1 || *n > 1024) return "expected a number from 1 to 1024";
              c.server.threads = static_cast<unsigned>(*n);
              return std::nullopt;
            }},
    setting{"SECRET_KEY", "--secret-key", "KEY",
            "signs session cookies; unset: a random key per start (sessions end on restart)",
            [](config& c, const std::string& v) {
              c.server.web.secret_key = v;
              return std::optional<std::string>{};
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

}  // namespace

std::expected<config, std::string> load_config(std::span<const std::string> args,
                                               const environment& env, std::string_view dotenv) {
  config c;

  // Flags are read first so that --help works whatever the environment holds, and applied last.
  std::vector<std::pair<const setting*, std::string>> flags;
  bool command_seen = false;
  bool file_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      c.action = command::help;
      return c;
    }
    if (arg == "--version") {
      c.action = command::version;
      return c;
    }
    if (arg == "--dry-run") {
      c.dry_run = true;
      continue;
    }
    if (!arg.starts_with("-") || (arg == "-" && c.action == command::import_notes)) {
      if (command_seen && c.action == command::import_notes && !file_seen) {
        c.import_file = arg;
        file_seen = true;
        continue;
      }
      if (command_seen) return std::unexpected("unexpected argument '" + arg + "' (see --help)");
      command_seen = true;
      if (arg == "serve") {
        c.action = command::serve;
      } else if (arg == "migrate") {
        c.action = command::migrate;
      } else if (arg == "export") {
        c.action = command::export_notes;
      } else if (arg == "import") {
        c.action = command::import_notes;
      } else {
        return std::unexpected("unknown command '" + arg + "' (see --help)");
      }
      continue;
    }
    std::string_view name = arg;
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    const setting* found = nullptr;
    for (const auto& s : settings) {
      if (s.flag == name) found = &s;
    }
    if (found == nullptr) return std::unexpected("unknown option '" + arg + "' (see --help)");
    if (!value) {
      if (i + 1 == args.size()) {
        return std::unexpected("option " + std::string(name) + " needs a value");
      }
      value = args[++i];
    }
    flags.emplace_back(found, std::move(*value));
  }

  if (c.action == command::import_notes && !file_seen) {
    return std::unexpected("import needs the file to read: notes-server import notes.json");
  }
  if (c.dry_run && c.action != command::import_notes) {
    return std::unexpected("--dry-run only goes with import");
  }

  auto entries = parse_dotenv(dotenv);
  if (!entries) return std::unexpected(entries.error());
  for (const auto& s : settings) {
    if (auto real = env(s.variable)) {
      if (auto problem = apply(c, s, *real, "environment")) return std::unexpected(*problem);
      continue;  // the real environment wins over .env
    }
    // The last assignment in .env wins, as in python-dotenv.
    const dotenv_entry* last = nullptr;
    for (const auto& e : *entries) {
      if (e.key == s.variable) last = &e;
    }
    if (last != nullptr) {
      if (auto problem = apply(c, s, last->value, ".env line " + std::to_string(last->line))) {
        return std::unexpected(*problem);
      }
    }
  }
  for (const auto& [s, value] : flags) {
    if (auto problem = apply(c, *s, value, std::string(s->flag))) return std::unexpected(*problem);
  }
  return c;
}

std::string help_text() {
  std::string out =
      "usage: notes-server [serve|migrate|export|import FILE [--dry-run]] [options]\n"
      "\n"
      "  serve      run the HTTP server (the default); applies pending migrations first\n"
      "  migrate    bring the database schema up to date and exit\n"
      "  export     write every note (ids, times, versions) as JSON to standard output:\n"
      "             notes-server export > notes.json\n"
      "  import FILE\n"
      "             add the notes of an export file (- for standard input) in one transaction;\n"
      "             a bad file or an id already stored imports nothing. Applies pending\n"
      "             migrations first. --dry-run checks the file and the ids, writes nothing\n"
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
      "A bad value stops the server with a one-line message and exit code 2.\n";
  return out;
}

}  // namespace notes::app
