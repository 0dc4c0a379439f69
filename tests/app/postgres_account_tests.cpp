// `notes-server users` on PostgreSQL, as on SQLite: the commands go through the same port, so
// one add and one list show that the command line reaches the other backend too.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "child_process.hpp"
#include "notes/storage/database.hpp"
#include "store_available.hpp"
#include "test_server.hpp"

using notes::testing::child_process;
using notes::testing::postgres_backend;

TEST_CASE("users add and users list on PostgreSQL") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend db;
  const auto dir = notes::testing::make_temp_directory("notes-postgres-account-test");
  const auto in = dir / "stdin.txt";
  const auto out = dir / "stdout.txt";
  std::ofstream(in) << "a postgres password\n";
  {
    child_process add(NOTES_SERVER_PATH, {"users", "add", "Alice", "--admin"},
                      {"DATABASE_URL=" + db.url()}, dir, {}, in);
    CHECK_MESSAGE(add.finish(std::chrono::seconds(60)) == 0, add.stderr_text());
    child_process again(NOTES_SERVER_PATH, {"users", "add", "alice"},
                        {"DATABASE_URL=" + db.url()}, dir, {}, in);
    CHECK(again.finish(std::chrono::seconds(60)) == 1);
    CHECK(again.stderr_text().find("That username is taken.") != std::string::npos);
    child_process list(NOTES_SERVER_PATH, {"users", "list"}, {"DATABASE_URL=" + db.url()}, dir,
                       out);
    CHECK_MESSAGE(list.finish(std::chrono::seconds(60)) == 0, list.stderr_text());
  }
  std::ifstream listed(out);
  std::string header, row, rest;
  std::getline(listed, header);
  std::getline(listed, row);
  CHECK(header.starts_with("NAME"));
  CHECK(row.starts_with("Alice  yes    0      "));
  CHECK_FALSE(std::getline(listed, rest));

  auto accounts = notes::storage::open_account_repository(db.config());
  REQUIRE(accounts);
  const auto stored = (*accounts)->accounts().value();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].name == "Alice");
  CHECK(stored[0].is_admin);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}
