#pragma once
// A full disk on demand, for the tests of what a full disk looks like to storage and to clients.
#include <sqlite3.h>

#include <string>

namespace notes::testing {

// Every SQLite connection this process opens while it lives may grow its database by 16 pages
// (64 KiB) at most: PRAGMA max_page_count, past which SQLite fails a write with SQLITE_FULL just
// as on a full disk.
class sqlite_size_limit {
 public:
  sqlite_size_limit() { sqlite3_auto_extension(entry()); }
  ~sqlite_size_limit() { sqlite3_cancel_auto_extension(entry()); }
  sqlite_size_limit(const sqlite_size_limit&) = delete;
  sqlite_size_limit& operator=(const sqlite_size_limit&) = delete;

 private:
  static int limit(sqlite3* db, const char**, const sqlite3_api_routines*) {
    sqlite3_stmt* pages = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &pages, nullptr) != SQLITE_OK) {
      return SQLITE_ERROR;
    }
    const sqlite3_int64 now =
        sqlite3_step(pages) == SQLITE_ROW ? sqlite3_column_int64(pages, 0) : 0;
    sqlite3_finalize(pages);
    const std::string sql = "PRAGMA max_page_count = " + std::to_string(now + 16);
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  }
  // SQLite takes every entry point as void (*)(void).
  static void (*entry())() { return reinterpret_cast<void (*)()>(&limit); }
};

}  // namespace notes::testing
