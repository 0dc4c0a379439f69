#pragma once
// The note_repository contract: notes, versions, lists, search, import and owners. Each case
// starts from a fresh, empty repository. Included by notes/testing/repository_contract.hpp,
// which runs a backend through every case (NOTES_REPOSITORY_CONTRACT).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "notes/testing/contract_support.hpp"
#include "notes/validation.hpp"

namespace notes::testing::note_cases {

namespace {

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
  return titles(value_of(repo.search(no_account, query, {1, 100})).notes);
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

  const auto found = value_of(repo.find(no_account, first.id));
  REQUIRE(found.has_value());
  CHECK(*found == first);
  CHECK(found->created_at == at(10, 123456));
  CHECK(found->updated_at == at(20, 654321));
  CHECK(found->is_pinned);
  CHECK(found->version == 1);
}

TEST_CASE_TEMPLATE_DEFINE("create_then stores the note as create does and hands over the "
                          "outcome exactly once",
                          TestType, create_then) {
  // Before the repository: one that hands writes off answers those still queued as it closes.
  std::mutex mutex;
  std::condition_variable handed;
  std::vector<result<note>> outcomes;
  constexpr int creates = 5;
  OPEN_REPOSITORY(repo);
  for (int i = 0; i < creates; ++i) {
    repo.create_then(make_note("then " + std::to_string(i), "body", at(10 + i), i == 0),
                     [&](result<note> outcome) {
                       std::scoped_lock lock(mutex);
                       outcomes.push_back(std::move(outcome));
                       handed.notify_all();
                     });
  }
  std::unique_lock lock(mutex);
  REQUIRE(handed.wait_for(lock, std::chrono::seconds(30),
                          [&] { return outcomes.size() == creates; }));
  // Nothing more arrives later.
  CHECK_FALSE(handed.wait_for(lock, std::chrono::milliseconds(50),
                              [&] { return outcomes.size() > creates; }));
  std::vector<note_id> handed_ids;
  for (const auto& outcome : outcomes) {
    REQUIRE(outcome.has_value());
    handed_ids.push_back(outcome->id);
    const auto found = value_of(repo.find(no_account, outcome->id));
    REQUIRE(found.has_value());
    CHECK(*found == *outcome);
  }
  std::sort(handed_ids.begin(), handed_ids.end());
  CHECK(std::adjacent_find(handed_ids.begin(), handed_ids.end()) == handed_ids.end());
  CHECK(value_of(repo.count(no_account)) == creates);
}

TEST_CASE_TEMPLATE_DEFINE("update_then changes the note it reads, with nothing between: every "
                          "change handed over at once counts, and a refused one changes nothing",
                          TestType, update_then) {
  // Before the repository: one that hands writes off answers those still queued as it closes.
  std::mutex mutex;
  std::condition_variable handed;
  std::vector<result<note>> outcomes;
  const auto keep = [&](result<note> outcome) {
    std::scoped_lock lock(mutex);
    outcomes.push_back(std::move(outcome));
    handed.notify_all();
  };
  const auto wait_for = [&](std::size_t count) {
    std::unique_lock lock(mutex);
    return handed.wait_for(lock, std::chrono::seconds(30),
                           [&] { return outcomes.size() >= count; });
  };
  OPEN_REPOSITORY(repo);
  const note counter = stored(repo, make_note("counter", "0", at(5)));

  // Each change adds one to the count it reads: a change that read a stale note would lose one.
  constexpr int changes = 20;
  for (int i = 0; i < changes; ++i) {
    repo.update_then(
        no_account, counter.id,
        [](const note& current) -> result<note> {
          note next = current;
          next.content = std::to_string(std::stoi(current.content) + 1);
          next.updated_at = current.updated_at + std::chrono::seconds(1);
          return next;
        },
        0, keep);
  }
  REQUIRE(wait_for(changes));
  for (const auto& outcome : outcomes) REQUIRE(outcome.has_value());
  const note counted = value_of(repo.find(no_account, counter.id)).value();
  CHECK(counted.content == std::to_string(changes));
  CHECK(counted.version == 1 + changes);
  CHECK(counted.created_at == counter.created_at);

  // Refused by the change: its error, and the note as it was.
  repo.update_then(
      no_account, counter.id,
      [](const note&) -> result<note> { return make_error(error_code::conflict, "refused"); }, 0,
      keep);
  // Not there: not_found, and the change is never asked.
  bool asked = false;
  repo.update_then(
      no_account, counter.id + 1000,
      [&asked](const note& current) -> result<note> {
        asked = true;
        return current;
      },
      0, keep);
  REQUIRE(wait_for(changes + 2));
  std::scoped_lock lock(mutex);
  REQUIRE_FALSE(outcomes[changes].has_value());
  CHECK(outcomes[changes].error().code == error_code::conflict);
  REQUIRE_FALSE(outcomes[changes + 1].has_value());
  CHECK(outcomes[changes + 1].error().code == error_code::not_found);
  CHECK_FALSE(asked);
  CHECK(value_of(repo.find(no_account, counter.id)).value() == counted);
}

TEST_CASE_TEMPLATE_DEFINE("find of a missing id is empty and not an error", TestType,
                          find_missing) {
  OPEN_REPOSITORY(repo);
  CHECK_FALSE(value_of(repo.find(no_account, 1)).has_value());
  const note n = stored(repo, make_note("t", "c", at(1)));
  CHECK_FALSE(value_of(repo.find(no_account, n.id + 1)).has_value());
  CHECK_FALSE(value_of(repo.find(no_account, -5)).has_value());
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
  const note updated = value_of(repo.update(changed, 1, 0));
  CHECK(updated.version == 2);
  CHECK(updated.title == "after");
  CHECK(updated.content == "new body");
  CHECK(updated.is_pinned);
  CHECK(updated.created_at == at(5));
  CHECK(updated.updated_at == at(50, 7));
  CHECK(value_of(repo.find(no_account, original.id)) == updated);

  changed.title = "third";
  CHECK(value_of(repo.update(changed, 2, 0)).version == 3);
}

TEST_CASE_TEMPLATE_DEFINE("update with a stale version is a conflict and changes nothing", TestType,
                          update_stale) {
  OPEN_REPOSITORY(repo);
  const note original = stored(repo, make_note("title", "body", at(5)));
  note first = original;
  first.title = "first writer";
  value_of(repo.update(first, 1, 0));

  note second = original;
  second.title = "second writer";
  const auto r = repo.update(second, 1, 0);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == error_code::conflict);
  CHECK_FALSE(r.error().message.empty());
  const auto now = value_of(repo.find(no_account, original.id));
  CHECK(now->title == "first writer");
  CHECK(now->version == 2);
}

TEST_CASE_TEMPLATE_DEFINE("update of a missing note is not_found", TestType, update_missing) {
  OPEN_REPOSITORY(repo);
  note ghost = make_note("ghost", "body", at(1));
  ghost.id = 42;
  const auto r = repo.update(ghost, 1, 0);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == error_code::not_found);
  CHECK(value_of(repo.count(no_account)) == 0);
}

TEST_CASE_TEMPLATE_DEFINE("remove without a version deletes and a second remove is not_found",
                          TestType, remove_any) {
  OPEN_REPOSITORY(repo);
  const note keep = stored(repo, make_note("keep", "body", at(1)));
  const note gone = stored(repo, make_note("gone", "body", at(2)));
  ok(repo.remove(no_account, gone.id, std::nullopt));
  CHECK_FALSE(value_of(repo.find(no_account, gone.id)).has_value());
  CHECK(value_of(repo.find(no_account, keep.id)).has_value());
  const auto again = repo.remove(no_account, gone.id, std::nullopt);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == error_code::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("remove with an expected version only while it matches", TestType,
                          remove_versioned) {
  OPEN_REPOSITORY(repo);
  note n = stored(repo, make_note("title", "body", at(1)));
  n.title = "edited";
  value_of(repo.update(n, 1, 0));

  const auto stale = repo.remove(no_account, n.id, 1);
  REQUIRE_FALSE(stale.has_value());
  CHECK(stale.error().code == error_code::conflict);
  CHECK(value_of(repo.find(no_account, n.id)).has_value());

  ok(repo.remove(no_account, n.id, 2));
  CHECK_FALSE(value_of(repo.find(no_account, n.id)).has_value());
  const auto missing = repo.remove(no_account, n.id, 2);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == error_code::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("count follows creates and removes", TestType, counts) {
  OPEN_REPOSITORY(repo);
  CHECK(value_of(repo.count(no_account)) == 0);
  const note a = stored(repo, make_note("a", "x", at(1)));
  stored(repo, make_note("b", "x", at(2)));
  stored(repo, make_note("c", "x", at(3)));
  CHECK(value_of(repo.count(no_account)) == 3);
  ok(repo.remove(no_account, a.id, std::nullopt));
  CHECK(value_of(repo.count(no_account)) == 2);
}

TEST_CASE_TEMPLATE_DEFINE("ids of removed notes are not handed out again", TestType,
                          ids_not_reused) {
  OPEN_REPOSITORY(repo);
  stored(repo, make_note("a", "x", at(1)));
  const note b = stored(repo, make_note("b", "x", at(2)));
  ok(repo.remove(no_account, b.id, std::nullopt));
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

  const auto page = value_of(repo.list(no_account, list_order::newest_first, {1, 10}));
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

  const auto page = value_of(repo.list(no_account, list_order::pinned_first, {1, 10}));
  CHECK(page.total == 6);
  CHECK(ids(page.notes) == std::vector<note_id>{p2.id, p1.id, p3.id, c.id, b.id, a.id});
}

TEST_CASE_TEMPLATE_DEFINE("recently updated orders pinned first then by updated_at then newer id",
                          TestType, list_recently_updated) {
  OPEN_REPOSITORY(repo);
  const note old = stored(repo, make_note("old", "x", at(1)));
  const note fresh = stored(repo, make_note("fresh", "x", at(9)));
  const note tie = stored(repo, make_note("tie", "x", at(2)));
  const note pinned = stored(repo, make_note("pinned", "x", at(0), true));
  const note pinned_later = stored(repo, make_note("pinned later", "x", at(3), true));
  note edited = old;
  edited.content = "edited last";
  edited.updated_at = at(60);
  value_of(repo.update(edited, 1, 0));
  note tied = tie;
  tied.updated_at = at(9);  // the same instant as fresh was created: the newer id first
  value_of(repo.update(tied, 1, 0));
  note pin_edit = pinned;
  pin_edit.updated_at = at(30);
  value_of(repo.update(pin_edit, 1, 0));

  const auto page = value_of(repo.list(no_account, list_order::pinned_recently_updated, {1, 10}));
  CHECK(page.total == 5);
  CHECK(ids(page.notes) ==
        std::vector<note_id>{pinned.id, pinned_later.id, old.id, tie.id, fresh.id});
  const auto second = value_of(repo.list(no_account, list_order::pinned_recently_updated, {2, 2}));
  CHECK(ids(second.notes) == std::vector<note_id>{old.id, tie.id});
  CHECK(value_of(repo.list(7, list_order::pinned_recently_updated, {1, 10})).total == 0);
}

TEST_CASE_TEMPLATE_DEFINE("pagination of empty and full and last partial pages and past the end",
                          TestType, pagination) {
  OPEN_REPOSITORY(repo);
  const auto empty = value_of(repo.list(no_account, list_order::newest_first, {1, 10}));
  CHECK(empty.notes.empty());
  CHECK(empty.total == 0);

  std::vector<note_id> created;
  for (int i = 0; i < 7; ++i)
    created.push_back(stored(repo, make_note("n" + std::to_string(i), "x", at(i))).id);
  std::reverse(created.begin(), created.end());

  for (auto order : {list_order::newest_first, list_order::pinned_first}) {
    const auto first = value_of(repo.list(no_account, order, {1, 3}));
    CHECK(first.total == 7);
    CHECK(ids(first.notes) == std::vector<note_id>(created.begin(), created.begin() + 3));
    const auto second = value_of(repo.list(no_account, order, {2, 3}));
    CHECK(ids(second.notes) == std::vector<note_id>(created.begin() + 3, created.begin() + 6));
    const auto last = value_of(repo.list(no_account, order, {3, 3}));
    CHECK(last.total == 7);
    CHECK(ids(last.notes) == std::vector<note_id>{created.back()});
    const auto past = value_of(repo.list(no_account, order, {4, 3}));
    CHECK(past.notes.empty());
    CHECK(past.total == 7);
    const auto exact = value_of(repo.list(no_account, order, {1, 7}));
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

// macOS may write "é" as "e" + U+0301: search and the tag filter compare NFC on both sides,
// accents still counting, and the note keeps what was written.
TEST_CASE_TEMPLATE_DEFINE("search and tags match composed and decomposed accents alike",
                          TestType, search_normalised) {
  OPEN_REPOSITORY(repo);
  note decomposed = make_note("Cafe\u0301 noir", "the\u0301 vert", at(1));
  decomposed.tags = {"Cafe\u0301"};
  const note first = stored(repo, decomposed);
  note composed = make_note("cr\u00E8me", "Caf\u00E9", at(2));
  composed.tags = {"cr\u00E8me"};
  stored(repo, composed);
  stored(repo, make_note("cafe", "plain", at(3)));
  CHECK(search_titles(repo, "caf\u00E9 noir") == std::vector<std::string>{"Cafe\u0301 noir"});
  CHECK(search_titles(repo, "TH\u00C9") == std::vector<std::string>{"Cafe\u0301 noir"});
  CHECK(search_titles(repo, "cre\u0300me") == std::vector<std::string>{"cr\u00E8me"});
  CHECK(search_titles(repo, "CAFE\u0301") ==
        std::vector<std::string>{"cr\u00E8me", "Cafe\u0301 noir"});
  CHECK(search_titles(repo, "cafe n").empty());
  const std::vector<std::string> cafe{fold_tag("Caf\u00E9")};
  const std::vector<std::string> creme{fold_tag("CRE\u0300ME")};
  CHECK(titles(value_of(repo.list(no_account, list_order::newest_first, {1, 10}, cafe)).notes) ==
        std::vector<std::string>{"Cafe\u0301 noir"});
  CHECK(titles(value_of(repo.list(no_account, list_order::newest_first, {1, 10}, creme)).notes) ==
        std::vector<std::string>{"cr\u00E8me"});
  CHECK(value_of(repo.find(no_account, first.id))->title == "Cafe\u0301 noir");
  CHECK(value_of(repo.find(no_account, first.id))->tags == std::vector<std::string>{"Cafe\u0301"});
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
  const auto empty_repo = value_of(repo.search(no_account, "anything", {1, 10}));
  CHECK(empty_repo.notes.empty());
  CHECK(empty_repo.total == 0);
  stored(repo, make_note("title", "content", at(1)));
  const auto none = value_of(repo.search(no_account, "zebra", {1, 10}));
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

  const auto first = value_of(repo.search(no_account, "needle", {1, 3}));
  CHECK(first.total == 8);
  CHECK(ids(first.notes) == std::vector<note_id>(matching.begin(), matching.begin() + 3));
  const auto last = value_of(repo.search(no_account, "needle", {3, 3}));
  CHECK(last.total == 8);
  CHECK(ids(last.notes) == std::vector<note_id>(matching.begin() + 6, matching.end()));
  const auto past = value_of(repo.search(no_account, "needle", {4, 3}));
  CHECK(past.notes.empty());
  CHECK(past.total == 8);
  CHECK(value_of(repo.search(no_account, "ee", {1, 100})).total == 8);
}

TEST_CASE_TEMPLATE_DEFINE("search follows updates and removes", TestType, search_changes) {
  OPEN_REPOSITORY(repo);
  note n = stored(repo, make_note("apple pie", "recipe", at(1)));
  stored(repo, make_note("banana", "bread", at(2)));
  n.title = "cherry pie";
  n = value_of(repo.update(n, 1, 0));
  CHECK(search_titles(repo, "apple").empty());
  CHECK(search_titles(repo, "cherry") == std::vector<std::string>{"cherry pie"});
  n.is_pinned = true;
  n = value_of(repo.update(n, 2, 0));
  CHECK(search_titles(repo, "cherry") == std::vector<std::string>{"cherry pie"});
  CHECK(search_titles(repo, "recipe") == std::vector<std::string>{"cherry pie"});
  ok(repo.remove(no_account, n.id, std::nullopt));
  CHECK(search_titles(repo, "cherry").empty());
  CHECK(search_titles(repo, "bread") == std::vector<std::string>{"banana"});
}

TEST_CASE_TEMPLATE_DEFINE("all lists every note in id order", TestType, all_notes) {
  OPEN_REPOSITORY(repo);
  CHECK(value_of(repo.all(std::nullopt)).empty());
  const note a = stored(repo, make_note("a", "x", at(9)));
  const note b = stored(repo, make_note("b", "y", at(1), true));
  const note c = stored(repo, make_note("c", "z", at(5)));
  ok(repo.remove(no_account, b.id, std::nullopt));
  CHECK(value_of(repo.all(std::nullopt)) == std::vector<note>{a, c});
}

TEST_CASE_TEMPLATE_DEFINE("import keeps ids and times and versions and new ids come after them",
                          TestType, import_round_trip) {
  OPEN_REPOSITORY(source);
  note a = stored(source, make_note("first", "one ü", at(1, 1)));
  const note gone = stored(source, make_note("gone", "deleted", at(2)));
  note c = stored(source, make_note("third", "three", at(3, 999999), true));
  a.content = "edited";
  a.updated_at = at(40, 5);
  a = value_of(source.update(a, 1, 0));
  ok(source.remove(no_account, gone.id, std::nullopt));
  const auto exported = value_of(source.all(std::nullopt));
  REQUIRE(exported.size() == 2);

  OPEN_REPOSITORY(target);
  ok(target.import(exported));
  CHECK(value_of(target.all(std::nullopt)) == exported);
  CHECK(value_of(target.find(no_account, a.id))->version == 2);
  CHECK(search_titles(target, "EDITED") == std::vector<std::string>{"first"});
  const note next = stored(target, make_note("after import", "x", at(50)));
  CHECK(next.id > c.id);
  ok(target.import(std::vector<note>{}));
  CHECK(value_of(target.count(no_account)) == 3);
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
  CHECK(value_of(repo.count(no_account)) == 1);
  CHECK_FALSE(value_of(repo.find(no_account, fresh.id)).has_value());
  CHECK(value_of(repo.find(no_account, existing.id))->title == "existing");

  note twice = make_note("twice", "w", at(4));
  twice.id = existing.id + 20;
  const auto dup = repo.import(std::vector<note>{twice, twice});
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().code == error_code::conflict);
  CHECK(value_of(repo.count(no_account)) == 1);
}

namespace {

note owned_note(std::string title, std::string content, timestamp created, account_id owner,
                bool pinned = false) {
  note n = make_note(std::move(title), std::move(content), created, pinned);
  n.owner = owner;
  return n;
}

std::vector<std::string> search_titles(note_repository& repo, account_id owner,
                                       std::string_view query) {
  return titles(value_of(repo.search(owner, query, {1, 100})).notes);
}

constexpr account_id alice = 1;
constexpr account_id bob = 2;

}  // namespace

TEST_CASE_TEMPLATE_DEFINE("create stores the owner and find sees only the owner's notes",
                          TestType, owner_find) {
  OPEN_REPOSITORY(repo);
  const note a = stored(repo, owned_note("alice's", "x", at(1), alice));
  const note b = stored(repo, owned_note("bob's", "x", at(2), bob));
  const note shared = stored(repo, make_note("shared", "x", at(3)));
  CHECK(a.owner == alice);
  CHECK(b.owner == bob);
  CHECK(shared.owner == no_account);
  CHECK(value_of(repo.find(alice, a.id)) == a);
  CHECK(value_of(repo.find(bob, b.id)) == b);
  CHECK(value_of(repo.find(no_account, shared.id)) == shared);
  CHECK_FALSE(value_of(repo.find(bob, a.id)).has_value());
  CHECK_FALSE(value_of(repo.find(alice, b.id)).has_value());
  CHECK_FALSE(value_of(repo.find(no_account, a.id)).has_value());
  CHECK_FALSE(value_of(repo.find(alice, shared.id)).has_value());
}

TEST_CASE_TEMPLATE_DEFINE("update of another owner's note is not_found and leaves it unchanged",
                          TestType, owner_update) {
  OPEN_REPOSITORY(repo);
  const note a = stored(repo, owned_note("alice's", "x", at(1), alice));
  const note b = stored(repo, owned_note("bob's", "x", at(2), bob));

  note hijack = b;
  hijack.owner = alice;
  hijack.title = "taken by alice";
  const auto refused = repo.update(hijack, b.version, 0);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == error_code::not_found);
  hijack.owner = no_account;
  CHECK(repo.update(hijack, b.version, 0).error().code == error_code::not_found);
  CHECK(value_of(repo.find(bob, b.id)) == b);

  // A stale version of someone else's note is not found either: it says nothing of the note.
  CHECK(repo.update(hijack, b.version + 3, 0).error().code == error_code::not_found);

  note edited = a;
  edited.title = "alice's, edited";
  const note updated = value_of(repo.update(edited, a.version, 0));
  CHECK(updated.owner == alice);
  CHECK(updated.version == a.version + 1);
  CHECK(value_of(repo.find(alice, a.id)) == updated);
  CHECK(value_of(repo.find(bob, b.id)) == b);
}

TEST_CASE_TEMPLATE_DEFINE("remove of another owner's note is not_found and keeps it", TestType,
                          owner_remove) {
  OPEN_REPOSITORY(repo);
  const note a = stored(repo, owned_note("alice's", "x", at(1), alice));
  const note b = stored(repo, owned_note("bob's", "x", at(2), bob));
  const auto any = repo.remove(alice, b.id, std::nullopt);
  REQUIRE_FALSE(any.has_value());
  CHECK(any.error().code == error_code::not_found);
  CHECK(repo.remove(alice, b.id, b.version).error().code == error_code::not_found);
  CHECK(repo.remove(alice, b.id, b.version + 1).error().code == error_code::not_found);
  CHECK(repo.remove(no_account, b.id, std::nullopt).error().code == error_code::not_found);
  CHECK(value_of(repo.find(bob, b.id)) == b);
  ok(repo.remove(bob, b.id, b.version));
  CHECK_FALSE(value_of(repo.find(bob, b.id)).has_value());
  CHECK(value_of(repo.find(alice, a.id)) == a);
}

TEST_CASE_TEMPLATE_DEFINE("count and list pages and their totals see one owner's notes",
                          TestType, owner_list) {
  OPEN_REPOSITORY(repo);
  std::vector<note_id> of_alice;
  std::vector<note_id> of_bob;
  for (int i = 0; i < 5; ++i) {
    of_alice.push_back(stored(repo, owned_note("a" + std::to_string(i), "x", at(i), alice)).id);
    // Bob's are newer and pinned: in either order they would come first if they leaked.
    of_bob.push_back(
        stored(repo, owned_note("b" + std::to_string(i), "x", at(100 + i), bob, true)).id);
  }
  stored(repo, make_note("shared", "x", at(50)));
  std::reverse(of_alice.begin(), of_alice.end());
  std::reverse(of_bob.begin(), of_bob.end());

  CHECK(value_of(repo.count(alice)) == 5);
  CHECK(value_of(repo.count(bob)) == 5);
  CHECK(value_of(repo.count(no_account)) == 1);
  CHECK(value_of(repo.count(3)) == 0);
  for (auto order : {list_order::newest_first, list_order::pinned_first}) {
    const auto first = value_of(repo.list(alice, order, {1, 3}));
    CHECK(first.total == 5);
    CHECK(ids(first.notes) == std::vector<note_id>(of_alice.begin(), of_alice.begin() + 3));
    const auto second = value_of(repo.list(alice, order, {2, 3}));
    CHECK(second.total == 5);
    CHECK(ids(second.notes) == std::vector<note_id>(of_alice.begin() + 3, of_alice.end()));
    const auto past = value_of(repo.list(alice, order, {3, 3}));
    CHECK(past.notes.empty());
    CHECK(past.total == 5);
    CHECK(ids(value_of(repo.list(bob, order, {1, 10})).notes) == of_bob);
    CHECK(value_of(repo.list(no_account, order, {1, 10})).total == 1);
    const auto nobody = value_of(repo.list(3, order, {1, 10}));
    CHECK(nobody.notes.empty());
    CHECK(nobody.total == 0);
  }
}

TEST_CASE_TEMPLATE_DEFINE("search sees one owner's notes and counts only those", TestType,
                          owner_search) {
  OPEN_REPOSITORY(repo);
  stored(repo, owned_note("alice needle", "shared words", at(1), alice));
  stored(repo, owned_note("bob needle", "shared words", at(2), bob));
  stored(repo, owned_note("bob again", "NEEDLE and hay", at(3), bob));
  stored(repo, make_note("shared needle", "x", at(4)));
  CHECK(search_titles(repo, alice, "needle") == std::vector<std::string>{"alice needle"});
  CHECK(search_titles(repo, bob, "needle") ==
        std::vector<std::string>{"bob again", "bob needle"});
  CHECK(search_titles(repo, no_account, "needle") == std::vector<std::string>{"shared needle"});
  CHECK(search_titles(repo, 3, "needle").empty());
  // Short queries take another path.
  CHECK(search_titles(repo, alice, "ne") == std::vector<std::string>{"alice needle"});
  CHECK(search_titles(repo, bob, "e") == std::vector<std::string>{"bob again", "bob needle"});
  const auto page = value_of(repo.search(bob, "SHARED WORDS", {1, 1}));
  CHECK(page.total == 1);
  CHECK(titles(page.notes) == std::vector<std::string>{"bob needle"});
  const auto paged = value_of(repo.search(bob, "needle", {2, 1}));
  CHECK(paged.total == 2);
  CHECK(titles(paged.notes) == std::vector<std::string>{"bob needle"});
}

// A backend may count one owner's matches by the index alone while every stored note is theirs:
// the count must follow as soon as another owner's note comes or goes.
TEST_CASE_TEMPLATE_DEFINE("search counts stay one owner's as other owners' notes come and go",
                          TestType, owner_search_sole) {
  OPEN_REPOSITORY(repo);
  std::vector<note> of_alice;
  for (int i = 0; i < 3; ++i) {
    of_alice.push_back(stored(
        repo, owned_note("alice needle " + std::to_string(i), "hay", at(i), alice)));
  }
  note edited = of_alice[0];
  edited.content = "more needle";
  value_of(repo.update(edited, 1, 0));
  CHECK(value_of(repo.search(alice, "needle", {1, 2})).total == 3);
  CHECK(value_of(repo.search(bob, "needle", {1, 2})).total == 0);

  const note b = stored(repo, owned_note("bob needle", "hay", at(5), bob));
  CHECK(value_of(repo.search(alice, "needle", {1, 2})).total == 3);
  const auto of_bob = value_of(repo.search(bob, "needle", {1, 2}));
  CHECK(of_bob.total == 1);
  CHECK(titles(of_bob.notes) == std::vector<std::string>{"bob needle"});

  ok(repo.trash(alice, of_alice[1].id, std::nullopt, at(6)));
  CHECK(value_of(repo.search(alice, "needle", {1, 2})).total == 2);
  ok(repo.remove(bob, b.id, std::nullopt));
  const auto alone = value_of(repo.search(alice, "needle", {1, 2}));
  CHECK(alone.total == 2);
  CHECK(titles(alone.notes) == std::vector<std::string>{"alice needle 2", "alice needle 0"});
  CHECK(value_of(repo.search(bob, "needle", {1, 2})).total == 0);
  CHECK(value_of(repo.search(alice, "nothing like it", {1, 2})).total == 0);
}

TEST_CASE_TEMPLATE_DEFINE("all lists one owner's notes or everyone's, each with its owner",
                          TestType, owner_all) {
  OPEN_REPOSITORY(repo);
  const note a = stored(repo, owned_note("a", "x", at(9), alice));
  const note b = stored(repo, owned_note("b", "y", at(1), bob));
  const note s = stored(repo, make_note("s", "z", at(5)));
  const note a2 = stored(repo, owned_note("a2", "w", at(2), alice, true));
  CHECK(value_of(repo.all(std::nullopt)) == std::vector<note>{a, b, s, a2});
  CHECK(value_of(repo.all(alice)) == std::vector<note>{a, a2});
  CHECK(value_of(repo.all(bob)) == std::vector<note>{b});
  CHECK(value_of(repo.all(no_account)) == std::vector<note>{s});
  CHECK(value_of(repo.all(3)).empty());
}

TEST_CASE_TEMPLATE_DEFINE("import keeps each note's owner", TestType, owner_import) {
  OPEN_REPOSITORY(repo);
  note a = owned_note("alice's", "imported text", at(1), alice);
  a.id = 10;
  note b = owned_note("bob's", "imported text", at(2), bob);
  b.id = 11;
  note s = make_note("shared", "imported text", at(3));
  s.id = 12;
  ok(repo.import(std::vector<note>{a, b, s}));
  CHECK(value_of(repo.all(std::nullopt)) == std::vector<note>{a, b, s});
  CHECK(value_of(repo.find(alice, 10)) == a);
  CHECK_FALSE(value_of(repo.find(alice, 11)).has_value());
  CHECK(value_of(repo.count(bob)) == 1);
  CHECK(search_titles(repo, bob, "IMPORTED") == std::vector<std::string>{"bob's"});

  // An id is taken whoever owns it.
  note clash = owned_note("clash", "x", at(4), 3);
  clash.id = 10;
  CHECK(repo.import(std::vector<note>{clash}).error().code == error_code::conflict);
  CHECK(value_of(repo.find(alice, 10)) == a);
}

TEST_CASE_TEMPLATE_DEFINE("change_owner moves only from's notes, as they were, to the new owner",
                          TestType, owner_change) {
  OPEN_REPOSITORY(repo);
  note s1 = stored(repo, make_note("shared one", "moving text", at(1)));
  s1.title = "shared one, edited";
  s1 = value_of(repo.update(s1, 1, 0));
  const note s2 = stored(repo, make_note("shared two", "moving text", at(2), true));
  const note a = stored(repo, owned_note("alice's own", "moving text", at(3), alice));
  const note b = stored(repo, owned_note("bob's", "moving text", at(4), bob));

  CHECK(value_of(repo.change_owner(no_account, alice)) == 2);
  CHECK(value_of(repo.count(no_account)) == 0);
  CHECK(value_of(repo.count(alice)) == 3);
  CHECK(value_of(repo.count(bob)) == 1);
  note moved = s1;
  moved.owner = alice;
  CHECK(value_of(repo.find(alice, s1.id)) == moved);  // version and times as they were
  CHECK(value_of(repo.find(alice, s1.id))->version == 2);
  CHECK_FALSE(value_of(repo.find(no_account, s1.id)).has_value());
  CHECK(ids(value_of(repo.list(alice, list_order::pinned_first, {1, 10})).notes) ==
        std::vector<note_id>{s2.id, a.id, s1.id});
  CHECK(value_of(repo.list(no_account, list_order::newest_first, {1, 10})).total == 0);
  CHECK(search_titles(repo, alice, "moving") ==
        std::vector<std::string>{"alice's own", "shared two", "shared one, edited"});
  CHECK(search_titles(repo, no_account, "moving").empty());
  CHECK(value_of(repo.find(bob, b.id)) == b);

  // The new owner may change them; the old one may not.
  note edit = moved;
  edit.title = "claimed";
  CHECK(value_of(repo.update(edit, 2, 0)).version == 3);
  CHECK(repo.remove(no_account, s2.id, std::nullopt).error().code == error_code::not_found);

  CHECK(value_of(repo.change_owner(no_account, bob)) == 0);
  CHECK(value_of(repo.change_owner(alice, bob)) == 3);
  CHECK(value_of(repo.count(bob)) == 4);
  CHECK(value_of(repo.count(alice)) == 0);
}

TEST_CASE_TEMPLATE_DEFINE("remove_all removes only that owner's notes and search forgets them",
                          TestType, owner_remove_all) {
  OPEN_REPOSITORY(repo);
  std::vector<note> of_alice;
  for (int i = 0; i < 4; ++i) {
    of_alice.push_back(
        stored(repo, owned_note("alice " + std::to_string(i), "gone soon", at(i), alice)));
  }
  note edited = of_alice[1];
  edited.content = "gone soon, edited";
  value_of(repo.update(edited, 1, 0));
  const note b = stored(repo, owned_note("bob's", "gone soon? no", at(9), bob));
  const note s = stored(repo, make_note("shared", "gone soon? no", at(10)));

  CHECK(value_of(repo.remove_all(alice)) == 4);
  CHECK(value_of(repo.count(alice)) == 0);
  CHECK(value_of(repo.all(alice)).empty());
  for (const note& n : of_alice) CHECK_FALSE(value_of(repo.find(alice, n.id)).has_value());
  CHECK(search_titles(repo, alice, "gone soon").empty());
  CHECK(search_titles(repo, alice, "go").empty());
  CHECK(value_of(repo.search(alice, "gone soon", {1, 10})).total == 0);
  CHECK(value_of(repo.all(std::nullopt)) == std::vector<note>{b, s});
  CHECK(search_titles(repo, bob, "gone soon") == std::vector<std::string>{"bob's"});
  CHECK(search_titles(repo, no_account, "gone soon") == std::vector<std::string>{"shared"});
  CHECK(value_of(repo.remove_all(alice)) == 0);

  // Ids of removed notes stay retired.
  CHECK(stored(repo, owned_note("new", "x", at(20), alice)).id > s.id);
}

}  // namespace notes::testing::note_cases

// Every case above, for NOTES_REPOSITORY_CONTRACT (repository_contract.hpp).
#define NOTES_TESTING_NOTE_CASES(apply) \
  apply(create_find) \
  apply(create_then) \
  apply(update_then) \
  apply(find_missing) \
  apply(update_current) \
  apply(update_stale) \
  apply(update_missing) \
  apply(remove_any) \
  apply(remove_versioned) \
  apply(counts) \
  apply(list_recently_updated) \
  apply(ids_not_reused) \
  apply(list_newest) \
  apply(list_pinned) \
  apply(pagination) \
  apply(search_case) \
  apply(search_unicode) \
  apply(search_normalised) \
  apply(search_wildcards) \
  apply(search_syntax) \
  apply(search_substring) \
  apply(search_none) \
  apply(search_short) \
  apply(search_paging) \
  apply(search_changes) \
  apply(all_notes) \
  apply(import_round_trip) \
  apply(import_conflict) \
  apply(owner_find) \
  apply(owner_update) \
  apply(owner_remove) \
  apply(owner_list) \
  apply(owner_search) \
  apply(owner_search_sole) \
  apply(owner_all) \
  apply(owner_import) \
  apply(owner_change) \
  apply(owner_remove_all)
