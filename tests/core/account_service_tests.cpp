#include "notes/account_service.hpp"

#include <doctest/doctest.h>

#include <string>

#include "notes/memory_account_repository.hpp"
#include "notes/memory_note_repository.hpp"
#include "notes/note_service.hpp"

using namespace notes;
using namespace std::chrono;

namespace {

struct manual_clock {
  timestamp now = sys_days{2026y / January / 1} + 9h;
  clock_fn fn() {
    return [this] { return now; };
  }
};

// Fast and transparent stand-in for libsodium (tests/sodium checks the real one); counts the
// verifications so the tests can see that an unknown name costs one too.
struct fake_credentials final : credentials {
  int verifications = 0;
  int secrets = 0;
  std::string hash_password(std::string_view password) override {
    return "fake$" + std::string(password);
  }
  bool verify_password(std::string_view hash, std::string_view password) override {
    ++verifications;
    return hash == "fake$" + std::string(password);
  }
  std::string new_token_secret() override { return "secret-" + std::to_string(++secrets); }
  std::string digest_token(std::string_view secret) override {
    return "digest:" + std::string(secret);
  }
};

struct fixture {
  memory_account_repository accounts;
  memory_note_repository notes;
  fake_credentials crypto;
  manual_clock clock;
  account_service service{accounts, notes, crypto, clock.fn()};

  account add(std::string_view name, std::string_view password = "correct horse") {
    auto made = service.add_account(name, password);
    REQUIRE_MESSAGE(made, (made ? "" : made.error().message));
    return *made;
  }
  note_service notebook(account_id owner) { return note_service(notes, clock.fn()).for_owner(owner); }
};

std::string field_of(const error& e) { return e.fields.empty() ? "" : e.fields.front().field; }

}  // namespace

TEST_CASE("accounts: a new account stores a hash, never the password") {
  fixture f;
  const account alice = f.add("Alice", "correct horse");
  CHECK(alice.id > 0);
  CHECK(alice.name == "Alice");
  CHECK(alice.password_hash == "fake$correct horse");
  CHECK(alice.session_generation == 1);
  CHECK(alice.created_at == f.clock.now);
  CHECK_FALSE(alice.is_admin);
  CHECK(f.service.find_by_name("alice").value().value() == alice);
}

TEST_CASE("accounts: names are 1-40 letters, digits, '-', '_' or '.', unique ignoring case") {
  fixture f;
  for (std::string_view bad : {"", "has space", "ümlaut", "semi;colon", "a/b"}) {
    auto made = f.service.add_account(bad, "long enough");
    REQUIRE_FALSE(made);
    CHECK(made.error().code == error_code::invalid_argument);
    CHECK(field_of(made.error()) == "username");
  }
  CHECK_FALSE(f.service.add_account(std::string(41, 'a'), "long enough"));
  CHECK(f.service.add_account(std::string(40, 'a'), "long enough"));
  f.add("bob.smith-2_x");
  auto twin = f.service.add_account("BOB.SMITH-2_X", "long enough");
  REQUIRE_FALSE(twin);
  CHECK(twin.error().code == error_code::conflict);
}

TEST_CASE("accounts: passwords are 8+ characters and at most 1,024 bytes, nothing else") {
  fixture f;
  auto short_one = f.service.add_account("a", "seven77");
  REQUIRE_FALSE(short_one);
  CHECK(field_of(short_one.error()) == "password");
  // Eight code points in more than eight bytes count as eight characters.
  CHECK(f.service.add_account("b", "ääääääää"));
  CHECK(f.service.add_account("c", "        "));  // no composition rules
  CHECK(f.service.add_account("d", std::string(1024, 'x')));
  CHECK_FALSE(f.service.add_account("e", std::string(1025, 'x')));
  CHECK_FALSE(f.service.add_account("g", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8"));
}

TEST_CASE("sign-in: a wrong password and an unknown name fail alike, and both verify a hash") {
  fixture f;
  f.add("alice");
  auto ok = f.service.sign_in("ALICE", "correct horse", "10.0.0.1");
  REQUIRE(ok);
  CHECK(ok->name == "alice");

  const int before = f.crypto.verifications;
  auto wrong = f.service.sign_in("alice", "wrong horse", "10.0.0.1");
  auto unknown = f.service.sign_in("mallory", "wrong horse", "10.0.0.1");
  REQUIRE_FALSE(wrong);
  REQUIRE_FALSE(unknown);
  CHECK(wrong.error().code == error_code::unauthenticated);
  CHECK(unknown.error().code == error_code::unauthenticated);
  CHECK(wrong.error().message == unknown.error().message);
  CHECK(f.crypto.verifications == before + 2);
}

TEST_CASE("sign-in: five failures for one name refuse it for 15 minutes, with Retry-After") {
  fixture f;
  f.add("alice");
  for (int i = 0; i < 5; ++i) {
    CHECK(f.service.sign_in("alice", "wrong horse", "10.0.0." + std::to_string(i)).error().code ==
          error_code::unauthenticated);
    f.clock.now += 1min;
  }
  // Even the right password is refused now, without being checked.
  const int before = f.crypto.verifications;
  auto refused = f.service.sign_in("Alice", "correct horse", "10.9.9.9");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == error_code::rate_limited);
  CHECK(f.crypto.verifications == before);
  // The first failure was 5 minutes ago: it leaves the window in 10.
  REQUIRE(refused.error().retry_after);
  CHECK(*refused.error().retry_after == 10min);
  // Another name from those addresses is not affected.
  f.add("bob");
  CHECK(f.service.sign_in("bob", "correct horse", "10.0.0.1"));

  f.clock.now += 10min;
  CHECK(f.service.sign_in("alice", "correct horse", "10.0.0.1"));
}

TEST_CASE("sign-in: twenty failures from one address refuse that address for every name") {
  fixture f;
  f.add("alice");
  for (int i = 0; i < 20; ++i) {
    CHECK_FALSE(f.service.sign_in("user" + std::to_string(i), "wrong horse", "192.0.2.7"));
  }
  auto refused = f.service.sign_in("alice", "correct horse", "192.0.2.7");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == error_code::rate_limited);
  CHECK(refused.error().retry_after.value() == 15min);
  CHECK(f.service.sign_in("alice", "correct horse", "192.0.2.8"));
}

TEST_CASE("sign-in: a failure prunes every failure that has left the window, for any name") {
  fixture f;
  f.add("alice");
  CHECK_FALSE(f.service.sign_in("mallory", "wrong horse", "192.0.2.7"));
  const timestamp epoch{};
  CHECK(f.accounts.failed_sign_ins("mallory", "192.0.2.7", epoch).value().for_name == 1);
  f.clock.now += 15min;
  CHECK_FALSE(f.service.sign_in("alice", "wrong horse", "192.0.2.8"));
  // Nothing signs in as mallory again, yet the old row is gone: the table holds one window.
  const auto left = f.accounts.failed_sign_ins("mallory", "192.0.2.7", epoch).value();
  CHECK(left.for_name == 0);
  CHECK(left.for_address == 0);
  CHECK(f.accounts.failed_sign_ins("alice", "192.0.2.8", epoch).value().for_name == 1);
}

TEST_CASE("sign-in: success forgets the name's earlier failures") {
  fixture f;
  f.add("alice");
  for (int i = 0; i < 4; ++i) CHECK_FALSE(f.service.sign_in("alice", "wrong horse", "10.0.0.1"));
  CHECK(f.service.sign_in("alice", "correct horse", "10.0.0.1"));
  for (int i = 0; i < 4; ++i) CHECK_FALSE(f.service.sign_in("alice", "wrong horse", "10.0.0.1"));
  CHECK(f.service.sign_in("alice", "correct horse", "10.0.0.1"));
}

TEST_CASE("passwords: a change ends earlier sessions and may require the current password") {
  fixture f;
  const account alice = f.add("alice");
  auto wrong = f.service.change_password(alice.id, "new password", "not it");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == error_code::unauthenticated);
  CHECK(field_of(wrong.error()) == "current_password");
  CHECK_FALSE(f.service.change_password(alice.id, "short", "correct horse"));

  auto changed = f.service.change_password(alice.id, "new password", "correct horse");
  REQUIRE(changed);
  CHECK(changed->session_generation == alice.session_generation + 1);
  CHECK_FALSE(f.service.sign_in("alice", "correct horse", "10.0.0.1"));
  CHECK(f.service.sign_in("alice", "new password", "10.0.0.1"));
  // The command line sets one without the current password.
  CHECK(f.service.change_password(alice.id, "third password").value().session_generation ==
        alice.session_generation + 2);
  CHECK(f.service.change_password(alice.id + 100, "third password").error().code ==
        error_code::not_found);
}

TEST_CASE("removing an account: refused while it owns notes, unless they go or move") {
  fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  auto alices = f.notebook(alice.id);
  REQUIRE(alices.create({"mine", "text", false}));
  REQUIRE(alices.create({"mine too", "text", false}));

  auto refused = f.service.remove_account(alice.id);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == error_code::conflict);
  CHECK(refused.error().message.find("2 notes") != std::string::npos);
  CHECK(f.service.find(alice.id).value());

  CHECK(f.service.remove_account(alice.id, owned_notes::give_to, alice.id).error().code ==
        error_code::invalid_argument);
  REQUIRE(f.service.remove_account(alice.id, owned_notes::give_to, bob.id));
  CHECK_FALSE(f.service.find(alice.id).value());
  CHECK(f.notebook(bob.id).count().value() == 2);

  REQUIRE(f.service.remove_account(bob.id, owned_notes::remove));
  CHECK(f.notes.count(bob.id).value() == 0);
  CHECK(f.service.remove_account(bob.id).error().code == error_code::not_found);
}

TEST_CASE("removing an account whose notes are all in the trash takes the trash with it") {
  fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  auto alices = f.notebook(alice.id);
  const note gone = alices.create({"deleted", "text", false}).value();
  note_patch edit;
  edit.title = "deleted, edited";
  REQUIRE(alices.update(gone.id, edit));
  REQUIRE(alices.remove(gone.id));
  REQUIRE(f.notebook(bob.id).remove(f.notebook(bob.id).create({"bob's", "text", false})->id));

  // Nothing live: the plain removal is allowed, and leaves nothing of alice's behind.
  REQUIRE(f.service.remove_account(alice.id));
  CHECK(f.notes.list_trash(alice.id, {1, 10}).value().total == 0);
  CHECK(f.notes.list_trash(bob.id, {1, 10}).value().total == 1);
  CHECK(f.notes.purge_trashed_before(f.clock.now + std::chrono::hours(1)).value() == 1);
}

TEST_CASE("claiming: the shared notebook's notes go to one account, others' stay") {
  fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  REQUIRE(f.notebook(no_account).create({"shared", "text", false}));
  REQUIRE(f.notebook(bob.id).create({"bob's", "text", false}));
  CHECK(f.service.claim_unowned_notes(alice.id).value() == 1);
  CHECK(f.notebook(alice.id).count().value() == 1);
  CHECK(f.notebook(no_account).count().value() == 0);
  CHECK(f.notebook(bob.id).count().value() == 1);
  CHECK(f.service.claim_unowned_notes(9999).error().code == error_code::not_found);
}

TEST_CASE("tokens: shown once, stored as a digest, found by secret, revoked by their owner") {
  fixture f;
  const account alice = f.add("alice");
  const account bob = f.add("bob");
  auto made = f.service.create_token(alice.id, "  laptop  ", token_scope::read);
  REQUIRE(made);
  CHECK(made->token.name == "laptop");
  CHECK(made->token.owner == alice.id);
  CHECK(made->token.secret_digest == "digest:" + made->secret);
  CHECK(made->token.secret_digest != made->secret);

  auto found = f.service.authenticate_token(made->secret);
  REQUIRE(found);
  CHECK(found->id == made->token.id);
  CHECK(found->scope == token_scope::read);

  CHECK(f.service.authenticate_token("secret-999").error().code == error_code::unauthenticated);
  CHECK(f.service.authenticate_token("").error().code == error_code::unauthenticated);
  CHECK(f.service.create_token(alice.id, " ", token_scope::read).error().code ==
        error_code::invalid_argument);
  CHECK_FALSE(f.service.create_token(alice.id, std::string(101, 'x'), token_scope::read));

  CHECK(f.service.revoke_token(bob.id, made->token.id).error().code == error_code::not_found);
  CHECK(f.service.authenticate_token(made->secret));
  REQUIRE(f.service.revoke_token(alice.id, made->token.id));
  CHECK(f.service.authenticate_token(made->secret).error().code == error_code::unauthenticated);
}

TEST_CASE("tokens: last use is written at most once a minute") {
  fixture f;
  const account alice = f.add("alice");
  auto made = f.service.create_token(alice.id, "cli", token_scope::read_write).value();
  const timestamp first = f.clock.now;
  REQUIRE(f.service.authenticate_token(made.secret));
  f.clock.now += 30s;
  REQUIRE(f.service.authenticate_token(made.secret));
  CHECK(f.service.tokens(alice.id).value().front().last_used_at == first);
  f.clock.now += 31s;
  REQUIRE(f.service.authenticate_token(made.secret));
  CHECK(f.service.tokens(alice.id).value().front().last_used_at == f.clock.now);
}
