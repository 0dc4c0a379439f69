#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "markdown/markdown.hpp"
#include "web/embedded_assets.hpp"
#include "web/form.hpp"
#include "web/render/html_views.hpp"
#include "notes/time.hpp"
#include "web/render/page_templates.hpp"

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

TEST_CASE("every template is embedded and none but the rendered note uses unescaped output") {
  std::vector<std::string> names;
  for (const embedded_file& f : embedded_templates()) {
    names.emplace_back(f.path);
    // The one unescaped slot: a note's content as HTML, written escaped by markdown::to_html.
    std::string text(f.content);
    if (f.path == "notes/detail.mustache") {
      const auto at = text.find("{{{content_html}}}");
      CHECK(at != std::string::npos);
      if (at != std::string::npos) text.erase(at, 18);
    }
    CHECK_MESSAGE(text.find("{{{") == std::string::npos, f.path);
    CHECK_MESSAGE(text.find("{{&") == std::string::npos, f.path);
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

TEST_CASE("the detail page escapes the note and shows its content as Markdown") {
  const auto views = default_views();
  const note n = evil_note();
  const std::string html =
      views.detail(evil_layout(), n, notes::http::markdown::to_html(n.content));
  check_escaped(html);
  CHECK(html.find("<p>" + evil_escaped + "\nsecond line</p></div>") != std::string::npos);
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

namespace {

std::size_t occurrences(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

list_view list_of(const std::vector<note>& notes, std::int64_t total, std::int64_t page = 1) {
  list_view view;
  view.notes = notes;
  view.page = notes::make_page_info({page, 10}, total);
  return view;
}

}  // namespace

TEST_CASE("the list page escapes < > & \" ' in every slot") {
  const auto views = default_views();
  note n = evil_note();
  n.content = evil + "\n\n" + evil;
  const std::vector<note> notes{n, n};
  list_view view = list_of(notes, 25, 2);
  view.query = evil;
  const layout_view layout{evil, evil, {{evil, evil}, {"success", evil}}};
  const std::string html = views.list(layout, view);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("alert(\"") == std::string::npos);
  CHECK(html.find("<title>" + evil_escaped + " · Notes</title>") != std::string::npos);
  CHECK(html.find("name=\"q\" value=\"" + evil_escaped + "\"") != std::string::npos);
  CHECK(html.find("class=\"flash flash-" + evil_escaped + "\" role=\"status\">" + evil_escaped +
                  "</p>") != std::string::npos);
  CHECK(html.find("25 notes match “" + evil_escaped + "”") != std::string::npos);
  CHECK(occurrences(html, "<a href=\"/notes/7\">" + evil_escaped + "</a>") == 2);
  // Search results show the passage around the match, the match marked, each part escaped;
  // the passage is the text a reader sees, its paragraphs joined by a space.
  CHECK(occurrences(html, "<p class=\"note-excerpt\"><mark>" + evil_escaped + "</mark> " +
                              evil_escaped + "</p>") == 2);
  // Page links carry the search percent-encoded, so nothing in them needs escaping.
  CHECK(html.find("href=\"/notes?q=" + url_encode(evil) + "\" rel=\"prev\"") != std::string::npos);
  CHECK(html.find("href=\"/notes?q=" + url_encode(evil) + "&amp;page=3\" rel=\"next\"") !=
        std::string::npos);

  list_view failed;
  failed.query = evil;
  failed.query_error = evil;
  const std::string error_html = views.list(layout, failed);
  CHECK(error_html.find("<p class=\"alert\" role=\"alert\">" + evil_escaped + "</p>") !=
        std::string::npos);
  CHECK(error_html.find("<script>") == std::string::npos);

  list_view no_match;
  no_match.query = evil;
  const std::string none_html = views.list(layout, no_match);
  CHECK(none_html.find("No note contains “" + evil_escaped + "”") != std::string::npos);
  CHECK(none_html.find("<script>") == std::string::npos);
}

TEST_CASE("the list page's sections: cards, pins, pagination and each empty state") {
  const auto views = default_views();
  const layout_view layout{"Your notes", "", {}};

  note pinned = evil_note();
  pinned.title = "Pinned one";
  note plain = pinned;
  plain.id = 8;
  plain.title = "Plain one";
  plain.is_pinned = false;
  const std::vector<note> notes{pinned, plain};
  const std::string page = views.list(layout, list_of(notes, 2));
  CHECK(occurrences(page, "<li class=\"note-card") == 2);
  CHECK(occurrences(page, "<li class=\"note-card is-pinned\">") == 1);
  CHECK(occurrences(page, "class=\"badge badge-pin\"") == 1);
  CHECK(page.find("<p class=\"muted\">2 notes</p>") != std::string::npos);
  // The cards say how long ago the last change was (version 3: an edit), with the exact time on
  // hover and for screen readers.
  CHECK(page.find("Edited <time datetime=\"2026-05-29T22:26:40.000000Z\" "
                  "title=\"May 29, 2026, 22:26 UTC\" data-relative>") != std::string::npos);
  CHECK(page.find("<span class=\"visually-hidden\"> (May 29, 2026, 22:26 UTC)</span>") !=
        std::string::npos);
  CHECK(page.find("class=\"pagination\"") == std::string::npos);
  CHECK(page.find("empty-state") == std::string::npos);
  CHECK(page.find("Clear search") == std::string::npos);
  CHECK(page.find("{{") == std::string::npos);
  // A rendered section's own lines leave nothing behind.
  CHECK(page.find("<ul class=\"note-grid\">\n  <li class=\"note-card is-pinned\">") !=
        std::string::npos);

  const std::string middle = views.list(layout, list_of(notes, 95, 5));
  CHECK(middle.find("href=\"/notes?page=4\" rel=\"prev\"") != std::string::npos);
  CHECK(middle.find("href=\"/notes?page=6\" rel=\"next\"") != std::string::npos);
  CHECK(middle.find("aria-current=\"page\" aria-label=\"Page 5\">5</a>") != std::string::npos);
  CHECK(occurrences(middle, "class=\"page-gap\"") == 2);
  CHECK(middle.find("href=\"/notes?page=10\" aria-label=\"Page 10\">10</a>") != std::string::npos);

  const std::string first = views.list(layout, list_of(notes, 12, 1));
  const std::string disabled = "<span class=\"page-step is-disabled\" aria-hidden=\"true\">";
  CHECK(first.find(disabled + "← Previous</span>") != std::string::npos);
  const std::string last = views.list(layout, list_of(notes, 12, 2));
  CHECK(last.find(disabled + "Next →</span>") != std::string::npos);

  const std::vector<note> no_notes;
  const std::string empty = views.list(layout, list_of(no_notes, 0));
  CHECK(empty.find("<h2>No notes yet</h2>") != std::string::npos);
  CHECK(empty.find("href=\"/notes/new\">Write your first note</a>") != std::string::npos);
  CHECK(empty.find("Nothing written yet.") != std::string::npos);
  CHECK(empty.find("note-grid") == std::string::npos);
  CHECK(empty.find("class=\"pagination\"") == std::string::npos);

  list_view past = list_of(no_notes, 12, 7);
  past.query = "milk";
  const std::string past_html = views.list(layout, past);
  CHECK(past_html.find("<h2>Nothing on this page</h2>") != std::string::npos);
  CHECK(past_html.find("href=\"/notes?q=milk\">Go to the first page</a>") != std::string::npos);
  CHECK(past_html.find("href=\"/notes?q=milk&amp;page=2\" rel=\"prev\"") != std::string::npos);
  CHECK(past_html.find("Clear search") != std::string::npos);

  list_view no_match;
  no_match.query = "milk";
  const std::string none_html = views.list(layout, no_match);
  CHECK(none_html.find("<h2>No matches</h2>") != std::string::npos);
  CHECK(none_html.find("0 notes match “milk”") != std::string::npos);
  CHECK(none_html.find("href=\"/notes\">Show all notes</a>") != std::string::npos);

  const std::vector<note> just_one{plain};
  list_view one = list_of(just_one, 1);
  CHECK(views.list(layout, one).find(">1 note<") != std::string::npos);
  one.query = "milk";
  CHECK(views.list(layout, one).find("1 note matches “milk”") != std::string::npos);

  list_view failed;
  failed.query = "x";
  failed.query_error = "Too long";
  const std::string failed_html = views.list(layout, failed);
  CHECK(failed_html.find("<h2>Search could not run</h2>") != std::string::npos);
  CHECK(failed_html.find("role=\"alert\">Too long</p>") != std::string::npos);
}

TEST_CASE("page times: the ISO form is to_rfc3339's, the readable one is minutes in UTC") {
  const auto views = default_views();
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> micros = {0, -1, 1, 86'400'000'000 - 1, -86'400'000'000,
                                      253'402'300'799'999'999,   // 9999-12-31T23:59:59.999999
                                      253'402'300'800'000'000,   // year 10000: clamped
                                      -62'167'219'200'000'001};  // before year 0: clamped
  for (int i = 0; i < 200; ++i) {
    micros.push_back(std::uniform_int_distribution<std::int64_t>(-100'000'000'000'000'000,
                                                                 300'000'000'000'000'000)(rng));
  }
  for (const std::int64_t m : micros) {
    note n = evil_note();
    n.created_at = notes::timestamp(std::chrono::microseconds(m));
    n.updated_at = n.created_at;
    const std::string html = views.detail(evil_layout(), n, "");
    CAPTURE(m);
    CHECK(occurrences(html, "datetime=\"" + notes::to_rfc3339(n.created_at) + "\">" +
                                display_time(n.created_at) + "</time>") == 2);
  }
  using namespace std::chrono;
  CHECK(display_time(sys_days{2026y / November / 5} + 9h + 7min + 59s) == "Nov 5, 2026, 09:07 UTC");
  CHECK(display_time(sys_days{1969y / December / 31} + 23h + 59min) == "Dec 31, 1969, 23:59 UTC");
  CHECK(display_time(notes::timestamp(microseconds(-1))) == "Dec 31, 1969, 23:59 UTC");
}

TEST_CASE("excerpts agree with a byte-by-byte reading on random text, broken UTF-8 included") {
  // The plain reading of the rule: white space runs become one space between words, and the text
  // stops with an ellipsis before the code point that would exceed the limit.
  const auto reference = [](std::string_view content, std::size_t max_code_points) {
    std::string out;
    std::size_t code_points = 0;
    bool pending_space = false;
    for (const char ch : content) {
      const unsigned char c = static_cast<unsigned char>(ch);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
        pending_space = !out.empty();
        continue;
      }
      if ((c & 0xC0) != 0x80) {
        if (code_points + (pending_space ? 1 : 0) >= max_code_points) return out + "…";
        if (pending_space) {
          out += ' ';
          ++code_points;
          pending_space = false;
        }
        ++code_points;
      }
      out += static_cast<char>(c);
    }
    return out;
  };
  std::mt19937 rng(11);
  const std::vector<std::string> pieces = {"a", "word", " ", "  ", "\n", "\t", "\r\n", "é", "€",
                                           "𝄞", "\x80", "\xC3", "\v\f", "x y"};
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (std::size_t n = rng() % 20; n > 0; --n) text += pieces[rng() % pieces.size()];
    const std::size_t limit = rng() % 12;
    CAPTURE(text);
    CAPTURE(limit);
    CHECK(excerpt(text, limit) == reference(text, limit));
    std::string appended = "kept";
    append_excerpt(appended, text, limit);
    CHECK(appended == "kept" + reference(text, limit));
  }
}
