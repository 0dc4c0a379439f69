// A PostgreSQL restart under live repositories (notes, accounts): unavailable while the server is
// down, working again afterwards without opening new ones. Runs alone (RUN_SERIAL): it stops the
// cluster every other PostgreSQL test shares.
#include <doctest/doctest.h>

#include <cstdlib>

#include "storage_test_support.hpp"

using namespace notes;
using namespace notes::storage;
using notes::test::at;
using notes::test::make_note;

namespace {

bool control(const std::string& action) {
  const std::string command = test::postgres_control_command(action);
  REQUIRE_FALSE(command.empty());
  return std::system(command.c_str()) == 0;
}

template <class T>
void check_unavailable(const result<T>& r) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == error_code::unavailable);
  CHECK_FALSE(r.error().message.empty());
  MESSAGE(r.error().message);
}

}  // namespace

TEST_CASE("after a PostgreSQL restart the same repositories work again") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  if (test::postgres_control_command("stop-server").empty()) {
    MESSAGE("SKIPPED: PostgreSQL restart test: the server is not the test fixture's own");
    return;
  }
  test::postgres_test_database db(*server);
  REQUIRE(migrate(db.config()).has_value());
  auto busy = test::open_or_fail(db.config());
  auto idle_reader = test::open_or_fail(db.config());
  auto idle_writer = test::open_or_fail(db.config());
  const note n = busy->create(make_note("before restart", "x", at(1))).value();
  REQUIRE(idle_reader->count(no_account).value() == 1);
  REQUIRE(idle_writer->count(no_account).value() == 1);

  REQUIRE(control("stop-server"));
  check_unavailable(busy->find(no_account, n.id));
  check_unavailable(busy->create(make_note("while down", "x", at(2))));
  check_unavailable(busy->list(no_account, list_order::newest_first, {1, 10}));
  check_unavailable(busy->search(no_account, "restart", {1, 10}));
  check_unavailable(busy->check_ready());
  check_unavailable(check_ready(db.config()));
  check_unavailable(open_repository(db.config()));

  REQUIRE(control("start-server"));
  // The busy repository already knows its connection is gone and reconnects first.
  const auto after = busy->create(make_note("after restart", "x", at(3)));
  REQUIRE_MESSAGE(after.has_value(), (after ? "" : after.error().message));
  CHECK(busy->find(no_account, n.id).value().has_value());
  CHECK(busy->check_ready().has_value());
  // Idle repositories find their connection closed by the old server before they send
  // anything, and reconnect first: neither a read nor a write fails.
  const auto counted = idle_reader->count(no_account);
  REQUIRE_MESSAGE(counted.has_value(), (counted ? "" : counted.error().message));
  CHECK(*counted == 2);
  const auto written = idle_writer->create(make_note("idle writer", "x", at(4)));
  REQUIRE_MESSAGE(written.has_value(), (written ? "" : written.error().message));
  CHECK(idle_writer->search(no_account, "idle writer", {1, 10}).value().total == 1);
  CHECK(busy->count(no_account).value() == 3);
}

TEST_CASE("after a PostgreSQL restart the same account repositories work again") {
  const auto server = test::postgres_or_skip();
  if (!server) return;
  if (test::postgres_control_command("stop-server").empty()) {
    MESSAGE("SKIPPED: PostgreSQL restart test: the server is not the test fixture's own");
    return;
  }
  test::postgres_test_database db(*server);
  REQUIRE(migrate(db.config()).has_value());
  auto busy = test::open_accounts_or_fail(db.config());
  auto idle = test::open_accounts_or_fail(db.config());
  account alice;
  alice.name = "alice";
  alice.password_hash = "$argon2id$hash";
  alice = busy->create_account(alice).value();
  api_token token;
  token.owner = alice.id;
  token.name = "laptop";
  token.secret_digest = "digest";
  token = busy->create_token(token).value();
  REQUIRE(idle->find_token("digest").value() == token);

  REQUIRE(control("stop-server"));
  check_unavailable(busy->find_account(alice.id));
  check_unavailable(busy->set_password(alice.id, "$argon2id$while-down"));
  check_unavailable(open_account_repository(db.config()));

  REQUIRE(control("start-server"));
  const auto changed = busy->set_password(alice.id, "$argon2id$after");
  REQUIRE_MESSAGE(changed.has_value(), (changed ? "" : changed.error().message));
  CHECK(changed->session_generation == 2);
  // The idle repository's prepared statements went with its connection; they are prepared
  // again on the new one.
  const auto found = idle->find_token("digest");
  REQUIRE_MESSAGE(found.has_value(), (found ? "" : found.error().message));
  CHECK(*found == token);
  CHECK(idle->touch_token(token.id, at(5)).has_value());
  CHECK(idle->find_account(alice.id).value()->session_generation == 2);
}
