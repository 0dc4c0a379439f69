// The account_repository contract, written once and run against every backend (the type list
// at the bottom). Each case starts from a fresh, empty repository.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "storage_test_support.hpp"

using namespace notes;
using notes::test::at;
using notes::testing::ok;
using notes::testing::value_of;

namespace {

// Opens the backend's repository or leaves the test (skipped backends say so themselves).
#define OPEN_ACCOUNTS(var)              \
  auto var##_holder = TestType::open(); \
  if (!var##_holder) return;            \
  account_repository& var = *var##_holder

template <class T>
void check_failure(const result<T>& r, error_code expected) {
  REQUIRE_FALSE(r.has_value());
  CHECK_MESSAGE(r.error().code == expected, r.error().message);
  CHECK_FALSE(r.error().message.empty());
}

account make_account(std::string name, timestamp created = at(1), bool admin = false) {
  account a;
  a.name = std::move(name);
  a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  a.is_admin = admin;
  a.session_generation = 1;
  a.created_at = created;
  return a;
}

api_token make_token(account_id owner, std::string digest, timestamp created,
                     token_scope scope = token_scope::read) {
  api_token t;
  t.owner = owner;
  t.name = "laptop";
  t.scope = scope;
  t.secret_digest = std::move(digest);
  t.created_at = created;
  return t;
}

std::vector<std::string> names(const std::vector<account>& accounts) {
  std::vector<std::string> out;
  for (const auto& a : accounts) out.push_back(a.name);
  return out;
}

std::vector<token_id> ids(const std::vector<api_token>& tokens) {
  std::vector<token_id> out;
  for (const auto& t : tokens) out.push_back(t.id);
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE_DEFINE("create assigns account ids and find returns the account exactly",
                          TestType, create_find) {
  OPEN_ACCOUNTS(repo);
  account draft = make_account("Alice", at(10, 123456), true);
  draft.session_generation = 7;
  draft.id = 999;  // ignored
  const account alice = value_of(repo.create_account(draft));
  const account bob = value_of(repo.create_account(make_account("bob", at(11))));
  CHECK(alice.id > 0);
  CHECK(bob.id > alice.id);
  CHECK(alice.name == "Alice");
  CHECK(alice.password_hash == draft.password_hash);
  CHECK(alice.is_admin);
  CHECK(alice.session_generation == 7);
  CHECK(alice.created_at == at(10, 123456));

  CHECK(value_of(repo.find_account(alice.id)) == alice);
  CHECK(value_of(repo.find_account(bob.id)) == bob);
  CHECK_FALSE(value_of(repo.find_account(bob.id + 1)).has_value());
  CHECK(value_of(repo.find_account_by_name("Alice")) == alice);
  CHECK(value_of(repo.find_account_by_name("bob")) == bob);
  CHECK_FALSE(value_of(repo.find_account_by_name("carol")).has_value());
  CHECK_FALSE(value_of(repo.find_account_by_name("")).has_value());
}

TEST_CASE_TEMPLATE_DEFINE("account names are unique and found ignoring ASCII case", TestType,
                          names_fold) {
  OPEN_ACCOUNTS(repo);
  const account alice = value_of(repo.create_account(make_account("Alice")));
  const auto taken = repo.create_account(make_account("alice"));
  check_failure(taken, error_code::conflict);
  CHECK(taken.error().message.find("alice") != std::string::npos);
  CHECK(taken.error().message.find("argon2") == std::string::npos);
  check_failure(repo.create_account(make_account("ALICE")), error_code::conflict);
  CHECK(value_of(repo.accounts()).size() == 1);

  CHECK(value_of(repo.find_account_by_name("ALICE")) == alice);
  CHECK(value_of(repo.find_account_by_name("aLiCe")) == alice);
  // Only ASCII letters fold: "a-lice" and "alice." are other names.
  CHECK(value_of(repo.create_account(make_account("a-lice"))).id > alice.id);
  CHECK(value_of(repo.create_account(make_account("alice."))).id > alice.id);
  CHECK(value_of(repo.accounts()).size() == 3);
}

TEST_CASE_TEMPLATE_DEFINE("accounts are listed by folded name, byte by byte", TestType,
                          accounts_order) {
  OPEN_ACCOUNTS(repo);
  CHECK(value_of(repo.accounts()).empty());
  for (const char* name : {"bob", "Alice", "a_b", "a-c", "Zed", "A.z", "ab", "a9"}) {
    value_of(repo.create_account(make_account(name)));
  }
  // '-' < '.' < digits < '_' < letters, as bytes; a locale's collation would say otherwise.
  CHECK(names(value_of(repo.accounts())) ==
        std::vector<std::string>{"a-c", "A.z", "a9", "a_b", "ab", "Alice", "bob", "Zed"});
}

TEST_CASE_TEMPLATE_DEFINE("set_password stores the hash and increments the session generation",
                          TestType, set_password) {
  OPEN_ACCOUNTS(repo);
  const account alice = value_of(repo.create_account(make_account("alice")));
  const account bob = value_of(repo.create_account(make_account("bob")));

  const account changed = value_of(repo.set_password(alice.id, "$argon2id$new"));
  CHECK(changed.id == alice.id);
  CHECK(changed.name == "alice");
  CHECK(changed.password_hash == "$argon2id$new");
  CHECK(changed.session_generation == 2);
  CHECK(changed.created_at == alice.created_at);
  CHECK(value_of(repo.find_account(alice.id)) == changed);
  CHECK(value_of(repo.set_password(alice.id, "$argon2id$again")).session_generation == 3);
  CHECK(value_of(repo.find_account(bob.id)) == bob);

  check_failure(repo.set_password(bob.id + 100, "$argon2id$x"), error_code::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("remove_account removes the account and its tokens only", TestType,
                          remove_account) {
  OPEN_ACCOUNTS(repo);
  const account alice = value_of(repo.create_account(make_account("alice")));
  const account bob = value_of(repo.create_account(make_account("bob")));
  const api_token alices = value_of(repo.create_token(make_token(alice.id, "d-alice", at(2))));
  value_of(repo.create_token(make_token(alice.id, "d-alice-2", at(3))));
  const api_token bobs = value_of(repo.create_token(make_token(bob.id, "d-bob", at(4))));

  ok(repo.remove_account(alice.id));
  CHECK_FALSE(value_of(repo.find_account(alice.id)).has_value());
  CHECK_FALSE(value_of(repo.find_account_by_name("alice")).has_value());
  CHECK_FALSE(value_of(repo.find_token("d-alice")).has_value());
  CHECK_FALSE(value_of(repo.find_token("d-alice-2")).has_value());
  CHECK(value_of(repo.tokens(alice.id)).empty());
  check_failure(repo.touch_token(alices.id, at(5)), error_code::not_found);
  CHECK(value_of(repo.find_token("d-bob")) == bobs);
  CHECK(names(value_of(repo.accounts())) == std::vector<std::string>{"bob"});

  check_failure(repo.remove_account(alice.id), error_code::not_found);
  check_failure(repo.remove_account(bob.id + 100), error_code::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("ids of removed accounts are not handed out again", TestType,
                          account_ids_not_reused) {
  // A session names its account by id: a new account must never inherit a removed one's.
  OPEN_ACCOUNTS(repo);
  value_of(repo.create_account(make_account("first")));
  const account second = value_of(repo.create_account(make_account("second")));
  ok(repo.remove_account(second.id));
  const account again = value_of(repo.create_account(make_account("second")));
  CHECK(again.id > second.id);
}

TEST_CASE_TEMPLATE_DEFINE("tokens are stored, found by digest and listed newest first", TestType,
                          tokens_round_trip) {
  OPEN_ACCOUNTS(repo);
  const account alice = value_of(repo.create_account(make_account("alice")));
  const account bob = value_of(repo.create_account(make_account("bob")));
  api_token draft = make_token(alice.id, "9f86d081884c7d65", at(5, 250), token_scope::read_write);
  draft.id = 999;  // ignored
  draft.name = "CI \"deploy\" ✓";
  const api_token first = value_of(repo.create_token(draft));
  CHECK(first.id > 0);
  CHECK(first.owner == alice.id);
  CHECK(first.name == draft.name);
  CHECK(first.scope == token_scope::read_write);
  CHECK(first.secret_digest == draft.secret_digest);
  CHECK(first.created_at == at(5, 250));
  CHECK_FALSE(first.last_used_at.has_value());
  CHECK(value_of(repo.find_token("9f86d081884c7d65")) == first);
  CHECK_FALSE(value_of(repo.find_token("9F86D081884C7D65")).has_value());
  CHECK_FALSE(value_of(repo.find_token("")).has_value());

  const api_token older = value_of(repo.create_token(make_token(alice.id, "older", at(1))));
  const api_token same_time = value_of(repo.create_token(make_token(alice.id, "tie", at(5, 250))));
  const api_token newest = value_of(repo.create_token(make_token(alice.id, "newest", at(9))));
  value_of(repo.create_token(make_token(bob.id, "bobs", at(7))));
  CHECK(value_of(repo.find_token("older"))->scope == token_scope::read);
  // Newest first; equal times, the newer id first.
  CHECK(ids(value_of(repo.tokens(alice.id))) ==
        std::vector<token_id>{newest.id, same_time.id, first.id, older.id});
  CHECK(value_of(repo.tokens(bob.id)).size() == 1);
  CHECK(value_of(repo.tokens(bob.id + 100)).empty());
}

TEST_CASE_TEMPLATE_DEFINE("a token is revoked only by its owner", TestType, revoke_token) {
  OPEN_ACCOUNTS(repo);
  const account alice = value_of(repo.create_account(make_account("alice")));
  const account bob = value_of(repo.create_account(make_account("bob")));
  const api_token alices = value_of(repo.create_token(make_token(alice.id, "d-alice", at(1))));
  const api_token bobs = value_of(repo.create_token(make_token(bob.id, "d-bob", at(2))));

  check_failure(repo.revoke_token(bob.id, alices.id), error_code::not_found);
  CHECK(value_of(repo.find_token("d-alice")) == alices);
  check_failure(repo.revoke_token(alice.id, bobs.id + 100), error_code::not_found);

  ok(repo.revoke_token(alice.id, alices.id));
  CHECK_FALSE(value_of(repo.find_token("d-alice")).has_value());
  CHECK(value_of(repo.tokens(alice.id)).empty());
  check_failure(repo.revoke_token(alice.id, alices.id), error_code::not_found);
  CHECK(value_of(repo.find_token("d-bob")) == bobs);
}

TEST_CASE_TEMPLATE_DEFINE("touch_token records when a token was last used", TestType, touch_token) {
  OPEN_ACCOUNTS(repo);
  const account alice = value_of(repo.create_account(make_account("alice")));
  const api_token used = value_of(repo.create_token(make_token(alice.id, "used", at(1))));
  const api_token idle = value_of(repo.create_token(make_token(alice.id, "idle", at(2))));

  ok(repo.touch_token(used.id, at(60, 42)));
  CHECK(value_of(repo.find_token("used"))->last_used_at == at(60, 42));
  ok(repo.touch_token(used.id, at(120)));
  CHECK(value_of(repo.find_token("used"))->last_used_at == at(120));
  CHECK(value_of(repo.tokens(alice.id)).back().last_used_at == at(120));
  CHECK_FALSE(value_of(repo.find_token("idle"))->last_used_at.has_value());

  check_failure(repo.touch_token(idle.id + 100, at(3)), error_code::not_found);
  ok(repo.revoke_token(alice.id, idle.id));
  check_failure(repo.touch_token(idle.id, at(3)), error_code::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("a stored digest is a conflict and an unknown owner is not_found",
                          TestType, token_conflicts) {
  OPEN_ACCOUNTS(repo);
  const account alice = value_of(repo.create_account(make_account("alice")));
  const account bob = value_of(repo.create_account(make_account("bob")));
  const api_token first = value_of(repo.create_token(make_token(alice.id, "5e884898da28", at(1))));

  const auto again = repo.create_token(make_token(bob.id, "5e884898da28", at(2)));
  check_failure(again, error_code::conflict);
  CHECK(again.error().message.find("5e884898da28") == std::string::npos);
  CHECK(value_of(repo.tokens(bob.id)).empty());
  CHECK(value_of(repo.find_token("5e884898da28")) == first);

  check_failure(repo.create_token(make_token(bob.id + 100, "other", at(3))), error_code::not_found);
  check_failure(repo.create_token(make_token(no_account, "none", at(3))), error_code::not_found);
  CHECK_FALSE(value_of(repo.find_token("other")).has_value());
  CHECK_FALSE(value_of(repo.find_token("none")).has_value());
}

TEST_CASE_TEMPLATE_DEFINE("failed sign-ins are counted per name and per address since a time",
                          TestType, failed_sign_ins) {
  OPEN_ACCOUNTS(repo);
  CHECK(value_of(repo.failed_sign_ins("alice", "192.0.2.1", at(0))) == sign_in_failures{});

  ok(repo.record_failed_sign_in("alice", "192.0.2.1", at(10)));
  ok(repo.record_failed_sign_in("alice", "192.0.2.2", at(20, 5)));
  ok(repo.record_failed_sign_in("alice", "192.0.2.1", at(30)));
  ok(repo.record_failed_sign_in("bob", "192.0.2.1", at(25)));
  ok(repo.record_failed_sign_in("nobody", "2001:db8::1", at(40)));

  const sign_in_failures all = value_of(repo.failed_sign_ins("alice", "192.0.2.1", at(0)));
  CHECK(all.for_name == 3);
  CHECK(all.for_address == 3);
  CHECK(all.oldest_for_name == at(10));
  CHECK(all.oldest_for_address == at(10));

  // The window starts at `since`, inclusive.
  const sign_in_failures recent = value_of(repo.failed_sign_ins("alice", "192.0.2.1", at(20, 5)));
  CHECK(recent.for_name == 2);
  CHECK(recent.oldest_for_name == at(20, 5));
  CHECK(recent.for_address == 2);
  CHECK(recent.oldest_for_address == at(25));

  const sign_in_failures other = value_of(repo.failed_sign_ins("bob", "2001:db8::1", at(0)));
  CHECK(other.for_name == 1);
  CHECK(other.oldest_for_name == at(25));
  CHECK(other.for_address == 1);
  CHECK(other.oldest_for_address == at(40));

  const sign_in_failures none = value_of(repo.failed_sign_ins("alice", "192.0.2.9", at(31)));
  CHECK(none == sign_in_failures{});
}

TEST_CASE_TEMPLATE_DEFINE("failed sign-ins are cleared by name and pruned by age", TestType,
                          forget_failures) {
  OPEN_ACCOUNTS(repo);
  ok(repo.record_failed_sign_in("alice", "192.0.2.1", at(10)));
  ok(repo.record_failed_sign_in("alice", "192.0.2.2", at(20)));
  ok(repo.record_failed_sign_in("bob", "192.0.2.1", at(15)));
  ok(repo.record_failed_sign_in("bob", "192.0.2.1", at(30)));

  ok(repo.clear_failed_sign_ins("alice"));
  sign_in_failures left = value_of(repo.failed_sign_ins("alice", "192.0.2.1", at(0)));
  CHECK(left.for_name == 0);
  CHECK_FALSE(left.oldest_for_name.has_value());
  CHECK(left.for_address == 2);  // bob's two from that address
  CHECK(left.oldest_for_address == at(15));
  ok(repo.clear_failed_sign_ins("nobody"));

  ok(repo.prune_failed_sign_ins(at(30)));  // strictly before
  left = value_of(repo.failed_sign_ins("bob", "192.0.2.1", at(0)));
  CHECK(left.for_name == 1);
  CHECK(left.oldest_for_name == at(30));
  CHECK(left.for_address == 1);
  ok(repo.prune_failed_sign_ins(at(31)));
  CHECK(value_of(repo.failed_sign_ins("bob", "192.0.2.1", at(0))) == sign_in_failures{});
}

// One line per backend: a new backend joins the contract here.
using account_backends =
    std::tuple<notes::test::memory_account_backend, notes::test::sqlite_account_backend,
               notes::test::postgres_account_backend>;

TEST_CASE_TEMPLATE_APPLY(create_find, account_backends);
TEST_CASE_TEMPLATE_APPLY(names_fold, account_backends);
TEST_CASE_TEMPLATE_APPLY(accounts_order, account_backends);
TEST_CASE_TEMPLATE_APPLY(set_password, account_backends);
TEST_CASE_TEMPLATE_APPLY(remove_account, account_backends);
TEST_CASE_TEMPLATE_APPLY(account_ids_not_reused, account_backends);
TEST_CASE_TEMPLATE_APPLY(tokens_round_trip, account_backends);
TEST_CASE_TEMPLATE_APPLY(revoke_token, account_backends);
TEST_CASE_TEMPLATE_APPLY(touch_token, account_backends);
TEST_CASE_TEMPLATE_APPLY(token_conflicts, account_backends);
TEST_CASE_TEMPLATE_APPLY(failed_sign_ins, account_backends);
TEST_CASE_TEMPLATE_APPLY(forget_failures, account_backends);

TEST_CASE("two SQLite account repositories on one file, as two server threads, act as one store") {
  test::sqlite_database db;
  auto first = test::open_accounts_or_fail(db.config);
  auto second = test::open_accounts_or_fail(db.config);
  // Each used on a thread of its own, one after the other, as a server's workers would.
  const auto on_thread = [](const auto& work) { std::jthread worker(work); };

  account alice;
  api_token token;
  on_thread([&] {
    alice = value_of(first->create_account(make_account("alice")));
    token = value_of(first->create_token(make_token(alice.id, "shared-digest", at(1))));
  });
  on_thread([&] {
    CHECK(value_of(second->find_account(alice.id)) == alice);
    CHECK(value_of(second->find_token("shared-digest")) == token);
    check_failure(second->create_account(make_account("ALICE")), error_code::conflict);
    ok(second->touch_token(token.id, at(2)));
  });
  on_thread([&] {
    CHECK(value_of(first->find_token("shared-digest"))->last_used_at == at(2));
    const account changed = value_of(first->set_password(alice.id, "$argon2id$new"));
    CHECK(changed.session_generation == 2);
  });
  on_thread([&] {
    CHECK(value_of(second->find_account(alice.id))->session_generation == 2);
    ok(second->revoke_token(alice.id, token.id));
  });
  on_thread([&] { CHECK_FALSE(value_of(first->find_token("shared-digest")).has_value()); });
  on_thread([&] {
    ok(first->record_failed_sign_in("bob", "192.0.2.1", at(3)));
    CHECK(value_of(second->failed_sign_ins("bob", "192.0.2.1", at(0))).for_name == 1);
  });
}

TEST_CASE("PostgreSQL lists accounts byte by byte whatever the database's collation") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  test::postgres_test_database db(*server);
  // A database whose default collation (ICU, English) sorts "a_b" before "a-c" and "a9".
  auto english = db.config();
  english.database_name = db.config().database_name + "_en";
  db.execute("CREATE DATABASE " + english.database_name +
             " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
  struct dropped_after {
    const test::postgres_test_database& db;
    std::string name;
    ~dropped_after() {
      try {
        db.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (...) {
        // The cluster is deleted after the run anyway.
      }
    }
  } cleanup{db, english.database_name};
  REQUIRE(storage::migrate(english).has_value());
  auto repo = test::open_accounts_or_fail(english);
  for (const char* name : {"bob", "a_b", "a-c", "A.z", "a9"}) {
    value_of(repo->create_account(make_account(name)));
  }
  CHECK(names(value_of(repo->accounts())) ==
        std::vector<std::string>{"a-c", "A.z", "a9", "a_b", "bob"});
}
