// forwarding_note_repository and forwarding_account_repository: every call reaches the target,
// and a decorator sees each failure.
#include "notes/forwarding_note_repository.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "notes/forwarding_account_repository.hpp"
#include "notes/memory_account_repository.hpp"
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

namespace {

account person(std::string name) {
  account a;
  a.name = std::move(name);
  a.password_hash = "$argon2id$hash";
  return a;
}

class account_failure_counter final : public forwarding_account_repository {
 public:
  using forwarding_account_repository::forwarding_account_repository;
  std::vector<error_code> seen;

 private:
  void on_failure(const error& e) override { seen.push_back(e.code); }
};

}  // namespace

TEST_CASE("a borrowing account forwarder passes every call on and returns the answers") {
  memory_account_repository target;
  forwarding_account_repository view(target);
  const auto alice = view.create_account(person("Alice"));
  REQUIRE(alice);
  CHECK(target.find_account(alice->id).value()->name == "Alice");
  CHECK(view.find_account(alice->id).value()->name == "Alice");
  CHECK(view.find_account_by_name("alice").value()->id == alice->id);
  CHECK(view.accounts().value().size() == 1);
  CHECK(view.set_password(alice->id, "$argon2id$new").value().session_generation == 2);
  CHECK(target.find_account(alice->id).value()->password_hash == "$argon2id$new");

  api_token fresh;
  fresh.owner = alice->id;
  fresh.name = "laptop";
  fresh.secret_digest = "abc123";
  const auto token = view.create_token(fresh);
  REQUIRE(token);
  CHECK(view.find_token("abc123").value()->id == token->id);
  CHECK(view.tokens(alice->id).value().size() == 1);
  const timestamp used{std::chrono::seconds(1'800'000'000)};
  REQUIRE(view.touch_token(token->id, used));
  CHECK(target.find_token("abc123").value()->last_used_at == used);
  REQUIRE(view.revoke_token(alice->id, token->id));
  CHECK(target.tokens(alice->id).value().empty());

  REQUIRE(view.record_failed_sign_in("alice", "192.0.2.1", used));
  CHECK(view.failed_sign_ins("alice", "192.0.2.1", used).value().for_name == 1);
  REQUIRE(view.clear_failed_sign_ins("alice"));
  CHECK(target.failed_sign_ins("alice", "192.0.2.1", used).value().for_name == 0);
  REQUIRE(view.prune_failed_sign_ins(used));
  CHECK(target.failed_sign_ins("alice", "192.0.2.1", used).value().for_address == 0);

  REQUIRE(view.remove_account(alice->id));
  CHECK(target.accounts().value().empty());
}

TEST_CASE("an owning account forwarder keeps its target alive and shows failures to on_failure") {
  account_failure_counter counter(std::make_unique<memory_account_repository>());
  REQUIRE(counter.create_account(person("bob")));
  CHECK(counter.seen.empty());
  CHECK(counter.create_account(person("BOB")).error().code == error_code::conflict);
  CHECK(counter.set_password(999, "$argon2id$x").error().code == error_code::not_found);
  CHECK(counter.seen == std::vector{error_code::conflict, error_code::not_found});
  CHECK(counter.accounts().value().size() == 1);
}

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
