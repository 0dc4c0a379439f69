// PostgreSQL beyond the shared contract: several servers on one database, and exports that
// move between SQLite and PostgreSQL unchanged.
#include <doctest/doctest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "concurrency_checks.hpp"
#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

namespace {

// A migrated database of its own on the test server; empty optional when skipped.
struct migrated_postgres {
  explicit migrated_postgres(const database_config& server) : db(server) {
    const auto applied = migrate(db.config());
    REQUIRE_MESSAGE(applied.has_value(), (applied ? "" : applied.error().message));
  }
  test::postgres_test_database db;
};

}  // namespace

TEST_CASE("notes round-trip exactly from SQLite to PostgreSQL and back") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::sqlite_database sqlite_source;
  auto source = test::open_or_fail(sqlite_source.config);
  note a = source->create(make_note("Grüße", "Ärger über \"Café\" 100% _x_ \\n", at(1, 1), true))
               .value();
  const note b = source->create(make_note("gone", "x", at(2))).value();
  source->create(make_note("emoji 👋", std::string(5000, 'z'), at(3, 999999))).value();
  a.content = "edited twice";
  a.updated_at = at(10, 42);
  a = source->update(a, 1, 0).value();
  a = source->update(a, 2, 0).value();
  REQUIRE(source->remove(no_account, b.id, std::nullopt).has_value());
  const auto exported = source->all(std::nullopt).value();

  migrated_postgres pg(*server);
  auto middle = test::open_or_fail(pg.db.config());
  REQUIRE(middle->import(exported).has_value());
  const auto through_postgres = middle->all(std::nullopt).value();
  CHECK(through_postgres == exported);
  CHECK(middle->search(no_account, "CAFÉ", {1, 10}).value().total == 0);
  CHECK(middle->search(no_account, "EDITED", {1, 10}).value().total == 1);

  test::sqlite_database sqlite_target;
  auto target = test::open_or_fail(sqlite_target.config);
  REQUIRE(target->import(through_postgres).has_value());
  CHECK(target->all(std::nullopt).value() == exported);
}

TEST_CASE("two repositories on one PostgreSQL database act as one store") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  auto first = test::open_or_fail(pg.db.config());
  auto second = test::open_or_fail(pg.db.config());
  const note n = first->create(make_note("from first", "x", at(1))).value();
  REQUIRE(second->find(no_account, n.id).value().has_value());
  note edit = n;
  edit.title = "edited by second";
  REQUIRE(second->update(edit, 1, 0).has_value());
  edit.title = "stale edit by first";
  const auto stale = first->update(edit, 1, 0);
  REQUIRE_FALSE(stale.has_value());
  CHECK(stale.error().code == error_code::conflict);
  CHECK(first->find(no_account, n.id).value()->title == "edited by second");
  CHECK(first->search(no_account, "second", {1, 10}).value().total == 1);
}

TEST_CASE("several PostgreSQL repositories work at once with one per thread") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_parallel_writers(pg.db.config());
}

TEST_CASE("PostgreSQL's kept totals stay exact under concurrent writes of overlapping tags") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_totals_under_concurrent_writes(pg.db.config());
}

TEST_CASE("concurrent PostgreSQL updates with expected versions never lose one") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_no_lost_updates(pg.db.config());
}

TEST_CASE("a PostgreSQL restore racing a purge of the same trashed note: exactly one wins") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  test::check_restore_purge_race(pg.db.config());
}

TEST_CASE("the PostgreSQL search uses the trigram indexes") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  migrated_postgres pg(*server);
  long long indexes = 0;
  // A query through the adapter's own connection would be nicer; the catalog says the same.
  soci::session raw(soci::postgresql,
                    "host=" + pg.db.config().host + " port=" + std::to_string(pg.db.config().port) +
                        " dbname=" + pg.db.config().database_name + " user=" + pg.db.config().user);
  raw << "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'notes' AND indexdef LIKE "
         "'%gin_trgm_ops%'",
      soci::into(indexes);
  CHECK(indexes == 2);
}
