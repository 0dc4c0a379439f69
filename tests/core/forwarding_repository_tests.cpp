// forwarding_note_repository: every call reaches the target, and a decorator sees each failure.
#include "notes/forwarding_note_repository.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "notes/memory_note_repository.hpp"

using namespace notes;

namespace {

note draft(std::string title) {
  note n;
  n.title = std::move(title);
  n.content = "body";
  n.version = 1;
  return n;
}

// Counts the failures it sees, as the server's metered repository does.
class failure_counter final : public forwarding_note_repository {
 public:
  using forwarding_note_repository::forwarding_note_repository;
  std::vector<error_code> seen;

 private:
  void on_failure(const error& e) override { seen.push_back(e.code); }
};

}  // namespace

TEST_CASE("a borrowing forwarder passes every call to its target and returns its answers") {
  memory_note_repository target;
  forwarding_note_repository view(target);
  const auto created = view.create(draft("one"));
  REQUIRE(created);
  CHECK(target.find(no_account, created->id).value()->title == "one");
  CHECK(view.find(no_account, created->id).value()->title == "one");
  CHECK(view.count(no_account).value() == 1);
  CHECK(view.list(no_account, list_order::newest_first, {1, 10}).value().total == 1);
  CHECK(view.search(no_account, "ONE", {1, 10}).value().notes.size() == 1);

  note changed = *created;
  changed.title = "two";
  REQUIRE(view.update(changed, created->version, 0));
  CHECK(target.find(no_account, created->id).value()->title == "two");
  CHECK(view.all(std::nullopt).value().size() == 1);
  CHECK(view.all(no_account).value().size() == 1);
  REQUIRE(view.remove(no_account, created->id, std::nullopt));
  CHECK(target.count(no_account).value() == 0);

  note imported = draft("kept");
  imported.id = 7;
  REQUIRE(view.import(std::span<const note>(&imported, 1)));
  CHECK(target.find(no_account, 7).value()->title == "kept");

  CHECK(view.change_owner(no_account, 3).value() == 1);
  CHECK(target.find(3, 7).value()->title == "kept");
  CHECK(view.remove_all(3).value() == 1);
  CHECK(target.all(std::nullopt).value().empty());
}

TEST_CASE("a borrowing forwarder passes the trash and revision calls to its target") {
  memory_note_repository target;
  forwarding_note_repository view(target);
  const note created = view.create(draft("one")).value();
  note changed = created;
  changed.title = "two";
  REQUIRE(view.update(changed, created.version, 5));
  CHECK(target.find_revision(no_account, created.id, 1).value()->title == "one");
  CHECK(view.find_revision(no_account, created.id, 1).value()->title == "one");
  CHECK(view.list_revisions(no_account, created.id, {1, 10}).value().total == 1);

  REQUIRE(view.trash(no_account, created.id, 2, changed.updated_at));
  CHECK_FALSE(target.find(no_account, created.id).value().has_value());
  CHECK(view.list_trash(no_account, {1, 10}).value().total == 1);
  CHECK(view.find_trashed(no_account, created.id).value()->note.title == "two");
  CHECK(view.restore(no_account, created.id, 2, changed.updated_at).value().version == 3);
  REQUIRE(view.trash(no_account, created.id, std::nullopt, changed.updated_at));
  REQUIRE(view.purge(no_account, created.id, 3));
  CHECK(target.list_trash(no_account, {1, 10}).value().total == 0);

  const note other = view.create(draft("other")).value();
  REQUIRE(target.trash(no_account, other.id, std::nullopt, changed.updated_at));
  CHECK(view.empty_trash(no_account).value() == 1);
  const note last = view.create(draft("last")).value();
  REQUIRE(target.trash(no_account, last.id, std::nullopt, changed.updated_at));
  CHECK(view.purge_trashed_before(timestamp::max()).value() == 1);
}

TEST_CASE("an owning forwarder keeps its target alive and shows each failure to on_failure") {
  failure_counter counter(std::make_unique<memory_note_repository>());
  const auto created = counter.create(draft("one"));
  REQUIRE(created);
  CHECK(counter.seen.empty());

  note stale = *created;
  stale.title = "late";
  const auto conflict = counter.update(stale, created->version + 5, 0);
  REQUIRE_FALSE(conflict);
  CHECK(conflict.error().code == error_code::conflict);
  CHECK(counter.remove(no_account, created->id + 100, std::nullopt).error().code ==
        error_code::not_found);
  CHECK(counter.seen == std::vector{error_code::conflict, error_code::not_found});
  CHECK(counter.find(no_account, created->id).value()->title == "one");
}
