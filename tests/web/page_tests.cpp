// The read-only pages: list, pagination, search, detail, redirects and error pages.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "web_fixture.hpp"

using namespace notes::testing;

namespace {

// How often `needle` occurs in `text`.
std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("/ redirects to the list") {
  web_fixture f;
  const auto res = f.user.get("/");
  CHECK(res.status == 302);
  CHECK(res.header("Location") == "/notes");
}

TEST_CASE("an empty list shows the empty state, the search box and a way to write a note") {
  web_fixture f;
  const auto res = f.user.get("/notes");
  REQUIRE(res.status == 200);
  CHECK(res.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(contains(res.body, "No notes yet"));
  CHECK(contains(res.body, "href=\"/notes/new\""));
  CHECK(contains(res.body, "<input id=\"search-q\" type=\"search\" name=\"q\""));
  CHECK_FALSE(contains(res.body, "class=\"pagination\""));
}

TEST_CASE("the footer says notes are written in Markdown, on every page") {
  web_fixture f;
  for (const char* url : {"/notes", "/notes/new", "/notes/999"}) {
    CAPTURE(url);
    const auto body = f.user.get(url).body;
    CHECK(contains(body, "<p>Notes · written in Markdown, kept safe.</p>"));
    CHECK_FALSE(contains(body, "plain text"));
  }
}

TEST_CASE("the list shows pinned notes first, then the newest, ten a page, with created times") {
  web_fixture f;
  for (int i = 1; i <= 12; ++i) f.add("Note " + std::to_string(i), "Body", i == 3 || i == 5);
  const auto first = f.user.get("/notes");
  REQUIRE(first.status == 200);
  const std::string order[] = {"Note 5", "Note 3", "Note 12", "Note 11", "Note 10"};
  std::size_t at = 0;
  for (const std::string& title : order) {
    const auto found = first.body.find(">" + title + "<", at);
    REQUIRE_MESSAGE(found != std::string::npos, title);
    at = found;
  }
  CHECK(count_of(first.body, "class=\"note-card") == 10);
  CHECK(count_of(first.body, "class=\"badge badge-pin\"") == 2);
  CHECK(contains(first.body, "12 notes"));
  CHECK(contains(first.body, "Created <time datetime=\"20"));
  CHECK(contains(first.body, "href=\"/notes?page=2\" rel=\"next\""));
  CHECK(contains(first.body, "aria-current=\"page\" aria-label=\"Page 1\""));

  const auto second = f.user.get("/notes?page=2");
  REQUIRE(second.status == 200);
  CHECK(count_of(second.body, "class=\"note-card") == 2);
  CHECK(contains(second.body, ">Note 2<"));
  CHECK(contains(second.body, ">Note 1<"));
  CHECK(contains(second.body, "href=\"/notes\" rel=\"prev\""));
}

TEST_CASE("a page past the end offers the way back; a malformed page number is a 400 page") {
  web_fixture f;
  f.add("Only note");
  const auto past = f.user.get("/notes?page=5");
  CHECK(past.status == 200);
  CHECK(contains(past.body, "Nothing on this page"));
  CHECK(contains(past.body, "rel=\"prev\""));
  for (const char* bad : {"/notes?page=0", "/notes?page=-1", "/notes?page=abc", "/notes?page=1.5",
                          "/notes?page=99999999999999999999"}) {
    const auto res = f.user.get(bad);
    CHECK_MESSAGE(res.status == 400, bad);
    CHECK(contains(res.body, "The page number must be a positive whole number."));
    CHECK(contains(res.body, "<!doctype html>"));
  }
}

TEST_CASE("search shows only matches, keeps the query in the box and in the page links") {
  web_fixture f;
  for (int i = 1; i <= 12; ++i) f.add("Milk run " + std::to_string(i), "Buy milk & eggs");
  f.add("Something else", "Unrelated");
  const auto res = f.user.get("/notes?q=MILK+%26+eggs");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "12 notes match “MILK &amp; eggs”"));
  CHECK(contains(res.body, "name=\"q\" value=\"MILK &amp; eggs\""));
  CHECK(count_of(res.body, "class=\"note-card") == 10);
  CHECK_FALSE(contains(res.body, "Something else"));
  CHECK(contains(res.body, "href=\"/notes?q=MILK%20%26%20eggs&amp;page=2\""));
  const auto second = f.user.get("/notes?q=MILK%20%26%20eggs&page=2");
  CHECK(count_of(second.body, "class=\"note-card") == 2);
}

TEST_CASE("a search without matches says so; a blank search is the plain list") {
  web_fixture f;
  f.add("Groceries");
  const auto none = f.user.get("/notes?q=zebra");
  CHECK(none.status == 200);
  CHECK(contains(none.body, "No matches"));
  CHECK(contains(none.body, "Clear search"));
  const auto blank = f.user.get("/notes?q=+++");
  CHECK(blank.status == 200);
  CHECK(contains(blank.body, "Groceries"));
  CHECK(contains(blank.body, "Your notes"));
}

TEST_CASE("an overlong search is a 400 with the reason beside the list") {
  web_fixture f;
  const auto res = f.user.get("/notes?q=" + std::string(201, 'x'));
  CHECK(res.status == 400);
  CHECK(contains(res.body, "Search query must be at most 200 characters."));
  CHECK(contains(res.body, "role=\"alert\""));
}

TEST_CASE("a query string that is not UTF-8 is a 400 page") {
  web_fixture f;
  const auto res = f.user.get("/notes?q=%FF");
  CHECK(res.status == 400);
  CHECK(contains(res.body, "not valid UTF-8"));
}

TEST_CASE("the detail page shows the note as Markdown, its pin, times and actions") {
  web_fixture f;
  const auto n = f.add("Plans", "Line one\nLine two\n\nLine four", true);
  const std::string url = "/notes/" + std::to_string(n.id);
  const auto res = f.user.get(url);
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "<h1>Plans</h1>"));
  CHECK(contains(res.body, "<div class=\"note-content markdown\"><p>Line one\nLine two</p>\n"
                           "<p>Line four</p></div>"));
  CHECK(contains(res.body, "Pinned</span>"));
  CHECK(contains(res.body, "<dt>Created</dt>"));
  CHECK(contains(res.body, "<dt>Updated</dt>"));
  CHECK(contains(res.body, "href=\"" + url + "/edit\""));
  CHECK(contains(res.body, "href=\"" + url + "/delete\""));
  CHECK(contains(res.body, "<title>Plans · Notes</title>"));
}

TEST_CASE("an unpinned note says so") {
  web_fixture f;
  const auto n = f.add("Loose");
  CHECK(contains(f.user.get("/notes/" + std::to_string(n.id)).body, "Not pinned"));
}

TEST_CASE("missing notes and unknown paths get the HTML 404 page") {
  web_fixture f;
  for (const char* target : {"/notes/999", "/notes/abc", "/notes/0", "/notes/99999999999999999999",
                             "/notes/999/edit", "/notes/999/delete", "/nowhere", "/favicon.ico"}) {
    const auto res = f.user.get(target);
    CHECK_MESSAGE(res.status == 404, target);
    CHECK(res.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(contains(res.body, "Page not found"));
    CHECK(contains(res.body, "class=\"site-header\""));
  }
}

TEST_CASE("a wrong method gets the HTML 405 page with Allow") {
  web_fixture f;
  const auto n = f.add("x");
  const auto res = f.user.client().request("PUT", "/notes/" + std::to_string(n.id));
  CHECK(res.status == 405);
  CHECK(res.header("Allow") == "GET, HEAD, OPTIONS");
  CHECK(contains(res.body, "Not allowed here"));
  const auto del = f.user.client().request("DELETE", "/notes/new");
  CHECK(del.status == 405);
  CHECK(del.header("Allow") == "GET, HEAD, POST, OPTIONS");
}

TEST_CASE("errors under /api/ stay JSON") {
  web_fixture f;
  const auto res = f.user.get("/api/nowhere");
  CHECK(res.status == 404);
  CHECK(res.header("Content-Type") == "application/json");
}

TEST_CASE("HEAD answers like GET without a body") {
  web_fixture f;
  f.add("Head note");
  const auto res = f.user.head("/notes");
  CHECK(res.status == 200);
  CHECK(res.body.empty());
  CHECK(std::stoul(res.header("Content-Length")) > 1000);
}

TEST_CASE("pages render the same from many threads at once (templates are shared read-only)") {
  auto options = web_server_options();
  options.threads = 4;
  web_fixture f(options);
  for (int i = 0; i < 15; ++i) f.add("Parallel " + std::to_string(i), "Body", i % 4 == 0);
  const std::string expected = f.user.get("/notes?page=2").body;
  REQUIRE(contains(expected, "Parallel"));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      http_client client(f.server.port());
      for (int i = 0; i < 50; ++i) {
        const auto res = client.get("/notes?page=2");
        if (res.status != 200 || res.body != expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == 0);
}
