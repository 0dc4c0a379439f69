#include "postgres_test_database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>

#include "notes/storage/database.hpp"

namespace notes::test {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string conninfo(const storage::database_config& c) {
  std::string info = "host=" + c.host + " port=" + std::to_string(c.port) +
                     " dbname=" + c.database_name + " connect_timeout=5";
  if (!c.user.empty()) info += " user=" + c.user;
  if (!c.password.empty()) info += " password=" + c.password;
  return info;
}

std::string unique_database_name() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  return "notes_test_" + std::to_string(::getpid()) + "_" + std::to_string(salt % 100000) + "_" +
         std::to_string(counter++);
}

}  // namespace

std::expected<storage::database_config, std::string> find_postgres() {
  if (!storage::postgresql_supported()) {
    return std::unexpected(
        "this build of notes has no PostgreSQL support (NOTES_WITH_POSTGRESQL=OFF)");
  }
  std::string url = env("NOTES_TEST_POSTGRES_URL");
  if (url.empty()) {
    const std::string state = env("NOTES_TEST_POSTGRES_STATE");
    if (state.empty()) {
      return std::unexpected(
          "neither NOTES_TEST_POSTGRES_URL nor NOTES_TEST_POSTGRES_STATE is set (run through "
          "ctest)");
    }
    if (std::string reason = first_line(state + "/skip"); !reason.empty()) {
      return std::unexpected("the test cluster could not be started: " + reason);
    }
    url = first_line(state + "/url");
    if (url.empty()) return std::unexpected("the test cluster left no URL in " + state);
  }
  auto config = storage::parse_database_url(url);
  if (!config) return std::unexpected(config.error().message);
  return *config;
}

// A build without PostgreSQL cannot be asked to test it, not even by CI.
bool postgres_required() { return env("CI") == "true" && storage::postgresql_supported(); }

postgres_test_database::postgres_test_database(storage::database_config server)
    : server_(std::move(server)), config_(server_) {
  config_.database_name = unique_database_name();
  soci::session admin(soci::postgresql, conninfo(server_));
  // FILE_COPY: much faster than PostgreSQL 15's default WAL_LOG for a tiny template.
  admin << "CREATE DATABASE " + config_.database_name + " STRATEGY = FILE_COPY";
}

postgres_test_database::~postgres_test_database() {
  try {
    soci::session admin(soci::postgresql, conninfo(server_));
    admin << "DROP DATABASE IF EXISTS " + config_.database_name + " WITH (FORCE)";
  } catch (...) {
    // The cluster is deleted after the run anyway; a leftover database harms nothing.
  }
}

void postgres_test_database::execute(const std::string& sql) const {
  soci::session session(soci::postgresql, conninfo(config_));
  session << sql;
}

std::string postgres_control_command(const std::string& action) {
  const std::string state = env("NOTES_TEST_POSTGRES_STATE");
  if (state.empty() || !env("NOTES_TEST_POSTGRES_URL").empty()) return {};
  const std::string script = first_line(state + "/script");
  if (script.empty()) return {};
  return "bash '" + script + "' " + action + " '" + state + "'";
}

}  // namespace notes::test
