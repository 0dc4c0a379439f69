// The trash and the revision history through the JSON API and the server's trash sweep: real
// HTTP against every store.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "api_fixture.hpp"
#include "notes/time.hpp"
#include "sign_in.hpp"

using namespace notes::testing;
namespace http = notes::http;
using namespace std::chrono_literals;

namespace {

// A live note stored straight through the repository, then moved to the trash `ago`.
notes::note_id trashed_ago(notes::note_repository& repository, std::string_view title,
                           std::chrono::hours ago) {
  const auto now = notes::system_now();
  notes::note fresh;
  fresh.title = title;
  fresh.content = "text";
  fresh.created_at = now - ago - 1h;
  fresh.updated_at = fresh.created_at;
  const auto made = repository.create(fresh).value();
  REQUIRE(repository.trash(notes::no_account, made.id, std::nullopt, now - ago));
  return made.id;
}

bool in_trash(notes::note_repository& repository, notes::note_id id) {
  return repository.find_trashed(notes::no_account, id).value().has_value();
}

http_response post(http_client& client, const std::string& target,
                   const header_list& headers = {}) {
  return client.request("POST", target, {}, headers);
}

std::string trash_url(const boost::json::object& n) {
  return "/api/trash/" + std::to_string(n.at("id").as_int64());
}

std::vector<std::string> titles(const boost::json::value& listed, std::string_view member) {
  std::vector<std::string> out;
  for (const auto& item : listed.at(member).as_array()) {
    out.push_back(json_string(item.at("title")));
  }
  return out;
}

http::server_options with_history(std::chrono::days trash_days, std::int32_t keep) {
  auto options = test_server_options();
  options.trash_days = trash_days;
  options.history.revisions_keep = keep;
  return options;
}

// Waits (a few seconds at most) for the sweep the server runs at start.
bool gone_soon(notes::note_repository& repository, notes::note_id id) {
  for (int i = 0; i < 100; ++i) {
    if (!in_trash(repository, id)) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

}  // namespace

TEST_CASE("trash sweep: at start the server deletes notes trashed longer than trash_days ago") {
  sqlite_backend store;
  const auto old_id = trashed_ago(store.inspect(), "Long gone", 24h * 31);
  const auto recent_id = trashed_ago(store.inspect(), "Yesterday", 24h);
  auto options = test_server_options();
  options.trash_days = std::chrono::days(30);
  test_server server(store.repositories(), options);
  CHECK(gone_soon(store.inspect(), old_id));
  CHECK(in_trash(store.inspect(), recent_id));
  // Counted once the sweep has returned, just after the delete.
  http_client client(server.port());
  bool counted = false;
  for (int i = 0; i < 100 && !counted; ++i) {
    counted = client.get("/metrics").body.find("\nnotes_trash_swept_total 1\n") !=
              std::string::npos;
    if (!counted) std::this_thread::sleep_for(50ms);
  }
  CHECK(counted);
}

TEST_CASE("trash sweep: with trash_days 0 the server deletes the whole trash at start") {
  sqlite_backend store;
  const auto id = trashed_ago(store.inspect(), "Just now", 0h);
  auto options = test_server_options();
  options.trash_days = std::chrono::days(0);
  test_server server(store.repositories(), options);
  CHECK(gone_soon(store.inspect(), id));
}

TEST_CASE_TEMPLATE("DELETE /api/notes/<id> answers as before and moves the note to the trash", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto kept = f.create("Kept");
  const auto made = f.create("Doomed", "findable words");
  const auto res = f.client.del(note_url(made));
  CHECK(res.status == 200);
  CHECK(res.body == R"({"message":"Note deleted successfully"})");
  // Gone from everything that shows notes.
  CHECK(f.client.get(note_url(made)).status == 404);
  CHECK(f.client.put_json(note_url(made), R"({"title":"x"})").status == 404);
  CHECK(f.client.del(note_url(made)).status == 404);
  CHECK(titles(f.client.get("/api/notes").json(), "notes") == std::vector<std::string>{"Kept"});
  CHECK(f.client.get("/api/notes/search?q=findable").json().at("count").as_int64() == 0);
  CHECK(f.stored().size() == 1);
  // In the trash, as it was, with when it was deleted.
  const auto trash = f.client.get("/api/trash");
  REQUIRE(trash.status == 200);
  CHECK(trash.header("Content-Type") == "application/json");
  const auto listed = trash.json().as_object();
  REQUIRE(listed.at("notes").as_array().size() == 1);
  const auto& item = listed.at("notes").as_array()[0].as_object();
  CHECK(item.at("id") == made.at("id"));
  CHECK(item.at("title") == "Doomed");
  CHECK(item.at("content") == "findable words");
  CHECK(item.at("updated_at") == made.at("updated_at"));
  CHECK(notes::parse_rfc3339(json_string(item.at("deleted_at"))).has_value());
  CHECK(listed.at("total").as_int64() == 1);
  CHECK(listed.at("pages").as_int64() == 1);
  CHECK(listed.at("current_page").as_int64() == 1);
  CHECK(listed.at("has_next") == false);
  CHECK(listed.at("has_prev") == false);
}

TEST_CASE_TEMPLATE("POST /api/trash/<id>/restore brings the note back with its id, a new version",
                   B, NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto made = f.create("Back again", "searchable text");
  REQUIRE(f.client.del(note_url(made)).status == 200);
  const auto res = post(f.client, trash_url(made) + "/restore");
  REQUIRE(res.status == 200);
  const auto restored = res.json().as_object();
  CHECK(restored.at("id") == made.at("id"));
  CHECK(restored.at("title") == "Back again");
  CHECK(restored.at("content") == "searchable text");
  CHECK(restored.at("created_at") == made.at("created_at"));
  CHECK(res.header("ETag") == "\"2\"");
  CHECK(f.client.get(note_url(made)).status == 200);
  CHECK(f.client.get("/api/notes/search?q=searchable").json().at("count").as_int64() == 1);
  CHECK(f.client.get("/api/trash").json().at("total").as_int64() == 0);
  // Restored once: not in the trash any more.
  CHECK(post(f.client, trash_url(made) + "/restore").status == 404);
  CHECK(post(f.client, "/api/trash/999999/restore").status == 404);
}

TEST_CASE_TEMPLATE("DELETE /api/trash/<id> deletes a trashed note for good", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto made = f.create("Once");
  const auto live = f.create("Live");
  REQUIRE(f.client.del(note_url(made)).status == 200);
  const auto res = f.client.del(trash_url(made));
  CHECK(res.status == 200);
  CHECK(res.json().as_object().at("message").is_string());
  CHECK(f.client.get("/api/trash").json().at("total").as_int64() == 0);
  CHECK(post(f.client, trash_url(made) + "/restore").status == 404);
  CHECK(f.client.del(trash_url(made)).status == 404);
  CHECK(f.client.get(note_url(made)).status == 404);
  // A live note is not in the trash: it cannot be deleted for good from there.
  const auto not_trashed = f.client.del(trash_url(live));
  CHECK(not_trashed.status == 404);
  CHECK(not_trashed.json().as_object().contains("error"));
  CHECK(f.client.get(note_url(live)).status == 200);
}

TEST_CASE_TEMPLATE("DELETE /api/trash empties the trash and says how many it deleted", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto live = f.create("Live");
  for (const char* title : {"a", "b", "c"}) {
    REQUIRE(f.client.del(note_url(f.create(title))).status == 200);
  }
  const auto res = f.client.del("/api/trash");
  REQUIRE(res.status == 200);
  const auto body = res.json().as_object();
  CHECK(body.at("deleted").as_int64() == 3);
  CHECK(body.at("message").is_string());
  CHECK(f.client.get("/api/trash").json().at("total").as_int64() == 0);
  CHECK(f.client.del("/api/trash").json().at("deleted").as_int64() == 0);
  CHECK(f.client.get(note_url(live)).status == 200);
}

TEST_CASE_TEMPLATE("GET /api/trash pages like the list, latest deletion first", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  for (const char* title : {"first", "second", "third"}) {
    REQUIRE(f.client.del(note_url(f.create(title))).status == 200);
  }
  const auto one = f.client.get("/api/trash?per_page=2").json();
  CHECK(titles(one, "notes") == std::vector<std::string>{"third", "second"});
  CHECK(one.at("total").as_int64() == 3);
  CHECK(one.at("pages").as_int64() == 2);
  CHECK(one.at("has_next") == true);
  const auto two = f.client.get("/api/trash?per_page=2&page=2").json();
  CHECK(titles(two, "notes") == std::vector<std::string>{"first"});
  CHECK(two.at("has_prev") == true);
  const auto bad = f.client.get("/api/trash?page=0");
  CHECK(bad.status == 400);
  CHECK(bad.json().as_object().contains("fields"));
}

TEST_CASE_TEMPLATE("If-Match on restore and delete-for-good: 412 for another version", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto made = f.create("Versioned");
  REQUIRE(f.client.put_json(note_url(made), R"({"title":"Versioned 2"})").status == 200);
  REQUIRE(f.client.del(note_url(made)).status == 200);
  const auto stale = post(f.client, trash_url(made) + "/restore", {{"If-Match", "\"1\""}});
  CHECK(stale.status == 412);
  CHECK(stale.header("ETag") == "\"2\"");
  CHECK(stale.json().at("note").at("title") == "Versioned 2");
  CHECK(f.client.del(trash_url(made), {{"If-Match", "\"1\""}}).status == 412);
  CHECK(f.client.del(trash_url(made), {{"If-Match", "\"1\", \"7\""}}).status == 412);
  CHECK(f.client.get("/api/trash").json().at("total").as_int64() == 1);
  const auto ok = post(f.client, trash_url(made) + "/restore", {{"If-Match", "\"2\""}});
  CHECK(ok.status == 200);
  CHECK(ok.header("ETag") == "\"3\"");
  REQUIRE(f.client.del(note_url(made), {{"If-Match", "\"3\""}}).status == 200);
  CHECK(f.client.del(trash_url(made), {{"If-Match", "\"1\", \"3\""}}).status == 200);
  CHECK(f.client.del(trash_url(made), {{"If-Match", "*"}}).status == 404);
}

TEST_CASE_TEMPLATE("with trash_days 0 a delete is for good and the trash routes say it is off", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f(with_history(std::chrono::days(0), 100));
  const auto made = f.create("Gone");
  const auto res = f.client.del(note_url(made));
  CHECK(res.status == 200);
  CHECK(res.body == R"({"message":"Note deleted successfully"})");
  CHECK(f.stored().empty());
  CHECK(f.store.inspect().find_trashed(notes::no_account, made.at("id").as_int64())
            .value() == std::nullopt);
  for (const auto& off : {f.client.get("/api/trash"), f.client.del("/api/trash"),
                          post(f.client, trash_url(made) + "/restore"),
                          f.client.del(trash_url(made))}) {
    CHECK(off.status == 404);
    CHECK(off.header("Content-Type") == "application/json");
    CHECK(json_string(off.json().at("error")).find("trash is off") != std::string::npos);
  }
}

TEST_CASE_TEMPLATE("GET /api/notes/<id>/revisions lists earlier versions newest first, paged", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto made = f.create("v1", "one");
  const std::string url = note_url(made);
  REQUIRE(f.client.put_json(url, R"({"title":"v2","content":"two!"})").status == 200);
  REQUIRE(f.client.patch_json(url, R"({"title":"v3"})").status == 200);
  const auto res = f.client.get(url + "/revisions");
  REQUIRE(res.status == 200);
  const auto listed = res.json().as_object();
  CHECK(listed.at("note_id") == made.at("id"));
  CHECK(titles(listed, "revisions") == std::vector<std::string>{"v2", "v1"});
  const auto& newest = listed.at("revisions").as_array()[0].as_object();
  CHECK(newest.at("version").as_int64() == 2);
  CHECK(newest.at("content_length").as_int64() == 4);
  CHECK(notes::parse_rfc3339(json_string(newest.at("replaced_at"))).has_value());
  CHECK(newest.size() == 4);
  CHECK(listed.at("total").as_int64() == 2);
  const auto second = f.client.get(url + "/revisions?per_page=1&page=2").json();
  CHECK(titles(second, "revisions") == std::vector<std::string>{"v1"});
  CHECK(second.at("has_prev") == true);
  CHECK(second.at("pages").as_int64() == 2);
  CHECK(f.client.get(url + "/revisions?per_page=x").status == 400);
  CHECK(f.client.get("/api/notes/999999/revisions").status == 404);
  // A trashed note's history is kept but not listed.
  REQUIRE(f.client.del(url).status == 200);
  CHECK(f.client.get(url + "/revisions").status == 404);
}

TEST_CASE_TEMPLATE("GET /api/notes/<id>/revisions/<version> is the whole earlier version", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto made = f.create("Old title", "old content", true);
  const std::string url = note_url(made);
  REQUIRE(f.client.put_json(url, R"({"title":"New","is_pinned":false})").status == 200);
  const auto res = f.client.get(url + "/revisions/1");
  REQUIRE(res.status == 200);
  const auto r = res.json().as_object();
  CHECK(r.at("note_id") == made.at("id"));
  CHECK(r.at("version").as_int64() == 1);
  CHECK(r.at("title") == "Old title");
  CHECK(r.at("content") == "old content");
  CHECK(r.at("is_pinned") == true);
  CHECK(r.contains("replaced_at"));
  // The current version is the note, not a revision.
  const auto current = f.client.get(url + "/revisions/2");
  CHECK(current.status == 404);
  CHECK(current.json().as_object().contains("error"));
  CHECK(f.client.get(url + "/revisions/0").status == 404);
  CHECK(f.client.get("/api/notes/999999/revisions/1").status == 404);
}

TEST_CASE_TEMPLATE("POST .../revisions/<version>/restore makes it the next version", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f;
  const auto made = f.create("First", "first text");
  const std::string url = note_url(made);
  REQUIRE(f.client.put_json(url, R"({"title":"Second","content":"second text"})").status ==
          200);
  const auto stale = post(f.client, url + "/revisions/1/restore", {{"If-Match", "\"1\""}});
  CHECK(stale.status == 412);
  CHECK(stale.header("ETag") == "\"2\"");
  CHECK(f.client.get(url).json().at("title") == "Second");
  const auto res = post(f.client, url + "/revisions/1/restore", {{"If-Match", "\"2\""}});
  REQUIRE(res.status == 200);
  CHECK(res.header("ETag") == "\"3\"");
  CHECK(res.json().at("title") == "First");
  CHECK(res.json().at("content") == "first text");
  CHECK(f.client.get(url).json().at("content") == "first text");
  // What the restore replaced is history in turn.
  const auto history = f.client.get(url + "/revisions").json();
  CHECK(titles(history, "revisions") == std::vector<std::string>{"Second", "First"});
  CHECK(post(f.client, url + "/revisions/9/restore").status == 404);
  CHECK(post(f.client, "/api/notes/999999/revisions/1/restore").status == 404);
  CHECK(post(f.client, url + "/revisions/2/restore").status == 200);
  CHECK(f.client.get(url).json().at("title") == "Second");
}

TEST_CASE_TEMPLATE("with revisions_keep 0 no earlier version is kept", B, NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f(with_history(std::chrono::days(30), 0));
  const auto made = f.create("One");
  const std::string url = note_url(made);
  REQUIRE(f.client.put_json(url, R"({"title":"Two"})").status == 200);
  const auto listed = f.client.get(url + "/revisions");
  REQUIRE(listed.status == 200);
  CHECK(listed.json().at("revisions").as_array().empty());
  CHECK(listed.json().at("total").as_int64() == 0);
  CHECK(f.client.get(url + "/revisions/1").status == 404);
  CHECK(post(f.client, url + "/revisions/1/restore").status == 404);
}

TEST_CASE_TEMPLATE("revisions_keep caps the history of each note at that many", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  api_fixture<B> f(with_history(std::chrono::days(30), 2));
  const auto made = f.create("v1");
  const std::string url = note_url(made);
  for (const char* body : {R"({"title":"v2"})", R"({"title":"v3"})", R"({"title":"v4"})"}) {
    REQUIRE(f.client.put_json(url, body).status == 200);
  }
  CHECK(titles(f.client.get(url + "/revisions").json(), "revisions") ==
        std::vector<std::string>{"v3", "v2"});
}

namespace {

template <class Backend>
struct accounts_history_fixture {
  Backend store;
  account_setup setup{store};
  test_server server;
  http_client client;

  accounts_history_fixture()
      : server(store.repositories(), accounts_server_options(store)), client(server.port()) {}

  boost::json::object create(std::string_view secret, std::string_view title) {
    boost::json::object body{{"title", title}, {"content", "text"}};
    auto res = client.post_json("/api/notes", boost::json::serialize(body), bearer(secret));
    REQUIRE_MESSAGE(res.status == 201, res.body);
    return res.json().as_object();
  }
};

}  // namespace

TEST_CASE_TEMPLATE("accounts: one account's trash and history are a 404 to another", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_history_fixture<B> f;
  const std::string ann = f.setup.token(f.setup.add("ann"), notes::token_scope::read_write);
  const std::string bob = f.setup.token(f.setup.add("bob"), notes::token_scope::read_write);
  const auto trashed = f.create(ann, "Ann's old plan");
  const auto changed = f.create(ann, "Ann's list");
  REQUIRE(f.client.del(note_url(trashed), bearer(ann)).status == 200);
  REQUIRE(f.client.put_json(note_url(changed), R"({"title":"Ann's list 2"})", bearer(ann))
              .status == 200);

  CHECK(f.client.get("/api/trash", bearer(bob)).json().at("total").as_int64() == 0);
  CHECK(post(f.client, trash_url(trashed) + "/restore", bearer(bob)).status == 404);
  CHECK(f.client.del(trash_url(trashed), bearer(bob)).status == 404);
  CHECK(f.client.del("/api/trash", bearer(bob)).json().at("deleted").as_int64() == 0);
  const std::string history = note_url(changed) + "/revisions";
  CHECK(f.client.get(history, bearer(bob)).status == 404);
  CHECK(f.client.get(history + "/1", bearer(bob)).status == 404);
  CHECK(post(f.client, history + "/1/restore", bearer(bob)).status == 404);

  // Ann's are untouched.
  CHECK(f.client.get("/api/trash", bearer(ann)).json().at("total").as_int64() == 1);
  CHECK(f.client.get(history, bearer(ann)).json().at("total").as_int64() == 1);
  CHECK(f.client.get(note_url(changed), bearer(ann)).json().at("title") == "Ann's list 2");
}

TEST_CASE_TEMPLATE("accounts: a read token lists trash and history but cannot change them", B,
                   NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_history_fixture<B> f;
  const notes::account ann = f.setup.add("ann");
  const std::string writer = f.setup.token(ann, notes::token_scope::read_write, "writer");
  const std::string reader = f.setup.token(ann, notes::token_scope::read, "reader");
  const auto trashed = f.create(writer, "Trashed");
  const auto changed = f.create(writer, "Changed");
  REQUIRE(f.client.del(note_url(trashed), bearer(writer)).status == 200);
  REQUIRE(f.client.put_json(note_url(changed), R"({"title":"Changed 2"})", bearer(writer))
              .status == 200);
  const std::string history = note_url(changed) + "/revisions";

  CHECK(f.client.get("/api/trash", bearer(reader)).status == 200);
  CHECK(f.client.get(history, bearer(reader)).status == 200);
  CHECK(f.client.get(history + "/1", bearer(reader)).status == 200);
  for (const auto& res : {post(f.client, trash_url(trashed) + "/restore", bearer(reader)),
                          f.client.del(trash_url(trashed), bearer(reader)),
                          f.client.del("/api/trash", bearer(reader)),
                          post(f.client, history + "/1/restore", bearer(reader))}) {
    CHECK(res.status == 403);
    CHECK(res.json().as_object().contains("error"));
  }
  CHECK(f.client.get("/api/trash", bearer(writer)).json().at("total").as_int64() == 1);
  CHECK(f.client.get(note_url(changed), bearer(writer)).json().at("title") == "Changed 2");
}

TEST_CASE_TEMPLATE("accounts: with the session cookie, restoring from the trash needs X-CSRF-Token",
                   B, NOTES_HTTP_STORES) {
  if (!store_available<B>()) return;
  accounts_history_fixture<B> f;
  const notes::account ann = f.setup.add("ann");
  const std::string writer = f.setup.token(ann, notes::token_scope::read_write);
  const auto trashed = f.create(writer, "Trashed");
  REQUIRE(f.client.del(note_url(trashed), bearer(writer)).status == 200);
  browser session(f.server.port());
  REQUIRE(sign_in(session, "ann").status == 303);
  const header_list cookie{{"Cookie", session.cookie()}};
  CHECK(f.client.get("/api/trash", cookie).json().at("total").as_int64() == 1);
  CHECK(post(f.client, trash_url(trashed) + "/restore", cookie).status == 403);
  CHECK(f.client.del("/api/trash", cookie).status == 403);
  header_list with_token = cookie;
  with_token.emplace_back("X-CSRF-Token", session_csrf_token(session));
  CHECK(post(f.client, trash_url(trashed) + "/restore", with_token).status == 200);
  CHECK(f.client.get(note_url(trashed), bearer(writer)).status == 200);
}
