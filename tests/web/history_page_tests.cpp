// A note's history in the pages: the list of its earlier versions, a version with its line
// difference against the current text, restoring it, CSRF refusals, 404s, and keeping none.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "notes/note_service.hpp"
#include "sign_in.hpp"
#include "web_fixture.hpp"

using namespace notes::testing;
using namespace std::chrono_literals;

namespace {

std::string note_url(const notes::note& n) { return "/notes/" + std::to_string(n.id); }
std::string history_url(const notes::note& n) { return note_url(n) + "/history"; }

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Changes `n`'s content, keeping what it said before as a revision.
notes::note change(web_fixture& f, const notes::note& n, std::string content,
                   std::optional<std::string> title = std::nullopt) {
  notes::note_service service(f.store.inspect());
  return service.update(n.id, {std::move(title), std::move(content), std::nullopt}).value();
}

notes::note current(web_fixture& f, const notes::note& n) {
  return notes::note_service(f.store.inspect()).get(n.id).value();
}

}  // namespace

TEST_CASE("history: the note page links to its history, which lists versions newest first") {
  web_fixture f;
  const auto n = f.add("Plan <b>", "one");
  change(f, n, "one\ntwo", "Plan v2");
  change(f, n, "one\ntwo\nthree", "Plan v3");
  CHECK(contains(f.user.get(note_url(n)).body, "href=\"" + history_url(n) + "\""));
  const auto res = f.user.get(history_url(n));
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "2 earlier versions"));
  const auto v2 = res.body.find("href=\"" + history_url(n) + "/2\">Version 2</a>: Plan v2");
  const auto v1 =
      res.body.find("href=\"" + history_url(n) + "/1\">Version 1</a>: Plan &lt;b&gt;");
  REQUIRE(v2 != std::string::npos);
  REQUIRE(v1 != std::string::npos);
  CHECK(v2 < v1);
  CHECK(contains(res.body, "Replaced <time datetime=\""));
  CHECK(contains(res.body, "7 bytes"));
  CHECK(contains(res.body, "3 bytes"));
}

TEST_CASE("history: the list pages like the note list, and a note without changes says so") {
  web_fixture f;
  const auto quiet = f.add("Quiet");
  const auto empty = f.user.get(history_url(quiet));
  REQUIRE(empty.status == 200);
  CHECK(contains(empty.body, "No earlier versions"));

  const auto n = f.add("Busy", "0");
  for (int i = 1; i <= 12; ++i) change(f, n, std::to_string(i));
  const auto first = f.user.get(history_url(n));
  CHECK(contains(first.body, "12 earlier versions"));
  CHECK(count_of(first.body, "class=\"card history-item\"") == 10);
  CHECK(contains(first.body, "href=\"" + history_url(n) + "?page=2\""));
  const auto second = f.user.get(history_url(n) + "?page=2");
  CHECK(count_of(second.body, "class=\"card history-item\"") == 2);
  CHECK(contains(second.body, ">Version 1</a>"));
  CHECK(f.user.get(history_url(n) + "?page=0").status == 400);
}

TEST_CASE("history: a version shows its text and the lines changed since, marked with signs") {
  web_fixture f;
  const auto n = f.add("Recipe", "flour\nsugar\n<script>alert(1)</script>\neggs");
  change(f, n, "flour\nhoney\neggs\nmilk & <b>butter</b>", "Recipe v2");
  const auto res = f.user.get(history_url(n) + "/1");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "Version 1: Recipe"));
  CHECK(contains(res.body, "<div class=\"note-content\">flour\nsugar\n"
                           "&lt;script&gt;alert(1)&lt;/script&gt;\neggs</div>"));
  CHECK_FALSE(contains(res.body, "<script>alert(1)"));
  CHECK_FALSE(contains(res.body, "<b>butter"));
  CHECK(contains(res.body, "<li class=\"diff-kept\"><span class=\"diff-sign\"> </span>flour</li>"));
  CHECK(contains(res.body, "<del><span class=\"diff-sign\">−</span>sugar</del>"));
  CHECK(contains(res.body,
                 "<del><span class=\"diff-sign\">−</span>&lt;script&gt;alert(1)&lt;/script&gt;"
                 "</del>"));
  CHECK(contains(res.body, "<ins><span class=\"diff-sign\">+</span>honey</ins>"));
  CHECK(contains(res.body,
                 "<ins><span class=\"diff-sign\">+</span>milk &amp; &lt;b&gt;butter&lt;/b&gt;"
                 "</ins>"));
  const auto sugar = res.body.find(">sugar</del>");
  const auto honey = res.body.find(">honey</ins>");
  CHECK(sugar < honey);
  CHECK(contains(res.body, "action=\"" + history_url(n) + "/1/restore\""));
  CHECK(version_in(res.body) == "2");
  CHECK_FALSE(csrf_token_in(res.body).empty());
}

TEST_CASE("history: a version equal to the text now says so, and a huge one is not compared") {
  web_fixture f;
  const auto same = f.add("Same", "unchanged");
  change(f, same, "unchanged", "Renamed");
  const auto res = f.user.get(history_url(same) + "/1");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "The text is the same as now."));
  CHECK_FALSE(contains(res.body, "<ol class=\"diff\">"));

  std::string before;
  std::string after;
  for (int i = 0; i < 1500; ++i) {
    before += "old line " + std::to_string(i) + "\n";
    after += "new line " + std::to_string(i) + "\n";
  }
  const auto big = f.add("Big", before);
  change(f, big, after);
  const auto huge = f.user.get(history_url(big) + "/1");
  REQUIRE(huge.status == 200);
  CHECK(contains(huge.body, "too large to compare"));
  CHECK(contains(huge.body, "old line 1499"));
  CHECK_FALSE(contains(huge.body, "<ol class=\"diff\">"));
}

TEST_CASE("history: Restore makes the version the note's next one") {
  web_fixture f;
  const auto n = f.add("First", "first text");
  change(f, n, "second text", "Second");
  const auto res = f.user.submit(history_url(n) + "/1", history_url(n) + "/1/restore", {});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == note_url(n));
  const auto page = f.user.get(note_url(n));
  CHECK(contains(page.body, "Version 1 restored."));
  const auto now = current(f, n);
  CHECK(now.title == "First");
  CHECK(now.content == "first text");
  CHECK(now.version == 3);
  CHECK(contains(f.user.get(history_url(n)).body, "Version 2</a>: Second"));
}

TEST_CASE("history: a restore from a stale page restores nothing and says why") {
  web_fixture f;
  const auto n = f.add("First", "first text");
  change(f, n, "second text");
  const auto page = f.user.get(history_url(n) + "/1");
  change(f, n, "third text");
  const auto res = f.user.post_form(history_url(n) + "/1/restore",
                                    {{"csrf_token", csrf_token_in(page.body)},
                                     {"version", version_in(page.body)}});
  CHECK(res.status == 409);
  CHECK(contains(res.body, "This note changed after this page was shown"));
  CHECK(version_in(res.body) == "3");
  CHECK(contains(res.body, "<ins><span class=\"diff-sign\">+</span>third text</ins>"));
  CHECK(current(f, n).content == "third text");
  const auto damaged = f.user.post_form(history_url(n) + "/1/restore",
                                        {{"csrf_token", csrf_token_in(page.body)},
                                         {"version", "x"}});
  CHECK(damaged.status == 400);
  CHECK(current(f, n).version == 3);
}

TEST_CASE("history: a restore without a valid CSRF token changes nothing") {
  web_fixture f;
  const auto n = f.add("First", "first text");
  change(f, n, "second text");
  f.user.get(history_url(n) + "/1");
  for (const std::string token : {"", "forged"}) {
    const auto res = f.user.post_form(history_url(n) + "/1/restore",
                                      {{"csrf_token", token}, {"version", "2"}});
    CHECK(res.status == 400);
    CHECK(contains(res.body, "This form expired or did not come from this site"));
  }
  CHECK(f.user.post_raw(history_url(n) + "/1/restore", "{}", "application/json").status == 400);
  CHECK(current(f, n).content == "second text");
  CHECK(current(f, n).version == 2);
}

TEST_CASE("history: missing notes, versions not kept and trashed notes are 404 pages") {
  web_fixture f;
  const auto n = f.add("First", "first text");
  change(f, n, "second text");
  const std::string token = csrf_token_in(f.user.get(history_url(n) + "/1").body);
  CHECK(f.user.get("/notes/999/history").status == 404);
  CHECK(f.user.get("/notes/999/history/1").status == 404);
  CHECK(f.user.get(history_url(n) + "/2").status == 404);
  CHECK(f.user.get(history_url(n) + "/7").status == 404);
  CHECK(f.user.post_form(history_url(n) + "/7/restore", {{"csrf_token", token}}).status == 404);
  REQUIRE(notes::note_service(f.store.inspect()).remove(n.id));
  CHECK(f.user.get(history_url(n)).status == 404);
  CHECK(f.user.get(history_url(n) + "/1").status == 404);
}

TEST_CASE("history: with no revisions kept, the history is empty") {
  notes::http::server_options options = web_server_options();
  options.history = notes::history_policy{.revisions_keep = 0, .trash = true};
  web_fixture f(std::move(options));
  const auto n = f.add("First", "first text");
  const auto res = f.user.submit(note_url(n) + "/edit", note_url(n) + "/edit",
                                 {{"title", "First"}, {"content", "second text"}});
  REQUIRE(res.status == 303);
  const auto history = f.user.get(history_url(n));
  REQUIRE(history.status == 200);
  CHECK(contains(history.body, "No earlier versions"));
  CHECK(f.user.get(history_url(n) + "/1").status == 404);
}

TEST_CASE("history: an edit through the form keeps the text it replaced") {
  web_fixture f;
  const auto n = f.add("First", "first text");
  const auto res = f.user.submit(note_url(n) + "/edit", note_url(n) + "/edit",
                                 {{"title", "First"}, {"content", "second text"}});
  REQUIRE(res.status == 303);
  const auto version = f.user.get(history_url(n) + "/1");
  REQUIRE(version.status == 200);
  CHECK(contains(version.body, "<del><span class=\"diff-sign\">−</span>first text</del>"));
}

TEST_CASE("history: another account's note history is a 404") {
  other_account_fixture<memory_backend> f;
  const auto secret = f.bobs.create({"Bob's secret", "Hidden", false}).value();
  REQUIRE(f.bobs.update(secret.id, {std::nullopt, std::string("Hidden v2"), std::nullopt}));
  const std::string url = "/notes/" + std::to_string(secret.id) + "/history";
  CHECK(f.ann.get(url).status == 404);
  CHECK(f.ann.get(url + "/1").status == 404);
  CHECK(f.ann.post_form(url + "/1/restore", {{"csrf_token", f.ann_token}, {"version", "2"}})
            .status == 404);
  CHECK(f.bobs.get(secret.id).value().content == "Hidden v2");
}
