#pragma once
// Pages after a position (list_after) in the note_repository contract: walking a list by
// positions yields what its numbered pages do, in every order, with a tag filter, one owner's
// notes only, and stays sound while notes are created, changed and trashed between pages. Each
// case starts from a fresh, empty repository. Included by notes/testing/repository_contract.hpp.
#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "notes/testing/contract_support.hpp"

namespace notes::testing::position_cases {

namespace {

constexpr list_order every_order[] = {list_order::newest_first, list_order::pinned_first,
                                      list_order::pinned_recently_updated};

// Creation times equal in threes and changes equal in pairs, so ids break the ties; every
// fourth note pinned, every other one tagged "even".
note numbered(int i, account_id owner = no_account) {
  note n = make_note("note " + std::to_string(i), "x", at(i / 3), i % 4 == 0);
  n.updated_at = at(100 + (i * 7 % 23) / 2);
  n.owner = owner;
  if (i % 2 == 0) n.tags = {"even"};
  return n;
}

std::vector<note_id> ids(const std::vector<note>& notes) {
  std::vector<note_id> out;
  for (const auto& n : notes) out.push_back(n.id);
  return out;
}

// The first page by number, then page after page by position until one comes back empty.
std::vector<note_id> walk(note_repository& repo, account_id owner, list_order order,
                          std::int64_t per_page, tag_filter tags = {}) {
  auto page = value_of(repo.list(owner, order, {1, per_page}, tags));
  std::vector<note_id> seen = ids(page.notes);
  for (int pages = 1; !page.notes.empty(); ++pages) {
    REQUIRE(pages <= 100);
    const std::int64_t total = page.total;
    page = value_of(
        repo.list_after(owner, order, position_of(page.notes.back(), order), per_page, tags));
    CHECK(page.total == total);
    CHECK(static_cast<std::int64_t>(page.notes.size()) <= per_page);
    for (note_id id : ids(page.notes)) seen.push_back(id);
  }
  return seen;
}

bool no_duplicates(std::vector<note_id> seen) {
  std::ranges::sort(seen);
  return std::ranges::adjacent_find(seen) == seen.end();
}

}  // namespace

TEST_CASE_TEMPLATE_DEFINE("pages after positions walk every order as its numbered pages do",
                          TestType, positions_walk) {
  OPEN_REPOSITORY(repo);
  for (int i = 0; i < 23; ++i) {
    value_of(repo.create(numbered(i)));
    value_of(repo.create(numbered(i, 9)));
  }
  for (const list_order order : every_order) {
    const auto all = ids(value_of(repo.list(no_account, order, {1, 100})).notes);
    REQUIRE(all.size() == 23);
    for (const std::int64_t per_page : {1, 4, 10, 23, 50}) {
      CAPTURE(static_cast<int>(order));
      CAPTURE(per_page);
      CHECK(walk(repo, no_account, order, per_page) == all);
    }
  }
}

TEST_CASE_TEMPLATE_DEFINE("pages after positions keep a tag filter and list one owner's notes",
                          TestType, positions_filtered) {
  OPEN_REPOSITORY(repo);
  for (int i = 0; i < 17; ++i) {
    value_of(repo.create(numbered(i)));
    value_of(repo.create(numbered(i, 9)));
  }
  const std::vector<std::string> even{"even"};
  for (const list_order order : every_order) {
    CAPTURE(static_cast<int>(order));
    const auto tagged = value_of(repo.list(no_account, order, {1, 100}, even));
    REQUIRE(tagged.total == 9);
    CHECK(walk(repo, no_account, order, 2, even) == ids(tagged.notes));
    // A position taken from another owner's list still shows only the caller's notes.
    const auto theirs = value_of(repo.list(9, order, {1, 1}));
    const auto page =
        value_of(repo.list_after(no_account, order, position_of(theirs.notes.front(), order),
                                 100, {}));
    for (const auto& n : page.notes) CHECK(n.owner == no_account);
  }
}

TEST_CASE_TEMPLATE_DEFINE("a page after a position starts there though that note is gone",
                          TestType, positions_of_gone_notes) {
  OPEN_REPOSITORY(repo);
  std::vector<note> made;
  for (int i = 0; i < 6; ++i) made.push_back(value_of(repo.create(numbered(i))));
  const list_order order = list_order::newest_first;
  const auto listed = value_of(repo.list(no_account, order, {1, 10})).notes;
  const note third = listed.at(2);
  const list_position position = position_of(third, order);
  const auto before = value_of(repo.list_after(no_account, order, position, 10, {}));
  REQUIRE(std::vector<note>(listed.begin() + 3, listed.end()) == before.notes);
  REQUIRE(repo.trash(no_account, third.id, std::nullopt, at(50)).has_value());
  CHECK(value_of(repo.list_after(no_account, order, position, 10, {})).notes == before.notes);
  // Past the last note: an empty page with the total.
  const auto end =
      value_of(repo.list_after(no_account, order, position_of(before.notes.back(), order), 10,
                               {}));
  CHECK(end.notes.empty());
  CHECK(end.total == 5);
}

TEST_CASE_TEMPLATE_DEFINE("by creation, pages after positions see each note at most once while "
                          "notes come, change and go",
                          TestType, positions_by_creation_under_change) {
  OPEN_REPOSITORY(repo);
  for (int i = 0; i < 20; ++i) value_of(repo.create(numbered(i)));
  for (const list_order order : {list_order::newest_first, list_order::pinned_first}) {
    CAPTURE(static_cast<int>(order));
    auto page = value_of(repo.list(no_account, order, {1, 3}));
    std::vector<note_id> seen = ids(page.notes);
    std::vector<note_id> trashed;
    int step = 0;
    while (!page.notes.empty()) {
      REQUIRE(++step < 30);
      // A newer note, a change of a note seen and of one not seen yet, a trashed note.
      value_of(repo.create(numbered(100 + step)));
      const auto rest = value_of(repo.list(no_account, order, {1, 100})).notes;
      for (const note& n : rest) {
        if (n.title.ends_with("0") || n.title.ends_with("7")) {
          note changed = n;
          changed.content = "changed at " + std::to_string(step);
          changed.updated_at = at(1000 + step);
          value_of(repo.update(changed, n.version, 0));
        }
      }
      const auto unseen = std::ranges::find_if(rest, [&](const note& n) {
        return std::ranges::find(seen, n.id) == seen.end() && n.title.ends_with("5");
      });
      if (unseen != rest.end()) {
        REQUIRE(repo.trash(no_account, unseen->id, std::nullopt, at(2000)).has_value());
        trashed.push_back(unseen->id);
      }
      page = value_of(
          repo.list_after(no_account, order, position_of(page.notes.back(), order), 3, {}));
      for (note_id id : ids(page.notes)) seen.push_back(id);
    }
    CHECK(no_duplicates(seen));
    // Every note there from the start and never trashed was seen.
    for (const note& n : value_of(repo.list(no_account, order, {1, 1000})).notes) {
      if (n.title.starts_with("note 1") && n.title.size() == 8) continue;  // created meanwhile
      CAPTURE(n.title);
      CHECK(std::ranges::find(seen, n.id) != seen.end());
    }
    for (note_id id : trashed) CHECK(std::ranges::find(seen, id) == seen.end());
    for (note_id id : trashed) REQUIRE(repo.restore(no_account, id, std::nullopt, at(3000)).has_value());
  }
}

TEST_CASE_TEMPLATE_DEFINE("by last change, pages after positions see each note at most once and "
                          "every note left unchanged",
                          TestType, positions_by_change_under_change) {
  OPEN_REPOSITORY(repo);
  std::vector<note> made;
  for (int i = 0; i < 20; ++i) made.push_back(value_of(repo.create(numbered(i))));
  const list_order order = list_order::pinned_recently_updated;
  auto page = value_of(repo.list(no_account, order, {1, 4}));
  std::vector<note_id> seen = ids(page.notes);
  std::vector<note_id> changed_ids;
  int step = 0;
  while (!page.notes.empty()) {
    REQUIRE(++step < 30);
    // One note seen and one not yet seen change: each moves to the front of the order.
    for (const note& n : value_of(repo.list(no_account, order, {2, 4})).notes) {
      if (std::ranges::find(changed_ids, n.id) != changed_ids.end()) continue;
      note changed = n;
      changed.content = "changed at " + std::to_string(step);
      changed.updated_at = at(1000 + step);
      value_of(repo.update(changed, n.version, 0));
      changed_ids.push_back(n.id);
      break;
    }
    page = value_of(
        repo.list_after(no_account, order, position_of(page.notes.back(), order), 4, {}));
    for (note_id id : ids(page.notes)) seen.push_back(id);
  }
  CHECK(no_duplicates(seen));
  for (const note& n : made) {
    if (std::ranges::find(changed_ids, n.id) != changed_ids.end()) continue;
    CAPTURE(n.title);
    CHECK(std::ranges::find(seen, n.id) != seen.end());
  }
}

}  // namespace notes::testing::position_cases

// Every case above, for NOTES_REPOSITORY_CONTRACT (repository_contract.hpp).
#define NOTES_TESTING_POSITION_CASES(apply) \
  apply(positions_walk) \
  apply(positions_filtered) \
  apply(positions_of_gone_notes) \
  apply(positions_by_creation_under_change) \
  apply(positions_by_change_under_change)
