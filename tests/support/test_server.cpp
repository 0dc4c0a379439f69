#include "test_server.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <stdexcept>

#include "notes/storage/database.hpp"

namespace notes::testing {

http::server_options test_server_options() {
  http::server_options options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.access_log = false;
  options.shutdown_timeout = std::chrono::seconds(5);
  options.web.secret_key = "test secret key, not for production";
  return options;
}

test_server::test_server(http::repository_factory repositories, http::server_options options)
    : server_(std::make_unique<http::server>(std::move(options), std::move(repositories))) {
  server_->start();
}

test_server::~test_server() { stop(); }

std::uint16_t test_server::port() const noexcept { return server_->port(); }

http::server& test_server::server() noexcept { return *server_; }

void test_server::stop() { server_->stop(); }

http::repository_factory memory_backend::repositories() {
  return http::share_repository(repository_);
}

std::filesystem::path make_temp_directory(std::string_view prefix) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter.fetch_add(1)));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

namespace {

storage::database_config sqlite_config(const std::filesystem::path& file) {
  storage::database_config config;
  config.kind = storage::database_kind::sqlite;
  config.path = file.string();
  return config;
}

http::repository_factory opener(const storage::database_config& config) {
  return [config]() -> std::unique_ptr<note_repository> {
    auto opened = storage::open_repository(config);
    if (!opened) throw std::runtime_error("open_repository: " + opened.error().message);
    return std::move(*opened);
  };
}

}  // namespace

sqlite_backend::sqlite_backend() : directory_(make_temp_directory("notes-http-test")) {
  auto migrated = storage::migrate(sqlite_config(directory_ / "notes.db"));
  if (!migrated) throw std::runtime_error("migrate: " + migrated.error().message);
}

sqlite_backend::~sqlite_backend() {
  inspector_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string sqlite_backend::url() const {
  return "sqlite:///" + (directory_ / "notes.db").string();
}

http::repository_factory sqlite_backend::repositories() {
  return opener(sqlite_config(directory_ / "notes.db"));
}

note_repository& sqlite_backend::inspect() {
  if (!inspector_) inspector_ = repositories()();
  return *inspector_;
}

std::optional<std::string> postgres_backend::unavailable() {
  auto server = test::find_postgres();
  if (server) return std::nullopt;
  return server.error();
}

postgres_backend::postgres_backend() {
  auto server = test::find_postgres();
  if (!server) throw std::runtime_error("no PostgreSQL for the tests: " + server.error());
  database_ = std::make_unique<test::postgres_test_database>(*server);
  auto migrated = storage::migrate(database_->config());
  if (!migrated) throw std::runtime_error("migrate: " + migrated.error().message);
}

postgres_backend::~postgres_backend() { inspector_.reset(); }

std::string postgres_backend::url() const {
  const auto& c = database_->config();
  auto escaped = [](const std::string& s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
      if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
        out += static_cast<char>(ch);
      } else {
        out += '%';
        out += digits[ch >> 4];
        out += digits[ch & 15];
      }
    }
    return out;
  };
  std::string credentials = escaped(c.user);
  if (!c.password.empty()) credentials += ":" + escaped(c.password);
  if (!credentials.empty()) credentials += "@";
  std::string host = c.host.find(':') == std::string::npos ? c.host : "[" + c.host + "]";
  return "postgresql://" + credentials + host + ":" + std::to_string(c.port) + "/" +
         c.database_name;
}

http::repository_factory postgres_backend::repositories() { return opener(database_->config()); }

note_repository& postgres_backend::inspect() {
  if (!inspector_) inspector_ = repositories()();
  return *inspector_;
}

}  // namespace notes::testing
