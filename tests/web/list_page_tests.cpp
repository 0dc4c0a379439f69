// The list page on SQLite: sorting by creation or last change kept in its links, cards saying
// how long ago a note changed, the page number in the heading and title, search snippets with
// the match marked, and pinning from the note page.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "notes/time.hpp"
#include "web_fixture.hpp"

using namespace notes::testing;
using namespace std::chrono_literals;

namespace {

struct sqlite_pages {
  sqlite_backend store;
  test_server server{store.repositories(), web_server_options()};
  browser user{server.port()};

  // A note created (and, with `edited`, changed) at those times, as a service whose clock
  // stood there would have stored it.
  notes::note add(std::string title, notes::timestamp created, bool pinned = false,
                  std::optional<notes::timestamp> edited = std::nullopt,
                  std::string content = "Some content.") {
    notes::note_service at_creation(store.inspect(), [created] { return created; });
    notes::note n = at_creation.create({std::move(title), std::move(content), pinned}).value();
    if (!edited) return n;
    notes::note_service at_edit(store.inspect(), [edited] { return *edited; });
    notes::note_patch patch;
    patch.content = "Changed.";
    return at_edit.update(n.id, patch).value();
  }
};

std::size_t position(const std::string& body, const std::string& text) {
  const auto at = body.find(text);
  REQUIRE_MESSAGE(at != std::string::npos, text);
  return at;
}

}  // namespace

TEST_CASE("the list sorts by creation or by last change, pinned first, and keeps the choice") {
  sqlite_pages p;
  const auto now = notes::system_now();
  p.add("Oldest but edited", now - 50h, false, now - 1h);
  p.add("Middle", now - 40h);
  p.add("Newest", now - 30h);
  p.add("Pinned", now - 60h, true);

  auto res = p.user.get("/notes");
  REQUIRE(res.status == 200);
  CHECK(position(res.body, "Pinned</a>") < position(res.body, "Newest</a>"));
  CHECK(position(res.body, "Newest</a>") < position(res.body, "Oldest but edited</a>"));
  CHECK(contains(res.body, "<a class=\"tag-chip is-active\" href=\"/notes?sort=created\" "
                           "aria-current=\"true\">Created</a>"));

  res = p.user.get("/notes?sort=updated");
  REQUIRE(res.status == 200);
  CHECK(position(res.body, "Pinned</a>") < position(res.body, "Oldest but edited</a>"));
  CHECK(position(res.body, "Oldest but edited</a>") < position(res.body, "Newest</a>"));
  CHECK(position(res.body, "Newest</a>") < position(res.body, "Middle</a>"));
  CHECK(contains(res.body, "<a class=\"tag-chip is-active\" href=\"/notes?sort=updated\" "
                           "aria-current=\"true\">Last changed</a>"));
  // The search box keeps the order, so clearing the search comes back to it.
  CHECK(contains(res.body, "<input type=\"hidden\" name=\"sort\" value=\"updated\">"));
  res = p.user.get("/notes?sort=updated&q=content");
  CHECK(contains(res.body, "href=\"/notes?sort=updated\">Clear search</a>"));

  CHECK(p.user.get("/notes?sort=title").status == 400);
  CHECK(contains(p.user.get("/notes?sort=title").body, "The sort must be"));
  // An empty value is refused as the API refuses it, not read as the default.
  const auto empty = p.user.get("/notes?sort=");
  CHECK(empty.status == 400);
  CHECK(contains(empty.body, "The sort must be"));
  CHECK(p.user.get("/notes?sort=&q=milk").status == 400);
}

TEST_CASE("page links, tag links and the tag filter keep the sort") {
  sqlite_pages p;
  notes::note_service service(p.store.inspect());
  for (int i = 0; i < 12; ++i) {
    service.create({"n" + std::to_string(i), "c", false, {"work"}}).value();
  }
  const auto res = p.user.get("/notes?sort=updated");
  CHECK(contains(res.body, "href=\"/notes?sort=updated&amp;page=2\""));
  CHECK(contains(res.body, "<a class=\"tag-chip\" href=\"/notes?sort=updated&amp;tag=work\">"));
  const auto filtered = p.user.get("/notes?sort=updated&tag=work");
  CHECK(contains(filtered.body, "href=\"/notes?sort=updated&amp;tag=work&amp;page=2\""));
  CHECK(contains(filtered.body, "href=\"/notes?sort=updated\" aria-label=\"Remove the filter"));
  CHECK(contains(filtered.body, "href=\"/notes?sort=created&amp;tag=work\">Created</a>"));
}

TEST_CASE("page 2 says so in its heading and its title") {
  sqlite_pages p;
  notes::note_service service(p.store.inspect());
  for (int i = 0; i < 12; ++i) service.create({"n" + std::to_string(i), "c", false}).value();
  auto res = p.user.get("/notes?page=2");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "<h1>Your notes — page 2</h1>"));
  CHECK(contains(res.body, "<title>Your notes — page 2 · Notes</title>"));
  res = p.user.get("/notes");
  CHECK(contains(res.body, "<h1>Your notes</h1>"));
  CHECK(contains(res.body, "<title>Your notes · Notes</title>"));
  res = p.user.get("/notes?q=c&page=2");
  CHECK(contains(res.body, "<h1>Search results — page 2</h1>"));
  CHECK(contains(res.body, "<title>Search: c — page 2 · Notes</title>"));
}

TEST_CASE("cards say how long ago a note changed, with the exact time on hover and for readers") {
  sqlite_pages p;
  const auto now = notes::system_now();
  p.add("Fresh", now - 3min - 20s);
  p.add("Edited", now - 30h * 10, false, now - 2h - 10min);
  p.add("Yesterday", now - 30h);
  const notes::timestamp old =
      notes::timestamp(std::chrono::sys_days{std::chrono::year{2026} / 3 / 5}) + 9h;
  p.add("Old", old);
  const auto body = p.user.get("/notes").body;
  CHECK(contains(body, "data-relative>3 minutes ago</time>"));
  CHECK(contains(body, "Edited <time datetime="));
  CHECK(contains(body, "data-relative>2 hours ago</time>"));
  CHECK(contains(body, "data-relative>yesterday</time>"));
  CHECK(contains(body, "Created <time datetime=\"" + notes::to_rfc3339(old) + "\" "
                       "title=\"Mar 5, 2026, 09:00 UTC\" data-relative>on Mar 5, 2026</time>"
                       "<span class=\"visually-hidden\"> (Mar 5, 2026, 09:00 UTC)</span>"));
}

TEST_CASE("search results show the passage around the match, escaped, with the match marked") {
  sqlite_pages p;
  const auto now = notes::system_now();
  p.add("Payload", now, false, std::nullopt,
        "Before & \"quotes\" <script>alert(1)</script> after");
  p.add("Only the <script> title", now);
  const auto res = p.user.get("/notes?q=%3CSCRIPT%3E");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "Before &amp; &quot;quotes&quot; <mark>&lt;script&gt;</mark>"
                           "alert(1)&lt;/script&gt; after"));
  CHECK_FALSE(contains(res.body, "<script>alert"));
  // The match in the title only: the card keeps its excerpt.
  CHECK(contains(res.body, "<p class=\"note-excerpt\">Some content.</p>"));
  CHECK(contains(res.body, "Search results"));
}

TEST_CASE("a search card cuts its passage from the text a reader sees, without Markdown") {
  sqlite_pages p;
  const auto now = notes::system_now();
  p.add("Groceries", now, false, std::nullopt,
        "# Shopping\n\n- Some **fresh milk** and [the shop](https://example.com/milk) list\n");
  p.add("Link only", now, false, std::nullopt, "See [the page](https://example.com/butter).");
  auto res = p.user.get("/notes?q=milk");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "Shopping Some fresh <mark>milk</mark> and the shop list"));
  CHECK_FALSE(contains(res.body, "**"));
  CHECK_FALSE(contains(res.body, "# Shopping"));
  CHECK_FALSE(contains(res.body, "](https://"));
  // Found in a link's target only: nothing a reader sees to mark, so the card keeps its excerpt.
  res = p.user.get("/notes?q=butter");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "<p class=\"note-excerpt\">See the page.</p>"));
  CHECK_FALSE(contains(res.body, "<mark>"));
}

TEST_CASE("the note page pins and unpins without the form, refusing a stale page") {
  sqlite_pages p;
  const auto n = p.add("Pin me", notes::system_now());
  const std::string url = "/notes/" + std::to_string(n.id);
  auto page = p.user.get(url);
  CHECK(contains(page.body, "action=\"" + url + "/pin\""));
  CHECK(contains(page.body, ">Pin</button>"));
  auto res = p.user.submit(url, url + "/pin", {});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == url);
  CHECK(p.store.inspect().find(notes::no_account, n.id).value()->is_pinned);
  CHECK(contains(p.user.get(url).body, ">Unpin</button>"));

  // The first page showed version 1; the note is at 2 now.
  const std::string token = csrf_token_in(page.body);
  res = p.user.post_form(url + "/pin", {{"csrf_token", token}, {"version", "1"}});
  CHECK(res.status == 409);
  CHECK(p.store.inspect().find(notes::no_account, n.id).value()->is_pinned);
  CHECK(p.user.post_form(url + "/pin", {{"version", "2"}}).status == 400);
  CHECK(p.user.post_form("/notes/999/pin", {{"csrf_token", token}, {"version", "1"}}).status ==
        404);

  res = p.user.submit(url, url + "/pin", {});
  REQUIRE(res.status == 303);
  CHECK_FALSE(p.store.inspect().find(notes::no_account, n.id).value()->is_pinned);
}

TEST_CASE("pinning another account's note from the pages is a 404 and changes nothing") {
  other_account_fixture<sqlite_backend> f;
  const auto secret = f.bobs.create({"Bob's note", "Hidden", false}).value();
  const std::string url = "/notes/" + std::to_string(secret.id) + "/pin";
  const auto res = f.ann.post_form(url, {{"csrf_token", f.ann_token}, {"version", "1"}});
  CHECK(res.status == 404);
  CHECK_FALSE(contains(res.body, "Bob"));
  const auto stored = f.store.inspect().find(f.bob.id, secret.id).value();
  REQUIRE(stored);
  CHECK_FALSE(stored->is_pinned);
  CHECK(stored->version == 1);
  CHECK(stored->updated_at == secret.updated_at);
}
