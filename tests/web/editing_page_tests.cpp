// What the pages give writing without friction: the shortcut list in the footer, the edit page
// named after its note, the new-note title focused, a named New note link, and script only from
// files (the CSP allows nothing inline), so every page works without it.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "web_fixture.hpp"

using namespace notes::testing;

namespace {

std::string edit_url(const notes::note& n) { return "/notes/" + std::to_string(n.id) + "/edit"; }

}  // namespace

TEST_CASE("pages with the header list the keyboard shortcuts in a footer that needs no script") {
  web_fixture f;
  const auto n = f.add("Listed");
  for (const std::string& target :
       {std::string("/notes"), "/notes/" + std::to_string(n.id), std::string("/notes/new")}) {
    CAPTURE(target);
    const std::string body = f.user.get(target).body;
    CHECK(contains(body, "<details class=\"shortcuts\" id=\"shortcuts\">"));
    CHECK(contains(body, "<summary>Keyboard shortcuts</summary>"));
    CHECK(contains(body, "<dt><kbd>/</kbd></dt><dd>Search notes</dd>"));
    CHECK(contains(body, "<dt><kbd>n</kbd></dt><dd>New note</dd>"));
    CHECK(contains(body, "<kbd>Ctrl</kbd> + <kbd>Enter</kbd>"));
    CHECK(contains(body, "<dt><kbd>?</kbd></dt>"));
  }
}

TEST_CASE("the edit page names its note in the title and heading, also after a refused save") {
  web_fixture f;
  const auto n = f.add("Groceries <list>");
  auto res = f.user.get(edit_url(n));
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "<title>Edit \u201cGroceries &lt;list&gt;\u201d · Notes</title>"));
  CHECK(contains(res.body, "<h1>Edit \u201cGroceries &lt;list&gt;\u201d</h1>"));

  // A blanked title is refused; the page still names the saved note, not the empty field.
  res = f.user.submit(edit_url(n), edit_url(n), {{"title", " "}, {"content", "milk"}});
  REQUIRE(res.status == 400);
  CHECK(contains(res.body, "<title>Edit \u201cGroceries &lt;list&gt;\u201d · Notes</title>"));
  CHECK(contains(res.body, "<h1>Edit \u201cGroceries &lt;list&gt;\u201d</h1>"));

  CHECK(contains(f.user.get("/notes/new").body, "<title>New note · Notes</title>"));
}

TEST_CASE("a new note's title field is focused when the page opens; an edit's is not") {
  web_fixture f;
  const auto n = f.add("Focus");
  CHECK(contains(f.user.get("/notes/new").body, "autocomplete=\"off\" autofocus"));
  CHECK_FALSE(contains(f.user.get(edit_url(n)).body, "autofocus"));
}

TEST_CASE("the New note link has a name of its own, as the phone layout hides its text") {
  web_fixture f;
  CHECK(contains(f.user.get("/notes").body,
                 "<a class=\"button primary new-note\" href=\"/notes/new\" "
                 "aria-label=\"New note\">"));
}

TEST_CASE("every script is an external file with no inline code or handler, and is served") {
  web_fixture f;
  const auto n = f.add("Scripts");
  const std::regex script_tag(R"(<script[^>]*>([^<]*)</script>)");
  const std::regex handler(R"(\son[a-z]+\s*=)", std::regex::icase);
  const std::regex source(R"(^<script src="(/static/js/[a-z-]+\.js)\?v=[0-9a-f]+" defer>)");
  for (const std::string& target :
       {std::string("/notes"), "/notes/" + std::to_string(n.id), std::string("/notes/new"),
        edit_url(n)}) {
    CAPTURE(target);
    const std::string body = f.user.get(target).body;
    CHECK_FALSE(std::regex_search(body, handler));
    int scripts = 0;
    for (std::sregex_iterator it(body.begin(), body.end(), script_tag), end; it != end; ++it) {
      ++scripts;
      const std::string tag = it->str();
      CAPTURE(tag);
      CHECK((*it)[1].str().empty());
      std::smatch src;
      REQUIRE(std::regex_search(tag, src, source));
      const auto res = f.user.get(src[1].str());
      CHECK(res.status == 200);
      CHECK(res.header("Content-Type") == "text/javascript; charset=utf-8");
    }
    CHECK(scripts == 4);
  }
}
