// ETag, If-None-Match, If-Match, concurrent writers, and failed requests changing nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "api_fixture.hpp"

namespace json = boost::json;
using notes::testing::api_fixture;
using notes::testing::http_client;
using notes::testing::json_string;
using notes::testing::memory_backend;
using notes::testing::note_url;
using notes::testing::sqlite_backend;

TEST_CASE_TEMPLATE("If-None-Match with the current ETag answers 304 without a body",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("cached");
  auto first = f.client.get(note_url(n));
  std::string tag = first.header("ETag");
  REQUIRE(tag == "\"1\"");

  const std::vector<std::string> matching{tag, "*", "W/" + tag, "\"7\", " + tag};
  for (const std::string& header : matching) {
    CAPTURE(header);
    auto res = f.client.get(note_url(n), {{"If-None-Match", header}});
    CHECK(res.status == 304);
    CHECK(res.body.empty());
    CHECK(res.header("ETag") == tag);
  }
  CHECK(f.client.head(note_url(n), {{"If-None-Match", tag}}).status == 304);

  f.client.patch_json(note_url(n), R"({"title": "changed"})");
  auto stale = f.client.get(note_url(n), {{"If-None-Match", tag}});
  CHECK(stale.status == 200);
  CHECK(stale.header("ETag") == "\"2\"");
  CHECK(json_string(stale.json().at("title")) == "changed");
}

TEST_CASE_TEMPLATE("If-Match with the current ETag lets PUT, PATCH and DELETE through",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("v1");
  auto res = f.client.put_json(note_url(n), R"({"title": "v2"})", {{"If-Match", "\"1\""}});
  CHECK(res.status == 200);
  CHECK(res.header("ETag") == "\"2\"");
  res = f.client.patch_json(note_url(n), R"({"title": "v3"})", {{"If-Match", "\"9\", \"2\""}});
  CHECK(res.status == 200);
  CHECK(res.header("ETag") == "\"3\"");
  res = f.client.patch_json(note_url(n), R"({"title": "v4"})", {{"If-Match", "*"}});
  CHECK(res.status == 200);
  res = f.client.del(note_url(n), {{"If-Match", "\"4\""}});
  CHECK(res.status == 200);
  CHECK(f.stored().empty());
}

TEST_CASE_TEMPLATE("a stale If-Match is a 412 with the current note, and changes nothing",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("original", "text");
  f.client.patch_json(note_url(n), R"({"content": "edited elsewhere"})");  // now version 2
  auto before = f.stored();

  for (std::string tag : {"\"1\"", "W/\"2\"", "\"1\", \"3\"", "\"nonsense\"", "garbage"}) {
    CAPTURE(tag);
    for (const char* method : {"PUT", "PATCH"}) {
      auto res = f.client.request(method, note_url(n), R"({"title": "mine"})",
                                  {{"Content-Type", "application/json"}, {"If-Match", tag}});
      CHECK(res.status == 412);
      CHECK(res.header("ETag") == "\"2\"");
      auto body = res.json().as_object();
      CHECK(body.at("error").is_string());
      CHECK(json_string(body.at("note").at("content")) == "edited elsewhere");
      CHECK(body.at("note").at("id") == n.at("id"));
    }
    CHECK(f.client.del(note_url(n), {{"If-Match", tag}}).status == 412);
  }
  CHECK(f.stored() == before);
}

TEST_CASE_TEMPLATE("If-Match on a note that does not exist is a 404", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  CHECK(f.client.patch_json("/api/notes/42", R"({"title": "x"})", {{"If-Match", "\"1\""}})
            .status == 404);
  CHECK(f.client.patch_json("/api/notes/42", R"({"title": "x"})", {{"If-Match", "\"1\", \"2\""}})
            .status == 404);
  CHECK(f.client.del("/api/notes/42", {{"If-Match", "*"}}).status == 404);
}

TEST_CASE_TEMPLATE("concurrent PATCHes with If-Match and retry lose no update",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("counter", "0");
  const std::string url = note_url(n);
  constexpr int writers = 4;
  constexpr int increments = 15;
  std::atomic<int> conflicts{0};
  std::atomic<int> unexpected{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      http_client client(f.server.port());
      for (int done = 0; done < increments;) {
        auto current = client.get(url);
        if (current.status != 200) {
          ++unexpected;
          return;
        }
        int value = std::stoi(json_string(current.json().at("content")));
        auto res = client.patch_json(url, R"({"content": ")" + std::to_string(value + 1) + "\"}",
                                     {{"If-Match", current.header("ETag")}});
        if (res.status == 200) {
          ++done;
        } else if (res.status == 412) {
          ++conflicts;
        } else {
          ++unexpected;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  CHECK(unexpected.load() == 0);
  auto final_note = f.client.get(url);
  CHECK(json_string(final_note.json().at("content")) == std::to_string(writers * increments));
  CHECK(final_note.header("ETag") == "\"" + std::to_string(writers * increments + 1) + "\"");
  MESSAGE("412 answers along the way: " << conflicts.load());
}

TEST_CASE_TEMPLATE("concurrent PATCHes without If-Match each apply, none is lost",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("start", "start");
  const std::string url = note_url(n);
  constexpr int writers = 4;
  constexpr int each = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      http_client client(f.server.port());
      for (int i = 0; i < each; ++i) {
        auto res = client.patch_json(
            url, R"({"title": "writer )" + std::to_string(w) + " " + std::to_string(i) + "\"}");
        if (res.status != 200) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures.load() == 0);
  // Every acknowledged PATCH made exactly one version.
  CHECK(f.client.get(url).header("ETag") == "\"" + std::to_string(writers * each + 1) + "\"");
}

TEST_CASE_TEMPLATE("a failed request leaves the stored notes exactly as they were",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto a = f.create("alpha", "one", true);
  auto b = f.create("beta", "two");
  f.client.patch_json(note_url(b), R"({"content": "two, edited"})");
  const auto before = f.stored();
  REQUIRE(before.size() == 2);

  struct attempt {
    const char* method;
    std::string target;
    std::string body;
    notes::testing::header_list headers;
    unsigned expected;
  };
  const notes::testing::header_list json_type{{"Content-Type", "application/json"}};
  auto with = [&](std::string name, std::string value) {
    auto h = json_type;
    h.emplace_back(std::move(name), std::move(value));
    return h;
  };
  const std::vector<attempt> attempts{
      {"POST", "/api/notes", R"({"title": "", "content": "x"})", json_type, 400},
      {"POST", "/api/notes", R"({"title": "x", "content": "x", "is_pinned": "no"})", json_type,
       400},
      {"POST", "/api/notes", R"({"title": "x", "content": "x")", json_type, 400},
      {"POST", "/api/notes", R"({"title": "x", "content": "x"})", {}, 415},
      {"POST", "/api/notes", "{\"title\": \"\xc3\x28\", \"content\": \"x\"}", json_type, 400},
      {"POST", "/api/notes", std::string(1024 * 1024 + 1, ' '), json_type, 413},
      {"PUT", note_url(a), R"({"title": " "})", json_type, 400},
      {"PUT", note_url(a), R"({"title": "new", "content": 7})", json_type, 400},
      {"PATCH", note_url(a), R"({"title": "new"})", with("If-Match", "\"5\""), 412},
      {"PATCH", note_url(b), R"({"title": "new"})", with("If-Match", "\"1\""), 412},
      {"PATCH", note_url(b), "[]", json_type, 400},
      {"PATCH", "/api/notes/999", R"({"title": "new"})", json_type, 404},
      {"DELETE", note_url(b), "", with("If-Match", "\"1\""), 412},
      {"DELETE", "/api/notes", "", {}, 405},
      {"POST", note_url(a), R"({"title": "x", "content": "x"})", json_type, 405},
  };
  for (const auto& t : attempts) {
    CAPTURE(t.method);
    CAPTURE(t.target);
    CAPTURE(t.expected);
    auto res = f.client.request(t.method, t.target, t.body, t.headers);
    CHECK(res.status == t.expected);
    CHECK(f.stored() == before);
  }
}
