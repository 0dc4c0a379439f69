// Two notes-server processes on one PostgreSQL database and one SECRET_KEY, as behind a load
// balancer: forms, sessions and flashes work across them, API clients see one set of notes, and
// concurrent conditional updates through both lose nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <boost/json.hpp>

#include "browser.hpp"
#include "server_processes.hpp"
#include "store_available.hpp"

namespace json = boost::json;
using notes::testing::browser;
using notes::testing::contains;
using notes::testing::csrf_token_in;
using notes::testing::http_client;
using notes::testing::postgres_backend;
using notes::testing::server_process;
using notes::testing::version_in;

namespace {

std::string text_of(const json::value& v) { return std::string(v.as_string().c_str()); }

}  // namespace

TEST_CASE("a note created by a form on one server shows its flash and is edited on the other") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend database;
  server_process a(database.url());
  server_process b(database.url());
  browser on_a(a.port);
  browser on_b(b.port);

  // The form comes from A; it is posted to B with A's cookie and token.
  const auto form = on_a.get("/notes/new");
  REQUIRE(form.status == 200);
  on_b.set_cookie(on_a.cookie());
  const auto created = on_b.post_form(
      "/notes/new",
      {{"title", "Made on A"}, {"content", "posted to B"}, {"csrf_token", csrf_token_in(form.body)}});
  REQUIRE_MESSAGE(created.status == 303, created.body);
  const std::string location = created.header("Location");
  REQUIRE(location.starts_with("/notes/"));

  // The flash lives in the cookie B set: A shows it, once.
  on_a.set_cookie(on_b.cookie());
  const auto shown = on_a.get(location);
  CHECK(shown.status == 200);
  CHECK(contains(shown.body, "Note created successfully."));
  CHECK(contains(shown.body, "Made on A"));
  CHECK_FALSE(contains(on_a.get(location).body, "Note created successfully."));

  // The edit form comes from B; A accepts its token and version.
  on_b.set_cookie(on_a.cookie());
  const auto edit = on_b.get(location + "/edit");
  REQUIRE(edit.status == 200);
  on_a.set_cookie(on_b.cookie());
  const auto edited = on_a.post_form(location + "/edit", {{"title", "Edited on A"},
                                                          {"content", "from the form of B"},
                                                          {"csrf_token", csrf_token_in(edit.body)},
                                                          {"version", version_in(edit.body)}});
  REQUIRE_MESSAGE(edited.status == 303, edited.body);
  on_b.set_cookie(on_a.cookie());
  const auto after = on_b.get(location);
  CHECK(contains(after.body, "Note updated."));
  CHECK(contains(after.body, "Edited on A"));
  CHECK(contains(after.body, "from the form of B"));

  // Both read the same stored note through the API.
  const std::string api = "/api" + location;
  http_client api_a(a.port);
  http_client api_b(b.port);
  const auto from_a = api_a.get(api);
  CHECK(from_a.status == 200);
  CHECK(from_a.body == api_b.get(api).body);
  CHECK(from_a.header("ETag") == "\"2\"");
}

TEST_CASE("a server with another SECRET_KEY refuses the others' forms and ignores their cookies") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend database;
  server_process a(database.url());
  server_process stranger(database.url(), {"SECRET_KEY=a different key"});
  browser on_a(a.port);
  const auto form = on_a.get("/notes/new");
  browser on_stranger(stranger.port);
  on_stranger.set_cookie(on_a.cookie());
  const auto refused = on_stranger.post_form(
      "/notes/new", {{"title", "t"}, {"content", "c"}, {"csrf_token", csrf_token_in(form.body)}});
  CHECK(refused.status == 400);
  CHECK(contains(refused.body, "did not come from this site"));
  CHECK(database.inspect().count(notes::no_account).value() == 0);
}

TEST_CASE("an API client alternating between two servers sees one consistent set of notes") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend database;
  server_process a(database.url());
  server_process b(database.url());
  http_client clients[2] = {http_client(a.port), http_client(b.port)};
  std::vector<std::string> urls;
  for (int i = 0; i < 10; ++i) {
    http_client& via = clients[i % 2];
    auto res = via.post_json("/api/notes", "{\"title\": \"note " + std::to_string(i) +
                                               "\", \"content\": \"shared text\"}");
    REQUIRE(res.status == 201);
    urls.push_back(res.header("Location"));
    // The other server lists it at once.
    auto listed = clients[(i + 1) % 2].get("/api/notes?per_page=100");
    CHECK(listed.json().at("total").as_int64() == i + 1);
    CHECK(text_of(listed.json().at("notes").at(0).at("title")) == "note " + std::to_string(i));
  }
  // Changed on one, read on the other, deleted on the first, gone from both.
  auto changed = clients[1].patch_json(urls[0], R"({"content": "changed on B"})");
  REQUIRE(changed.status == 200);
  auto read = clients[0].get(urls[0]);
  CHECK(text_of(read.json().at("content")) == "changed on B");
  CHECK(read.header("ETag") == changed.header("ETag"));
  CHECK(clients[0].get(urls[0], {{"If-None-Match", changed.header("ETag")}}).status == 304);
  CHECK(clients[0].del(urls[1]).status == 200);
  CHECK(clients[1].get(urls[1]).status == 404);
  CHECK(clients[1].del(urls[1]).status == 404);
  CHECK(clients[1].get("/api/notes/search?q=SHARED&per_page=100").json().at("count") == 8);
  CHECK(clients[0].get("/api/notes?per_page=100").body ==
        clients[1].get("/api/notes?per_page=100").body);
}

TEST_CASE("concurrent If-Match updates through two servers never lose an update") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend database;
  server_process a(database.url());
  server_process b(database.url());
  http_client setup(a.port);
  auto created = setup.post_json("/api/notes", R"({"title": "counter", "content": "0"})");
  REQUIRE(created.status == 201);
  const std::string url = created.header("Location");

  constexpr int writers = 6;  // three through each server
  constexpr int increments = 15;
  std::atomic<int> conflicts{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, port = w % 2 == 0 ? a.port : b.port] {
      http_client client(port);
      for (int done = 0; done < increments;) {
        auto current = client.get(url);
        if (current.status != 200) {
          ++unexpected;
          return;
        }
        const int value = std::stoi(text_of(current.json().at("content")));
        auto res = client.put_json(url, "{\"content\": \"" + std::to_string(value + 1) + "\"}",
                                   {{"If-Match", current.header("ETag")}});
        if (res.status == 200) {
          ++done;
        } else if (res.status == 412) {
          ++conflicts;  // someone else won: read again and retry
        } else {
          ++unexpected;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(unexpected.load() == 0);
  for (auto port : {a.port, b.port}) {
    auto final_note = http_client(port).get(url);
    CHECK(text_of(final_note.json().at("content")) == std::to_string(writers * increments));
    CHECK(final_note.header("ETag") == "\"" + std::to_string(writers * increments + 1) + "\"");
  }
  MESSAGE("412 answers along the way: " << conflicts.load());
}

TEST_CASE("concurrent updates without If-Match through two servers each apply exactly once") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  postgres_backend database;
  server_process a(database.url());
  server_process b(database.url());
  http_client setup(a.port);
  const std::string url =
      setup.post_json("/api/notes", R"({"title": "t", "content": "c"})").header("Location");
  constexpr int writers = 4;
  constexpr int each = 10;
  std::atomic<int> failures{0};
  std::atomic<int> gave_up{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w, port = w % 2 == 0 ? a.port : b.port] {
      http_client client(port);
      for (int i = 0; i < each;) {
        auto res = client.patch_json(
            url, "{\"title\": \"writer " + std::to_string(w) + " " + std::to_string(i) + "\"}");
        if (res.status == 200) {
          ++i;
        } else if (res.status == 409) {
          ++gave_up;  // the server lost the race too often in a row; documented: retry
        } else {
          ++failures;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures.load() == 0);
  // Every acknowledged PATCH made exactly one version, and a refused one none.
  CHECK(http_client(b.port).get(url).header("ETag") ==
        "\"" + std::to_string(writers * each + 1) + "\"");
  MESSAGE("409 answers along the way: " << gave_up.load());
}
