// export and import on PostgreSQL: the trash and the revisions of a SQLite database come through
// a PostgreSQL one unchanged, so the file moves a whole database between the two.
#include <doctest/doctest.h>

#include "history_transfer.hpp"
#include "store_available.hpp"
#include "test_server.hpp"

using notes::testing::postgres_backend;
using notes::testing::sqlite_backend;

TEST_CASE("export and import carry the trash and the revisions into PostgreSQL") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  const auto dir = notes::testing::make_temp_directory("notes-postgres-import-test");
  sqlite_backend source;
  notes::testing::store_with_history(source.inspect());
  postgres_backend target;
  notes::testing::check_round_trip(source.inspect(), source.url(), target.url(), dir);
  CHECK(target.inspect().archive(std::nullopt).value() ==
        source.inspect().archive(std::nullopt).value());
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}
