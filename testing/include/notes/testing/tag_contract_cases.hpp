#pragma once
// Tags in the note_repository contract: stored as given, filtered and counted folded, per owner,
// through the trash, an archive and back. Each case starts from a fresh, empty repository.
// Included by notes/testing/repository_contract.hpp.
#include <span>
#include <string>
#include <vector>

#include "notes/testing/contract_support.hpp"

namespace notes::testing::tag_cases {

namespace {

note tagged(std::string title, std::vector<std::string> tags, int second,
            account_id owner = no_account) {
  note n = make_note(std::move(title), "body of " + std::to_string(second), at(second));
  n.tags = std::move(tags);
  n.owner = owner;
  return n;
}

std::vector<std::string> titles(const note_page& page) {
  std::vector<std::string> out;
  for (const auto& n : page.notes) out.push_back(n.title);
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE_DEFINE("tags are stored as given and come back from find, lists and all",
                          TestType, tags_stored) {
  OPEN_REPOSITORY(repo);
  const note a = value_of(repo.create(tagged("a", {"Work", "café/Été", "x_1-2"}, 1)));
  CHECK(value_of(repo.find(no_account, a.id))->tags ==
        std::vector<std::string>{"Work", "café/Été", "x_1-2"});
  CHECK(value_of(repo.list(no_account, list_order::newest_first, {1, 10})).notes.front().tags ==
        a.tags);
  CHECK(value_of(repo.all(std::nullopt)).front().tags == a.tags);
  note changed = a;
  changed.tags = {"Home"};
  changed.updated_at = at(5);
  CHECK(value_of(repo.update(changed, 1, 0)).tags == std::vector<std::string>{"Home"});
  CHECK(value_of(repo.find(no_account, a.id))->tags == std::vector<std::string>{"Home"});
}

TEST_CASE_TEMPLATE_DEFINE("list and search filter by every given tag, folded", TestType,
                          tags_filter) {
  OPEN_REPOSITORY(repo);
  value_of(repo.create(tagged("one", {"Work", "urgent"}, 1)));
  value_of(repo.create(tagged("two", {"work"}, 2)));
  value_of(repo.create(tagged("three", {"home"}, 3)));
  value_of(repo.create(tagged("four", {}, 4)));
  value_of(repo.create(tagged("other's", {"work"}, 5, 7)));
  const std::vector<std::string> work{"work"};
  const std::vector<std::string> both{"work", "urgent"};
  const std::vector<std::string> none{"nothing"};
  auto page = value_of(repo.list(no_account, list_order::newest_first, {1, 10}, work));
  CHECK(titles(page) == std::vector<std::string>{"two", "one"});
  CHECK(page.total == 2);
  CHECK(titles(value_of(repo.list(no_account, list_order::pinned_first, {1, 10}, both))) ==
        std::vector<std::string>{"one"});
  CHECK(value_of(repo.list(no_account, list_order::newest_first, {1, 10}, none)).total == 0);
  // Pages of a filtered list keep the total.
  page = value_of(repo.list(no_account, list_order::newest_first, {2, 1}, work));
  CHECK(titles(page) == std::vector<std::string>{"one"});
  CHECK(page.total == 2);
  CHECK(titles(value_of(repo.search(no_account, "BODY", {1, 10}, work))) ==
        std::vector<std::string>{"two", "one"});
  CHECK(titles(value_of(repo.search(no_account, "of 1", {1, 10}, work))) ==
        std::vector<std::string>{"one"});
  CHECK(value_of(repo.search(no_account, "of 3", {1, 10}, work)).total == 0);
  CHECK(value_of(repo.list(7, list_order::newest_first, {1, 10}, work)).total == 1);
}

// A tag's list is in the list's order however the notes change: pinned, edited, retagged,
// moved between orders, past its first page and after a position.
TEST_CASE_TEMPLATE_DEFINE("a tag's list keeps each order as notes are pinned, edited and retagged",
                          TestType, tags_ordered) {
  OPEN_REPOSITORY(repo);
  std::vector<note> made;
  for (int i = 1; i <= 5; ++i) {
    made.push_back(value_of(repo.create(tagged("n" + std::to_string(i), {"work"}, i))));
  }
  value_of(repo.create(tagged("untagged", {}, 6)));
  const std::vector<std::string> work{"work"};
  const auto listed = [&](list_order order) {
    return titles(value_of(repo.list(no_account, order, {1, 10}, work)));
  };
  CHECK(listed(list_order::newest_first) ==
        std::vector<std::string>{"n5", "n4", "n3", "n2", "n1"});
  // n2 pinned, n4 edited last: pinned first in both pinned orders, then by creation or change.
  note pinned = made[1];
  pinned.is_pinned = true;
  pinned.updated_at = at(7);
  value_of(repo.update(pinned, 1, 0));
  note edited = made[3];
  edited.content = "changed";
  edited.updated_at = at(8);
  value_of(repo.update(edited, 1, 0));
  // n1 retagged with a second tag: still in the list, at its place.
  note retagged = made[0];
  retagged.tags = {"work", "home"};
  retagged.updated_at = at(9);
  value_of(repo.update(retagged, 1, 0));
  CHECK(listed(list_order::newest_first) ==
        std::vector<std::string>{"n5", "n4", "n3", "n2", "n1"});
  CHECK(listed(list_order::pinned_first) ==
        std::vector<std::string>{"n2", "n5", "n4", "n3", "n1"});
  CHECK(listed(list_order::pinned_recently_updated) ==
        std::vector<std::string>{"n2", "n1", "n4", "n5", "n3"});
  // Numbered pages and pages after a position agree, with two tags as with one.
  const auto second = value_of(repo.list(no_account, list_order::pinned_recently_updated,
                                         {2, 2}, work));
  CHECK(titles(second) == std::vector<std::string>{"n4", "n5"});
  CHECK(second.total == 5);
  const note_page first = value_of(repo.list(no_account, list_order::pinned_recently_updated,
                                             {1, 2}, work));
  const note& last_of_first = first.notes.back();
  const auto after = value_of(repo.list_after(no_account, list_order::pinned_recently_updated,
                                              position_of(last_of_first,
                                                          list_order::pinned_recently_updated),
                                              2, work));
  CHECK(titles(after) == std::vector<std::string>{"n4", "n5"});
  const std::vector<std::string> both{"home", "work"};
  CHECK(titles(value_of(repo.list(no_account, list_order::pinned_first, {1, 10}, both))) ==
        std::vector<std::string>{"n1"});
  // Unpinned again, n2 goes back to its place.
  pinned = value_of(repo.find(no_account, made[1].id)).value();
  pinned.is_pinned = false;
  pinned.updated_at = at(10);
  value_of(repo.update(pinned, pinned.version, 0));
  CHECK(listed(list_order::pinned_first) ==
        std::vector<std::string>{"n5", "n4", "n3", "n2", "n1"});
  CHECK(listed(list_order::pinned_recently_updated) ==
        std::vector<std::string>{"n2", "n1", "n4", "n5", "n3"});
}

TEST_CASE_TEMPLATE_DEFINE("tag counts are the owner's live notes per folded tag, by name",
                          TestType, tags_counted) {
  OPEN_REPOSITORY(repo);
  value_of(repo.create(tagged("one", {"Work", "b"}, 1)));
  const note two = value_of(repo.create(tagged("two", {"work"}, 2)));
  value_of(repo.create(tagged("three", {"a"}, 3)));
  value_of(repo.create(tagged("other's", {"work", "secret"}, 4, 7)));
  CHECK(value_of(repo.tag_counts(no_account)) ==
        std::vector<tag_count>{{"a", 1}, {"b", 1}, {"work", 2}});
  CHECK(value_of(repo.tag_counts(7)) == std::vector<tag_count>{{"secret", 1}, {"work", 1}});
  CHECK(value_of(repo.tag_counts(8)).empty());

  // A trashed note is not counted and keeps its tags; a restore brings them back.
  REQUIRE(repo.trash(no_account, two.id, std::nullopt, at(10)).has_value());
  CHECK(value_of(repo.tag_counts(no_account)) ==
        std::vector<tag_count>{{"a", 1}, {"b", 1}, {"work", 1}});
  CHECK(value_of(repo.find_trashed(no_account, two.id))->note.tags ==
        std::vector<std::string>{"work"});
  const std::vector<std::string> work{"work"};
  CHECK(value_of(repo.list(no_account, list_order::newest_first, {1, 10}, work)).total == 1);
  CHECK(value_of(repo.restore(no_account, two.id, std::nullopt, at(11))).tags ==
        std::vector<std::string>{"work"});
  CHECK(value_of(repo.tag_counts(no_account)) ==
        std::vector<tag_count>{{"a", 1}, {"b", 1}, {"work", 2}});
  CHECK(value_of(repo.list(no_account, list_order::newest_first, {1, 10}, work)).total == 2);

  // An update replaces the tags in the counts; a removal drops them.
  note changed = two;
  changed.tags = {"b"};
  changed.updated_at = at(12);
  REQUIRE(repo.update(changed, 2, 0).has_value());
  CHECK(value_of(repo.tag_counts(no_account)) ==
        std::vector<tag_count>{{"a", 1}, {"b", 2}, {"work", 1}});
  REQUIRE(repo.remove(no_account, two.id, std::nullopt).has_value());
  CHECK(value_of(repo.tag_counts(no_account)) ==
        std::vector<tag_count>{{"a", 1}, {"b", 1}, {"work", 1}});
}

TEST_CASE_TEMPLATE_DEFINE("tags follow notes to a new owner, an import and a removal of all",
                          TestType, tags_moved) {
  OPEN_REPOSITORY(repo);
  value_of(repo.create(tagged("one", {"work"}, 1)));
  CHECK(value_of(repo.change_owner(no_account, 5)) == 1);
  CHECK(value_of(repo.tag_counts(no_account)).empty());
  CHECK(value_of(repo.tag_counts(5)) == std::vector<tag_count>{{"work", 1}});
  note imported = tagged("imported", {"Work", "new"}, 2, 5);
  imported.id = 100;
  REQUIRE(repo.import(std::span<const note>(&imported, 1)).has_value());
  CHECK(value_of(repo.tag_counts(5)) == std::vector<tag_count>{{"new", 1}, {"work", 2}});
  CHECK(value_of(repo.remove_all(5)) == 2);
  CHECK(value_of(repo.tag_counts(5)).empty());
}

TEST_CASE_TEMPLATE_DEFINE("tags go through an archive and back: live, trashed and counted",
                          TestType, tags_archived) {
  OPEN_REPOSITORY(repo);
  const note live = value_of(repo.create(tagged("live", {"Work", "a/b"}, 1, 3)));
  const note gone = value_of(repo.create(tagged("gone", {"work"}, 2, 3)));
  REQUIRE(repo.trash(3, gone.id, std::nullopt, at(5)).has_value());
  const note_archive archive = value_of(repo.archive(std::nullopt));
  REQUIRE(archive.live.size() == 1);
  CHECK(archive.live.front().tags == live.tags);
  REQUIRE(archive.trashed.size() == 1);
  CHECK(archive.trashed.front().note.tags == std::vector<std::string>{"work"});

  CHECK(value_of(repo.remove_all(3)) >= 1);
  REQUIRE(value_of(repo.archive(std::nullopt)) == note_archive{});
  REQUIRE(repo.import_archive(archive).has_value());
  CHECK(value_of(repo.find(3, live.id))->tags == live.tags);
  CHECK(value_of(repo.tag_counts(3)) == std::vector<tag_count>{{"a/b", 1}, {"work", 1}});
  const std::vector<std::string> work{"work"};
  CHECK(value_of(repo.list(3, list_order::newest_first, {1, 10}, work)).total == 1);
  CHECK(value_of(repo.restore(3, gone.id, std::nullopt, at(6))).tags ==
        std::vector<std::string>{"work"});
  CHECK(value_of(repo.tag_counts(3)) == std::vector<tag_count>{{"a/b", 1}, {"work", 2}});
}

}  // namespace notes::testing::tag_cases

// Every case above, for NOTES_REPOSITORY_CONTRACT (repository_contract.hpp).
#define NOTES_TESTING_TAG_CASES(apply) \
  apply(tags_stored) \
  apply(tags_filter) \
  apply(tags_ordered) \
  apply(tags_counted) \
  apply(tags_moved) \
  apply(tags_archived)
