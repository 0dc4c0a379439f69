// The JSON API over a real socket, against every store: routes, shapes, statuses, pagination.
#include <doctest/doctest.h>

#include <regex>

#include "api_fixture.hpp"

namespace json = boost::json;
using notes::testing::api_fixture;
using notes::testing::json_string;
using notes::testing::memory_backend;
using notes::testing::note_url;
using notes::testing::sqlite_backend;

namespace {

bool is_rfc3339_micros(const json::value& v) {
  static const std::regex pattern(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)");
  return v.is_string() && std::regex_match(std::string(v.as_string().c_str()), pattern);
}

std::vector<std::string> titles(const json::value& list) {
  std::vector<std::string> out;
  for (const auto& n : list.at("notes").as_array()) out.push_back(json_string(n.at("title")));
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("POST /api/notes creates a note: 201, Location, ETag and the note's seven fields",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto res = f.client.post_json("/api/notes",
                                R"({"title": "  First  ", "content": "Hello\nworld"})");
  REQUIRE(res.status == 201);
  CHECK(res.header("Content-Type") == "application/json");
  auto body = res.json().as_object();
  CHECK(body.size() == 7);
  CHECK(body.at("tags").as_array().empty());
  CHECK(body.at("id").as_int64() > 0);
  CHECK(json_string(body.at("title")) == "First");
  CHECK(json_string(body.at("content")) == "Hello\nworld");
  CHECK(body.at("is_pinned").as_bool() == false);
  CHECK(is_rfc3339_micros(body.at("created_at")));
  CHECK(is_rfc3339_micros(body.at("updated_at")));
  CHECK(res.header("Location") == note_url(body));
  CHECK(res.header("ETag") == "\"1\"");

  auto again = f.client.get(res.header("Location"));
  CHECK(again.status == 200);
  CHECK(again.json() == res.json());
  CHECK(again.header("ETag") == "\"1\"");
  CHECK(f.stored().size() == 1);
}

TEST_CASE_TEMPLATE("POST /api/notes keeps is_pinned when given", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("Pinned", "x", true);
  CHECK(n.at("is_pinned").as_bool());
  CHECK(f.client.get(note_url(n)).json().at("is_pinned").as_bool());
}

TEST_CASE_TEMPLATE("POST /api/notes refuses missing and blank fields with field messages",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto res = f.client.post_json("/api/notes", R"({"title": "   "})");
  CHECK(res.status == 400);
  auto fields = res.json().at("fields").as_object();
  CHECK(fields.contains("title"));
  CHECK(fields.contains("content"));
  CHECK(res.json().at("error").is_string());

  res = f.client.post_json("/api/notes", "{}");
  CHECK(res.status == 400);
  CHECK(res.json().at("fields").as_object().contains("title"));

  std::string long_title(201, 'x');
  res = f.client.post_json("/api/notes",
                           R"({"title": ")" + long_title + R"(", "content": "c"})");
  CHECK(res.status == 400);
  CHECK(res.json().at("fields").as_object().contains("title"));
  CHECK(f.stored().empty());
}

TEST_CASE_TEMPLATE("wrong JSON types are a 400 naming the field", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  struct bad {
    const char* body;
    const char* field;
  };
  for (auto [body, field] : {bad{R"({"title": 5, "content": "c"})", "title"},
                             bad{R"({"title": "t", "content": ["c"]})", "content"},
                             bad{R"({"title": "t", "content": "c", "is_pinned": "yes"})",
                                 "is_pinned"},
                             bad{R"({"title": null, "content": "c"})", "title"},
                             bad{R"({"title": "t", "content": "c", "is_pinned": 1})",
                                 "is_pinned"}}) {
    CAPTURE(body);
    auto res = f.client.post_json("/api/notes", body);
    CHECK(res.status == 400);
    CHECK(res.json().at("fields").as_object().contains(field));
  }
  auto n = f.create("t");
  auto res = f.client.patch_json(note_url(n), R"({"is_pinned": "true"})");
  CHECK(res.status == 400);
  CHECK(res.json().at("fields").as_object().contains("is_pinned"));
  CHECK(f.stored().size() == 1);
}

TEST_CASE_TEMPLATE("bodies that are not a JSON object are a 400", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  for (const char* body : {"{\"title\": ", "[1, 2]", "\"text\"", "null", "{\"title\": \"a\"} x",
                           "{'title': 'a'}"}) {
    CAPTURE(body);
    auto res = f.client.post_json("/api/notes", body);
    CHECK(res.status == 400);
    CHECK(res.json().at("error").is_string());
  }
  auto empty = f.client.request("POST", "/api/notes", "",
                                {{"Content-Type", "application/json"}});
  CHECK(empty.status == 400);
  CHECK(json_string(empty.json().at("error")) == "No data provided");

  auto invalid_utf8 =
      f.client.post_json("/api/notes", "{\"title\": \"\xff\xfe\", \"content\": \"c\"}");
  CHECK(invalid_utf8.status == 400);
  CHECK(json_string(invalid_utf8.json().at("error")).find("UTF-8") != std::string::npos);
  CHECK(f.stored().empty());
}

TEST_CASE_TEMPLATE("a missing or wrong Content-Type is a 415", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  const std::string body = R"({"title": "t", "content": "c"})";
  CHECK(f.client.request("POST", "/api/notes", body).status == 415);
  CHECK(f.client.request("POST", "/api/notes", body, {{"Content-Type", "text/plain"}}).status ==
        415);
  auto res = f.client.request("POST", "/api/notes", body,
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(res.status == 415);
  CHECK(res.json().at("error").is_string());
  CHECK(f.stored().empty());

  auto ok = f.client.request("POST", "/api/notes", body,
                             {{"Content-Type", "Application/JSON; charset=utf-8"}});
  CHECK(ok.status == 201);
  auto n = ok.json().as_object();
  CHECK(f.client.request("PUT", note_url(n), R"({"title": "u"})").status == 415);
  CHECK(f.client.request("PATCH", note_url(n), R"({"title": "u"})",
                         {{"Content-Type", "text/json"}})
            .status == 415);
}

TEST_CASE_TEMPLATE("GET /api/notes/<id> answers 404 for unknown, non-integer and overflowing ids",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  f.create("only");
  for (const char* target : {"/api/notes/999", "/api/notes/abc", "/api/notes/0",
                             "/api/notes/-1", "/api/notes/1.5", "/api/notes/99999999999999999999",
                             "/api/notes/9223372036854775808", "/api/notes/1/", "/api/notes/1/x"}) {
    CAPTURE(target);
    auto res = f.client.get(target);
    CHECK(res.status == 404);
    CHECK(res.header("Content-Type") == "application/json");
    CHECK(res.json().at("error").is_string());
  }
  for (const char* target : {"/api/notes/999", "/api/notes/abc"}) {
    CHECK(f.client.put_json(target, R"({"title": "x"})").status == 404);
    CHECK(f.client.patch_json(target, R"({"title": "x"})").status == 404);
    CHECK(f.client.del(target).status == 404);
  }
  CHECK(f.client.get("/api/nothing").status == 404);
  CHECK(f.client.get("/api/nothing").json().at("error").is_string());
}

TEST_CASE_TEMPLATE("GET /api/notes lists newest first with totals, page count and next/prev flags",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto empty = f.client.get("/api/notes").json();
  CHECK(empty.at("notes").as_array().empty());
  CHECK(empty.at("total").as_int64() == 0);
  CHECK(empty.at("pages").as_int64() == 0);
  CHECK(empty.at("current_page").as_int64() == 1);
  CHECK(empty.at("has_next").as_bool() == false);
  CHECK(empty.at("has_prev").as_bool() == false);

  for (int i = 1; i <= 25; ++i) f.create("note " + std::to_string(i));

  auto first = f.client.get("/api/notes").json();
  CHECK(first.at("notes").as_array().size() == 10);
  CHECK(titles(first).front() == "note 25");
  CHECK(titles(first).back() == "note 16");
  CHECK(first.at("total").as_int64() == 25);
  CHECK(first.at("pages").as_int64() == 3);
  CHECK(first.at("has_next").as_bool());
  CHECK_FALSE(first.at("has_prev").as_bool());

  auto last = f.client.get("/api/notes?page=3").json();
  CHECK(titles(last) == std::vector<std::string>{"note 5", "note 4", "note 3", "note 2",
                                                 "note 1"});
  CHECK(last.at("current_page").as_int64() == 3);
  CHECK_FALSE(last.at("has_next").as_bool());
  CHECK(last.at("has_prev").as_bool());

  auto beyond = f.client.get("/api/notes?page=9").json();
  CHECK(beyond.at("notes").as_array().empty());
  CHECK(beyond.at("total").as_int64() == 25);
  CHECK(beyond.at("current_page").as_int64() == 9);

  auto sized = f.client.get("/api/notes?per_page=7&page=2").json();
  CHECK(titles(sized).front() == "note 18");
  CHECK(sized.at("pages").as_int64() == 4);

  auto capped = f.client.get("/api/notes?per_page=1000").json();
  CHECK(capped.at("notes").as_array().size() == 25);
  CHECK(capped.at("pages").as_int64() == 1);
}

TEST_CASE("GET /api/notes caps per_page at 100") {
  api_fixture<memory_backend> f;
  for (int i = 0; i < 105; ++i) f.create("n" + std::to_string(i));
  auto capped = f.client.get("/api/notes?per_page=500").json();
  CHECK(capped.at("notes").as_array().size() == 100);
  CHECK(capped.at("pages").as_int64() == 2);
  CHECK(capped.at("has_next").as_bool());
}

TEST_CASE_TEMPLATE("page and per_page that are not positive integers are a 400",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  f.create("one");
  struct bad {
    const char* query;
    const char* field;
  };
  for (auto [query, field] :
       {bad{"page=0", "page"}, bad{"page=-1", "page"}, bad{"page=abc", "page"},
        bad{"page=", "page"}, bad{"page=1.5", "page"}, bad{"page=99999999999999999999", "page"},
        bad{"per_page=0", "per_page"}, bad{"per_page=x", "per_page"},
        bad{"page=%2B1", "page"}, bad{"page=9223372036854775807&per_page=100", "page"}}) {
    CAPTURE(query);
    for (std::string base : {"/api/notes?", "/api/notes/search?q=one&"}) {
      auto res = f.client.get(base + query);
      CHECK(res.status == 400);
      CHECK(res.json().at("fields").as_object().contains(field));
    }
  }
}

TEST_CASE_TEMPLATE("search matches title and content case-insensitively, wildcards literal",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  f.create("Shopping list", "milk, eggs");
  f.create("Ideas", "Buy MILK tomorrow");
  f.create("Discount", "100% off");
  f.create("Under_score", "snake");
  f.create("Ärger", "über");
  f.create("Other", "nothing here");

  auto res = f.client.get("/api/notes/search?q=milk");
  REQUIRE(res.status == 200);
  auto body = res.json();
  CHECK(json_string(body.at("query")) == "milk");
  CHECK(body.at("count").as_int64() == 2);
  CHECK(titles(body) == std::vector<std::string>{"Ideas", "Shopping list"});
  CHECK(body.at("total").as_int64() == 2);
  CHECK(body.at("current_page").as_int64() == 1);

  CHECK(titles(f.client.get("/api/notes/search?q=%25").json()) ==
        std::vector<std::string>{"Discount"});
  CHECK(titles(f.client.get("/api/notes/search?q=_").json()) ==
        std::vector<std::string>{"Under_score"});
  CHECK(titles(f.client.get("/api/notes/search?q=%C3%84RGER").json()) ==
        std::vector<std::string>{"Ärger"});
  auto spaced = f.client.get("/api/notes/search?q=++MILK+").json();
  CHECK(json_string(spaced.at("query")) == "MILK");
  CHECK(spaced.at("count").as_int64() == 2);
  CHECK(f.client.get("/api/notes/search?q=absent").json().at("count").as_int64() == 0);
}

TEST_CASE_TEMPLATE("search pages through its matches and count is the total",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  for (int i = 1; i <= 12; ++i) f.create("match " + std::to_string(i));
  f.create("other");
  auto page2 = f.client.get("/api/notes/search?q=match&page=2&per_page=5").json();
  CHECK(page2.at("count").as_int64() == 12);
  CHECK(titles(page2).front() == "match 7");
  CHECK(page2.at("notes").as_array().size() == 5);
  CHECK(page2.at("pages").as_int64() == 3);
  CHECK(page2.at("has_next").as_bool());
  CHECK(page2.at("has_prev").as_bool());
}

TEST_CASE_TEMPLATE("search without a usable q is a 400", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  for (const char* target : {"/api/notes/search", "/api/notes/search?q=", "/api/notes/search?q=+++",
                             "/api/notes/search?q=%FF"}) {
    CAPTURE(target);
    auto res = f.client.get(target);
    CHECK(res.status == 400);
    CHECK(res.json().at("fields").as_object().contains("q"));
  }
  auto too_long = f.client.get("/api/notes/search?q=" + std::string(201, 'a'));
  CHECK(too_long.status == 400);
  CHECK(json_string(f.client.get("/api/notes/search").json().at("error")) ==
        "Search query required");
}

TEST_CASE_TEMPLATE("PUT and PATCH change only the fields present", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("Title", "Content", false);
  for (const char* method : {"PUT", "PATCH"}) {
    CAPTURE(method);
    auto before = f.client.get(note_url(n)).json();
    auto res = f.client.request(method, note_url(n), R"({"is_pinned": true})",
                                {{"Content-Type", "application/json"}});
    REQUIRE(res.status == 200);
    auto after = res.json();
    CHECK(after.at("is_pinned").as_bool());
    CHECK(after.at("title") == before.at("title"));
    CHECK(after.at("content") == before.at("content"));
    CHECK(after.at("created_at") == before.at("created_at"));
    CHECK(json_string(after.at("updated_at")) >= json_string(before.at("updated_at")));

    res = f.client.request(method, note_url(n), R"({"title": "  New title ", "is_pinned": false})",
                           {{"Content-Type", "application/json"}});
    REQUIRE(res.status == 200);
    CHECK(json_string(res.json().at("title")) == "New title");
    CHECK(json_string(res.json().at("content")) == "Content");
    CHECK(f.client.get(note_url(n)).json() == res.json());
  }
  CHECK(f.client.get(note_url(n)).header("ETag") == "\"5\"");
}

TEST_CASE_TEMPLATE("an update cannot blank the title or content", B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("Keep me", "and me");
  auto res = f.client.put_json(note_url(n), R"({"title": "   "})");
  CHECK(res.status == 400);
  CHECK(res.json().at("fields").as_object().contains("title"));
  res = f.client.patch_json(note_url(n), R"({"content": ""})");
  CHECK(res.status == 400);
  CHECK(res.json().at("fields").as_object().contains("content"));
  res = f.client.patch_json(note_url(n), R"({"unknown": 1})");
  CHECK(res.status == 400);
  CHECK(json_string(res.json().at("error")).starts_with("No data provided"));
  auto now = f.client.get(note_url(n));
  CHECK(json_string(now.json().at("title")) == "Keep me");
  CHECK(now.header("ETag") == "\"1\"");
}

TEST_CASE_TEMPLATE("DELETE removes the note and answers with a success message", B,
                   NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto keep = f.create("keep");
  auto gone = f.create("gone");
  auto res = f.client.del(note_url(gone));
  CHECK(res.status == 200);
  CHECK(json_string(res.json().at("message")) == "Note deleted successfully");
  CHECK(f.client.get(note_url(gone)).status == 404);
  CHECK(f.client.del(note_url(gone)).status == 404);
  CHECK(f.client.get(note_url(keep)).status == 200);
  CHECK(f.stored().size() == 1);
}

TEST_CASE_TEMPLATE("wrong methods are a 405 with Allow while HEAD and OPTIONS work",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto n = f.create("x");
  auto res = f.client.del("/api/notes");
  CHECK(res.status == 405);
  CHECK(res.header("Allow") == "GET, HEAD, POST, OPTIONS");
  CHECK(res.json().at("error").is_string());
  res = f.client.post_json(note_url(n), "{}");
  CHECK(res.status == 405);
  CHECK(res.header("Allow") == "GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
  CHECK(f.client.post_json("/api/notes/search", "{}").status == 405);

  auto get = f.client.get(note_url(n));
  auto head = f.client.head(note_url(n));
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Length") == std::to_string(get.body.size()));
  CHECK(head.header("ETag") == get.header("ETag"));
  CHECK(f.client.head("/api/notes").status == 200);

  auto options = f.client.request("OPTIONS", "/api/notes");
  CHECK(options.status == 204);
  CHECK(options.header("Allow") == "GET, HEAD, POST, OPTIONS");
}

TEST_CASE_TEMPLATE("responses carry Date and Content-Length, and keep the connection alive",
                   B, NOTES_HTTP_STORES) {
  if (!notes::testing::store_available<B>()) return;
  api_fixture<B> f;
  auto res = f.client.get("/api/notes");
  CHECK(res.header("Date").ends_with(" GMT"));
  CHECK(res.header("Content-Length") == std::to_string(res.body.size()));
  CHECK_FALSE(res.header("Connection") == "close");

  // Two pipelined requests on one connection get two answers, in order.
  auto raw = f.client.raw(
      "GET /api/notes/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /api/notes HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n");
  auto second = raw.find("HTTP/1.1 200", 1);
  CHECK(raw.starts_with("HTTP/1.1 404"));
  CHECK(second != std::string::npos);
}
