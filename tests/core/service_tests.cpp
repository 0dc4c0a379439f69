#include "notes/note_service.hpp"

#include <doctest/doctest.h>

#include "notes/memory_note_repository.hpp"

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace notes;
using namespace std::chrono;

namespace {

// A clock the test moves by hand.
struct manual_clock {
  timestamp now = sys_days{2026y / January / 1} + 9h;
  clock_fn fn() {
    return [this] { return now; };
  }
};

}  // namespace

TEST_CASE("create trims, stamps both times from the clock and starts at version 1") {
  memory_note_repository repo;
  manual_clock clock;
  note_service service(repo, clock.fn());
  auto created = service.create({" Hello ", " world ", true});
  REQUIRE(created);
  CHECK(created->id > 0);
  CHECK(created->title == "Hello");
  CHECK(created->content == "world");
  CHECK(created->created_at == clock.now);
  CHECK(created->updated_at == clock.now);
  CHECK(created->version == 1);
  CHECK(service.get(created->id).value() == *created);
}

TEST_CASE("create with invalid input stores nothing and names the fields") {
  memory_note_repository repo;
  note_service service(repo);
  auto r = service.create({"", "", false});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == error_code::invalid_argument);
  CHECK(r.error().fields.size() == 2);
  CHECK(service.count().value() == 0);
}

TEST_CASE("update changes only the fields present and bumps version and updated_at") {
  memory_note_repository repo;
  manual_clock clock;
  note_service service(repo, clock.fn());
  auto created = service.create({"t", "c", false}).value();
  clock.now += 5s;
  auto updated = service.update(created.id, {std::nullopt, std::nullopt, true});
  REQUIRE(updated);
  CHECK(updated->title == "t");
  CHECK(updated->content == "c");
  CHECK(updated->is_pinned);
  CHECK(updated->version == 2);
  CHECK(updated->created_at == created.created_at);
  CHECK(updated->updated_at == clock.now);
}

TEST_CASE("update cannot blank a title, and a refused update changes nothing") {
  memory_note_repository repo;
  note_service service(repo);
  auto created = service.create({"t", "c", false}).value();
  auto r = service.update(created.id, {std::string("   "), std::string("new"), std::nullopt});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == error_code::invalid_argument);
  CHECK(service.get(created.id).value() == created);
}

TEST_CASE("an empty patch is refused as the API refuses {}, and the note keeps its version") {
  memory_note_repository repo;
  note_service service(repo);
  auto created = service.create({"t", "c", false}).value();
  auto r = service.update(created.id, note_patch{});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == error_code::invalid_argument);
  CHECK(r.error().message.starts_with("Nothing to change"));
  CHECK(service.get(created.id).value() == created);
  CHECK_FALSE(service.update(created.id, note_patch{}, created.version));
  CHECK(service.get(created.id)->version == 1);
}

TEST_CASE("update with a stale expected version is a conflict, not an overwrite") {
  memory_note_repository repo;
  note_service service(repo);
  auto created = service.create({"t", "c", false}).value();
  REQUIRE(service.update(created.id, {std::string("first"), std::nullopt, std::nullopt}, 1));
  auto stale = service.update(created.id, {std::string("second"), std::nullopt, std::nullopt}, 1);
  REQUIRE_FALSE(stale);
  CHECK(stale.error().code == error_code::conflict);
  CHECK(service.get(created.id)->title == "first");
}

TEST_CASE("update and remove of a missing note are not_found") {
  memory_note_repository repo;
  note_service service(repo);
  CHECK(service.update(42, {std::string("x"), std::nullopt, std::nullopt}).error().code ==
        error_code::not_found);
  CHECK(service.remove(42).error().code == error_code::not_found);
  CHECK(service.get(42).error().code == error_code::not_found);
}

TEST_CASE("remove honours the expected version") {
  memory_note_repository repo;
  note_service service(repo);
  auto created = service.create({"t", "c", false}).value();
  CHECK(service.remove(created.id, 7).error().code == error_code::conflict);
  CHECK(service.remove(created.id, 1));
  CHECK(service.count().value() == 0);
}

TEST_CASE("list pages carry pagination metadata and cap per_page at 100") {
  memory_note_repository repo;
  note_service service(repo);
  for (int i = 0; i < 25; ++i) REQUIRE(service.create({"n" + std::to_string(i), "c", false}));
  auto page3 = service.list(list_order::newest_first, {3, 10}).value();
  CHECK(page3.notes.size() == 5);
  CHECK(page3.page.total == 25);
  CHECK(page3.page.pages == 3);
  CHECK(page3.page.has_prev);
  CHECK_FALSE(page3.page.has_next);
  auto capped = service.list(list_order::newest_first, {1, 1000}).value();
  CHECK(capped.page.per_page == 100);
  CHECK(capped.notes.size() == 25);
  auto past = service.list(list_order::newest_first, {9, 10}).value();
  CHECK(past.notes.empty());
  CHECK(past.page.total == 25);
}

TEST_CASE("page and per_page below 1, or a page whose offset overflows, are invalid") {
  memory_note_repository repo;
  note_service service(repo);
  CHECK(service.list(list_order::newest_first, {0, 10}).error().code == error_code::invalid_argument);
  CHECK(service.list(list_order::newest_first, {1, 0}).error().code == error_code::invalid_argument);
  CHECK(service.list(list_order::newest_first, {INT64_MAX, 100}).error().code ==
        error_code::invalid_argument);
}

TEST_CASE("search trims the query, refuses a blank one and treats wildcards literally") {
  memory_note_repository repo;
  note_service service(repo);
  REQUIRE(service.create({"Ärger im Büro", "nothing", false}));
  REQUIRE(service.create({"discount", "100% off", false}));
  REQUIRE(service.create({"other", "plain", false}));
  CHECK(service.search("  ", {}).error().code == error_code::invalid_argument);
  auto umlaut = service.search(" ÄRGER ", {}).value();
  CHECK(umlaut.page.total == 1);
  auto percent = service.search("%", {}).value();
  REQUIRE(percent.notes.size() == 1);
  CHECK(percent.notes.front().title == "discount");
  CHECK(service.search("_", {}).value().page.total == 0);
}

TEST_CASE("search refuses invalid UTF-8 and over-long queries") {
  memory_note_repository repo;
  note_service service(repo);
  CHECK(service.search("\xC3", {}).error().code == error_code::invalid_argument);
  CHECK(service.search(std::string(201, 'a'), {}).error().code == error_code::invalid_argument);
}

TEST_CASE("search refuses control characters such as NUL") {
  using namespace std::string_literals;
  memory_note_repository repo;
  note_service service(repo);
  REQUIRE(service.create({"abc", "def", false}));
  auto r = service.search("a\0b"s, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == error_code::invalid_argument);
  CHECK(r.error().fields.front().field == "query");
}

TEST_CASE("concurrent partial updates without an expected version all land") {
  memory_note_repository repo;
  note_service service(repo);
  const auto id = service.create({"t", "c", false}).value().id;
  constexpr int threads = 4, rounds = 50;
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        auto r = service.update(id, {std::nullopt, "by " + std::to_string(t), std::nullopt});
        if (!r) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  CHECK(failures == 0);
  CHECK(service.get(id)->version == 1 + threads * rounds);
}

TEST_CASE("a service acts for its owner and stamps it on what it creates") {
  memory_note_repository repo;
  note_service shared(repo);
  CHECK(shared.owner() == no_account);
  const note_service alice = shared.for_owner(1);
  CHECK(alice.owner() == 1);
  CHECK(shared.owner() == no_account);
  auto in_shared = shared.create({"shared", "c", false}).value();
  auto copy = alice;
  auto of_alice = copy.create({"alice", "c", false}).value();
  CHECK(in_shared.owner == no_account);
  CHECK(of_alice.owner == 1);
  CHECK(repo.find(1, of_alice.id).value()->title == "alice");
  CHECK_FALSE(repo.find(no_account, of_alice.id).value().has_value());
}

TEST_CASE("services of two owners each see only their own notes") {
  memory_note_repository repo;
  manual_clock clock;
  note_service base(repo, clock.fn());
  note_service alice = base.for_owner(1);
  note_service bob = base.for_owner(2);
  const note a = alice.create({"alice plans", "shared word", false}).value();
  const note b = bob.create({"bob plans", "shared word", true}).value();
  const note b2 = bob.create({"bob again", "other", false}).value();
  CHECK(a.created_at == clock.now);  // the clock is shared by every copy

  CHECK(alice.get(a.id).value() == a);
  CHECK(alice.get(b.id).error().code == error_code::not_found);
  CHECK(bob.get(a.id).error().code == error_code::not_found);

  CHECK(alice.count().value() == 1);
  CHECK(bob.count().value() == 2);
  CHECK(base.count().value() == 0);

  const auto listed = alice.list(list_order::pinned_first, {1, 10}).value();
  CHECK(listed.page.total == 1);
  REQUIRE(listed.notes.size() == 1);
  CHECK(listed.notes.front().id == a.id);
  CHECK(bob.list(list_order::newest_first, {1, 10}).value().page.total == 2);

  const auto found = bob.search("SHARED", {1, 10}).value();
  CHECK(found.page.total == 1);
  REQUIRE(found.notes.size() == 1);
  CHECK(found.notes.front().id == b.id);
  CHECK(base.search("shared", {1, 10}).value().page.total == 0);

  const auto refused = alice.update(b.id, {std::string("taken"), std::nullopt, std::nullopt});
  CHECK(refused.error().code == error_code::not_found);
  CHECK(alice.update(b.id, {std::string("taken"), std::nullopt, std::nullopt}, 1).error().code ==
        error_code::not_found);
  CHECK(bob.get(b.id).value() == b);
  auto updated = bob.update(b.id, {std::string("bob's"), std::nullopt, std::nullopt}).value();
  CHECK(updated.owner == 2);
  CHECK(updated.version == 2);

  CHECK(alice.remove(b2.id).error().code == error_code::not_found);
  CHECK(alice.remove(b2.id, 1).error().code == error_code::not_found);
  CHECK(bob.get(b2.id).has_value());
  CHECK(bob.remove(b2.id, 1));
  CHECK(bob.count().value() == 1);
  CHECK(alice.count().value() == 1);
}

TEST_CASE("remove moves a note to the trash by default, and restore brings it back newer") {
  memory_note_repository repo;
  manual_clock clock;
  note_service service(repo, clock.fn());
  const note kept = service.create({"keep", "body", false}).value();
  const note gone = service.create({"findable", "body", true}).value();
  clock.now += 1h;
  REQUIRE(service.remove(gone.id, 1));
  CHECK(service.get(gone.id).error().code == error_code::not_found);
  CHECK(service.count().value() == 1);
  CHECK(service.search("findable", {1, 10}).value().page.total == 0);
  CHECK(service.update(gone.id, {std::string("x"), std::nullopt, std::nullopt}).error().code ==
        error_code::not_found);
  CHECK(service.remove(gone.id).error().code == error_code::not_found);

  const auto trash = service.list_trash({1, 10}).value();
  CHECK(trash.page.total == 1);
  REQUIRE(trash.notes.size() == 1);
  CHECK(trash.notes.front().note == gone);
  CHECK(trash.notes.front().deleted_at == clock.now);
  CHECK(service.find_trashed(gone.id).value().note == gone);
  CHECK(service.find_trashed(kept.id).error().code == error_code::not_found);
  CHECK(service.list_trash({0, 10}).error().code == error_code::invalid_argument);

  clock.now += 1h;
  CHECK(service.restore(gone.id, 7).error().code == error_code::conflict);
  const note back = service.restore(gone.id, 1).value();
  CHECK(back.id == gone.id);
  CHECK(back.version == 2);
  CHECK(back.updated_at == clock.now);
  CHECK(back.created_at == gone.created_at);
  CHECK(service.get(gone.id).value() == back);
  CHECK(service.search("findable", {1, 10}).value().page.total == 1);
  CHECK(service.restore(gone.id).error().code == error_code::not_found);
  CHECK(service.list_trash({1, 10}).value().page.total == 0);
}

TEST_CASE("with the trash off a remove deletes for good") {
  memory_note_repository repo;
  note_service service(repo, system_now, {.revisions_keep = 100, .trash = false});
  const note n = service.create({"t", "c", false}).value();
  REQUIRE(service.remove(n.id));
  CHECK(service.get(n.id).error().code == error_code::not_found);
  CHECK(service.list_trash({1, 10}).value().page.total == 0);
  CHECK(service.restore(n.id).error().code == error_code::not_found);
  CHECK(service.for_owner(3).policy().trash == false);
}

TEST_CASE("purge and empty_trash delete trashed notes for good, each owner's alone") {
  memory_note_repository repo;
  note_service alice = note_service(repo).for_owner(1);
  note_service bob = alice.for_owner(2);
  const note a1 = alice.create({"a1", "c", false}).value();
  const note a2 = alice.create({"a2", "c", false}).value();
  const note a3 = alice.create({"a3", "c", false}).value();
  const note b1 = bob.create({"b1", "c", false}).value();
  for (const note& n : {a1, a2, a3}) REQUIRE(alice.remove(n.id));
  REQUIRE(bob.remove(b1.id));
  CHECK(alice.purge(a1.id, 5).error().code == error_code::conflict);
  CHECK(alice.purge(b1.id).error().code == error_code::not_found);
  REQUIRE(alice.purge(a1.id, 1));
  CHECK(alice.purge(a1.id).error().code == error_code::not_found);
  CHECK(alice.empty_trash().value() == 2);
  CHECK(alice.list_trash({1, 10}).value().page.total == 0);
  CHECK(bob.list_trash({1, 10}).value().page.total == 1);
}

TEST_CASE("update keeps the replaced state as a revision, the newest revisions_keep of them") {
  memory_note_repository repo;
  manual_clock clock;
  note_service service(repo, clock.fn(), {.revisions_keep = 3, .trash = true});
  const note n = service.create({"v1", "content 1", false}).value();
  std::vector<timestamp> changed_at;
  for (int v = 2; v <= 6; ++v) {
    clock.now += 1min;
    changed_at.push_back(clock.now);
    REQUIRE(service.update(n.id, {"v" + std::to_string(v), "content " + std::to_string(v),
                                  std::nullopt}));
  }
  const auto listed = service.revisions(n.id, {1, 10}).value();
  CHECK(listed.page.total == 3);
  REQUIRE(listed.revisions.size() == 3);
  // Six versions, the current one 6: the replaced 3, 4 and 5 are the newest three.
  CHECK(listed.revisions[0].version == 5);
  CHECK(listed.revisions[0].title == "v5");
  CHECK(listed.revisions[0].content_length == 9);
  CHECK(listed.revisions[0].replaced_at == changed_at[4]);
  CHECK(listed.revisions[2].version == 3);
  CHECK(service.revision(n.id, 2).error().code == error_code::not_found);
  const auto v4 = service.revision(n.id, 4).value();
  CHECK(v4.content == "content 4");
  CHECK(v4.replaced_at == changed_at[3]);
  CHECK(service.revisions(n.id + 1, {1, 10}).error().code == error_code::not_found);
  CHECK(service.revisions(n.id, {1, 0}).error().code == error_code::invalid_argument);
}

TEST_CASE("revisions_keep 0 keeps no revisions, and a negative one is refused") {
  memory_note_repository repo;
  note_service service(repo, system_now, {.revisions_keep = 0, .trash = true});
  const note n = service.create({"v1", "c", false}).value();
  REQUIRE(service.update(n.id, {std::string("v2"), std::nullopt, std::nullopt}));
  CHECK(service.revisions(n.id, {1, 10}).value().page.total == 0);
  CHECK(service.restore_revision(n.id, 1).error().code == error_code::not_found);
  CHECK_THROWS_AS(note_service(repo, system_now, {.revisions_keep = -1, .trash = true}),
                  std::invalid_argument);
}

TEST_CASE("restore_revision makes the old text the next version and keeps the one it replaced") {
  memory_note_repository repo;
  manual_clock clock;
  note_service service(repo, clock.fn());
  const note n = service.create({"first", "one", true}).value();
  REQUIRE(service.update(n.id, {std::string("second"), std::string("two"), false}));
  CHECK(service.restore_revision(n.id, 1, 1).error().code == error_code::conflict);
  CHECK(service.restore_revision(n.id, 9).error().code == error_code::not_found);
  clock.now += 1h;
  const note back = service.restore_revision(n.id, 1, 2).value();
  CHECK(back.version == 3);
  CHECK(back.title == "first");
  CHECK(back.content == "one");
  CHECK(back.is_pinned);
  CHECK(back.updated_at == clock.now);
  const auto listed = service.revisions(n.id, {1, 10}).value();
  REQUIRE(listed.revisions.size() == 2);
  CHECK(listed.revisions[0].version == 2);
  CHECK(listed.revisions[0].title == "second");
  CHECK(listed.revisions[1].version == 1);
}

TEST_CASE("a trashed note keeps its revisions through a restore, and a purge drops them") {
  memory_note_repository repo;
  note_service service(repo);
  const note n = service.create({"first", "one", false}).value();
  REQUIRE(service.update(n.id, {std::string("second"), std::nullopt, std::nullopt}));
  REQUIRE(service.remove(n.id));
  CHECK(service.revisions(n.id, {1, 10}).error().code == error_code::not_found);
  REQUIRE(service.restore(n.id));
  CHECK(service.revision(n.id, 1).value().title == "first");
  REQUIRE(service.remove(n.id));
  REQUIRE(service.purge(n.id));
  CHECK(repo.find_revision(no_account, n.id, 1).value() == std::nullopt);
}

TEST_CASE("sweep_trash deletes what was trashed more than the retention ago, every owner's") {
  memory_note_repository repo;
  manual_clock clock;
  note_service base(repo, clock.fn());
  note_service alice = base.for_owner(1);
  const note old_shared = base.create({"old", "c", false}).value();
  const note old_alice = alice.create({"old", "c", false}).value();
  const note fresh = alice.create({"fresh", "c", false}).value();
  REQUIRE(base.remove(old_shared.id));
  REQUIRE(alice.remove(old_alice.id));
  clock.now += 24h;
  REQUIRE(alice.remove(fresh.id));
  // Exactly 30 days after the first two deletions: not yet more than 30 days ago.
  clock.now += 29 * 24h;
  CHECK(sweep_trash(repo, clock.now, days{30}).value() == 0);
  clock.now += 1us;
  CHECK(sweep_trash(repo, clock.now, days{30}).value() == 2);
  CHECK(sweep_trash(repo, clock.now, days{30}).value() == 0);
  CHECK(alice.list_trash({1, 10}).value().notes.front().note.id == fresh.id);
  CHECK(sweep_trash(repo, clock.now, days{0}).value() == 1);
  CHECK(sweep_trash(repo, clock.now, days{-1}).error().code == error_code::invalid_argument);
}
