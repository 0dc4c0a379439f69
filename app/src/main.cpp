// notes-server: reads the configuration, opens the database, serves until SIGINT/SIGTERM (or
// runs one of the commands migrate, export, import, users, tokens).
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <expected>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "account_commands.hpp"
#include "config.hpp"
#include "notes/http/log.hpp"
#include "notes/http/server.hpp"
#include "notes/sodium/sodium_credentials.hpp"
#include "notes/storage/database.hpp"
#include "password_input.hpp"
#include "stop_deadline.hpp"
#include "storage.hpp"
#include "transfer.hpp"

namespace {

constexpr int exit_bad_config = 2;
constexpr int exit_failure = 1;

// How long a stop may take beyond SHUTDOWN_TIMEOUT: the server's wait for the answers of the
// storage calls it interrupted (at most a second) and for the log to reach stderr.
constexpr std::chrono::seconds stop_grace{2};

void say(const std::string& line) { std::fprintf(stderr, "notes-server: %s\n", line.c_str()); }

// While serving, lines go through the server's log: in order with the access log, and a stalled
// stderr cannot keep SIGTERM from stopping the server.
void say_while_serving(const std::string& line) {
  notes::http::log_message("notes-server: " + line);
}

// Lines still in the server's log reach stderr before the process exits, whichever way it does.
struct flush_log_at_exit {
  ~flush_log_at_exit() { notes::http::flush_log(std::chrono::seconds(1)); }
};

std::optional<std::string> read_all(std::istream& in) {
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

// The whole file, or why it cannot be read ("No such file or directory").
std::expected<std::string, std::string> read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(std::strerror(errno));
  std::string text;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return std::unexpected(std::strerror(error));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

// The text of ./.env, empty when there is none.
std::optional<std::string> read_dotenv() {
  std::ifstream file(".env", std::ios::binary);
  if (!file) return std::string{};
  return read_all(file);
}

std::optional<std::string> from_environment(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// The configuration, or the exit code once the reason has been said.
std::expected<notes::app::config, int> read_config(const std::vector<std::string>& args) {
  auto dotenv = read_dotenv();
  if (!dotenv) {
    say("cannot read .env");
    return std::unexpected(exit_bad_config);
  }
  auto config = notes::app::load_config(args, from_environment, *dotenv);
  if (!config) {
    say(config.error());
    return std::unexpected(exit_bad_config);
  }
  for (const auto& warning : config->warnings) say("warning: " + warning);
  return std::move(*config);
}

int import_notes(notes::app::storage_backend& storage, const notes::app::config& config,
                 const notes::app::reporter& report) {
  const std::string& file = config.import_file;
  std::string text;
  if (file == "-") {
    auto in = read_all(std::cin);
    if (!in) {
      say("cannot read standard input");
      return exit_failure;
    }
    text = std::move(*in);
  } else {
    auto read = read_file(file);
    if (!read) {
      say("cannot read " + file + ": " + read.error());
      return exit_failure;
    }
    text = std::move(*read);
  }
  return notes::app::run_import(storage, file == "-" ? "standard input" : file, text,
                                {config.dry_run, config.on_existing, config.user}, report);
}

// Whether the server will be able to listen, checked before the database is touched, so that a
// port in use leaves no new database file behind. Binds as the server does (the first address
// the name resolves to, SO_REUSEADDR) and says what the server would say; a name that does not
// resolve is left for the server to report.
std::optional<std::string> listen_problem(const notes::http::server_options& options) {
  if (options.port == 0) return std::nullopt;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options.port);
  if (::getaddrinfo(options.host.c_str(), port.c_str(), &hints, &found) != 0) return std::nullopt;
  std::optional<std::string> problem;
  const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd >= 0) {
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
      const int error = errno;
      problem = "cannot listen on " + options.host + ":" + port + " (bind): " +
                std::strerror(error);
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  return problem;
}

// SIGINT and SIGTERM stay pending until sigwait() takes them: blocked before the worker threads
// exist (they inherit the mask), so one arriving during start-up is not lost, and no worker
// thread is interrupted by it.
sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

std::string auth_description(const notes::app::auth_settings& auth) {
  if (auth.mode == notes::app::auth_mode::none) return "none";
  return std::string("accounts (sign-up ") +
         (auth.signup == notes::app::signup_policy::open ? "open" : "closed") + ", sessions " +
         std::to_string(auth.session_lifetime.count()) + " days)";
}

std::string listening_line(const notes::app::config& config,
                           const notes::app::storage_backend& storage,
                           const notes::http::server& server) {
  const std::string& host = config.server.host;
  std::string authority = host.find(':') == std::string::npos ? host : "[" + host + "]";
  return std::string("version ") + NOTES_VERSION + " listening on http://" + authority + ":" +
         std::to_string(server.port()) + " database " + storage.describe() + " threads " +
         std::to_string(server.threads()) + " auth " + auth_description(config.auth);
}

// TRASH_DAYS and REVISIONS_KEEP, on a line of their own after the start-up line.
std::string history_line(const notes::http::server_options& options) {
  const auto days = options.trash_days.count();
  std::string trash = days == 0 ? std::string("off (a delete is for good)")
                                : std::to_string(days) + " day" + (days == 1 ? "" : "s");
  return "trash " + trash + ", revisions kept per note " +
         std::to_string(options.history.revisions_keep);
}

// AUTH=accounts: sign-in against the accounts stored beside the notes. Throws when libsodium
// cannot start.
notes::http::auth_options auth_options(const notes::app::auth_settings& auth,
                                       notes::app::storage_backend& storage) {
  notes::http::auth_options options;
  if (auth.mode != notes::app::auth_mode::accounts) return options;
  options.accounts = true;
  options.open_signup = auth.signup == notes::app::signup_policy::open;
  options.session_lifetime = auth.session_lifetime;
  options.make_accounts = storage.account_repositories();
  options.crypto = std::make_shared<notes::sodium::sodium_credentials>();
  return options;
}

// With sign-in required and no account yet nobody can sign in: the server starts anyway (the
// operator may add one while it runs) and says how. Nothing is said when the accounts cannot be
// listed: the server's own connections report that.
std::optional<std::string> no_account_hint(const notes::app::auth_settings& auth,
                                           notes::app::storage_backend& storage) {
  if (auth.mode != notes::app::auth_mode::accounts) return std::nullopt;
  const bool open = auth.signup == notes::app::signup_policy::open;
  if (storage.in_memory()) {
    // No other process reaches the in-memory store.
    return std::string("no account yet, and notes-server users add cannot reach the in-memory "
                       "store: ") +
           (open ? "sign up on /signup" : "set SIGNUP=open, or keep accounts in a database");
  }
  auto repository = storage.open_account_repository();
  if (!repository) return std::nullopt;
  auto accounts = (*repository)->accounts();
  if (!accounts || !accounts->empty()) return std::nullopt;
  return std::string("no account yet: add one with notes-server users add NAME --admin") +
         (open ? ", or sign up on /signup" : "");
}

// Stops the server within SHUTDOWN_TIMEOUT plus stop_grace. Requests a storage call still
// holds then (one the server could not interrupt) are not waited for: the process ends without
// them, as SIGKILL would end it, which loses nothing committed.
void stop_in_time(notes::http::server& server, std::chrono::milliseconds shutdown_timeout) {
  notes::app::stop_deadline deadline(shutdown_timeout + stop_grace, [] {
    say_while_serving(
        "stopped: requests still waiting on storage past the shutdown timeout were cut");
    notes::http::flush_log(std::chrono::seconds(1));
    std::_Exit(0);
  });
  server.stop();
}

int serve(notes::app::config& config, notes::app::storage_backend& storage) {
  const sigset_t stop_signals = block_stop_signals();
  config.server.ops.readiness = storage.readiness();
  config.server.ops.interrupt_storage = storage.lock_wait_interrupter();
  config.server.ops.write_batches = storage.write_batches();
  try {
    config.server.auth = auth_options(config.auth, storage);
  } catch (const std::exception& e) {
    say(std::string("cannot start: ") + e.what());
    return exit_failure;
  }
  const auto hint = no_account_hint(config.auth, storage);
  std::optional<notes::http::server> server;
  try {
    // Building the routes loads TEMPLATES_DIR and STATIC_DIR: a failure here is a bad setting.
    server.emplace(config.server, storage.repositories());
  } catch (const std::exception& e) {
    say(e.what());
    return exit_bad_config;
  }
  try {
    server->start();
    say_while_serving(listening_line(config, storage, *server));
    say_while_serving(history_line(config.server));
    if (hint) say_while_serving(*hint);
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    say_while_serving(std::string("stopping on ") +
                      (signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
    stop_in_time(*server, config.server.shutdown_timeout);
    say_while_serving("stopped");
  } catch (const std::exception& e) {
    say(e.what());
    return exit_failure;
  }
  return 0;
}

// export reads the database as it is and import migrates only once its file has passed the
// checks; migrate and serve bring the schema up to date first.
int run(notes::app::config& config, notes::app::storage_backend& storage) {
  const auto report = [](const std::string& line) { say(line); };
  if (config.action == notes::app::command::export_notes) {
    return notes::app::run_export(storage, config.user, std::cout, report);
  }
  if (config.action == notes::app::command::import_notes) {
    return import_notes(storage, config, report);
  }
  if (config.action == notes::app::command::users) {
    return notes::app::run_users(storage, config.accounts, notes::app::read_new_password,
                                 std::cout, report);
  }
  if (config.action == notes::app::command::tokens) {
    return notes::app::run_tokens(storage, config.accounts, *config.user, std::cout, report);
  }
  const bool serving = config.action == notes::app::command::serve;
  if (serving) {
    if (auto problem = listen_problem(config.server)) {
      say(*problem);
      return exit_failure;
    }
  }
  auto migrated = storage.migrate();
  if (!migrated) {
    say((serving ? "cannot start: database " : "cannot migrate ") + storage.describe() + ": " +
        migrated.error().message);
    return exit_failure;
  }
  if (config.action == notes::app::command::migrate) {
    say(storage.describe() + ": " + *migrated);
    return 0;
  }
  return serve(config, storage);
}

}  // namespace

int main(int argc, char** argv) {
  // A reader of our stderr that goes away must not kill the server in the middle of a log line.
  std::signal(SIGPIPE, SIG_IGN);
  // Every SQLite connection here belongs to one thread at a time (a repository per thread), so
  // SQLite's per-connection mutex only costs time. Before anything opens a database; should it
  // be refused, SQLite keeps its default (serialized) mode, which is correct, only slower.
  (void)notes::storage::use_sqlite_multi_thread_mode();
  flush_log_at_exit flush_log;
  auto config = read_config(std::vector<std::string>(argv + 1, argv + argc));
  if (!config) return config.error();
  if (config->action == notes::app::command::help) {
    std::fputs(notes::app::help_text().c_str(), stdout);
    return 0;
  }
  if (config->action == notes::app::command::version) {
    std::printf("notes-server %s\n", NOTES_VERSION);
    return 0;
  }
  auto storage = notes::app::storage_backend::from_url(config->database_url);
  if (!storage) {
    say(storage.error());
    return exit_bad_config;
  }
  return run(*config, *storage);
}
