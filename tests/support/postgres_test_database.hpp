#pragma once
// Test access to the throwaway PostgreSQL cluster (postgres-cluster.sh, postgres.cmake).
#include <expected>
#include <string>

#include "notes/storage/database_config.hpp"

namespace notes::test {

// Where the tests' PostgreSQL server is: NOTES_TEST_POSTGRES_URL if set (a server of your
// own), else the cluster the ctest fixture started (NOTES_TEST_POSTGRES_STATE). The error
// says why there is none.
std::expected<storage::database_config, std::string> find_postgres();

// True when the environment demands that PostgreSQL tests run (CI=true): a missing server is
// then a failure, not a skip.
bool postgres_required();

// A database of its own for one test, created empty on construction and dropped (with any
// connections still open to it) on destruction.
class postgres_test_database {
 public:
  explicit postgres_test_database(storage::database_config server);
  ~postgres_test_database();
  postgres_test_database(const postgres_test_database&) = delete;
  postgres_test_database& operator=(const postgres_test_database&) = delete;

  const storage::database_config& config() const noexcept { return config_; }

  // Runs one SQL statement as the cluster's superuser in this database.
  void execute(const std::string& sql) const;

 private:
  storage::database_config server_;
  storage::database_config config_;
};

// The fixture's control script for stopping and starting the server (connection-loss tests);
// empty when the server is not the fixture's.
std::string postgres_control_command(const std::string& action);

}  // namespace notes::test
