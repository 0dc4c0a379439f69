// Tags over the JSON API on a real socket, against every store: given on create and update,
// shown on every note, filtered by ?tag= on the list and search, counted by GET /api/tags.
#include <doctest/doctest.h>

#include "api_fixture.hpp"

namespace json = boost::json;
using notes::testing::api_fixture;
using notes::testing::json_string;
using notes::testing::note_titles;
using notes::testing::note_url;

namespace {

std::vector<std::string> strings(const json::value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.as_array()) out.push_back(json_string(v));
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("tags are given on create and update and shown on every note", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto res = f.client.post_json(
      "/api/notes",
      R"({"title": "t", "content": "c", "tags": ["Work", " café ", "WORK", "a/b"]})");
  REQUIRE(res.status == 201);
  const auto created = res.json().as_object();
  CHECK(strings(created.at("tags")) == std::vector<std::string>{"Work", "café", "a/b"});
  const std::string url = note_url(created);
  CHECK(strings(f.client.get(url).json().at("tags")) ==
        std::vector<std::string>{"Work", "café", "a/b"});
  CHECK(strings(f.client.get("/api/notes").json().at("notes").at(0).at("tags")) ==
        std::vector<std::string>{"Work", "café", "a/b"});

  res = f.client.patch_json(url, R"({"tags": ["home"]})");
  REQUIRE(res.status == 200);
  CHECK(strings(res.json().at("tags")) == std::vector<std::string>{"home"});
  // A patch without tags keeps them.
  res = f.client.patch_json(url, R"({"title": "renamed"})");
  CHECK(strings(res.json().at("tags")) == std::vector<std::string>{"home"});
  res = f.client.put_json(url, R"({"title": "t", "content": "c", "tags": []})");
  REQUIRE(res.status == 200);
  CHECK(res.json().at("tags").as_array().empty());
  CHECK(f.create("plain").at("tags").as_array().empty());
}

TEST_CASE_TEMPLATE("bad tags are a 400 with a message and nothing is stored", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  std::string twenty_one = "[";
  for (int i = 0; i < 21; ++i) twenty_one += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
  twenty_one += "]";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\"work\"", "tags must be an array of strings."},
      {"[1]", "tags must be an array of strings."},
      {"[\"" + std::string(51, 'a') + "\"]", "Tags must be at most 50 characters."},
      {"[\"no spaces\"]", "Tag \"no spaces\" may hold only letters, digits, '-', '_' and '/'."},
      {"[\"a,b\"]", "Tag \"a,b\" may hold only letters, digits, '-', '_' and '/'."},
      {"[\"\"]", "Tags must not be empty."},
      {twenty_one, "A note may have at most 20 tags."},
  };
  for (const auto& [tags, message] : cases) {
    CAPTURE(tags);
    auto res = f.client.post_json("/api/notes",
                                  R"({"title": "t", "content": "c", "tags": )" + tags + "}");
    CHECK(res.status == 400);
    CHECK(json_string(res.json().at("error")) == message);
  }
  CHECK(f.stored().empty());
  const std::string url = note_url(f.create("kept"));
  auto res = f.client.patch_json(url, R"({"tags": ["bad tag"]})");
  CHECK(res.status == 400);
  CHECK(f.client.get(url).json().at("tags").as_array().empty());
}

TEST_CASE_TEMPLATE("?tag= filters the list and the search; several tags mean all of them", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  REQUIRE(f.client.post_json("/api/notes",
                             R"({"title": "one", "content": "alpha", "tags": ["Work", "x"]})")
              .status == 201);
  REQUIRE(f.client.post_json("/api/notes",
                             R"({"title": "two", "content": "alpha", "tags": ["work"]})")
              .status == 201);
  REQUIRE(f.client.post_json("/api/notes", R"({"title": "three", "content": "beta"})").status ==
          201);
  auto list = f.client.get("/api/notes?tag=WORK");
  REQUIRE(list.status == 200);
  CHECK(note_titles(list.json()) == std::vector<std::string>{"two", "one"});
  CHECK(list.json().at("total").as_int64() == 2);
  CHECK(note_titles(f.client.get("/api/notes?tag=work&tag=x").json()) ==
        std::vector<std::string>{"one"});
  CHECK(note_titles(f.client.get("/api/notes?tag=caf%C3%A9").json()).empty());
  CHECK(note_titles(f.client.get("/api/notes/search?q=alpha&tag=x").json()) ==
        std::vector<std::string>{"one"});
  CHECK(f.client.get("/api/notes/search?q=alpha&tag=work").json().at("count").as_int64() == 2);
  // As many tags as a note may carry is a filter; one more is refused before any query.
  std::string twenty = "/api/notes?tag=work";
  for (int i = 1; i < 20; ++i) twenty += "&tag=t" + std::to_string(i);
  CHECK(f.client.get(twenty).status == 200);
  const std::string twenty_one = twenty + "&tag=t20";
  auto many = f.client.get(twenty_one);
  CHECK(many.status == 400);
  CHECK(many.json().at("error").as_string() == "The tag filter may name at most 20 tags.");
  CHECK(f.client.get("/api/notes/search?q=alpha&" + twenty_one.substr(11)).status == 400);
  for (const char* bad :
       {"/api/notes?tag=", "/api/notes?tag=a%20b", "/api/notes/search?q=a&tag="}) {
    CAPTURE(bad);
    auto res = f.client.get(bad);
    CHECK(res.status == 400);
    CHECK(res.json().at("error").is_string());
  }
}

TEST_CASE_TEMPLATE("GET /api/tags counts live notes per tag by name; the trash is not counted",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  CHECK(f.client.get("/api/tags").json() == json::parse(R"({"tags": []})"));
  auto one = f.client.post_json("/api/notes",
                                R"({"title": "1", "content": "c", "tags": ["b", "Work"]})");
  REQUIRE(f.client.post_json("/api/notes", R"({"title": "2", "content": "c", "tags": ["work"]})")
              .status == 201);
  auto res = f.client.get("/api/tags");
  REQUIRE(res.status == 200);
  CHECK(res.json() ==
        json::parse(R"({"tags": [{"name": "b", "count": 1}, {"name": "work", "count": 2}]})"));
  const std::string url = note_url(one.json().as_object());
  REQUIRE(f.client.del(url).status == 200);
  CHECK(f.client.get("/api/tags").json() ==
        json::parse(R"({"tags": [{"name": "work", "count": 1}]})"));
  const std::string id = std::to_string(one.json().at("id").as_int64());
  auto back = f.client.request("POST", "/api/trash/" + id + "/restore");
  REQUIRE(back.status == 200);
  CHECK(strings(back.json().at("tags")) == std::vector<std::string>{"b", "Work"});
  CHECK(f.client.get("/api/tags").json() ==
        json::parse(R"({"tags": [{"name": "b", "count": 1}, {"name": "work", "count": 2}]})"));
}
