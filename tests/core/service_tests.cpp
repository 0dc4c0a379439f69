#include "notes/note_service.hpp"

#include <doctest/doctest.h>

#include "notes/memory_note_repository.hpp"

#include <atomic>
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
  CHECK(r.error().fields.front().field == "q");
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
