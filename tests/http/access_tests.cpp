// A server with accounts, through real HTTP: who may call what (API tokens and their scopes, the
// session cookie on the API, CSRF on its writes), and that one account sees nothing of another's
// notes, on every store.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "api_fixture.hpp"
#include "sign_in.hpp"
#include "transport/account_gate.hpp"

using namespace notes::testing;
using notes::account;
using notes::token_scope;

namespace {

template <class Backend>
struct accounts_fixture {
  Backend store;
  account_setup setup{store};
  test_server server;
  http_client client;

  accounts_fixture() : server(store.repositories(), accounts_server_options(store)),
                       client(server.port()) {}

  // Creates a note through the API as the token's owner.
  boost::json::object create(std::string_view secret, std::string_view title,
                             std::string_view content = "some content") {
    boost::json::object body{{"title", title}, {"content", content}};
    auto res = client.post_json("/api/notes", boost::json::serialize(body), bearer(secret));
    REQUIRE_MESSAGE(res.status == 201, res.body);
    return res.json().as_object();
  }

  // Every note stored, whoever owns it, straight from the repository.
  std::vector<notes::note> stored() { return store.inspect().all(std::nullopt).value(); }
};

void check_unauthorized(const http_response& res, std::string_view where) {
  CHECK_MESSAGE(res.status == 401, where);
  CHECK_MESSAGE(res.header("WWW-Authenticate").starts_with("Bearer"), where);
  CHECK_MESSAGE(res.header("Content-Type") == "application/json", where);
  if (!res.body.empty()) {  // HEAD: no body
    CHECK_MESSAGE(res.json().as_object().contains("error"), where);
  }
}

const std::string note_json = R"({"title":"t","content":"c"})";

}  // namespace

TEST_CASE_TEMPLATE("accounts: the API without credentials answers 401 with WWW-Authenticate",
                   B, NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_fixture<B> f;
  check_unauthorized(f.client.get("/api/notes"), "list");
  check_unauthorized(f.client.get("/api/notes/search?q=x"), "search");
  check_unauthorized(f.client.get("/api/notes/1"), "get");
  check_unauthorized(f.client.head("/api/notes/1"), "head");
  check_unauthorized(f.client.post_json("/api/notes", note_json), "create");
  check_unauthorized(f.client.put_json("/api/notes/1", note_json), "put");
  check_unauthorized(f.client.patch_json("/api/notes/1", note_json), "patch");
  check_unauthorized(f.client.del("/api/notes/1"), "delete");
  CHECK(f.stored().empty());
  // Open to anyone: the API's description and the operational endpoints.
  CHECK(f.client.get("/api/openapi.json").status == 200);
  CHECK(f.client.get("/healthz").status == 200);
  CHECK(f.client.get("/readyz").status == 200);
  CHECK(f.client.get("/metrics").status == 200);
}

TEST_CASE_TEMPLATE("accounts: an unknown token or a malformed Authorization header is 401", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_fixture<B> f;
  const account ann = f.setup.add("ann");
  const std::string secret = f.setup.token(ann, token_scope::read_write);
  CHECK(f.client.get("/api/notes", bearer(secret)).status == 200);
  check_unauthorized(f.client.get("/api/notes", bearer(secret + "x")), "unknown token");
  CHECK(f.client.get("/api/notes", bearer(secret + "x")).header("WWW-Authenticate").find(
            "invalid_token") != std::string::npos);
  for (const std::string& value :
       std::vector<std::string>{"Basic YW5uOnB3", "Bearer", "Bearer ", "Bearer a b",
                                "Bearer \"quoted\"", "Token " + secret, secret}) {
    check_unauthorized(f.client.get("/api/notes", {{"Authorization", value}}), value);
  }
  // The scheme is case-insensitive (RFC 9110 11.1).
  CHECK(f.client.get("/api/notes", {{"Authorization", "bearer " + secret}}).status == 200);
}

TEST_CASE_TEMPLATE("accounts: a read token reads, and its writes are 403 and change nothing", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_fixture<B> f;
  const account ann = f.setup.add("ann");
  const std::string writer = f.setup.token(ann, token_scope::read_write, "writer");
  const std::string reader = f.setup.token(ann, token_scope::read, "reader");
  const auto made = f.create(writer, "Mine");
  const std::string url = note_url(made);

  CHECK(f.client.get("/api/notes", bearer(reader)).json().at("total").as_int64() == 1);
  CHECK(f.client.get(url, bearer(reader)).status == 200);
  CHECK(f.client.get("/api/notes/search?q=mine", bearer(reader)).status == 200);
  for (const auto& res : {f.client.post_json("/api/notes", note_json, bearer(reader)),
                          f.client.put_json(url, note_json, bearer(reader)),
                          f.client.patch_json(url, note_json, bearer(reader)),
                          f.client.del(url, bearer(reader))}) {
    CHECK(res.status == 403);
    CHECK(res.header("Content-Type") == "application/json");
    CHECK(res.json().as_object().contains("error"));
  }
  const auto stored = f.stored();
  REQUIRE(stored.size() == 1);
  CHECK(stored.front().title == "Mine");
  CHECK(stored.front().version == 1);
}

TEST_CASE_TEMPLATE("accounts: a revoked token is refused", B, NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_fixture<B> f;
  const account ann = f.setup.add("ann");
  const std::string secret = f.setup.token(ann, token_scope::read_write);
  const auto tokens = f.setup.service().tokens(ann.id).value();
  REQUIRE(tokens.size() == 1);
  REQUIRE(f.setup.service().revoke_token(ann.id, tokens.front().id));
  check_unauthorized(f.client.get("/api/notes", bearer(secret)), "revoked");
}

TEST_CASE_TEMPLATE("accounts: one account sees nothing of another's notes through the API", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_fixture<B> f;
  const std::string ann = f.setup.token(f.setup.add("ann"), token_scope::read_write);
  const std::string bob = f.setup.token(f.setup.add("bob"), token_scope::read_write);
  const auto first = f.create(ann, "Ann's plan", "meet at noon");
  f.create(ann, "Ann's list", "milk");
  const std::string url = note_url(first);

  const auto listed = f.client.get("/api/notes", bearer(bob)).json().as_object();
  CHECK(listed.at("notes").as_array().empty());
  CHECK(listed.at("total").as_int64() == 0);
  const auto found = f.client.get("/api/notes/search?q=ann", bearer(bob)).json().as_object();
  CHECK(found.at("count").as_int64() == 0);
  CHECK(found.at("notes").as_array().empty());

  // Another account's note answers exactly as a note that does not exist.
  const auto missing = f.client.get("/api/notes/999999", bearer(bob));
  const auto theirs = f.client.get(url, bearer(bob));
  const std::string id = std::to_string(first.at("id").as_int64());
  CHECK(missing.status == 404);
  CHECK(theirs.status == 404);
  std::string as_missing = missing.body;
  as_missing.replace(as_missing.find("999999"), 6, id);
  CHECK(theirs.body == as_missing);
  CHECK(theirs.header("Content-Type") == missing.header("Content-Type"));
  CHECK(f.client.put_json(url, note_json, bearer(bob)).status == 404);
  CHECK(f.client.patch_json(url, R"({"title":"mine now"})", bearer(bob)).status == 404);
  CHECK(f.client.del(url, bearer(bob)).status == 404);
  CHECK(f.client.request("PATCH", url, R"({"title":"x"})",
                         {{"Content-Type", "application/json"},
                          {"If-Match", "\"1\""},
                          {"Authorization", "Bearer " + bob}})
            .status == 404);

  // Ann's notes are as she left them, and only hers are hers.
  const auto mine = f.client.get("/api/notes", bearer(ann)).json().as_object();
  CHECK(mine.at("total").as_int64() == 2);
  const auto again = f.client.get(url, bearer(ann));
  REQUIRE(again.status == 200);
  CHECK(json_string(again.json().at("title")) == "Ann's plan");
  CHECK(again.header("ETag") == "\"1\"");
  // Bob's own note is his alone.
  const auto bobs = f.create(bob, "Bob's");
  CHECK(f.client.get(note_url(bobs), bearer(ann)).status == 404);
  CHECK(f.client.get("/api/notes", bearer(bob)).json().at("total").as_int64() == 1);
}

TEST_CASE_TEMPLATE("accounts: the session cookie reads the API, and its writes need X-CSRF-Token",
                   B, NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_fixture<B> f;
  f.setup.add("ann");
  browser ann(f.server.port());
  REQUIRE(sign_in(ann, "ann").status == 303);
  const header_list cookie{{"Cookie", ann.cookie()}};
  CHECK(f.client.get("/api/notes", cookie).status == 200);

  header_list no_token = cookie;
  no_token.emplace_back("Content-Type", "application/json");
  const auto refused = f.client.request("POST", "/api/notes", note_json, no_token);
  CHECK(refused.status == 403);
  CHECK(refused.json().as_object().contains("error"));
  header_list wrong = no_token;
  wrong.emplace_back("X-CSRF-Token", "not-the-token");
  CHECK(f.client.request("POST", "/api/notes", note_json, wrong).status == 403);
  CHECK(f.stored().empty());

  const std::string token = session_csrf_token(ann);
  REQUIRE_FALSE(token.empty());
  header_list right = no_token;
  right.emplace_back("X-CSRF-Token", token);
  CHECK(f.client.request("POST", "/api/notes", note_json, right).status == 201);
  CHECK(f.stored().size() == 1);
}

TEST_CASE("accounts: a token revoked on one server is refused by another within the lookup "
          "lifetime (PostgreSQL)") {
  if (!store_available<postgres_backend>()) return;
  postgres_backend store;
  account_setup setup(store);
  const account ann = setup.add("ann");
  const std::string secret = setup.token(ann, token_scope::read_write);
  test_server first(store.repositories(), accounts_server_options(store));
  test_server second(store.repositories(), accounts_server_options(store));
  http_client at_second(second.port());
  // Both threads of the second server have looked the token up, and remember it.
  for (int i = 0; i < 4; ++i) {
    at_second.disconnect();
    REQUIRE(at_second.get("/api/notes", bearer(secret)).status == 200);
  }

  browser through_first(first.port());
  REQUIRE(sign_in(through_first, "ann").status == 303);
  const std::string page = through_first.get("/account").body;
  const std::string revoke = find_in(page, R"re(action="(/account/tokens/\d+/revoke)")re");
  REQUIRE_FALSE(revoke.empty());
  const auto revoked_at = std::chrono::steady_clock::now();
  REQUIRE(through_first.post_form(revoke, {{"csrf_token", csrf_token_in(page)}}).status == 303);

  // Refused on every thread of the second server (a new connection may land on either), by
  // the time what they remember of the token has expired.
  const auto refused_everywhere = [&] {
    for (int i = 0; i < 4; ++i) {
      at_second.disconnect();
      if (at_second.get("/api/notes", bearer(secret)).status != 401) return false;
    }
    return true;
  };
  const auto deadline =
      revoked_at + notes::http::visitor_lookup_lifetime + std::chrono::seconds(3);
  bool refused = refused_everywhere();
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    refused = refused_everywhere();
  }
  CHECK(refused);
}

TEST_CASE_TEMPLATE("accounts: one account sees nothing of another's notes through the pages", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_fixture<B> f;
  const std::string ann_token = f.setup.token(f.setup.add("ann"), token_scope::read_write);
  f.setup.add("bob");
  const auto made = f.create(ann_token, "Ann's secret plan", "meet at noon");
  const std::string page = "/notes/" + std::to_string(made.at("id").as_int64());

  browser bob(f.server.port());
  REQUIRE(sign_in(bob, "bob").status == 303);
  const auto list = bob.get("/notes");
  REQUIRE(list.status == 200);
  CHECK_FALSE(contains(list.body, "secret plan"));
  CHECK(contains(list.body, "No notes yet"));
  const auto search = bob.get("/notes?q=secret");
  CHECK(search.status == 200);
  CHECK_FALSE(contains(search.body, "secret plan"));
  CHECK(contains(search.body, "No matches"));
  CHECK(bob.get(page).status == 404);
  CHECK(bob.get(page + "/edit").status == 404);
  CHECK(bob.get(page + "/delete").status == 404);
  const std::string token = csrf_token_in(bob.get("/notes/new").body);
  REQUIRE_FALSE(token.empty());
  CHECK(bob.post_form(page + "/edit", {{"title", "Bob's now"},
                                       {"content", "mine"},
                                       {"csrf_token", token},
                                       {"version", "1"}})
            .status == 404);
  CHECK(bob.post_form(page + "/delete", {{"csrf_token", token}, {"version", "1"}}).status == 404);

  const auto stored = f.stored();
  REQUIRE(stored.size() == 1);
  CHECK(stored.front().title == "Ann's secret plan");
  CHECK(stored.front().version == 1);
  browser ann(f.server.port());
  REQUIRE(sign_in(ann, "ann").status == 303);
  CHECK(contains(ann.get("/notes").body, "secret plan"));
  CHECK(ann.get(page).status == 200);
}
