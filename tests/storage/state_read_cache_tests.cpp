// SQLite's read cache (state_read_cache): list pages served from remembered positions equal
// plain LIMIT/OFFSET pages, and the positions and totals (of lists, tags and searches) are
// forgotten whenever anyone writes.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "state_read_cache.hpp"
#include "unchanged_reads.hpp"
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

void require_same_page(const note_page& got, const note_page& want) {
  REQUIRE(got.total == want.total);
  REQUIRE(ids(got) == ids(want));
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
          require_same_page(got, want);
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

TEST_CASE("remembered tags follow writes of this and another connection") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  auto other = test::open_or_fail(db.config);
  const auto tags = [&](account_id owner) { return repo->tag_counts(owner).value(); };
  note tagged = make_note("one", "x", at(1));
  tagged.tags = {"work"};
  const note first = repo->create(tagged).value();
  CHECK(tags(no_account) == std::vector<tag_count>{{"work", 1}});
  CHECK(tags(no_account) == std::vector<tag_count>{{"work", 1}});  // from the cache now
  tagged.tags = {"home", "work"};
  REQUIRE(other->create(tagged).has_value());
  CHECK(tags(no_account) == std::vector<tag_count>{{"home", 1}, {"work", 2}});
  note retagged = first;
  retagged.tags = {"home"};
  REQUIRE(other->update(retagged, first.version, 0).has_value());
  CHECK(tags(no_account) == std::vector<tag_count>{{"home", 2}, {"work", 1}});
  CHECK(tags(1).empty());  // another owner's, at the same state
  REQUIRE(repo->trash(no_account, first.id, std::nullopt, at(4)).has_value());
  CHECK(tags(no_account) == std::vector<tag_count>{{"home", 1}, {"work", 1}});
}

TEST_CASE("remembered tag totals follow writes of this and another connection") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  auto other = test::open_or_fail(db.config);
  const auto total = [&](const std::string& tag) {
    const std::vector<std::string> filter{tag};
    const auto by_number =
        repo->list(no_account, list_order::newest_first, {1, 1}, filter).value();
    const auto after =
        repo->list_after(no_account, list_order::pinned_first, {true, at(9999), 1 << 30}, 1,
                         filter)
            .value();
    CHECK(after.total == by_number.total);
    return by_number.total;
  };
  note tagged = make_note("one", "x", at(1));
  tagged.tags = {"work"};
  const note first = repo->create(tagged).value();
  CHECK(total("work") == 1);
  CHECK(total("work") == 1);  // from the cache now
  CHECK(total("home") == 0);
  tagged.tags = {"home", "work"};
  REQUIRE(other->create(tagged).has_value());
  CHECK(total("work") == 2);
  CHECK(total("home") == 1);
  note retagged = first;
  retagged.tags = {"home"};
  REQUIRE(other->update(retagged, first.version, 0).has_value());
  CHECK(total("work") == 1);
  CHECK(total("home") == 2);
  // More tags than are remembered at once, then the first again.
  const auto many = static_cast<int>(storage::detail::state_read_cache::max_tag_totals) + 6;
  for (int i = 0; i < many; ++i) CHECK(total("nothing" + std::to_string(i)) == 0);
  CHECK(total("home") == 2);
  const note mine = repo->find(no_account, first.id).value().value();
  REQUIRE(repo->trash(no_account, mine.id, std::nullopt, at(4)).has_value());
  CHECK(total("home") == 1);
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.config.path.c_str(), &raw) == SQLITE_OK);
  CHECK(sqlite3_exec(raw, "DELETE FROM notes", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  CHECK(total("home") == 0);
  CHECK(total("work") == 0);
}

namespace {

// Every page of `tag` in each order, numbered and then after a position, several times over,
// against the memory repository.
void check_tag_pages(note_repository& expected, note_repository& actual, const std::string& tag,
                     std::int64_t per_page) {
  const std::vector<std::string> filter{tag};
  for (int round = 0; round < 2; ++round) {
    for (const auto order : {list_order::newest_first, list_order::pinned_first,
                             list_order::pinned_recently_updated}) {
      const std::int64_t pages =
          expected.list(no_account, order, {1, per_page}, filter).value().total / per_page + 2;
      for (std::int64_t page = 1; page <= pages; ++page) {
        const auto want = expected.list(no_account, order, {page, per_page}, filter).value();
        const auto got = actual.list(no_account, order, {page, per_page}, filter).value();
        CAPTURE(round);
        CAPTURE(page);
        require_same_page(got, want);
      }
      note_page want = expected.list(no_account, order, {1, per_page}, filter).value();
      while (!want.notes.empty()) {
        const list_position after = position_of(want.notes.back(), order);
        want = expected.list_after(no_account, order, after, per_page, filter).value();
        const auto got = actual.list_after(no_account, order, after, per_page, filter).value();
        CAPTURE(round);
        CAPTURE(after.id);
        require_same_page(got, want);
      }
    }
  }
}

}  // namespace

TEST_CASE("pages of one tag equal the memory repository's in every order and after writes") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  auto other = test::open_or_fail(db.config);
  memory_note_repository expected;
  std::vector<note> batch;
  for (int i = 0; i < 2000; ++i) {
    batch.push_back(numbered(i));
    batch.back().updated_at = at(i / 3 + (i * 7919) % 2000);
    if (i % 10 == 0) batch.back().tags = {"project"};
    if (i % 3 == 0) batch.back().tags.push_back("zz");
  }
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  check_tag_pages(expected, *repo, "project", 10);
  check_tag_pages(expected, *repo, "zz", 7);

  SUBCASE("its own writes") {
    note fresh = make_note("newest", "x", at(5000));
    fresh.tags = {"project"};
    REQUIRE(repo->create(fresh).has_value());
    REQUIRE(expected.create(fresh).has_value());
    check_tag_pages(expected, *repo, "project", 10);
    note pinned = repo->find(no_account, 1001).value().value();
    pinned.is_pinned = !pinned.is_pinned;
    REQUIRE(repo->update(pinned, pinned.version, 0).has_value());
    REQUIRE(expected.update(pinned, pinned.version, 0).has_value());
    check_tag_pages(expected, *repo, "project", 10);
    REQUIRE(repo->remove(no_account, 501, std::nullopt).has_value());
    REQUIRE(expected.remove(no_account, 501, std::nullopt).has_value());
  }
  SUBCASE("another connection's writes") {
    REQUIRE(other->remove(no_account, 11, std::nullopt).has_value());
    REQUIRE(expected.remove(no_account, 11, std::nullopt).has_value());
    note untagged = repo->find(no_account, 21).value().value();
    untagged.tags = {};
    REQUIRE(other->update(untagged, untagged.version, 0).has_value());
    REQUIRE(expected.update(untagged, untagged.version, 0).has_value());
    note older = make_note("older", "x", at(3));
    older.tags = {"project"};
    REQUIRE(other->create(older).has_value());
    REQUIRE(expected.create(older).has_value());
  }
  check_tag_pages(expected, *repo, "project", 10);
}

namespace {

// Every page of each query for each owner, against the memory repository: first forwards (a
// walk goes on page by page), then the last page first after a write (a deep page first is
// sorted), then backwards.
void check_search_pages(note_repository& expected, note_repository& actual,
                        const std::vector<std::string>& queries, std::int64_t per_page,
                        const std::vector<account_id>& owners) {
  const auto check_page = [&](const std::string& query, account_id owner, std::int64_t page) {
    const auto want = expected.search(owner, query, {page, per_page}).value();
    const auto got = actual.search(owner, query, {page, per_page}).value();
    CAPTURE(query);
    CAPTURE(owner);
    CAPTURE(page);
    REQUIRE(got.total == want.total);
    REQUIRE(ids(got) == ids(want));
    REQUIRE(got.notes == want.notes);
  };
  for (const std::string& query : queries) {
    for (const account_id owner : owners) {
      const std::int64_t pages =
          expected.search(owner, query, {1, per_page}).value().total / per_page + 2;
      for (std::int64_t page = 1; page <= pages; ++page) check_page(query, owner, page);
      // A write that changes no match: the state moves on, the cache starts over.
      note other = make_note("unrelated", "x", at(1));
      other.owner = owner;
      REQUIRE(actual.create(other).has_value());
      REQUIRE(expected.create(other).has_value());
      for (std::int64_t page = pages; page >= 1; --page) check_page(query, owner, page);
    }
  }
}

// Note i has "common" in one note of 10, "medium" in one of 33 and "rare" in one of 100; equal
// creation times in threes.
std::vector<note> searchable(int count) {
  std::vector<note> out;
  for (int i = 0; i < count; ++i) {
    note n = numbered(i);
    if (i % 10 == 0) n.content += " common";
    if (i % 33 == 0) n.title += " medium";
    if (i % 100 == 7) n.content += " a RARE one";
    out.push_back(std::move(n));
  }
  return out;
}

const std::vector<std::string> search_queries = {"common", "medium", "rare", "Note 1",
                                                 "nowhere", "note"};

// Writes through both repositories that the search index has not taken in yet: they are in
// its queue, which searches read beside it.
void queue_changes(note_repository& expected, note_repository& actual, account_id owner) {
  for (int i = 0; i < 25; ++i) {
    note n = make_note("queued " + std::to_string(i), i % 2 == 0 ? "common" : "rare", at(i * 7));
    n.owner = owner;
    REQUIRE(actual.create(n).has_value());
    REQUIRE(expected.create(n).has_value());
  }
  const auto first = expected.search(owner, "common", {1, 1}).value().notes;
  REQUIRE(first.size() == 1);
  note changed = first.front();
  changed.content = "no longer";
  REQUIRE(actual.update(changed, changed.version, 0).has_value());
  REQUIRE(expected.update(changed, changed.version, 0).has_value());
  const auto rare = expected.search(owner, "rare", {2, 1}).value().notes;
  REQUIRE(rare.size() == 1);
  REQUIRE(actual.remove(owner, rare.front().id, std::nullopt).has_value());
  REQUIRE(expected.remove(owner, rare.front().id, std::nullopt).has_value());
}

}  // namespace

TEST_CASE("search pages from the read cache equal plain search pages, walked or sorted") {
  test::sqlite_database db;
  memory_note_repository expected;
  const std::vector<note> batch = searchable(3000);
  REQUIRE(expected.import(batch).has_value());

  SUBCASE("one owner, matches remembered") {
    auto repo = test::open_or_fail(db.config);
    REQUIRE(repo->import(batch).has_value());
    queue_changes(expected, *repo, no_account);
    check_search_pages(expected, *repo, search_queries, 10, {no_account});
    check_search_pages(expected, *repo, {"common"}, 7, {no_account});
  }
  SUBCASE("more matches than remembered: the needles with many page through SQL") {
    auto config = db.config;
    config.sqlite_search_matches = 50;  // "rare" fits, "common" and "medium" do not
    auto repo = test::open_or_fail(config);
    REQUIRE(repo->import(batch).has_value());
    queue_changes(expected, *repo, no_account);
    check_search_pages(expected, *repo, search_queries, 10, {no_account});
  }
  SUBCASE("nothing remembered") {
    auto config = db.config;
    config.sqlite_search_matches = 0;
    auto repo = test::open_or_fail(config);
    REQUIRE(repo->import(batch).has_value());
    check_search_pages(expected, *repo, {"common", "rare", "nowhere"}, 10, {no_account});
  }
}

TEST_CASE("search pages from the read cache are each owner's own") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  memory_note_repository expected;
  std::vector<note> batch = searchable(3000);
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].owner = static_cast<account_id>(i % 3);
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  queue_changes(expected, *repo, 1);
  check_search_pages(expected, *repo, search_queries, 10, {1, 2, no_account, 3});
  // Once one owner is left, the index's matches are theirs alone.
  REQUIRE(repo->remove_all(1).value() > 0);
  REQUIRE(expected.remove_all(1).value() > 0);
  REQUIRE(repo->remove_all(2).value() > 0);
  REQUIRE(expected.remove_all(2).value() > 0);
  check_search_pages(expected, *repo, {"common", "rare"}, 10, {no_account});
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

namespace {

detail::wal_stamp stamp(std::uint32_t changes, std::uint32_t salt = 7) {
  detail::wal_stamp s{};
  s[0] = 3007000;
  s[2] = changes;  // the header's change counter
  s[9] = salt;
  return s;
}

// The first page of two notes of a list (`text` empty) or of the tag `text`, pinned first.
detail::unchanged_reads::page_key first_page(detail::unchanged_reads::page_key::kind of,
                                             std::string text) {
  return {.owner = no_account,
          .of = of,
          .order = list_order::pinned_first,
          .text = std::move(text),
          .page = 1,
          .per_page = 2};
}

note kept_note(note_id id, account_id owner = no_account) {
  note n = make_note("note " + std::to_string(id), std::string(200, 'x'), at(1));
  n.id = id;
  n.owner = owner;
  return n;
}

}  // namespace

TEST_CASE("reads kept while unchanged are answered at that state only, and another state "
          "forgets them") {
  detail::unchanged_reads reads(1 << 20);
  reads.keep(stamp(5), kept_note(1));
  CHECK(reads.find(stamp(5), no_account, 1) == kept_note(1));
  CHECK_FALSE(reads.find(stamp(5), 42, 1).has_value());  // another owner's
  CHECK_FALSE(reads.find(stamp(6), no_account, 1).has_value());
  CHECK_FALSE(reads.find(stamp(5, 8), no_account, 1).has_value());  // the WAL started over
  CHECK(reads.served() == 1);

  // Another state: the one kept so far is forgotten.
  reads.keep(stamp(6), kept_note(2));
  CHECK(reads.find(stamp(6), no_account, 2).has_value());
  CHECK_FALSE(reads.find(stamp(6), no_account, 1).has_value());
  CHECK_FALSE(reads.find(stamp(5), no_account, 1).has_value());

  // A lower change counter too: recovering the WAL index starts it again from 0.
  reads.keep(stamp(0, 9), kept_note(3));
  CHECK(reads.find(stamp(0, 9), no_account, 3).has_value());
  CHECK_FALSE(reads.find(stamp(6), no_account, 2).has_value());

  const std::vector<tag_count> tags{{"a", 2}};
  reads.keep(stamp(7), no_account, tags);
  CHECK(reads.tags(stamp(7), no_account) == tags);
  CHECK_FALSE(reads.tags(stamp(8), no_account).has_value());
}

TEST_CASE("pages kept while unchanged share their notes, and once full nothing more is kept") {
  detail::unchanged_reads probe(1 << 20);
  probe.keep(stamp(1), kept_note(1));
  const std::size_t one = probe.bytes();
  REQUIRE(one > 200);
  // Room for three notes, not four.
  detail::unchanged_reads reads(3 * one + one / 2);
  using key = detail::unchanged_reads::page_key;
  const key first = first_page(key::kind::list, "");
  const key tagged = first_page(key::kind::tag, "a");
  const note_page page{.notes = {kept_note(1), kept_note(2)}, .total = 9};
  reads.keep(stamp(1), first, page);
  CHECK(reads.page(stamp(1), first)->notes == page.notes);
  CHECK(reads.page(stamp(1), first)->total == 9);
  CHECK_FALSE(reads.page(stamp(1), tagged).has_value());
  CHECK(reads.find(stamp(1), no_account, 2) == kept_note(2));
  CHECK(reads.bytes() == 2 * one);

  // A third note fits, a fourth does not: it is not kept, and neither is a page holding it;
  // what was kept stays.
  reads.keep(stamp(1), kept_note(3));
  reads.keep(stamp(1), kept_note(4));
  CHECK(reads.bytes() == 3 * one);
  CHECK_FALSE(reads.find(stamp(1), no_account, 4).has_value());
  reads.keep(stamp(1), tagged, note_page{.notes = {kept_note(1), kept_note(4)}, .total = 2});
  CHECK_FALSE(reads.page(stamp(1), tagged).has_value());
  CHECK(reads.page(stamp(1), first)->notes == page.notes);
  CHECK(reads.find(stamp(1), no_account, 3).has_value());
  // The next state starts empty.
  reads.keep(stamp(2), kept_note(4));
  CHECK(reads.bytes() == one);
  CHECK(reads.find(stamp(2), no_account, 4).has_value());
}
