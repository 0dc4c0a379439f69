// SQLite list pages served from remembered positions equal plain LIMIT/OFFSET pages, and the
// positions are forgotten whenever anyone writes.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

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
// few pages at one state), against the memory repository.
void check_all_pages(note_repository& expected, note_repository& actual, std::int64_t per_page) {
  for (int round = 0; round < 3; ++round) {
    for (const auto order : {list_order::newest_first, list_order::pinned_first}) {
      const auto total = expected.count().value();
      for (std::int64_t page = 1; page <= total / per_page + 2; ++page) {
        const auto want = expected.list(order, {page, per_page}).value();
        const auto got = actual.list(order, {page, per_page}).value();
        CAPTURE(round);
        CAPTURE(page);
        REQUIRE(got.total == want.total);
        REQUIRE(ids(got) == ids(want));
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
    note pinned = repo->find(1500).value().value();
    pinned.is_pinned = true;
    REQUIRE(repo->update(pinned, pinned.version).has_value());
    REQUIRE(expected.update(pinned, pinned.version).has_value());
    check_all_pages(expected, *repo, 10);
    REQUIRE(repo->remove(700, std::nullopt).has_value());
    REQUIRE(expected.remove(700, std::nullopt).has_value());
  }
  SUBCASE("another repository's writes") {
    REQUIRE(other->remove(10, std::nullopt).has_value());
    REQUIRE(expected.remove(10, std::nullopt).has_value());
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
    REQUIRE(expected.remove(1234, std::nullopt).has_value());
  }
  check_all_pages(expected, *repo, 10);
}
