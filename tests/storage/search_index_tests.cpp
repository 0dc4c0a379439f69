// SQLite's search index: new and changed notes wait in a queue that the adapter moves into the
// trigram index in batches; search reads both, so it is exact at every moment.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

namespace {

std::vector<std::string> titles(const note_page& page) {
  std::vector<std::string> out;
  for (const auto& n : page.notes) out.push_back(n.title);
  return out;
}

// Every page of `query` among `owner`'s notes in both repositories, compared.
void check_same_search(note_repository& expected, note_repository& actual, std::string_view query,
                       std::int64_t per_page, account_id owner = no_account) {
  const auto first = expected.search(owner, query, {1, per_page}).value();
  REQUIRE(first.total > 0);
  const std::int64_t pages = (first.total + per_page - 1) / per_page;
  for (std::int64_t page = 1; page <= pages + 1; ++page) {
    const auto want = expected.search(owner, query, {page, per_page}).value();
    const auto got = actual.search(owner, query, {page, per_page}).value();
    CAPTURE(owner);
    CAPTURE(page);
    CHECK(got.total == want.total);
    CHECK(titles(got) == titles(want));
  }
}

}  // namespace

TEST_CASE("queued notes move into the search index every few hundred writes and after a second") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  for (int i = 0; i < 10; ++i) REQUIRE(repo->create(make_note("n", "x", at(i))).has_value());
  CHECK(test::queued_notes(db.config.path) == 10);
  for (int i = 10; i < 600; ++i) REQUIRE(repo->create(make_note("n", "x", at(i))).has_value());
  const auto queued = test::queued_notes(db.config.path);
  MESSAGE(queued << " of 600 notes queued");
  CHECK(queued < 300);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  REQUIRE(repo->create(make_note("after a quiet second", "x", at(700))).has_value());
  CHECK(test::queued_notes(db.config.path) == 0);
  CHECK(repo->search(no_account, "quiet second", {1, 10}).value().total == 1);
}

TEST_CASE("search finds each note once, by its current text, through every change") {
  // A queued note's index entries may be stale (removed or changed text): search must skip
  // them and read the note itself. The FTS5 integrity check compares the index with the notes
  // once the queue is moved in: every stale entry must be gone then.
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  std::vector<note> notes;
  for (int i = 0; i < 8; ++i) {
    notes.push_back(
        repo->create(make_note("indexed " + std::to_string(i), "alpha text", at(i))).value());
  }
  test::index_queued_notes(db.config.path);
  for (int i = 8; i < 16; ++i) {
    notes.push_back(
        repo->create(make_note("queued " + std::to_string(i), "alpha text", at(i))).value());
  }
  // Changed text of an indexed and of a queued note; pinning only; removal of each kind.
  for (int i : {1, 9}) {
    note changed = notes[i];
    changed.content = "beta text";
    notes[i] = repo->update(changed, changed.version, 0).value();
  }
  for (int i : {2, 10}) {
    note pinned = notes[i];
    pinned.is_pinned = true;
    notes[i] = repo->update(pinned, pinned.version, 0).value();
  }
  REQUIRE(repo->remove(no_account, notes[3].id, std::nullopt).has_value());
  REQUIRE(repo->remove(no_account, notes[11].id, std::nullopt).has_value());
  // Eight created after the move, plus the indexed note whose text changed and the indexed note
  // removed (their old entries are still in the index).
  CHECK(test::queued_notes(db.config.path) == 10);

  const auto check_search = [&] {
    CHECK(repo->search(no_account, "alpha", {1, 100}).value().total == 12);
    CHECK(repo->search(no_account, "beta", {1, 100}).value().total == 2);
    CHECK(repo->search(no_account, "text", {1, 100}).value().total == 14);
    CHECK(repo->search(no_account, "indexed 3", {1, 100}).value().total == 0);
    CHECK(repo->search(no_account, "queued 11", {1, 100}).value().total == 0);
  };
  check_search();
  test::index_queued_notes(db.config.path);
  CHECK(test::queued_notes(db.config.path) == 0);
  check_search();
  soci::session raw(soci::sqlite3, db.config.path);
  CHECK_NOTHROW(raw << "INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')");
}

TEST_CASE("an import leaves nothing queued for the search index") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  REQUIRE(repo->create(make_note("created", "before the import", at(1))).has_value());
  std::vector<note> batch;
  for (int i = 0; i < 50; ++i) {
    note n = make_note("imported " + std::to_string(i), "bulk", at(10 + i));
    n.id = 100 + i;
    batch.push_back(n);
  }
  REQUIRE(repo->import(batch).has_value());
  CHECK(test::queued_notes(db.config.path) == 0);
  CHECK(repo->search(no_account, "bulk", {1, 10}).value().total == 50);
  CHECK(repo->search(no_account, "before the", {1, 10}).value().total == 1);
}

TEST_CASE("removing every note of an owner leaves nothing queued and the index right") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  for (int i = 0; i < 300; ++i) {
    note n = make_note("note " + std::to_string(i), i % 3 ? "common words" : "rare words", at(i));
    n.owner = i % 2 ? 5 : 6;
    REQUIRE(repo->create(n).has_value());
  }
  test::index_queued_notes(db.config.path);
  // Some of owner 5's notes changed since, so their entries are queued already.
  const auto of_five = repo->all(5).value();
  for (std::size_t i = 0; i < of_five.size(); i += 10) {
    const note& n = of_five[i];
    note changed = n;
    changed.content = "changed words";
    REQUIRE(repo->update(changed, n.version, 0).has_value());
  }
  REQUIRE(test::queued_notes(db.config.path) > 0);

  CHECK(repo->remove_all(5).value() == 150);
  CHECK(test::queued_notes(db.config.path) == 0);
  CHECK(repo->search(5, "words", {1, 10}).value().total == 0);
  CHECK(repo->search(6, "words", {1, 10}).value().total == 150);
  CHECK(repo->search(6, "rare", {1, 10}).value().total == 50);
  soci::session raw(soci::sqlite3, db.config.path);
  CHECK_NOTHROW(raw << "INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')");
}

TEST_CASE("an id imported again while its removed note's entries are queued gets the new text") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  note first = make_note("first life", "old words", at(1));
  first.id = 42;
  REQUIRE(repo->import(std::vector<note>{first}).has_value());
  REQUIRE(repo->remove(no_account, 42, std::nullopt).has_value());
  CHECK(test::queued_notes(db.config.path) == 1);
  note second = make_note("second life", "new words", at(2));
  second.id = 42;
  REQUIRE(repo->import(std::vector<note>{second}).has_value());
  CHECK(repo->search(no_account, "old words", {1, 10}).value().total == 0);
  CHECK(repo->search(no_account, "new words", {1, 10}).value().total == 1);
  soci::session raw(soci::sqlite3, db.config.path);
  CHECK_NOTHROW(raw << "INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')");
}

TEST_CASE("search pages are the same whichever plan serves them") {
  // The adapter walks notes newest first when matches are many and the page is early, and
  // sorts the matches otherwise; 2,000 notes with 150 matches take both plans across the pages.
  // Remembered (state_read_cache), the matches are walked or sorted once per state; with nothing
  // remembered every page runs the SQL plans.
  test::sqlite_database db;
  auto config = db.config;
  SUBCASE("matches remembered") {}
  SUBCASE("nothing remembered: the SQL plans") { config.sqlite_search_matches = 0; }
  auto repo = test::open_or_fail(config);
  memory_note_repository expected;
  std::vector<note> batch;
  for (int i = 0; i < 2000; ++i) {
    // Equal creation times in pairs: the order then depends on the id as well.
    note n = make_note("note " + std::to_string(i),
                       i % 13 == 0 ? "has the Needle here" : "plain words", at(i / 2),
                       i % 7 == 0);
    n.id = i + 1;
    batch.push_back(n);
  }
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  for (int i = 0; i < 30; ++i) {  // queued, not yet indexed
    const note n = make_note("late " + std::to_string(i), i % 2 ? "needle late" : "late", at(5000));
    REQUIRE(repo->create(n).has_value());
    REQUIRE(expected.create(n).has_value());
  }
  check_same_search(expected, *repo, "NEEDLE", 10);
  check_same_search(expected, *repo, "needle", 7);
  check_same_search(expected, *repo, "has the needle", 100);
  check_same_search(expected, *repo, "late", 10);
}

TEST_CASE("search pages of one owner are the same whichever plan serves them") {
  // As above, with the notes of three owners interleaved: the walk passes only the owner's
  // notes, the sorting plan looks every match up and keeps the owner's.
  test::sqlite_database db;
  auto config = db.config;
  SUBCASE("matches remembered") {}
  SUBCASE("nothing remembered: the SQL plans") { config.sqlite_search_matches = 0; }
  auto repo = test::open_or_fail(config);
  memory_note_repository expected;
  std::vector<note> batch;
  for (int i = 0; i < 3000; ++i) {
    note n = make_note("note " + std::to_string(i),
                       i % 13 == 0 ? "has the Needle here" : "plain words", at(i / 2),
                       i % 7 == 0);
    n.id = i + 1;
    n.owner = i % 3;
    batch.push_back(n);
  }
  REQUIRE(repo->import(batch).has_value());
  REQUIRE(expected.import(batch).has_value());
  for (int i = 0; i < 30; ++i) {  // queued, not yet indexed
    note n = make_note("late " + std::to_string(i), i % 2 ? "needle late" : "late", at(5000));
    n.owner = i % 3;
    REQUIRE(repo->create(n).has_value());
    REQUIRE(expected.create(n).has_value());
  }
  for (const account_id owner : {account_id{1}, account_id{2}, no_account}) {
    check_same_search(expected, *repo, "NEEDLE", 10, owner);
    check_same_search(expected, *repo, "has the needle", 100, owner);
    check_same_search(expected, *repo, "late", 3, owner);
    check_same_search(expected, *repo, "e", 50, owner);
  }
}
