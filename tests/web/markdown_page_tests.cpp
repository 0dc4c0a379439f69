// A note's content as Markdown on its page and as plain words on the cards, and what a hostile
// note cannot get into a page.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "web_fixture.hpp"

using namespace notes::testing;

namespace {

// The HTML between the content element's tags.
std::string content_of(const std::string& page) {
  constexpr std::string_view open = "<div class=\"note-content markdown\">";
  const auto start = page.find(open);
  REQUIRE(start != std::string::npos);
  const auto from = start + open.size();
  const auto end = page.find("</div>\n", from);  // the rendered HTML has no div of its own
  REQUIRE(end != std::string::npos);
  return page.substr(from, end - from);
}

std::string rendered(web_fixture& f, std::string content) {
  const auto n = f.add("Markdown", std::move(content));
  const auto res = f.user.get("/notes/" + std::to_string(n.id));
  REQUIRE(res.status == 200);
  return content_of(res.body);
}

// Whether `html` has an element or attribute a script could run from, or a link whose target is
// anything but http(s), mailto or relative. Text is escaped, so every '<' starts a real tag.
void check_inert(const std::string& html) {
  for (const std::string_view bad : {"<script", "<img", "<iframe", "<svg", "<object", "<style",
                                     "<embed", "<form", "<!--", "<math", "<base", "<meta"}) {
    CAPTURE(bad);
    CHECK_FALSE(contains(html, bad));
  }
  for (auto at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    // The tag without its quoted values: what is left are names only.
    std::string names;
    bool quoted = false;
    std::size_t i = at + 1;
    for (; i < html.size() && (quoted || html[i] != '>'); ++i) {
      if (html[i] == '"') quoted = !quoted;
      if (!quoted && html[i] != '"') names += html[i];
    }
    CAPTURE(names);
    CHECK_FALSE(contains(names, " on"));
    CHECK_FALSE(contains(names, "style"));
    CHECK_FALSE(contains(names, "src"));
    CHECK_FALSE(contains(names, "'"));
  }
  for (auto at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    const std::string target = html.substr(at + 6, html.find('"', at + 6) - at - 6);
    CAPTURE(target);
    const bool allowed = target.starts_with("http://") || target.starts_with("https://") ||
                         target.starts_with("mailto:") || target.find(':') == std::string::npos;
    CHECK(allowed);
  }
}

}  // namespace

TEST_CASE("markdown: a note shows headings, emphasis, lists, code, tables and links as HTML") {
  web_fixture f;
  const std::string html = rendered(
      f,
      "# Quarterly planning\n\nSome **bold**, _soft_ and ~~gone~~ words.\n\n"
      "- one\n- two\n\n1. first\n\n```cpp\nint x = 1 < 2;\n```\n\n"
      "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
      "[docs](https://example.com/a?b=1&c=2 \"The docs\"), https://example.org/x and "
      "<mailto:me@example.com>\n");
  CHECK(contains(html, "<h1>Quarterly planning</h1>"));
  CHECK(contains(html, "<strong>bold</strong>"));
  CHECK(contains(html, "<em>soft</em>"));
  CHECK(contains(html, "<del>gone</del>"));
  CHECK(contains(html, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"));
  CHECK(contains(html, "<ol>\n<li>first</li>\n</ol>"));
  CHECK(contains(html, "<pre><code class=\"language-cpp\">int x = 1 &lt; 2;\n</code></pre>"));
  CHECK(contains(html, "<th class=\"align-left\">a</th><th class=\"align-right\">b</th>"));
  CHECK(contains(html, "<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"The docs\" "
                       "rel=\"noopener nofollow ugc\">docs</a>"));
  CHECK(contains(html, "<a href=\"https://example.org/x\" rel=\"noopener nofollow ugc\">"));
  CHECK(contains(html, "<a href=\"mailto:me@example.com\" rel=\"noopener nofollow ugc\">"));
  CHECK_FALSE(contains(html, "**"));
  CHECK_FALSE(contains(html, "# Quarterly"));
}

TEST_CASE("markdown: each task box is a button of a form with the CSRF token and the version") {
  web_fixture f;
  const auto n = f.add("Tasks", "- [ ] write the report\n- [x] book the room\n");
  const auto res = f.user.get("/notes/" + std::to_string(n.id));
  REQUIRE(res.status == 200);
  const std::string html = content_of(res.body);
  CHECK(contains(html, "<li class=\"task\"><button class=\"task-box\" type=\"submit\" "
                       "form=\"task-1\" data-task=\"1\" role=\"checkbox\" "
                       "aria-checked=\"false\""));
  CHECK(contains(html, "form=\"task-2\" data-task=\"2\" role=\"checkbox\" "
                       "aria-checked=\"true\""));
  const std::string action = "action=\"/notes/" + std::to_string(n.id) + "/tasks/";
  CHECK(contains(res.body, "<form id=\"task-1\" class=\"task-form\" method=\"post\" " +
                               action + "1\" hidden>"));
  CHECK(contains(res.body, action + "2\""));
  CHECK(contains(res.body, "name=\"csrf_token\" value=\"" + csrf_token_in(res.body) + "\""));
  CHECK(contains(res.body, "name=\"version\" value=\"1\""));
  // The API shows the boxes as they are, without forms to submit.
  http_client api(f.server.port());
  const auto json = api.get("/api/notes/" + std::to_string(n.id) + "?include=html");
  CHECK(contains(json.body, "<input type=\\\"checkbox\\\" disabled checked>"));
}

TEST_CASE("markdown: ticking a box changes exactly that box in the text, at the next version") {
  web_fixture f;
  const std::string text = "Plan\n\n- [ ] one\n- [x] two\n  - [ ] three `[ ]`\n\n[ ] not a task";
  const auto n = f.add("Tasks", text);
  const std::string url = "/notes/" + std::to_string(n.id);
  const auto ticked = f.user.submit(url, url + "/tasks/3", {});
  CHECK(ticked.status == 303);
  CHECK(ticked.header("Location") == url);
  CHECK(f.stored().at(0).content ==
        "Plan\n\n- [ ] one\n- [x] two\n  - [x] three `[ ]`\n\n[ ] not a task");
  CHECK(f.stored().at(0).version == 2);
  CHECK(f.user.submit(url, url + "/tasks/2", {}).status == 303);
  CHECK(f.stored().at(0).content ==
        "Plan\n\n- [ ] one\n- [ ] two\n  - [x] three `[ ]`\n\n[ ] not a task");
  CHECK(contains(f.user.get(url).body, "aria-checked=\"false\" title=\"Mark as done\">☐</button> "
                                       "two"));
}

TEST_CASE("markdown: a stale, forged or out-of-range tick changes nothing") {
  web_fixture f;
  const auto n = f.add("Tasks", "- [ ] one\n- [ ] two");
  const std::string url = "/notes/" + std::to_string(n.id);
  const std::string page = f.user.get(url).body;
  const std::string token = csrf_token_in(page);
  notes::note_service service(f.store.inspect());
  notes::note_patch patch;
  patch.title = "Tasks, renamed";
  REQUIRE(service.update(n.id, patch, n.version));  // now at version 2

  const auto stale = f.user.post_form(url + "/tasks/1", {{"csrf_token", token}, {"version", "1"}});
  CHECK(stale.status == 409);
  CHECK(contains(stale.body, "nothing was changed"));
  CHECK(f.user.post_form(url + "/tasks/1", {{"version", "2"}}).status == 400);
  CHECK(f.user.post_form(url + "/tasks/1", {{"csrf_token", token}}).status == 400);
  CHECK(f.user.post_form(url + "/tasks/1", {{"csrf_token", token}, {"version", "x"}}).status ==
        400);
  CHECK(f.user.post_form(url + "/tasks/3", {{"csrf_token", token}, {"version", "2"}}).status ==
        404);
  CHECK(f.user.post_form("/notes/999/tasks/1", {{"csrf_token", token}, {"version", "2"}}).status ==
        404);
  CHECK(f.stored().at(0).content == "- [ ] one\n- [ ] two");
  CHECK(f.stored().at(0).version == 2);
  CHECK(f.user.post_form(url + "/tasks/2", {{"csrf_token", token}, {"version", "2"}}).status ==
        303);
  CHECK(f.stored().at(0).content == "- [ ] one\n- [x] two");
}

TEST_CASE("markdown: no payload of the XSS corpus reaches the page as markup or a script link") {
  web_fixture f;
  const std::vector<std::string> corpus{
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](jav&#x09;ascript:alert(1))",
      "[x](&#106;avascript:alert(1))",
      "[x](javascript&colon;alert(1))",
      "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
      "[x](<java\tscript:alert(1)>)",
      "[x](<\tjavascript:alert(1)>)",
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "[x](vbscript:msgbox(1))",
      "[x](file:///etc/passwd)",
      "<javascript:alert(1)>",
      "<JAVASCRIPT:alert(1)>",
      "[x][ref]\n\n[ref]: javascript:alert(1)",
      "[x][ref]\n\n[ref]: <jav&#97;script:alert(1)> \"t\"",
      "![x](javascript:alert(1))",
      "![x](http://evil/x.png\" onerror=\"alert(1))",
      "![x](http://evil/x.png \"a\\\" onerror=\\\"alert(1)\")",
      "[x](https://ok.example/ \"a\\\" onclick=\\\"alert(1)\")",
      "[x](https://ok.example/\"onclick=\"alert(1))",
      "<script>alert(1)</script>",
      "text <script>alert(1)</script> text",
      "<img src=x onerror=alert(1)>",
      "inline <img src=x onerror=alert(1)> image",
      "<a href=\"javascript:alert(1)\">x</a>",
      "inline <a href=\"javascript:alert(1)\">x</a> link",
      "<div>\n<a href=\"javascript:alert(1)\">block</a>\n</div>",
      "<!-- <script>alert(1)</script> -->",
      "<iframe src=\"https://evil\"></iframe>",
      "<svg onload=alert(1)>",
      "<style>body{display:none}</style>",
      "`<script>alert(1)</script>`",
      "```\n<script>alert(1)</script>\n```",
      "    <img src=x onerror=alert(1)>",
      "[<img src=x onerror=alert(1)>](https://ok.example/)",
      "[![x](javascript:alert(1))](javascript:alert(2))",
      "**<script>**alert(1)**</script>**",
      "&lt;script&gt;alert(1)&lt;/script&gt;",
      "https://ok.example/<script>alert(1)</script>",
      "www.example.com/\"onmouseover=\"alert(1)",
      "- [x] <img src=x onerror=alert(1)>",
      "| <script>a</script> | b |\n|---|---|\n| <img src=x onerror=1> | c |",
  };
  for (const std::string& payload : corpus) {
    CAPTURE(payload);
    check_inert(rendered(f, payload));
  }
}

TEST_CASE("markdown: raw HTML and code show as text; an unsafe link keeps its text only") {
  web_fixture f;
  CHECK(rendered(f, "<script>alert(1)</script>") ==
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  CHECK(rendered(f, "`<b>x</b>`") == "<p><code>&lt;b&gt;x&lt;/b&gt;</code></p>");
  CHECK(rendered(f, "[click](javascript:alert(1))") == "<p>click</p>");
  CHECK(rendered(f, "[click](jav&#x09;ascript:alert(1))") == "<p>click</p>");
  CHECK(rendered(f, "[page](other/page#top)") ==
        "<p><a href=\"other/page#top\" rel=\"noopener nofollow ugc\">page</a></p>");
  CHECK(rendered(f, "[t](https://a.example/ \"x\\\" onclick=\\\"y\")") ==
        "<p><a href=\"https://a.example/\" title=\"x&quot; onclick=&quot;y\" "
        "rel=\"noopener nofollow ugc\">t</a></p>");
}

TEST_CASE("markdown: an image is a link to it, never loaded") {
  web_fixture f;
  CHECK(rendered(f, "![a cat](https://img.example/cat.png)") ==
        "<p><a href=\"https://img.example/cat.png\" rel=\"noopener nofollow ugc\">a cat</a></p>");
  CHECK(rendered(f, "![a cat](javascript:alert(1))") == "<p>a cat</p>");
  // A link around an image: one link, the outer one.
  CHECK(rendered(f, "[![a cat](https://img.example/c.png)](https://example.com/)") ==
        "<p><a href=\"https://example.com/\" rel=\"noopener nofollow ugc\">a cat</a></p>");
}

TEST_CASE("markdown: emphasis and bracket bombs finish quickly with bounded output") {
  web_fixture f;
  for (const std::string& bomb :
       {std::string(10000, '*'), std::string(10000, '['), std::string(10000, '_'),
        std::string(5000, '>') , [] {
          std::string s;
          for (int i = 0; i < 5000; ++i) s += "*a";
          return s;
        }(), [] {
          std::string s;
          for (int i = 0; i < 3000; ++i) s += "[x](";
          return s;
        }()}) {
    CAPTURE(bomb.substr(0, 8));
    const auto start = std::chrono::steady_clock::now();
    const std::string html = rendered(f, bomb);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    // 5,000 nested quotes are 5,000 pairs of tags: linear, never worse.
    CHECK(html.size() < bomb.size() * 32 + 1024);
  }
}

TEST_CASE("markdown: cards show the words without Markdown syntax, line breaks as spaces") {
  web_fixture f;
  f.add("Plan",
        "# Quarterly planning\n\n**Bold** and [a link](https://example.com) with `code`\n"
        "- [ ] task one\n- item <b>two</b>");
  const auto list = f.user.get("/notes");
  REQUIRE(list.status == 200);
  CHECK(contains(list.body, "<p class=\"note-excerpt\">Quarterly planning Bold and a link with "
                            "code task one item &lt;b&gt;two&lt;/b&gt;</p>"));
}

TEST_CASE("markdown: the page shows the text of the version it is at, after every change") {
  web_fixture f;
  const auto n = f.add("Changing", "# First");
  const std::string url = "/notes/" + std::to_string(n.id);
  CHECK(contains(f.user.get(url).body, "<h1>First</h1>"));
  CHECK(contains(f.user.get(url).body, "<h1>First</h1>"));
  notes::note_service service(f.store.inspect());
  notes::note_patch patch;
  patch.content = "## Second";
  REQUIRE(service.update(n.id, patch, n.version));
  const std::string after = f.user.get(url).body;
  CHECK(contains(after, "<h2>Second</h2>"));
  CHECK_FALSE(contains(after, "First"));
}

TEST_CASE("markdown: the API keeps the raw text and adds content_html only when asked") {
  web_fixture f;
  const auto n = f.add("Api", "# Title\n\n[x](javascript:alert(1)) **b**");
  http_client api(f.server.port());
  const std::string url = "/api/notes/" + std::to_string(n.id);

  const auto plain = api.get(url);
  REQUIRE(plain.status == 200);
  CHECK(plain.json().at("content").as_string() == "# Title\n\n[x](javascript:alert(1)) **b**");
  CHECK_FALSE(plain.json().as_object().contains("content_html"));

  const auto with_html = api.get(url + "?include=html");
  REQUIRE(with_html.status == 200);
  const boost::json::value parsed = with_html.json();
  const auto& body = parsed.as_object();
  CHECK(body.at("content").as_string() == "# Title\n\n[x](javascript:alert(1)) **b**");
  CHECK(body.at("content_html").as_string() == "<h1>Title</h1>\n<p>x <strong>b</strong></p>");
  CHECK(body.at("id").to_number<std::int64_t>() == n.id);

  for (const std::string bad : {"xml", "", "html,tags", "HTML"}) {
    CAPTURE(bad);
    const auto res = api.get(url + "?include=" + bad);
    CHECK(res.status == 400);
    CHECK(contains(res.body, "Unknown include value"));
    CHECK(contains(res.body, "\"include\""));
  }
}
