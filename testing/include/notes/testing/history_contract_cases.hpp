#pragma once
// The trash and revision half of the note_repository contract. Each case starts from a fresh,
// empty repository. Included by notes/testing/repository_contract.hpp.
#include <string>
#include <vector>

#include "notes/testing/contract_support.hpp"

namespace notes::testing::history_cases {

namespace {

constexpr account_id alice = 1;
constexpr account_id bob = 2;

template <class T>
error_code failure(const result<T>& r) {
  REQUIRE_FALSE(r.has_value());
  return r.error().code;
}

note stored(note_repository& repo, std::string title, timestamp created,
            account_id owner = no_account, std::string content = "body") {
  note n = make_note(std::move(title), std::move(content), created);
  n.owner = owner;
  return value_of(repo.create(n));
}

// The note with its title and content replaced, updated at `when`, keeping `keep` revisions.
note changed(note_repository& repo, const note& n, std::string title, timestamp when,
             std::int32_t keep, std::string content = "body") {
  note next = n;
  next.title = std::move(title);
  next.content = std::move(content);
  next.updated_at = when;
  return value_of(repo.update(next, n.version, keep));
}

std::vector<note_id> trash_ids(note_repository& repo, account_id owner, page_request page) {
  std::vector<note_id> out;
  for (const auto& t : value_of(repo.list_trash(owner, page)).notes) out.push_back(t.note.id);
  return out;
}

std::vector<note_version> revision_versions(note_repository& repo, account_id owner, note_id id,
                                            page_request page = {1, 100}) {
  std::vector<note_version> out;
  for (const auto& r : value_of(repo.list_revisions(owner, id, page)).revisions) {
    out.push_back(r.version);
  }
  return out;
}

std::int64_t search_total(note_repository& repo, account_id owner, std::string_view query) {
  return value_of(repo.search(owner, query, {1, 100})).total;
}

// Whether revisions of note `id`, which must be gone for good, were left behind: a note
// imported under its id would show them.
std::vector<note_version> left_behind(note_repository& repo, note_id id, account_id owner) {
  note again = make_note("again", "body", at(900));
  again.id = id;
  again.owner = owner;
  again.version = 50;
  ok(repo.import(std::vector<note>{again}));
  return revision_versions(repo, owner, id);
}

}  // namespace

TEST_CASE_TEMPLATE_DEFINE("a trashed note is gone from find, update, remove, lists and search",
                          TestType, trash_hides) {
  OPEN_REPOSITORY(repo);
  const note keep = stored(repo, "keep", at(1));
  const note gone = stored(repo, "findable note", at(2), no_account, "needle text");
  changed(repo, gone, "findable note", at(3), 10, "needle text, edited");
  ok(repo.trash(no_account, gone.id, 2, at(5)));

  CHECK_FALSE(value_of(repo.find(no_account, gone.id)).has_value());
  note edit = gone;
  edit.version = 2;
  CHECK(failure(repo.update(edit, 2, 10)) == error_code::not_found);
  CHECK(failure(repo.remove(no_account, gone.id, std::nullopt)) == error_code::not_found);
  CHECK(failure(repo.trash(no_account, gone.id, std::nullopt, at(6))) == error_code::not_found);
  CHECK(value_of(repo.count(no_account)) == 1);
  const auto listed = value_of(repo.list(no_account, list_order::pinned_first, {1, 10}));
  CHECK(listed.total == 1);
  REQUIRE(listed.notes.size() == 1);
  CHECK(listed.notes.front().id == keep.id);
  CHECK(search_total(repo, no_account, "needle") == 0);
  CHECK(search_total(repo, no_account, "ne") == 0);
  CHECK(failure(repo.list_revisions(no_account, gone.id, {1, 10})) == error_code::not_found);
  CHECK_FALSE(value_of(repo.find_revision(no_account, gone.id, 1)).has_value());

  const auto found = value_of(repo.find_trashed(no_account, gone.id));
  REQUIRE(found.has_value());
  CHECK(found->deleted_at == at(5));
  CHECK(found->note.title == "findable note");
  CHECK(found->note.content == "needle text, edited");
  CHECK(found->note.version == 2);
  CHECK(found->note.created_at == at(2));
  CHECK(found->note.updated_at == at(3));
  CHECK_FALSE(value_of(repo.find_trashed(no_account, keep.id)).has_value());
  CHECK_FALSE(value_of(repo.find_trashed(alice, gone.id)).has_value());
}

TEST_CASE_TEMPLATE_DEFINE("trash refuses a stale version, a missing note and another owner's",
                          TestType, trash_refusals) {
  OPEN_REPOSITORY(repo);
  const note mine = stored(repo, "mine", at(1), alice);
  CHECK(failure(repo.trash(alice, mine.id, 2, at(5))) == error_code::conflict);
  CHECK(failure(repo.trash(bob, mine.id, std::nullopt, at(5))) == error_code::not_found);
  CHECK(failure(repo.trash(alice, mine.id + 100, std::nullopt, at(5))) == error_code::not_found);
  CHECK(value_of(repo.find(alice, mine.id)).has_value());
  CHECK(value_of(repo.list_trash(alice, {1, 10})).total == 0);
  ok(repo.trash(alice, mine.id, 1, at(5)));
  CHECK(value_of(repo.list_trash(alice, {1, 10})).total == 1);
}

TEST_CASE_TEMPLATE_DEFINE("the trash lists latest deletion first in pages, each owner's own",
                          TestType, trash_list) {
  OPEN_REPOSITORY(repo);
  std::vector<note> notes;
  for (int i = 0; i < 5; ++i) notes.push_back(stored(repo, "n" + std::to_string(i), at(i), alice));
  const note bobs = stored(repo, "bob's", at(9), bob);
  // Deleted at 30, 10, 20, 20, 40: the two at 20 tie and the newer id comes first.
  const std::vector<int> deleted = {30, 10, 20, 20, 40};
  for (int i = 0; i < 5; ++i) ok(repo.trash(alice, notes[i].id, std::nullopt, at(deleted[i])));
  ok(repo.trash(bob, bobs.id, std::nullopt, at(50)));

  CHECK(trash_ids(repo, alice, {1, 2}) == std::vector{notes[4].id, notes[0].id});
  CHECK(trash_ids(repo, alice, {2, 2}) == std::vector{notes[3].id, notes[2].id});
  CHECK(trash_ids(repo, alice, {3, 2}) == std::vector{notes[1].id});
  const auto past = value_of(repo.list_trash(alice, {9, 2}));
  CHECK(past.notes.empty());
  CHECK(past.total == 5);
  const auto first = value_of(repo.list_trash(alice, {1, 1}));
  CHECK(first.total == 5);
  REQUIRE(first.notes.size() == 1);
  CHECK(first.notes.front().deleted_at == at(40));
  CHECK(first.notes.front().note == notes[4]);
  CHECK(trash_ids(repo, bob, {1, 10}) == std::vector{bobs.id});
  CHECK(value_of(repo.list_trash(no_account, {1, 10})).total == 0);
  CHECK(value_of(repo.count(alice)) == 0);
}

TEST_CASE_TEMPLATE_DEFINE("restore brings a trashed note back with its id at the next version",
                          TestType, restore_back) {
  OPEN_REPOSITORY(repo);
  const note other = stored(repo, "other", at(1));
  const note n = stored(repo, "wanted note", at(2), no_account, "haystack body");
  ok(repo.trash(no_account, n.id, std::nullopt, at(10)));
  CHECK(search_total(repo, no_account, "haystack") == 0);

  CHECK(failure(repo.restore(no_account, n.id, 2, at(20))) == error_code::conflict);
  CHECK(failure(repo.restore(alice, n.id, std::nullopt, at(20))) == error_code::not_found);
  CHECK(failure(repo.restore(no_account, other.id, std::nullopt, at(20))) ==
        error_code::not_found);
  CHECK(failure(repo.restore(no_account, n.id + 100, std::nullopt, at(20))) ==
        error_code::not_found);
  CHECK(value_of(repo.list_trash(no_account, {1, 10})).total == 1);

  const note back = value_of(repo.restore(no_account, n.id, 1, at(20)));
  CHECK(back.id == n.id);
  CHECK(back.version == 2);
  CHECK(back.updated_at == at(20));
  CHECK(back.created_at == at(2));
  CHECK(back.title == "wanted note");
  CHECK(back.content == "haystack body");
  CHECK(back.owner == no_account);
  CHECK(value_of(repo.find(no_account, n.id)) == back);
  CHECK(value_of(repo.count(no_account)) == 2);
  CHECK(value_of(repo.list(no_account, list_order::newest_first, {1, 10})).notes.front() == back);
  CHECK(search_total(repo, no_account, "haystack") == 1);
  CHECK(search_total(repo, no_account, "ha") == 1);
  CHECK(value_of(repo.list_trash(no_account, {1, 10})).total == 0);
  CHECK(failure(repo.restore(no_account, n.id, std::nullopt, at(21))) == error_code::not_found);

  // Back and forth again: the search index follows every move.
  ok(repo.trash(no_account, n.id, 2, at(30)));
  CHECK(search_total(repo, no_account, "haystack") == 0);
  CHECK(value_of(repo.restore(no_account, n.id, std::nullopt, at(40))).version == 3);
  CHECK(search_total(repo, no_account, "haystack") == 1);
  const note edited = changed(repo, value_of(repo.find(no_account, n.id)).value(), "wanted note",
                              at(50), 0, "needle body");
  CHECK(edited.version == 4);
  CHECK(search_total(repo, no_account, "haystack") == 0);
  CHECK(search_total(repo, no_account, "needle") == 1);
}

TEST_CASE_TEMPLATE_DEFINE("purge deletes a trashed note for good with its revisions", TestType,
                          purge_one) {
  OPEN_REPOSITORY(repo);
  const note live = stored(repo, "live", at(1), alice);
  note n = stored(repo, "v1", at(2), alice);
  n = changed(repo, n, "v2", at(3), 10);
  ok(repo.trash(alice, n.id, std::nullopt, at(10)));

  CHECK(failure(repo.purge(alice, n.id, 1)) == error_code::conflict);
  CHECK(failure(repo.purge(bob, n.id, std::nullopt)) == error_code::not_found);
  CHECK(failure(repo.purge(alice, live.id, std::nullopt)) == error_code::not_found);
  CHECK(value_of(repo.find(alice, live.id)).has_value());
  ok(repo.purge(alice, n.id, 2));
  CHECK(failure(repo.purge(alice, n.id, std::nullopt)) == error_code::not_found);
  CHECK(failure(repo.restore(alice, n.id, std::nullopt, at(11))) == error_code::not_found);
  CHECK(value_of(repo.list_trash(alice, {1, 10})).total == 0);
  CHECK(left_behind(repo, n.id, alice).empty());
}

TEST_CASE_TEMPLATE_DEFINE("empty_trash deletes one owner's trash and returns how many", TestType,
                          empty_all) {
  OPEN_REPOSITORY(repo);
  note a1 = stored(repo, "a1", at(1), alice);
  a1 = changed(repo, a1, "a1 again", at(2), 10);
  const note a2 = stored(repo, "a2", at(3), alice);
  const note a3 = stored(repo, "a3", at(4), alice);
  const note b1 = stored(repo, "b1", at(5), bob);
  changed(repo, b1, "b1 again", at(6), 10);
  for (const note& n : {a1, a2}) ok(repo.trash(alice, n.id, std::nullopt, at(10)));
  ok(repo.trash(bob, b1.id, std::nullopt, at(10)));

  CHECK(value_of(repo.empty_trash(alice)) == 2);
  CHECK(value_of(repo.empty_trash(alice)) == 0);
  CHECK(value_of(repo.list_trash(alice, {1, 10})).total == 0);
  CHECK(value_of(repo.count(alice)) == 1);
  CHECK(value_of(repo.find(alice, a3.id)).has_value());
  CHECK(trash_ids(repo, bob, {1, 10}) == std::vector{b1.id});
  CHECK(left_behind(repo, a1.id, alice).empty());
  CHECK(value_of(repo.restore(bob, b1.id, std::nullopt, at(20))).version == 3);
  CHECK(revision_versions(repo, bob, b1.id) == std::vector<note_version>{1});
}

TEST_CASE_TEMPLATE_DEFINE("purge_trashed_before deletes every owner's notes trashed before it",
                          TestType, purge_before) {
  OPEN_REPOSITORY(repo);
  note old_a = stored(repo, "old", at(1), alice);
  old_a = changed(repo, old_a, "old again", at(2), 10);
  const note old_b = stored(repo, "old", at(3), bob);
  const note at_cutoff = stored(repo, "at cutoff", at(4), alice);
  const note live = stored(repo, "live", at(5), alice);
  ok(repo.trash(alice, old_a.id, std::nullopt, at(100, 0)));
  ok(repo.trash(bob, old_b.id, std::nullopt, at(199, 999'999)));
  ok(repo.trash(alice, at_cutoff.id, std::nullopt, at(200)));

  CHECK(value_of(repo.purge_trashed_before(at(200))) == 2);
  CHECK(value_of(repo.purge_trashed_before(at(200))) == 0);
  CHECK(trash_ids(repo, alice, {1, 10}) == std::vector{at_cutoff.id});
  CHECK(value_of(repo.list_trash(bob, {1, 10})).total == 0);
  CHECK(value_of(repo.find(alice, live.id)).has_value());
  CHECK(left_behind(repo, old_a.id, alice).empty());
  CHECK(value_of(repo.purge_trashed_before(at(200, 1))) == 1);
}

TEST_CASE_TEMPLATE_DEFINE("update keeps the replaced state as a revision, newest first",
                          TestType, revisions_kept) {
  OPEN_REPOSITORY(repo);
  note n = stored(repo, "v1", at(1), alice, "größe");  // 7 bytes, 5 code points
  note pinned = n;
  pinned.is_pinned = true;
  pinned.updated_at = at(2);
  n = value_of(repo.update(pinned, 1, 10));
  n = changed(repo, n, "v3", at(3), 10, "three");
  n = changed(repo, n, "v4", at(4), 10, "four");
  CHECK(n.version == 4);

  const auto page = value_of(repo.list_revisions(alice, n.id, {1, 100}));
  CHECK(page.total == 3);
  REQUIRE(page.revisions.size() == 3);
  CHECK(page.revisions[0] == revision_summary{3, "v3", 5, at(4)});
  CHECK(page.revisions[1] == revision_summary{2, "v1", 7, at(3)});
  CHECK(page.revisions[2] == revision_summary{1, "v1", 7, at(2)});
  CHECK(revision_versions(repo, alice, n.id, {2, 2}) == std::vector<note_version>{1});
  const auto past = value_of(repo.list_revisions(alice, n.id, {5, 2}));
  CHECK(past.revisions.empty());
  CHECK(past.total == 3);

  const auto first = value_of(repo.find_revision(alice, n.id, 1));
  REQUIRE(first.has_value());
  CHECK(*first == revision{n.id, 1, "v1", "größe", false, at(2), alice});
  const auto second = value_of(repo.find_revision(alice, n.id, 2));
  REQUIRE(second.has_value());
  CHECK(second->is_pinned);
  CHECK_FALSE(value_of(repo.find_revision(alice, n.id, 4)).has_value());
  CHECK_FALSE(value_of(repo.find_revision(bob, n.id, 1)).has_value());
  CHECK(failure(repo.list_revisions(bob, n.id, {1, 10})) == error_code::not_found);
  CHECK(failure(repo.list_revisions(alice, n.id + 100, {1, 10})) == error_code::not_found);
  // The note itself is unchanged by its history.
  CHECK(value_of(repo.find(alice, n.id)) == n);
}

TEST_CASE_TEMPLATE_DEFINE("keep 0 adds and drops no revisions and keep 3 keeps the newest three",
                          TestType, revisions_pruned) {
  OPEN_REPOSITORY(repo);
  note none = stored(repo, "none", at(1));
  none = changed(repo, none, "none 2", at(2), 0);
  CHECK(value_of(repo.list_revisions(no_account, none.id, {1, 10})).total == 0);

  note n = stored(repo, "v1", at(3));
  for (int v = 2; v <= 6; ++v) n = changed(repo, n, "v" + std::to_string(v), at(3 + v), 3);
  // Versions 1 to 5 were replaced; the newest three of them are kept.
  CHECK(n.version == 6);
  CHECK(revision_versions(repo, no_account, n.id) == std::vector<note_version>{5, 4, 3});
  CHECK_FALSE(value_of(repo.find_revision(no_account, n.id, 2)).has_value());
  CHECK_FALSE(value_of(repo.find_revision(no_account, n.id, 1)).has_value());
  CHECK(value_of(repo.find_revision(no_account, n.id, 3))->title == "v3");

  n = changed(repo, n, "v7", at(20), 0);
  CHECK(revision_versions(repo, no_account, n.id) == std::vector<note_version>{5, 4, 3});
  n = changed(repo, n, "v8", at(21), 1);
  CHECK(revision_versions(repo, no_account, n.id) == std::vector<note_version>{7});

  // A refused update keeps nothing.
  note stale = n;
  stale.title = "stale";
  CHECK(failure(repo.update(stale, 3, 10)) == error_code::conflict);
  CHECK(revision_versions(repo, no_account, n.id) == std::vector<note_version>{7});
}

TEST_CASE_TEMPLATE_DEFINE("revisions of a trashed note survive its restore", TestType,
                          revisions_restored) {
  OPEN_REPOSITORY(repo);
  note n = stored(repo, "v1", at(1), alice);
  n = changed(repo, n, "v2", at(2), 10);
  ok(repo.trash(alice, n.id, std::nullopt, at(3)));
  const note back = value_of(repo.restore(alice, n.id, std::nullopt, at(4)));
  CHECK(revision_versions(repo, alice, n.id) == std::vector<note_version>{1});
  changed(repo, back, "v4", at(5), 10);
  CHECK(revision_versions(repo, alice, n.id) == std::vector<note_version>{3, 1});
  CHECK(value_of(repo.find_revision(alice, n.id, 3))->title == "v2");
}

TEST_CASE_TEMPLATE_DEFINE("remove deletes a live note for good with its revisions", TestType,
                          remove_history) {
  OPEN_REPOSITORY(repo);
  note n = stored(repo, "v1", at(1));
  n = changed(repo, n, "v2", at(2), 10);
  ok(repo.remove(no_account, n.id, 2));
  CHECK(value_of(repo.list_trash(no_account, {1, 10})).total == 0);
  CHECK(left_behind(repo, n.id, no_account).empty());
}

TEST_CASE_TEMPLATE_DEFINE("remove_all and change_owner take the trash and revisions along",
                          TestType, owner_history) {
  OPEN_REPOSITORY(repo);
  note live = stored(repo, "live", at(1), alice);
  live = changed(repo, live, "live 2", at(2), 10);
  note trashed = stored(repo, "trashed", at(3), alice);
  trashed = changed(repo, trashed, "trashed 2", at(4), 10);
  ok(repo.trash(alice, trashed.id, std::nullopt, at(5)));
  note bobs = stored(repo, "bob's", at(6), bob);
  bobs = changed(repo, bobs, "bob's 2", at(7), 10);

  CHECK(value_of(repo.change_owner(alice, 3)) == 1);
  CHECK(value_of(repo.list_trash(alice, {1, 10})).total == 0);
  CHECK(trash_ids(repo, 3, {1, 10}) == std::vector{trashed.id});
  CHECK(value_of(repo.find_trashed(3, trashed.id))->note.owner == 3);
  CHECK(revision_versions(repo, 3, live.id) == std::vector<note_version>{1});
  CHECK(value_of(repo.find_revision(3, live.id, 1))->owner == 3);
  CHECK_FALSE(value_of(repo.find_revision(alice, live.id, 1)).has_value());
  CHECK(value_of(repo.restore(3, trashed.id, std::nullopt, at(8))).owner == 3);
  CHECK(revision_versions(repo, 3, trashed.id) == std::vector<note_version>{1});
  ok(repo.trash(3, trashed.id, std::nullopt, at(9)));

  CHECK(value_of(repo.remove_all(3)) == 1);
  CHECK(value_of(repo.list_trash(3, {1, 10})).total == 0);
  CHECK(left_behind(repo, live.id, 3).empty());
  CHECK(left_behind(repo, trashed.id, 3).empty());
  CHECK(revision_versions(repo, bob, bobs.id) == std::vector<note_version>{1});
}

TEST_CASE_TEMPLATE_DEFINE("import of an id in the trash is a conflict", TestType,
                          import_trashed_id) {
  OPEN_REPOSITORY(repo);
  const note n = stored(repo, "n", at(1), alice);
  ok(repo.trash(alice, n.id, std::nullopt, at(2)));
  note again = make_note("again", "body", at(3));
  again.id = n.id;
  CHECK(failure(repo.import(std::vector<note>{again})) == error_code::conflict);
  CHECK(value_of(repo.count(no_account)) == 0);
  CHECK(value_of(repo.restore(alice, n.id, std::nullopt, at(4))).id == n.id);
}

TEST_CASE_TEMPLATE_DEFINE("archive gives live notes, the trash and every revision, of everyone "
                          "or one", TestType, archive_read) {
  OPEN_REPOSITORY(repo);
  note live = stored(repo, "live", at(1), alice);
  live = changed(repo, live, "live 2", at(2), 10);
  live = changed(repo, live, "live 3", at(3), 10);
  note gone = stored(repo, "gone", at(4), bob);
  gone = changed(repo, gone, "gone 2", at(5), 10);
  ok(repo.trash(bob, gone.id, std::nullopt, at(6)));
  const note other = stored(repo, "other", at(7), bob);

  const note_archive every = value_of(repo.archive(std::nullopt));
  CHECK(every.live == std::vector<note>{live, other});
  CHECK(every.trashed == std::vector<trashed_note>{{gone, at(6)}});
  CHECK(every.revisions ==
        std::vector<revision>{{live.id, 1, "live", "body", false, at(2), alice},
                              {live.id, 2, "live 2", "body", false, at(3), alice},
                              {gone.id, 1, "gone", "body", false, at(5), bob}});

  const note_archive alices = value_of(repo.archive(alice));
  CHECK(alices.live == std::vector<note>{live});
  CHECK(alices.trashed.empty());
  CHECK(alices.revisions.size() == 2);
  const note_archive bobs = value_of(repo.archive(bob));
  CHECK(bobs.live == std::vector<note>{other});
  CHECK(bobs.trashed.size() == 1);
  CHECK(bobs.revisions.size() == 1);
}

TEST_CASE_TEMPLATE_DEFINE("import_archive brings back the trash and revisions as given",
                          TestType, import_archive_back) {
  OPEN_REPOSITORY(repo);
  note live = make_note("live", "now", at(1));
  live.id = 40;
  live.version = 3;
  live.owner = alice;
  note gone = make_note("gone", "then", at(2));
  gone.id = 41;
  gone.version = 2;
  gone.owner = alice;
  // Owners as a file gives them (none): each revision takes its note's.
  const note_archive archive{{live},
                             {{gone, at(9)}},
                             {{40, 1, "live 1", "first", true, at(3), no_account},
                              {40, 2, "live 2", "second", false, at(4), no_account},
                              {41, 1, "gone 1", "old", false, at(5), no_account}}};
  ok(repo.import_archive(archive));

  CHECK(value_of(repo.find(alice, 40)) == live);
  CHECK(value_of(repo.find_trashed(alice, 41)) == trashed_note{gone, at(9)});
  CHECK(revision_versions(repo, alice, 40) == std::vector<note_version>{2, 1});
  CHECK(value_of(repo.find_revision(alice, 40, 1)) ==
        revision{40, 1, "live 1", "first", true, at(3), alice});
  CHECK(value_of(repo.restore(alice, 41, 2, at(10))).version == 3);
  CHECK(revision_versions(repo, alice, 41) == std::vector<note_version>{1});
  // Ids past the imported ones, trashed included, are handed out next.
  CHECK(stored(repo, "next", at(11)).id > 41);
}

TEST_CASE_TEMPLATE_DEFINE("import_archive imports nothing when any part is refused", TestType,
                          import_archive_refused) {
  OPEN_REPOSITORY(repo);
  const note existing = stored(repo, "existing", at(1));
  note live = make_note("live", "now", at(2));
  live.id = existing.id + 10;
  note gone = make_note("gone", "then", at(3));
  gone.id = existing.id + 11;
  note_archive archive{{live},
                       {{gone, at(4)}},
                       {{live.id, 1, "live 1", "first", false, at(5), no_account},
                        {existing.id + 20, 1, "nobody's", "x", false, at(5), no_account}}};
  CHECK(failure(repo.import_archive(archive)) == error_code::invalid_argument);

  archive.revisions.pop_back();
  archive.trashed[0].note.id = existing.id;
  CHECK(failure(repo.import_archive(archive)) == error_code::conflict);

  CHECK(value_of(repo.archive(std::nullopt)) == note_archive{{existing}, {}, {}});
}

}  // namespace notes::testing::history_cases

// Every case above, for NOTES_REPOSITORY_CONTRACT (repository_contract.hpp).
#define NOTES_TESTING_HISTORY_CASES(apply) \
  apply(trash_hides) \
  apply(trash_refusals) \
  apply(trash_list) \
  apply(restore_back) \
  apply(purge_one) \
  apply(empty_all) \
  apply(purge_before) \
  apply(revisions_kept) \
  apply(revisions_pruned) \
  apply(revisions_restored) \
  apply(remove_history) \
  apply(owner_history) \
  apply(import_trashed_id) \
  apply(archive_read) \
  apply(import_archive_back) \
  apply(import_archive_refused)
