// GET /api/notes?sort= and GET /api/notes/search?include=snippet on a real socket, against
// every store.
#include <doctest/doctest.h>

#include "api_fixture.hpp"

namespace json = boost::json;
using notes::testing::api_fixture;
using notes::testing::json_string;
using notes::testing::note_titles;
using notes::testing::note_url;

TEST_CASE_TEMPLATE("sort=updated lists pinned notes first then by last change", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  const auto first = f.create("first");
  f.create("pinned", "p", true);
  f.create("second");
  f.create("third");
  // Timestamps are microseconds: the edit is later than every creation above.
  REQUIRE(f.client.patch_json(note_url(first), R"({"content": "edited"})").status == 200);

  CHECK(note_titles(f.client.get("/api/notes").json()) ==
        std::vector<std::string>{"third", "second", "pinned", "first"});
  CHECK(note_titles(f.client.get("/api/notes?sort=updated").json()) ==
        std::vector<std::string>{"pinned", "first", "third", "second"});
  CHECK(note_titles(f.client.get("/api/notes?sort=created").json()) ==
        std::vector<std::string>{"pinned", "third", "second", "first"});
  const auto second_page = f.client.get("/api/notes?sort=updated&page=2&per_page=3").json();
  CHECK(note_titles(second_page) == std::vector<std::string>{"second"});
  CHECK(second_page.at("total").as_int64() == 4);

  for (const char* bad : {"/api/notes?sort=title", "/api/notes?sort=", "/api/notes?sort=UPDATED"}) {
    const auto res = f.client.get(bad);
    CHECK(res.status == 400);
    CHECK(json_string(res.json().at("error")) == "Unknown sort value");
  }
}

TEST_CASE_TEMPLATE("sort=updated with a tag filter keeps only tagged notes, in that order", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  const auto tag = [&](const json::object& n, std::string_view tags) {
    REQUIRE(f.client.patch_json(note_url(n), std::string(R"({"tags": )") + std::string(tags) +
                                                 "}")
                .status == 200);
  };
  const auto old_work = f.create("old work");
  const auto pinned_work = f.create("pinned work", "p", true);
  const auto new_work = f.create("new work");
  f.create("untagged");
  const auto home = f.create("home");
  tag(old_work, R"(["work"])");
  tag(pinned_work, R"(["work", "urgent"])");
  tag(new_work, R"(["work"])");
  tag(home, R"(["home"])");
  // Changed last: first among the unpinned in the order of last change, last by creation.
  tag(old_work, R"(["work", "later"])");

  const auto listed = f.client.get("/api/notes?sort=updated&tag=work").json();
  CHECK(note_titles(listed) ==
        std::vector<std::string>{"pinned work", "old work", "new work"});
  CHECK(listed.at("total").as_int64() == 3);
  CHECK(note_titles(f.client.get("/api/notes?sort=updated&tag=WORK&tag=urgent").json()) ==
        std::vector<std::string>{"pinned work"});
  const auto second = f.client.get("/api/notes?sort=updated&tag=work&per_page=2&page=2").json();
  CHECK(note_titles(second) == std::vector<std::string>{"new work"});
  CHECK(second.at("total").as_int64() == 3);
}

TEST_CASE_TEMPLATE("sort=updated past the last page is an empty page with the real totals", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  for (const char* title : {"a", "b", "c"}) f.create(title);
  const auto res = f.client.get("/api/notes?sort=updated&per_page=2&page=5");
  REQUIRE(res.status == 200);
  const auto page = res.json();
  CHECK(page.at("notes").as_array().empty());
  CHECK(page.at("total").as_int64() == 3);
  CHECK(page.at("pages").as_int64() == 2);
  CHECK(page.at("current_page").as_int64() == 5);
  CHECK_FALSE(page.at("has_next").as_bool());
  CHECK(page.at("has_prev").as_bool());
}

TEST_CASE_TEMPLATE("include=snippet adds the passage around the match to each search result", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  f.create("xss", "Before & \"q\" <script>alert(1)</script> after");
  f.create("<script> in the title only", "nothing here");
  auto res = f.client.get("/api/notes/search?q=%3CSCRIPT%3E&include=snippet");
  REQUIRE(res.status == 200);
  const json::value listed = res.json();
  const auto& found = listed.at("notes").as_array();
  REQUIRE(found.size() == 2);
  for (const auto& n : found) {
    if (json_string(n.at("title")) == "xss") {
      const auto& snippet = n.at("snippet").as_object();
      CHECK(json_string(snippet.at("text")) == "Before & \"q\" <script>alert(1)</script> after");
      CHECK(snippet.at("match").as_array() == json::array{13, 21});
    } else {
      CHECK(n.at("snippet").is_null());
    }
  }
  // Offsets count code points, and a cut passage says so with "…".
  f.create("long", std::string(200, 'a') + "é needle " + std::string(200, 'b'));
  res = f.client.get("/api/notes/search?q=NEEDLE&include=snippet");
  REQUIRE(res.status == 200);
  const json::value cut = res.json();
  const auto& snippet = cut.at("notes").at(0).at("snippet").as_object();
  const std::string text = json_string(snippet.at("text"));
  CHECK(text.starts_with("…"));
  CHECK(text.ends_with("…"));
  CHECK(snippet.at("match").as_array() == json::array{52, 58});
  CHECK(text.substr(text.find("needle") - 3, 9) == "é needle");

  // Without include the notes are as before; another include is refused.
  res = f.client.get("/api/notes/search?q=needle");
  CHECK_FALSE(res.json().at("notes").at(0).as_object().contains("snippet"));
  res = f.client.get("/api/notes/search?q=needle&include=html");
  CHECK(res.status == 400);
  CHECK(json_string(res.json().at("error")) == "Unknown include value");
}

TEST_CASE_TEMPLATE("search finds a note written with a decomposed accent by the composed one", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  // As macOS may send it: "e" followed by U+0301 COMBINING ACUTE ACCENT.
  auto res = f.client.post_json(
      "/api/notes", R"({"title": "Le cafe\u0301", "content": "un cafe\u0301 noir"})");
  REQUIRE(res.status == 201);
  CHECK(json_string(res.json().at("title")) == "Le cafe\u0301");  // kept as written
  res = f.client.get("/api/notes/search?q=caf%C3%A9&include=snippet");
  REQUIRE(res.status == 200);
  const json::value listed = res.json();
  REQUIRE(note_titles(listed) == std::vector<std::string>{"Le cafe\u0301"});
  const auto& snippet = listed.at("notes").at(0).at("snippet").as_object();
  CHECK(json_string(snippet.at("text")) == "un cafe\u0301 noir");
  // Code points 3 to 8: "c", "a", "f", "e" and the accent, both halves of the letter.
  CHECK(snippet.at("match").as_array() == json::array{3, 8});
  // Accents count: the bare letters find neither spelling.
  f.create("caf\u00E9 composed", "plain");
  CHECK(note_titles(f.client.get("/api/notes/search?q=cafe").json()).empty());
  CHECK(note_titles(f.client.get("/api/notes/search?q=cafe%CC%81").json()) ==
        std::vector<std::string>{"caf\u00E9 composed", "Le cafe\u0301"});
}

namespace {

// Every page of `url` (which ends in a query) by its `next` cursor, and the titles seen.
std::vector<std::string> walk_by_cursor(notes::testing::http_client& client, std::string url) {
  std::vector<std::string> seen;
  json::value page = client.get(url).json();
  int pages = 1;
  while (true) {
    for (const auto& t : note_titles(page)) seen.push_back(t);
    if (page.at("next").is_null()) {
      CHECK_FALSE(page.at("has_next").as_bool());
      break;
    }
    const auto res = client.get(url + "&after=" + json_string(page.at("next")));
    REQUIRE(res.status == 200);
    page = res.json();
    CHECK(page.at("current_page").as_int64() == 0);
    CHECK(page.at("has_prev").as_bool());
    REQUIRE(++pages < 50);
  }
  return seen;
}

}  // namespace

TEST_CASE_TEMPLATE("after= walks the list by cursor in each sort as the numbered pages do", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  for (int i = 0; i < 7; ++i) f.create("note " + std::to_string(i), "x", i % 3 == 0);
  for (const std::string sort : {"", "&sort=created", "&sort=updated"}) {
    CAPTURE(sort);
    const auto all = note_titles(f.client.get("/api/notes?per_page=100" + sort).json());
    REQUIRE(all.size() == 7);
    CHECK(walk_by_cursor(f.client, "/api/notes?per_page=3" + sort) == all);
    CHECK(walk_by_cursor(f.client, "/api/notes?per_page=7" + sort) == all);
  }
  // The last page by number has no next cursor; one before it has.
  CHECK(f.client.get("/api/notes?per_page=7").json().at("next").is_null());
  CHECK(f.client.get("/api/notes?per_page=6").json().at("next").is_string());
  const auto first = f.client.get("/api/notes?per_page=6").json();
  const auto last = f.client.get("/api/notes?per_page=6&after=" + json_string(first.at("next")));
  REQUIRE(last.status == 200);
  CHECK(note_titles(last.json()).size() == 1);
  CHECK(last.json().at("total").as_int64() == 7);
  CHECK(last.json().at("next").is_null());
}

TEST_CASE_TEMPLATE("after= refuses a bad cursor, another sort's cursor and a page number", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  for (int i = 0; i < 3; ++i) f.create("note " + std::to_string(i));
  const std::string cursor =
      json_string(f.client.get("/api/notes?per_page=1&sort=updated").json().at("next"));
  REQUIRE(f.client.get("/api/notes?per_page=1&sort=updated&after=" + cursor).status == 200);

  for (const std::string bad : {"", "x", "u0.1.", "u0.12.x", "z0.1.2", "u2.1.2", "u0.1.0",
                                "n1.1.2", "u0.99999999999999999999.1", "u0.1.2.3"}) {
    CAPTURE(bad);
    const auto res = f.client.get("/api/notes?sort=updated&after=" + bad);
    CHECK(res.status == 400);
    CHECK(res.json().at("fields").as_object().contains("after"));
  }
  auto res = f.client.get("/api/notes?sort=created&after=" + cursor);
  CHECK(res.status == 400);
  CHECK(json_string(res.json().at("error")) == "Cursor of another sort");
  res = f.client.get("/api/notes?after=" + cursor);
  CHECK(res.status == 400);
  res = f.client.get("/api/notes?sort=updated&page=1&after=" + cursor);
  CHECK(res.status == 400);
  CHECK(res.json().at("fields").as_object().contains("page"));
}
