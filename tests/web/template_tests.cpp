#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "embedded_assets.hpp"
#include "html_views.hpp"
#include "page_templates.hpp"

using namespace notes::http::web;
using notes::note;
namespace fs = std::filesystem;

namespace {

const std::string evil = "<script>alert(\"x&y\")</script>'";
const std::string evil_escaped = "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&apos;";

html_views default_views() {
  auto templates = page_templates::load(std::nullopt);
  REQUIRE(templates);
  return html_views(std::move(*templates), "v1");
}

note evil_note() {
  note n;
  n.id = 7;
  n.title = evil;
  n.content = evil + "\nsecond line";
  n.is_pinned = true;
  n.created_at = notes::timestamp(std::chrono::microseconds(1'780'000'000'000'000));
  n.updated_at = n.created_at + std::chrono::hours(26);
  n.version = 3;
  return n;
}

layout_view evil_layout() { return {evil, evil, {{"success", evil}}}; }

void check_escaped(const std::string& html) {
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find(evil_escaped) != std::string::npos);
}

struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("notes-tpl-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const fs::path& relative, const std::string& content) const {
    fs::create_directories((path / relative).parent_path());
    std::ofstream(path / relative, std::ios::binary) << content;
  }
};

}  // namespace

TEST_CASE("every template is embedded and none uses unescaped output") {
  std::vector<std::string> names;
  for (const embedded_file& f : embedded_templates()) {
    names.emplace_back(f.path);
    CHECK_MESSAGE(f.content.find("{{{") == std::string_view::npos, f.path);
    CHECK_MESSAGE(f.content.find("{{&") == std::string_view::npos, f.path);
  }
  for (const char* expected :
       {"layout.mustache", "error.mustache", "notes/list.mustache", "notes/detail.mustache",
        "notes/form.mustache", "notes/delete.mustache"}) {
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
}

TEST_CASE("the layout is folded into the page text") {
  const auto page = compose_page("<main>{{> content}}</main>", "<p>{{x}}</p>");
  REQUIRE(page);
  CHECK(*page == "<main><p>{{x}}</p></main>");
  CHECK_FALSE(compose_page("<main></main>", "x"));
  CHECK_FALSE(compose_page("{{> content}}{{> content}}", "x"));
}

TEST_CASE("the list page escapes titles, excerpts, the search box and flashes") {
  const auto views = default_views();
  const std::vector<note> notes{evil_note()};
  list_view view;
  view.notes = notes;
  view.page = notes::make_page_info({1, 10}, 1);
  view.query = evil;
  const std::string html = views.list(evil_layout(), view);
  check_escaped(html);
  CHECK(html.find("<!doctype html>") == 0);
  CHECK(html.find("href=\"/notes/7\"") != std::string::npos);
  CHECK(html.find("Pinned") != std::string::npos);
}

TEST_CASE("the detail page escapes the note and keeps its line breaks for pre-wrap") {
  const auto views = default_views();
  const std::string html = views.detail(evil_layout(), evil_note());
  check_escaped(html);
  CHECK(html.find(evil_escaped + "\nsecond line</div>") != std::string::npos);
  CHECK(html.find("datetime=\"2026-05-28T20:26:40.000000Z\"") != std::string::npos);
  CHECK(html.find("May 28, 2026, 20:26 UTC") != std::string::npos);
  CHECK(html.find("May 29, 2026, 22:26 UTC") != std::string::npos);
  CHECK(html.find("href=\"/notes/7/edit\"") != std::string::npos);
  CHECK(html.find("href=\"/notes/7/delete\"") != std::string::npos);
}

TEST_CASE("the form escapes what was typed, errors and the rejected text") {
  const auto views = default_views();
  form_view view;
  view.id = 7;
  view.title = evil;
  view.content = evil;
  view.version = 3;
  view.csrf_token = "tok\"en";
  view.title_error = evil;
  view.form_error = evil;
  view.rejected = notes::note_draft{evil, evil, false};
  const std::string html = views.form(evil_layout(), view);
  check_escaped(html);
  CHECK(html.find("name=\"csrf_token\" value=\"tok&quot;en\"") != std::string::npos);
  CHECK(html.find("name=\"version\" value=\"3\"") != std::string::npos);
  CHECK(html.find("action=\"/notes/7/edit\"") != std::string::npos);
  CHECK(html.find("aria-invalid=\"true\" aria-describedby=\"title-error\"") != std::string::npos);
}

TEST_CASE("the new-note form has no version field and a checkbox named is_pinned") {
  const auto views = default_views();
  form_view view;
  view.is_pinned = true;
  const std::string html = views.form({"New note", "", {}}, view);
  CHECK(html.find("name=\"version\"") == std::string::npos);
  CHECK(html.find("name=\"is_pinned\" type=\"checkbox\" value=\"y\" checked") != std::string::npos);
  CHECK(html.find("<label for=\"title\">Title</label>") != std::string::npos);
  CHECK(html.find("<label for=\"content\">Content</label>") != std::string::npos);
  CHECK(html.find("<label for=\"is_pinned\">Pin this note</label>") != std::string::npos);
}

TEST_CASE("the delete confirmation and error pages escape everything") {
  const auto views = default_views();
  const note n = evil_note();
  check_escaped(views.confirm_delete(evil_layout(), {&n, "t", evil}));
  check_escaped(views.error(evil_layout(), {404, evil, evil}));
}

TEST_CASE("page numbers: first, last, the neighbourhood, and gaps") {
  const auto numbers = [](std::int64_t current, std::int64_t pages) {
    std::string out;
    for (const page_link& l : page_window(current, pages)) {
      out += l.number == 0
                 ? std::string("…")
                 : (l.current ? "[" + std::to_string(l.number) + "]" : std::to_string(l.number));
      out += ' ';
    }
    return out;
  };
  CHECK(numbers(1, 0) == "");
  CHECK(numbers(1, 1) == "[1] ");
  CHECK(numbers(1, 3) == "[1] 2 3 ");
  CHECK(numbers(5, 10) == "1 … 3 4 [5] 6 7 … 10 ");
  CHECK(numbers(10, 10) == "1 … 8 9 [10] ");
  CHECK(numbers(4, 7) == "1 2 3 [4] 5 6 7 ");
  CHECK(numbers(20, 7) == "1 … 7 ");
}

TEST_CASE("list links keep the search and drop page 1") {
  CHECK(list_url("", 1) == "/notes");
  CHECK(list_url("", 3) == "/notes?page=3");
  CHECK(list_url("milk & eggs", 2) == "/notes?q=milk%20%26%20eggs&page=2");
  CHECK(list_url("x", 1) == "/notes?q=x");
}

TEST_CASE("excerpts flatten white space and cut at a character with an ellipsis") {
  CHECK(excerpt("  one\n\ntwo\tthree  ") == "one two three");
  CHECK(excerpt("äöüäöü", 3) == "äöü…");
  CHECK(excerpt("abc", 3) == "abc");
  CHECK(excerpt("ab cd", 3) == "ab…");
}

TEST_CASE("TEMPLATES_DIR overrides single templates and keeps the others") {
  temp_dir dir;
  dir.write("error.mustache", "<h1 class=\"custom\">{{heading}}</h1>");
  auto templates = page_templates::load(dir.path);
  REQUIRE(templates);
  const html_views views(std::move(*templates), "v");
  const std::string html = views.error({"t", "", {}}, {404, "Gone", "m"});
  CHECK(html.find("<h1 class=\"custom\">Gone</h1>") != std::string::npos);
  CHECK(html.find("<!doctype html>") == 0);
}

TEST_CASE("a broken template or a layout without the marker is a start-up error naming the file") {
  temp_dir broken;
  broken.write("notes/list.mustache", "{{#notes}} never closed");
  const auto a = page_templates::load(broken.path);
  REQUIRE_FALSE(a);
  CHECK(a.error().find("notes/list.mustache") != std::string::npos);

  temp_dir no_marker;
  no_marker.write("layout.mustache", "<html></html>");
  const auto b = page_templates::load(no_marker.path);
  REQUIRE_FALSE(b);
  CHECK(b.error().find("layout.mustache") != std::string::npos);
}

TEST_CASE("a partial or a delimiter change in a template is a start-up error naming the file") {
  temp_dir partial;
  partial.write("notes/detail.mustache", "<h1>{{> title}}</h1>");
  const auto a = page_templates::load(partial.path);
  REQUIRE_FALSE(a);
  CHECK(a.error().find("notes/detail.mustache") != std::string::npos);
  CHECK(a.error().find("partial") != std::string::npos);

  temp_dir in_layout;
  in_layout.write("layout.mustache", "<body>{{>footer}}{{> content}}</body>");
  const auto b = page_templates::load(in_layout.path);
  REQUIRE_FALSE(b);
  CHECK(b.error().find("partial") != std::string::npos);

  temp_dir delimiters;
  delimiters.write("error.mustache", "{{=<% %>=}}<h1><%heading%></h1>");
  const auto c = page_templates::load(delimiters.path);
  REQUIRE_FALSE(c);
  CHECK(c.error().find("error.mustache") != std::string::npos);
  CHECK(c.error().find("delimiter") != std::string::npos);
}

TEST_CASE("tags that only look like partials are not refused") {
  temp_dir dir;
  dir.write("error.mustache",
            "<h1>{{heading}}</h1>{{! a comment about {{> x }}<p>{{{ > raw }}}</p><p>a > b</p>");
  CHECK(page_templates::load(dir.path));
}
