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

namespace {

// A server thread's view of an account repository the test owns (thread-safe, in memory).
class borrowed_accounts final : public account_repository {
 public:
  explicit borrowed_accounts(account_repository& shared) : shared_(shared) {}

  result<account> create_account(const account& fresh) override {
    return shared_.create_account(fresh);
  }
  result<std::optional<account>> find_account(account_id id) override {
    return shared_.find_account(id);
  }
  result<std::optional<account>> find_account_by_name(std::string_view name) override {
    return shared_.find_account_by_name(name);
  }
  result<std::vector<account>> accounts() override { return shared_.accounts(); }
  result<account> set_password(account_id id, std::string_view password_hash) override {
    return shared_.set_password(id, password_hash);
  }
  result<void> remove_account(account_id id) override { return shared_.remove_account(id); }
  result<api_token> create_token(const api_token& fresh) override {
    return shared_.create_token(fresh);
  }
  result<std::optional<api_token>> find_token(std::string_view secret_digest) override {
    return shared_.find_token(secret_digest);
  }
  result<std::vector<api_token>> tokens(account_id owner) override {
    return shared_.tokens(owner);
  }
  result<void> revoke_token(account_id owner, token_id id) override {
    return shared_.revoke_token(owner, id);
  }
  result<void> touch_token(token_id id, timestamp at) override {
    return shared_.touch_token(id, at);
  }
  result<void> record_failed_sign_in(std::string_view name_key, std::string_view address,
                                     timestamp at) override {
    return shared_.record_failed_sign_in(name_key, address, at);
  }
  result<sign_in_failures> failed_sign_ins(std::string_view name_key, std::string_view address,
                                           timestamp since) override {
    return shared_.failed_sign_ins(name_key, address, since);
  }
  result<void> clear_failed_sign_ins(std::string_view name_key) override {
    return shared_.clear_failed_sign_ins(name_key);
  }
  result<void> prune_failed_sign_ins(timestamp before) override {
    return shared_.prune_failed_sign_ins(before);
  }

 private:
  account_repository& shared_;
};

}  // namespace

http::repository_factory memory_backend::repositories() {
  return http::share_repository(repository_);
}

http::account_repository_factory memory_backend::account_repositories() {
  return [this] { return std::make_unique<borrowed_accounts>(accounts_); };
}

std::string fake_credentials::hash_password(std::string_view password) {
  return "fake$" + std::string(password);
}

bool fake_credentials::verify_password(std::string_view hash, std::string_view password) {
  return hash == "fake$" + std::string(password);
}

std::string fake_credentials::new_token_secret() {
  static std::atomic<int> made{0};
  return "notes_test_" + std::to_string(::getpid()) + "_" + std::to_string(++made);
}

std::string fake_credentials::digest_token(std::string_view secret) {
  return "digest:" + std::string(secret);
}

account account_setup::add(std::string_view name, std::string_view password, bool is_admin) {
  auto made = service_.add_account(name, password, is_admin);
  if (!made) throw std::runtime_error("add_account: " + made.error().message);
  return *made;
}

std::string account_setup::token(const account& owner, token_scope scope, std::string_view name) {
  auto made = service_.create_token(owner.id, name, scope);
  if (!made) throw std::runtime_error("create_token: " + made.error().message);
  return made->secret;
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

http::account_repository_factory account_opener(const storage::database_config& config) {
  return [config]() -> std::unique_ptr<account_repository> {
    auto opened = storage::open_account_repository(config);
    if (!opened) throw std::runtime_error("open_account_repository: " + opened.error().message);
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
  account_inspector_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string sqlite_backend::url() const {
  return "sqlite:///" + (directory_ / "notes.db").string();
}

http::repository_factory sqlite_backend::repositories() {
  return opener(sqlite_config(directory_ / "notes.db"));
}

http::account_repository_factory sqlite_backend::account_repositories() {
  return account_opener(sqlite_config(directory_ / "notes.db"));
}

note_repository& sqlite_backend::inspect() {
  if (!inspector_) inspector_ = repositories()();
  return *inspector_;
}

account_repository& sqlite_backend::inspect_accounts() {
  if (!account_inspector_) account_inspector_ = account_repositories()();
  return *account_inspector_;
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

postgres_backend::~postgres_backend() {
  inspector_.reset();
  account_inspector_.reset();
}

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

http::account_repository_factory postgres_backend::account_repositories() {
  return account_opener(database_->config());
}

note_repository& postgres_backend::inspect() {
  if (!inspector_) inspector_ = repositories()();
  return *inspector_;
}

account_repository& postgres_backend::inspect_accounts() {
  if (!account_inspector_) account_inspector_ = account_repositories()();
  return *account_inspector_;
}

}  // namespace notes::testing
