// SQLite's read cache (state_read_cache): list pages served from remembered positions equal
// plain LIMIT/OFFSET pages, and the positions and totals are forgotten whenever anyone writes.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "state_read_cache.hpp"
#include "note_statements.hpp"
#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

namespace {

std::vector<note_id> ids(const note_page& page) {
  std::vector<note_id> out;
  for (const auto& n : page.notes) out.push_back(n.id);
  return out;
}

// Every page of both orders, several times over (the adapter learns the positions after a
// few pages at one state), against the memory repository; the owners' pages taken in turns.
void check_all_pages(note_repository& expected, note_repository& actual, std::int64_t per_page,
                     const std::vector<account_id>& owners = {no_account}) {
  std::int64_t most = 0;
  for (const account_id owner : owners) most = std::max(most, expected.count(owner).value());
  for (int round = 0; round < 3; ++round) {
    for (const auto order : {list_order::newest_first, list_order::pinned_first}) {
      for (std::int64_t page = 1; page <= most / per_page + 2; ++page) {
        for (const account_id owner : owners) {
          const auto want = expected.list(owner, order, {page, per_page}).value();
          const auto got = actual.list(owner, order, {page, per_page}).value();
          CAPTURE(round);
          CAPTURE(page);
          CAPTURE(owner);
          REQUIRE(got.total == want.total);
          REQUIRE(ids(got) == ids(want));
        }
      }
    }
  }
}

note numbered(int i) {
  // Equal creation times in threes, so ids break ties; every fifth note pinned.
  note n = make_note("note " + std::to_string(i), "x", at(i / 3), i % 5 == 0);
  n.id = i + 1;
  return n;
}

}  // namespace

TEST_CASE("list pages from remembered positions equal plain OFFSET pages in both orders") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  memory_note_repository expected;
  std::vector<note> batch;
  for (int i = 0; i < 3000; ++i) batch.push_back(numbered(i));
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  check_all_pages(expected, *repo, 10);
  check_all_pages(expected, *repo, 7);
  check_all_pages(expected, *repo, 100);
}

TEST_CASE("remembered list positions are forgotten when this or another connection writes") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  auto other = test::open_or_fail(db.config);
  memory_note_repository expected;
  std::vector<note> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(numbered(i));
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  check_all_pages(expected, *repo, 10);

  SUBCASE("its own create, pin and remove") {
    const note fresh = make_note("newest", "x", at(5000));
    REQUIRE(repo->create(fresh).has_value());
    REQUIRE(expected.create(fresh).has_value());
    check_all_pages(expected, *repo, 10);
    note pinned = repo->find(no_account, 1500).value().value();
    pinned.is_pinned = true;
    REQUIRE(repo->update(pinned, pinned.version, 0).has_value());
    REQUIRE(expected.update(pinned, pinned.version, 0).has_value());
    check_all_pages(expected, *repo, 10);
    REQUIRE(repo->remove(no_account, 700, std::nullopt).has_value());
    REQUIRE(expected.remove(no_account, 700, std::nullopt).has_value());
  }
  SUBCASE("another repository's writes") {
    REQUIRE(other->remove(no_account, 10, std::nullopt).has_value());
    REQUIRE(expected.remove(no_account, 10, std::nullopt).has_value());
    const note fresh = make_note("older", "x", at(3));
    REQUIRE(other->create(fresh).has_value());
    REQUIRE(expected.create(fresh).has_value());
  }
  SUBCASE("another process's write") {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.config.path.c_str(), &raw) == SQLITE_OK);
    CHECK(sqlite3_exec(raw, "DELETE FROM notes WHERE id = 1234", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
    sqlite3_close(raw);
    REQUIRE(expected.remove(no_account, 1234, std::nullopt).has_value());
  }
  check_all_pages(expected, *repo, 10);
}

TEST_CASE("remembered list positions are kept per owner") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  memory_note_repository expected;
  std::vector<note> batch;
  for (int i = 0; i < 3000; ++i) {
    note n = numbered(i);
    n.owner = i % 3;
    batch.push_back(std::move(n));
  }
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  check_all_pages(expected, *repo, 10, {1, 2, no_account});
  check_all_pages(expected, *repo, 32, {2, 1});

  REQUIRE(repo->change_owner(1, 2).value() == 1000);
  REQUIRE(expected.change_owner(1, 2).value() == 1000);
  check_all_pages(expected, *repo, 10, {1, 2, no_account});
}

TEST_CASE("list positions of more owners than are remembered at once stay right") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  memory_note_repository expected;
  std::vector<note> batch;
  std::vector<account_id> owners;
  const auto many = static_cast<int>(storage::detail::state_read_cache::max_owners) + 6;
  for (int owner = 1; owner <= many; ++owner) owners.push_back(owner);
  for (int i = 0; i < many * 40; ++i) {
    note n = numbered(i);
    n.owner = owners[static_cast<std::size_t>(i) % owners.size()];
    batch.push_back(std::move(n));
  }
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  check_all_pages(expected, *repo, 3, owners);
}

TEST_CASE("remembered search counts follow writes of this and another connection") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  auto other = test::open_or_fail(db.config);
  const auto total = [&](std::string_view query) {
    return repo->search(no_account, query, {1, 1}).value().total;
  };
  REQUIRE(repo->create(make_note("needle one", "x", at(1))).has_value());
  CHECK(total("needle") == 1);
  CHECK(total("needle") == 1);  // from the cache now
  CHECK(total("NEEDLE") == 1);
  REQUIRE(other->create(make_note("needle two", "x", at(2))).has_value());
  CHECK(total("needle") == 2);
  CHECK(total("needle") == 2);
  const note mine = repo->create(make_note("needle three", "x", at(3))).value();
  CHECK(total("needle") == 3);
  note changed = mine;
  changed.title = "no longer";
  REQUIRE(other->update(changed, mine.version, 0).has_value());
  CHECK(total("needle") == 2);
  CHECK(total("longer") == 1);
  // More needles than are remembered at once, then the first again.
  for (int i = 0; i < 40; ++i) CHECK(total("nothing " + std::to_string(i)) == 0);
  CHECK(total("needle") == 2);
  REQUIRE(repo->trash(no_account, mine.id, std::nullopt, at(4)).has_value());
  CHECK(total("longer") == 0);
}

namespace {

// What SQLite's EXPLAIN QUERY PLAN says of `sql`, one line per step.
std::string query_plan(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  const std::string explain = "EXPLAIN QUERY PLAN " + sql;
  REQUIRE(sqlite3_prepare_v2(raw, explain.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  std::string plan;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(statement, 3));
    plan += '\n';
  }
  sqlite3_finalize(statement);
  sqlite3_close(raw);
  return plan;
}

}  // namespace

TEST_CASE("pages by last change, numbered or after a position, read the index in its order") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  std::vector<note> batch;
  for (int i = 0; i < 300; ++i) batch.push_back(numbered(i));
  REQUIRE(repo->import(batch).has_value());
  const list_order order = list_order::pinned_recently_updated;
  const std::string owned = "SELECT id FROM notes WHERE owner = 0";
  const std::string tail = std::string(storage::detail::order_by(order)) + " LIMIT 10";
  for (const std::string& sql :
       {owned + tail, owned + storage::detail::after_position(order) + tail}) {
    const std::string plan = query_plan(db.config.path, sql);
    CAPTURE(sql);
    CAPTURE(plan);
    CHECK(plan.find("INDEX notes_pinned_updated") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
  }
}

// A tag's page in each order is a range of that order's note_tags index, numbered or after a
// position, with no sort of the tag's notes.
TEST_CASE("pages of a tag read that order's tag index in its order") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  std::vector<note> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(numbered(i));
    batch.back().tags = {i % 2 == 0 ? "work" : "home"};
  }
  REQUIRE(repo->import(batch).has_value());
  const std::pair<list_order, const char*> orders[] = {
      {list_order::newest_first, "INDEX note_tags_newest"},
      {list_order::pinned_first, "INDEX note_tags_pinned_newest"},
      {list_order::pinned_recently_updated, "INDEX note_tags_pinned_updated"},
  };
  const std::string tagged = "SELECT t0.note_id FROM note_tags t0 WHERE t0.owner = 0"
                             " AND t0.tag = 'work'";
  for (const auto& [order, index] : orders) {
    const std::string tail = std::string(storage::detail::tag_order_by(order)) + " LIMIT 10";
    for (const std::string& sql :
         {tagged + tail, tagged + storage::detail::tag_after_position(order) + tail}) {
      const std::string plan = query_plan(db.config.path, sql);
      CAPTURE(sql);
      CAPTURE(plan);
      CHECK(plan.find(index) != std::string::npos);
      CHECK(plan.find("TEMP B-TREE") == std::string::npos);
    }
  }
}
