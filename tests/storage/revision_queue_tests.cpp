// SQLite's revision queue: an update's revision waits in note_revisions_queue and the adapter
// moves a few thousand at a time into note_revisions; every read, prune and delete of revisions
// sees both, so what a note's history shows never depends on where its revisions are.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "notes/storage/database.hpp"
#include "storage_test_support.hpp"
#include "write_combiner.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

namespace {

// `n` changed `times` times, each keeping `keep` revisions; the stored note after.
note change(note_repository& repo, note n, int times, std::int32_t keep = 100) {
  for (int i = 0; i < times; ++i) {
    n.title = "v" + std::to_string(n.version + 1);
    n.content = "content of " + n.title;
    n.updated_at = at(100 + static_cast<int>(n.version));
    auto stored = repo.update(n, n.version, keep);
    REQUIRE_MESSAGE(stored.has_value(), (stored ? "" : stored.error().message));
    n = *stored;
  }
  return n;
}

std::vector<note_version> versions(note_repository& repo, account_id owner, note_id id) {
  const auto page = repo.list_revisions(owner, id, {1, 100});
  REQUIRE_MESSAGE(page.has_value(), (page ? "" : page.error().message));
  std::vector<note_version> out;
  for (const auto& r : page->revisions) out.push_back(r.version);
  CHECK(page->total == static_cast<std::int64_t>(out.size()));
  return out;
}

// 40 new notes, then as many changes of them in turn as make the revision queue reach
// move_revisions_at and the search queue move after it (every drain_after_writes writes), which
// moves the revision queue too; returns how many changes. None of the notes reaches 100
// revisions, so none is pruned.
long long change_past_a_move(note_repository& repo, std::vector<note>& notes) {
  for (int i = 0; i < 40; ++i) notes.push_back(repo.create(make_note("o", "x", at(2))).value());
  const long long changes = detail::write_combiner::move_revisions_at +
                            static_cast<long long>(detail::write_combiner::drain_after_writes);
  for (long long i = 0; i < changes; ++i) {
    note& n = notes[static_cast<std::size_t>(i) % notes.size()];
    n = change(repo, n, 1);
  }
  return changes;
}

std::vector<note_version> down_from(note_version newest, note_version oldest) {
  std::vector<note_version> out;
  for (note_version v = newest; v >= oldest; --v) out.push_back(v);
  return out;
}

}  // namespace

TEST_CASE("revisions wait in the queue and move into note_revisions in bulk, read alike") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const std::string& path = db.config.path;
  note watched = change(*repo, repo->create(make_note("v1", "first", at(1))).value(), 5);
  CHECK(test::queued_revisions(path) == 5);
  CHECK(test::moved_revisions(path) == 0);
  const auto before = repo->list_revisions(no_account, watched.id, {1, 10}).value();
  const auto second = repo->find_revision(no_account, watched.id, 2).value();
  REQUIRE(second.has_value());
  CHECK(second->title == "v2");
  CHECK(versions(*repo, no_account, watched.id) == down_from(5, 1));

  // Past move_revisions_at revisions, the next move of the search queue moves them too.
  std::vector<note> others;
  const long long updates = change_past_a_move(*repo, others);
  const auto queued = test::queued_revisions(path);
  const auto moved = test::moved_revisions(path);
  MESSAGE(queued << " revisions queued, " << moved << " moved");
  CHECK(queued < detail::write_combiner::move_revisions_at);
  CHECK(moved >= detail::write_combiner::move_revisions_at);
  CHECK(queued + moved == updates + 5);

  // The watched note's revisions are in note_revisions now; reads give what they gave.
  const auto after = repo->list_revisions(no_account, watched.id, {1, 10}).value();
  CHECK(after.total == before.total);
  CHECK(after.revisions == before.revisions);
  CHECK(repo->find_revision(no_account, watched.id, 2).value() == second);

  // Newer ones queue again, and the page merges both, newest first.
  watched = change(*repo, watched, 3);
  CHECK(versions(*repo, no_account, watched.id) == down_from(8, 1));
  const auto newest = repo->find_revision(no_account, watched.id, 8).value();
  REQUIRE(newest.has_value());
  CHECK(newest->title == "v8");
  const auto page2 = repo->list_revisions(no_account, watched.id, {2, 3}).value();
  REQUIRE(page2.revisions.size() == 3);
  CHECK(page2.revisions.front().version == 5);  // the newest moved one
  CHECK(page2.total == 8);
}

TEST_CASE("pruning, deleting, exporting, moving and removing an owner's notes reach revisions "
          "both queued and moved") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const std::string& path = db.config.path;
  constexpr account_id owner = 7;
  note a = make_note("v1", "a", at(1));
  a.owner = owner;
  a = change(*repo, repo->create(a).value(), 4);
  note b = make_note("v1", "b", at(1));
  b.owner = owner;
  b = change(*repo, repo->create(b).value(), 2);
  test::move_queued_revisions(path);
  a = change(*repo, a, 3);  // versions 1-4 moved, 5-7 queued
  b = change(*repo, b, 1);
  CHECK(test::moved_revisions(path) == 6);
  CHECK(test::queued_revisions(path) == 4);
  CHECK(versions(*repo, owner, a.id) == down_from(7, 1));

  SUBCASE("pruning keeps the newest of both") {
    a = change(*repo, a, 1, 3);  // keeps 8, 7, 6: drops moved 1-4 and queued 5
    CHECK(versions(*repo, owner, a.id) == down_from(8, 6));
    CHECK(test::moved_revisions(path) == 2);  // b's
    CHECK(test::queued_revisions(path) == 4);  // a's 6-8 and b's 3
  }
  SUBCASE("deleting a note deletes its revisions from both") {
    REQUIRE(repo->remove(owner, a.id, std::nullopt).has_value());
    CHECK(test::moved_revisions(path) == 2);
    CHECK(test::queued_revisions(path) == 1);
    CHECK(versions(*repo, owner, b.id) == down_from(3, 1));
  }
  SUBCASE("an export has both, by note then version") {
    const auto archive = repo->archive(owner).value();
    std::vector<std::pair<note_id, note_version>> keys;
    for (const auto& r : archive.revisions) keys.emplace_back(r.note, r.version);
    std::vector<std::pair<note_id, note_version>> want;
    for (note_version v = 1; v <= 7; ++v) want.emplace_back(a.id, v);
    for (note_version v = 1; v <= 3; ++v) want.emplace_back(b.id, v);
    CHECK(keys == want);
  }
  SUBCASE("a change of owner moves both, and removing the owner's notes removes both") {
    CHECK(repo->change_owner(owner, 8).value() == 2);
    CHECK(versions(*repo, 8, a.id) == down_from(7, 1));
    CHECK(repo->archive(8).value().revisions.size() == 10);
    CHECK(repo->archive(owner).value().revisions.empty());
    CHECK(repo->remove_all(8).value() == 2);
    CHECK(test::moved_revisions(path) == 0);
    CHECK(test::queued_revisions(path) == 0);
  }
}

TEST_CASE("the move drops revisions of no stored note, a queued version already moved replaces "
          "the moved one, and the queue refuses a version twice") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const std::string& path = db.config.path;
  note n = change(*repo, repo->create(make_note("v1", "x", at(1))).value(), 2);
  test::move_queued_revisions(path);
  REQUIRE(test::moved_revisions(path) == 2);
  {
    soci::session raw(soci::sqlite3, path);
    // What a server of an older binary leaves: revisions of a note it deleted, and (through an
    // import beside it) a version that note_revisions holds already; with the revision the
    // change below queues, one move's worth.
    raw << "INSERT INTO note_revisions_queue"
           " (owner, note_id, version, title, content, is_pinned, replaced_at)"
           " WITH RECURSIVE v(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM v WHERE x < :count)"
           " SELECT 0, 999, x, 'gone', 'gone', 0, 0 FROM v",
        soci::use(static_cast<long long>(detail::write_combiner::move_revisions_at - 2));
    raw << "INSERT INTO note_revisions_queue"
           " (owner, note_id, version, title, content, is_pinned, replaced_at)"
           " VALUES (0, :id, 2, 'queued again', 'x', 0, 0)",
        soci::use(static_cast<long long>(n.id));
    CHECK_THROWS(raw << "INSERT INTO note_revisions_queue"
                        " (owner, note_id, version, title, content, is_pinned, replaced_at)"
                        " VALUES (0, 999, 1, 'twice', 'x', 0, 0)");
  }
  // The next write after a quiet second moves the search queue, and with it this one.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  n = change(*repo, n, 1);
  CHECK(test::queued_revisions(path) == 0);
  CHECK(test::moved_revisions(path) == 3);
  CHECK(versions(*repo, no_account, n.id) == down_from(3, 1));
  CHECK(repo->find_revision(no_account, n.id, 2).value()->title == "queued again");
  CHECK(repo->archive(std::nullopt).value().revisions.size() == 3);
}

TEST_CASE("a revision of more than 1 KiB of text goes to note_revisions at once, read alike") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const std::string& path = db.config.path;
  // `n` with `content`: the revision kept is `n` as it was.
  auto replace = [&](note n, std::string content) {
    n.content = std::move(content);
    n.updated_at = at(100 + static_cast<int>(n.version));
    auto stored = repo->update(n, n.version, 100);
    REQUIRE_MESSAGE(stored.has_value(), (stored ? "" : stored.error().message));
    return *stored;
  };
  // The title "ab" and 1,022 bytes: 1,024 in all, queued. One byte more: not queued. 600
  // two-byte characters: 1,200 bytes (but 600 characters), not queued.
  const std::string at_bound(1022, 'x');
  const std::string past_bound(1023, 'x');
  std::string accented;
  for (int i = 0; i < 600; ++i) accented += "\xc3\xa9";
  note n = repo->create(make_note("ab", at_bound, at(1))).value();
  n = replace(n, past_bound);  // revision 1, at_bound: queued
  CHECK(test::queued_revisions(path) == 1);
  CHECK(test::moved_revisions(path) == 0);
  n = replace(n, accented);  // revision 2, past_bound: not queued
  CHECK(test::queued_revisions(path) == 1);
  CHECK(test::moved_revisions(path) == 1);
  n = replace(n, "short");  // revision 3, accented: in characters well under, not queued
  CHECK(test::queued_revisions(path) == 1);
  CHECK(test::moved_revisions(path) == 2);
  n = replace(n, "shorter");  // revision 4, "short": queued
  CHECK(test::queued_revisions(path) == 2);

  CHECK(versions(*repo, no_account, n.id) == down_from(4, 1));
  const std::vector<std::string> contents{at_bound, past_bound, accented, "short"};
  for (note_version v = 1; v <= 4; ++v) {
    const auto r = repo->find_revision(no_account, n.id, v).value();
    REQUIRE(r.has_value());
    CHECK(r->content == contents[static_cast<std::size_t>(v - 1)]);
  }
  // A stale update keeps no revision in either table.
  note stale = n;
  stale.content = "stale";
  CHECK_FALSE(repo->update(stale, n.version - 1, 100).has_value());
  CHECK(test::queued_revisions(path) + test::moved_revisions(path) == 4);
  // A large revision replaces one of its version that note_revisions holds already (an import
  // of revisions past their note's version), as the move replaces a queued one.
  {
    soci::session raw(soci::sqlite3, path);
    raw << "INSERT INTO note_revisions"
           " (owner, note_id, version, title, content, is_pinned, replaced_at)"
           " VALUES (0, :id, 6, 'imported', 'imported', 0, 0)",
        soci::use(static_cast<long long>(n.id));
  }
  n = replace(n, accented);  // revision 5, "shorter": queued
  n = replace(n, "after");   // revision 6, accented: replaces the imported one
  CHECK(versions(*repo, no_account, n.id) == down_from(6, 1));
  CHECK(repo->find_revision(no_account, n.id, 6).value()->content == accented);
  // Pruning reaches both.
  n = replace(n, "last");
  const auto pruned = repo->update(n, n.version, 2);
  REQUIRE(pruned.has_value());
  CHECK(versions(*repo, no_account, n.id) == down_from(8, 7));
  CHECK(test::moved_revisions(path) == 0);
}

TEST_CASE("a move that cannot commit is counted as put off, leaves its queue readable, and a "
          "later batch moves it") {
  test::sqlite_database db;
  auto repo = test::open_or_fail(db.config);
  const std::string& path = db.config.path;
  const auto moves = [&] { return write_batches_so_far(db.config).value(); };
  soci::session raw(soci::sqlite3, path);
  note first = repo->create(make_note("o", "x", at(2))).value();

  // The search queue's move refused (as it is while another process holds the lock): the
  // revision queue is not tried either.
  raw << "CREATE TRIGGER refuse_search_moves BEFORE DELETE ON notes_fts_pending"
         " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  first = change(*repo, first, 1);
  CHECK(moves().search_queue_moves_deferred >= 1);
  const auto search_moved = moves().search_queue_moves;
  raw << "DROP TRIGGER refuse_search_moves";

  // The revision queue's move refused: every revision stays queued and readable.
  raw << "CREATE TRIGGER refuse_revision_moves BEFORE INSERT ON note_revisions"
         " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END";
  std::vector<note> notes;
  const long long updates = change_past_a_move(*repo, notes);
  const auto refused = moves();
  CHECK(refused.search_queue_moves > search_moved);
  CHECK(refused.revision_queue_moves_deferred >= 1);
  CHECK(refused.revision_queue_moves == 0);
  CHECK(test::moved_revisions(path) == 0);
  CHECK(test::queued_revisions(path) == updates + 1);
  CHECK(versions(*repo, no_account, notes[0].id) == down_from(notes[0].version - 1, 1));

  // Allowed again: the next move takes the oldest move_revisions_at, however many wait, so that
  // no move holds the lock longer after moves were put off; the one after takes the rest.
  raw << "DROP TRIGGER refuse_revision_moves";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  notes[1] = change(*repo, notes[1], 1);
  CHECK(moves().revision_queue_moves == 1);
  CHECK(test::moved_revisions(path) == detail::write_combiner::move_revisions_at);
  CHECK(test::queued_revisions(path) == updates + 2 - detail::write_combiner::move_revisions_at);
  CHECK(versions(*repo, no_account, notes[0].id) == down_from(notes[0].version - 1, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  notes[2] = change(*repo, notes[2], 1);
  CHECK(moves().revision_queue_moves == 2);
  CHECK(moves().revision_queue_moves_deferred == refused.revision_queue_moves_deferred);
  CHECK(test::queued_revisions(path) == 0);
  CHECK(test::moved_revisions(path) == updates + 3);
  CHECK(versions(*repo, no_account, notes[0].id) == down_from(notes[0].version - 1, 1));
}
