// The note_repository contract, written once and run against every backend (the type list at
// the bottom). Each case starts from a fresh, empty repository.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "storage_test_support.hpp"

using namespace notes;
using notes::test::at;
using notes::test::make_note;

namespace {

// Opens the backend's repository or leaves the test (skipped backends say so themselves).
#define OPEN_REPOSITORY(var)            \
  auto var##_holder = TestType::open(); \
  if (!var##_holder) return;            \
  note_repository& var = *var##_holder

template <class T>
T value_of(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  return std::move(*r);
}

void ok(result<void> r) { REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message)); }

note stored(note_repository& repo, note n) { return value_of(repo.create(n)); }

std::vector<note_id> ids(const std::vector<note>& notes) {
  std::vector<note_id> out;
  for (const auto& n : notes) out.push_back(n.id);
  return out;
}

std::vector<std::string> titles(const std::vector<note>& notes) {
  std::vector<std::string> out;
  for (const auto& n : notes) out.push_back(n.title);
  return out;
}

std::vector<std::string> search_titles(note_repository& repo, std::string_view query) {
  return titles(value_of(repo.search(query, {1, 100})).notes);
}

}  // namespace

TEST_CASE_TEMPLATE_DEFINE("create assigns ids and find returns the note exactly", TestType,
                          create_find) {
  OPEN_REPOSITORY(repo);
  note draft = make_note("Grüße 👋", "Line one\nline two\ttab \"quoted\" 'single' \\ back",
                         at(10, 123456), true);
  draft.updated_at = at(20, 654321);
  draft.version = 1;
  draft.id = 999;  // ignored
  const note first = stored(repo, draft);
  const note second = stored(repo, make_note("second", "body", at(11)));
  CHECK(first.id > 0);
  CHECK(second.id > first.id);
  CHECK(first.title == draft.title);

  const auto found = value_of(repo.find(first.id));
  REQUIRE(found.has_value());
  CHECK(*found == first);
  CHECK(found->created_at == at(10, 123456));
  CHECK(found->updated_at == at(20, 654321));
  CHECK(found->is_pinned);
  CHECK(found->version == 1);
}

TEST_CASE_TEMPLATE_DEFINE("find of a missing id is empty and not an error", TestType,
                          find_missing) {
  OPEN_REPOSITORY(repo);
  CHECK_FALSE(value_of(repo.find(1)).has_value());
  const note n = stored(repo, make_note("t", "c", at(1)));
  CHECK_FALSE(value_of(repo.find(n.id + 1)).has_value());
  CHECK_FALSE(value_of(repo.find(-5)).has_value());
}

TEST_CASE_TEMPLATE_DEFINE("update with the current version stores it and bumps the version",
                          TestType, update_current) {
  OPEN_REPOSITORY(repo);
  const note original = stored(repo, make_note("before", "old body", at(5)));
  note changed = original;
  changed.title = "after";
  changed.content = "new body";
  changed.is_pinned = true;
  changed.updated_at = at(50, 7);
  changed.created_at = at(999);  // not the repository's to change
  const note updated = value_of(repo.update(changed, 1));
  CHECK(updated.version == 2);
  CHECK(updated.title == "after");
  CHECK(updated.content == "new body");
  CHECK(updated.is_pinned);
  CHECK(updated.created_at == at(5));
  CHECK(updated.updated_at == at(50, 7));
  CHECK(value_of(repo.find(original.id)) == updated);

  changed.title = "third";
  CHECK(value_of(repo.update(changed, 2)).version == 3);
}

TEST_CASE_TEMPLATE_DEFINE("update with a stale version is a conflict and changes nothing", TestType,
                          update_stale) {
  OPEN_REPOSITORY(repo);
  const note original = stored(repo, make_note("title", "body", at(5)));
  note first = original;
  first.title = "first writer";
  value_of(repo.update(first, 1));

  note second = original;
  second.title = "second writer";
  const auto r = repo.update(second, 1);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == error_code::conflict);
  CHECK_FALSE(r.error().message.empty());
  const auto now = value_of(repo.find(original.id));
  CHECK(now->title == "first writer");
  CHECK(now->version == 2);
}

TEST_CASE_TEMPLATE_DEFINE("update of a missing note is not_found", TestType, update_missing) {
  OPEN_REPOSITORY(repo);
  note ghost = make_note("ghost", "body", at(1));
  ghost.id = 42;
  const auto r = repo.update(ghost, 1);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == error_code::not_found);
  CHECK(value_of(repo.count()) == 0);
}

TEST_CASE_TEMPLATE_DEFINE("remove without a version deletes and a second remove is not_found",
                          TestType, remove_any) {
  OPEN_REPOSITORY(repo);
  const note keep = stored(repo, make_note("keep", "body", at(1)));
  const note gone = stored(repo, make_note("gone", "body", at(2)));
  ok(repo.remove(gone.id, std::nullopt));
  CHECK_FALSE(value_of(repo.find(gone.id)).has_value());
  CHECK(value_of(repo.find(keep.id)).has_value());
  const auto again = repo.remove(gone.id, std::nullopt);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == error_code::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("remove with an expected version only while it matches", TestType,
                          remove_versioned) {
  OPEN_REPOSITORY(repo);
  note n = stored(repo, make_note("title", "body", at(1)));
  n.title = "edited";
  value_of(repo.update(n, 1));

  const auto stale = repo.remove(n.id, 1);
  REQUIRE_FALSE(stale.has_value());
  CHECK(stale.error().code == error_code::conflict);
  CHECK(value_of(repo.find(n.id)).has_value());

  ok(repo.remove(n.id, 2));
  CHECK_FALSE(value_of(repo.find(n.id)).has_value());
  const auto missing = repo.remove(n.id, 2);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == error_code::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("count follows creates and removes", TestType, counts) {
  OPEN_REPOSITORY(repo);
  CHECK(value_of(repo.count()) == 0);
  const note a = stored(repo, make_note("a", "x", at(1)));
  stored(repo, make_note("b", "x", at(2)));
  stored(repo, make_note("c", "x", at(3)));
  CHECK(value_of(repo.count()) == 3);
  ok(repo.remove(a.id, std::nullopt));
  CHECK(value_of(repo.count()) == 2);
}

TEST_CASE_TEMPLATE_DEFINE("ids of removed notes are not handed out again", TestType,
                          ids_not_reused) {
  OPEN_REPOSITORY(repo);
  stored(repo, make_note("a", "x", at(1)));
  const note b = stored(repo, make_note("b", "x", at(2)));
  ok(repo.remove(b.id, std::nullopt));
  CHECK(stored(repo, make_note("c", "x", at(3))).id > b.id);
}

TEST_CASE_TEMPLATE_DEFINE("newest first orders by created_at with ties broken by the newer id",
                          TestType, list_newest) {
  OPEN_REPOSITORY(repo);
  const note old = stored(repo, make_note("old", "x", at(1)));
  const note tie1 = stored(repo, make_note("tie1", "x", at(5)));
  const note newest = stored(repo, make_note("newest", "x", at(9)));
  const note tie2 = stored(repo, make_note("tie2", "x", at(5)));
  const note pinned_old = stored(repo, make_note("pinned old", "x", at(0), true));
  const note micro = stored(repo, make_note("one microsecond later", "x", at(5, 1)));

  const auto page = value_of(repo.list(list_order::newest_first, {1, 10}));
  CHECK(page.total == 6);
  CHECK(ids(page.notes) ==
        std::vector<note_id>{newest.id, micro.id, tie2.id, tie1.id, old.id, pinned_old.id});
}

TEST_CASE_TEMPLATE_DEFINE("pinned first then newest with ties broken by the newer id", TestType,
                          list_pinned) {
  OPEN_REPOSITORY(repo);
  const note a = stored(repo, make_note("a", "x", at(1)));
  const note p1 = stored(repo, make_note("p1", "x", at(2), true));
  const note b = stored(repo, make_note("b", "x", at(3)));
  const note p2 = stored(repo, make_note("p2", "x", at(2), true));
  const note c = stored(repo, make_note("c", "x", at(3)));
  const note p3 = stored(repo, make_note("p3", "x", at(0), true));

  const auto page = value_of(repo.list(list_order::pinned_first, {1, 10}));
  CHECK(page.total == 6);
  CHECK(ids(page.notes) == std::vector<note_id>{p2.id, p1.id, p3.id, c.id, b.id, a.id});
}

TEST_CASE_TEMPLATE_DEFINE("pagination of empty and full and last partial pages and past the end",
                          TestType, pagination) {
  OPEN_REPOSITORY(repo);
  const auto empty = value_of(repo.list(list_order::newest_first, {1, 10}));
  CHECK(empty.notes.empty());
  CHECK(empty.total == 0);

  std::vector<note_id> created;
  for (int i = 0; i < 7; ++i)
    created.push_back(stored(repo, make_note("n" + std::to_string(i), "x", at(i))).id);
  std::reverse(created.begin(), created.end());

  for (auto order : {list_order::newest_first, list_order::pinned_first}) {
    const auto first = value_of(repo.list(order, {1, 3}));
    CHECK(first.total == 7);
    CHECK(ids(first.notes) == std::vector<note_id>(created.begin(), created.begin() + 3));
    const auto second = value_of(repo.list(order, {2, 3}));
    CHECK(ids(second.notes) == std::vector<note_id>(created.begin() + 3, created.begin() + 6));
    const auto last = value_of(repo.list(order, {3, 3}));
    CHECK(last.total == 7);
    CHECK(ids(last.notes) == std::vector<note_id>{created.back()});
    const auto past = value_of(repo.list(order, {4, 3}));
    CHECK(past.notes.empty());
    CHECK(past.total == 7);
    const auto exact = value_of(repo.list(order, {1, 7}));
    CHECK(exact.notes.size() == 7);
  }
}

TEST_CASE_TEMPLATE_DEFINE("search ignores case in title and content", TestType, search_case) {
  OPEN_REPOSITORY(repo);
  stored(repo, make_note("Shopping LIST", "milk", at(1)));
  stored(repo, make_note("other", "remember the Milk and BREAD", at(2)));
  stored(repo, make_note("unrelated", "nothing here", at(3)));
  CHECK(search_titles(repo, "list") == std::vector<std::string>{"Shopping LIST"});
  CHECK(search_titles(repo, "MILK") == std::vector<std::string>{"other", "Shopping LIST"});
  CHECK(search_titles(repo, "bReAd") == std::vector<std::string>{"other"});
  CHECK(search_titles(repo, "the milk and") == std::vector<std::string>{"other"});
}

TEST_CASE_TEMPLATE_DEFINE("search folds non-ASCII letters", TestType, search_unicode) {
  OPEN_REPOSITORY(repo);
  stored(repo, make_note("Ärger im Büro", "x", at(1)));
  stored(repo, make_note("menu", "un Café crème", at(2)));
  stored(repo, make_note("Ωmega", "ΣΊΣΥΦΟΣ", at(3)));
  CHECK(search_titles(repo, "ärger") == std::vector<std::string>{"Ärger im Büro"});
  CHECK(search_titles(repo, "ÄRGER") == std::vector<std::string>{"Ärger im Büro"});
  CHECK(search_titles(repo, "CAFÉ") == std::vector<std::string>{"menu"});
  CHECK(search_titles(repo, "CRÈME") == std::vector<std::string>{"menu"});
  CHECK(search_titles(repo, "büro") == std::vector<std::string>{"Ärger im Büro"});
  CHECK(search_titles(repo, "ωMEGA") == std::vector<std::string>{"Ωmega"});
  CHECK(search_titles(repo, "σίσυφ") == std::vector<std::string>{"Ωmega"});
  CHECK(search_titles(repo, "cafe").empty());  // folding keeps accents apart
}

TEST_CASE_TEMPLATE_DEFINE("search treats % _ and backslash literally", TestType, search_wildcards) {
  OPEN_REPOSITORY(repo);
  stored(repo, make_note("discount", "50% off", at(1)));
  stored(repo, make_note("snake", "snake_case name", at(2)));
  stored(repo, make_note("path", "C:\\temp\\file", at(3)));
  stored(repo, make_note("plain", "50 percent off, snakeXcase, C:/temp", at(4)));
  CHECK(search_titles(repo, "%") == std::vector<std::string>{"discount"});
  CHECK(search_titles(repo, "50%") == std::vector<std::string>{"discount"});
  CHECK(search_titles(repo, "0% o") == std::vector<std::string>{"discount"});
  CHECK(search_titles(repo, "_") == std::vector<std::string>{"snake"});
  CHECK(search_titles(repo, "e_c") == std::vector<std::string>{"snake"});
  CHECK(search_titles(repo, "snake_case") == std::vector<std::string>{"snake"});
  CHECK(search_titles(repo, "\\") == std::vector<std::string>{"path"});
  CHECK(search_titles(repo, "C:\\temp") == std::vector<std::string>{"path"});
  CHECK(search_titles(repo, "\\temp\\") == std::vector<std::string>{"path"});
  CHECK(search_titles(repo, "%%").empty());
  CHECK(search_titles(repo, "__").empty());
}

TEST_CASE_TEMPLATE_DEFINE("search quotes and query syntax are plain text", TestType,
                          search_syntax) {
  OPEN_REPOSITORY(repo);
  stored(repo, make_note("quote", "she said \"hello\" twice", at(1)));
  stored(repo, make_note("ops", "cats AND dogs OR NEAR(birds) col:value x*", at(2)));
  CHECK(search_titles(repo, "\"hello\"") == std::vector<std::string>{"quote"});
  CHECK(search_titles(repo, "\"") == std::vector<std::string>{"quote"});
  CHECK(search_titles(repo, "d \"h") == std::vector<std::string>{"quote"});
  CHECK(search_titles(repo, "AND dogs") == std::vector<std::string>{"ops"});
  CHECK(search_titles(repo, "NEAR(") == std::vector<std::string>{"ops"});
  CHECK(search_titles(repo, "col:value") == std::vector<std::string>{"ops"});
  CHECK(search_titles(repo, "x*") == std::vector<std::string>{"ops"});
  CHECK(search_titles(repo, "cats dogs").empty());
  CHECK(search_titles(repo, "hello twice").empty());
}

TEST_CASE_TEMPLATE_DEFINE("search is a contiguous substring within one field", TestType,
                          search_substring) {
  OPEN_REPOSITORY(repo);
  // Holds the trigrams of "abcd" (abc, bcd), but never "abcd" itself.
  stored(repo, make_note("parts", "abc-bcd abcXbcd", at(1)));
  stored(repo, make_note("split title ab", "cd begins the content", at(2)));
  stored(repo, make_note("whole", "xxabcdxx", at(3)));
  CHECK(search_titles(repo, "abcd") == std::vector<std::string>{"whole"});
  CHECK(search_titles(repo, "abcx") == std::vector<std::string>{"parts"});
  CHECK(search_titles(repo, "abcd") == search_titles(repo, "ABCD"));
  CHECK(search_titles(repo, "title abcd").empty());
  CHECK(search_titles(repo, "abcd").size() == 1);
}

TEST_CASE_TEMPLATE_DEFINE("search with no match is an empty page with total 0", TestType,
                          search_none) {
  OPEN_REPOSITORY(repo);
  const auto empty_repo = value_of(repo.search("anything", {1, 10}));
  CHECK(empty_repo.notes.empty());
  CHECK(empty_repo.total == 0);
  stored(repo, make_note("title", "content", at(1)));
  const auto none = value_of(repo.search("zebra", {1, 10}));
  CHECK(none.notes.empty());
  CHECK(none.total == 0);
}

TEST_CASE_TEMPLATE_DEFINE("search finds one and two character queries", TestType, search_short) {
  OPEN_REPOSITORY(repo);
  stored(repo, make_note("Q", "x", at(1)));
  stored(repo, make_note("ok", "Zy", at(2)));
  stored(repo, make_note("umlaut", "Ü", at(3)));
  stored(repo, make_note("emoji", "a 👋 b", at(4)));
  CHECK(search_titles(repo, "q") == std::vector<std::string>{"Q"});
  CHECK(search_titles(repo, "zY") == std::vector<std::string>{"ok"});
  CHECK(search_titles(repo, "ü") == std::vector<std::string>{"umlaut"});
  CHECK(search_titles(repo, "👋") == std::vector<std::string>{"emoji"});
  CHECK(search_titles(repo, "👋 ") == std::vector<std::string>{"emoji"});
  CHECK(search_titles(repo, "yz").empty());
  CHECK(search_titles(repo, "o") == std::vector<std::string>{"emoji", "ok"});
}

TEST_CASE_TEMPLATE_DEFINE("search pages newest first and counts every match", TestType,
                          search_paging) {
  OPEN_REPOSITORY(repo);
  std::vector<note_id> matching;
  for (int i = 0; i < 7; ++i) {
    matching.push_back(
        stored(repo, make_note("match " + std::to_string(i), "needle", at(100 - i))).id);
    stored(repo, make_note("other " + std::to_string(i), "hay", at(200 + i)));
  }
  const note tie = stored(repo, make_note("tie", "NEEDLE", at(100)));
  matching.insert(matching.begin(), tie.id);  // same created_at as "match 0", newer id

  const auto first = value_of(repo.search("needle", {1, 3}));
  CHECK(first.total == 8);
  CHECK(ids(first.notes) == std::vector<note_id>(matching.begin(), matching.begin() + 3));
  const auto last = value_of(repo.search("needle", {3, 3}));
  CHECK(last.total == 8);
  CHECK(ids(last.notes) == std::vector<note_id>(matching.begin() + 6, matching.end()));
  const auto past = value_of(repo.search("needle", {4, 3}));
  CHECK(past.notes.empty());
  CHECK(past.total == 8);
  CHECK(value_of(repo.search("ee", {1, 100})).total == 8);
}

TEST_CASE_TEMPLATE_DEFINE("search follows updates and removes", TestType, search_changes) {
  OPEN_REPOSITORY(repo);
  note n = stored(repo, make_note("apple pie", "recipe", at(1)));
  stored(repo, make_note("banana", "bread", at(2)));
  n.title = "cherry pie";
  n = value_of(repo.update(n, 1));
  CHECK(search_titles(repo, "apple").empty());
  CHECK(search_titles(repo, "cherry") == std::vector<std::string>{"cherry pie"});
  n.is_pinned = true;
  n = value_of(repo.update(n, 2));
  CHECK(search_titles(repo, "cherry") == std::vector<std::string>{"cherry pie"});
  CHECK(search_titles(repo, "recipe") == std::vector<std::string>{"cherry pie"});
  ok(repo.remove(n.id, std::nullopt));
  CHECK(search_titles(repo, "cherry").empty());
  CHECK(search_titles(repo, "bread") == std::vector<std::string>{"banana"});
}

TEST_CASE_TEMPLATE_DEFINE("all lists every note in id order", TestType, all_notes) {
  OPEN_REPOSITORY(repo);
  CHECK(value_of(repo.all()).empty());
  const note a = stored(repo, make_note("a", "x", at(9)));
  const note b = stored(repo, make_note("b", "y", at(1), true));
  const note c = stored(repo, make_note("c", "z", at(5)));
  ok(repo.remove(b.id, std::nullopt));
  CHECK(value_of(repo.all()) == std::vector<note>{a, c});
}

TEST_CASE_TEMPLATE_DEFINE("import keeps ids and times and versions and new ids come after them",
                          TestType, import_round_trip) {
  OPEN_REPOSITORY(source);
  note a = stored(source, make_note("first", "one ü", at(1, 1)));
  const note gone = stored(source, make_note("gone", "deleted", at(2)));
  note c = stored(source, make_note("third", "three", at(3, 999999), true));
  a.content = "edited";
  a.updated_at = at(40, 5);
  a = value_of(source.update(a, 1));
  ok(source.remove(gone.id, std::nullopt));
  const auto exported = value_of(source.all());
  REQUIRE(exported.size() == 2);

  OPEN_REPOSITORY(target);
  ok(target.import(exported));
  CHECK(value_of(target.all()) == exported);
  CHECK(value_of(target.find(a.id))->version == 2);
  CHECK(search_titles(target, "EDITED") == std::vector<std::string>{"first"});
  const note next = stored(target, make_note("after import", "x", at(50)));
  CHECK(next.id > c.id);
  ok(target.import(std::vector<note>{}));
  CHECK(value_of(target.count()) == 3);
}

TEST_CASE_TEMPLATE_DEFINE("import of an existing id is a conflict and imports nothing", TestType,
                          import_conflict) {
  OPEN_REPOSITORY(repo);
  const note existing = stored(repo, make_note("existing", "x", at(1)));
  note fresh = make_note("fresh", "y", at(2));
  fresh.id = existing.id + 10;
  note clash = make_note("clash", "z", at(3));
  clash.id = existing.id;
  const auto r = repo.import(std::vector<note>{fresh, clash});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == error_code::conflict);
  CHECK(value_of(repo.count()) == 1);
  CHECK_FALSE(value_of(repo.find(fresh.id)).has_value());
  CHECK(value_of(repo.find(existing.id))->title == "existing");

  note twice = make_note("twice", "w", at(4));
  twice.id = existing.id + 20;
  const auto dup = repo.import(std::vector<note>{twice, twice});
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().code == error_code::conflict);
  CHECK(value_of(repo.count()) == 1);
}

// One line per backend: a new backend joins the contract here.
using repository_backends =
    std::tuple<notes::test::memory_backend, notes::test::sqlite_backend,
               notes::test::sqlite_indexed_backend, notes::test::sqlite_half_indexed_backend,
               notes::test::postgres_backend>;

TEST_CASE_TEMPLATE_APPLY(create_find, repository_backends);
TEST_CASE_TEMPLATE_APPLY(find_missing, repository_backends);
TEST_CASE_TEMPLATE_APPLY(update_current, repository_backends);
TEST_CASE_TEMPLATE_APPLY(update_stale, repository_backends);
TEST_CASE_TEMPLATE_APPLY(update_missing, repository_backends);
TEST_CASE_TEMPLATE_APPLY(remove_any, repository_backends);
TEST_CASE_TEMPLATE_APPLY(remove_versioned, repository_backends);
TEST_CASE_TEMPLATE_APPLY(counts, repository_backends);
TEST_CASE_TEMPLATE_APPLY(ids_not_reused, repository_backends);
TEST_CASE_TEMPLATE_APPLY(list_newest, repository_backends);
TEST_CASE_TEMPLATE_APPLY(list_pinned, repository_backends);
TEST_CASE_TEMPLATE_APPLY(pagination, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_case, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_unicode, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_wildcards, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_syntax, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_substring, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_none, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_short, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_paging, repository_backends);
TEST_CASE_TEMPLATE_APPLY(search_changes, repository_backends);
TEST_CASE_TEMPLATE_APPLY(all_notes, repository_backends);
TEST_CASE_TEMPLATE_APPLY(import_round_trip, repository_backends);
TEST_CASE_TEMPLATE_APPLY(import_conflict, repository_backends);
