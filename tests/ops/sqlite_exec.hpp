#pragma once
// SQLite behind the server's back: one SQL statement on its file, as an operator might run it.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace notes::testing {

inline void sqlite_exec(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string why = message == nullptr ? "" : message;
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, why);
}


}  // namespace notes::testing
