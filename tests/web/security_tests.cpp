// CSRF refusals, the session cookie, escaping on every page, security headers, /static/.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "web_fixture.hpp"

using namespace notes::testing;
namespace fs = std::filesystem;

namespace {

std::string note_url(const notes::note& n) { return "/notes/" + std::to_string(n.id); }

const std::string evil = "<script>alert('x')</script>";
const std::string evil_escaped = "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;";

void check_no_raw_script(const http_response& res, std::string_view where) {
  CHECK_MESSAGE(!contains(res.body, "<script>alert"), where);
  CHECK_MESSAGE(contains(res.body, evil_escaped), where);
}

void check_security_headers(const http_response& res, std::string_view where) {
  const std::string csp = res.header("Content-Security-Policy");
  CHECK_MESSAGE(contains(csp, "default-src 'self'"), where);
  CHECK_MESSAGE(contains(csp, "frame-ancestors 'none'"), where);
  CHECK_MESSAGE(!contains(csp, "unsafe-inline"), where);
  CHECK_MESSAGE(!contains(csp, "unsafe-eval"), where);
  CHECK_MESSAGE(res.header("X-Content-Type-Options") == "nosniff", where);
  CHECK_MESSAGE(res.header("X-Frame-Options") == "DENY", where);
  CHECK_MESSAGE(res.header("Referrer-Policy") == "same-origin", where);
}

}  // namespace

TEST_CASE("a create without a CSRF token is refused with the form, the text kept, nothing stored") {
  web_fixture f;
  f.user.get("/notes/new");
  const auto res =
      f.user.post_form("/notes/new", {{"title", "Forged"}, {"content", "by another site"}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "This form expired or did not come from this site"));
  CHECK(contains(res.body, "value=\"Forged\""));
  CHECK_FALSE(csrf_token_in(res.body).empty());
  CHECK(f.stored().empty());
}

TEST_CASE("after a refusal the re-rendered form can be submitted") {
  web_fixture f;
  const auto refused = f.user.post_form("/notes/new", {{"title", "Later"}, {"content", "ok"}});
  REQUIRE(refused.status == 400);
  const auto res = f.user.post_form(
      "/notes/new",
      {{"title", "Later"}, {"content", "ok"}, {"csrf_token", csrf_token_in(refused.body)}});
  CHECK(res.status == 303);
  CHECK(f.stored().size() == 1);
}

TEST_CASE("a token from another session, a wrong token or no cookie is refused") {
  web_fixture f;
  browser other(f.server.port());
  const std::string others_token = csrf_token_in(other.get("/notes/new").body);
  const std::string my_token = csrf_token_in(f.user.get("/notes/new").body);
  REQUIRE(others_token != my_token);

  CHECK(
      f.user
          .post_form("/notes/new", {{"title", "a"}, {"content", "b"}, {"csrf_token", others_token}})
          .status == 400);
  CHECK(f.user
            .post_form("/notes/new",
                       {{"title", "a"}, {"content", "b"}, {"csrf_token", my_token + "x"}})
            .status == 400);
  CHECK(f.user.post_form("/notes/new", {{"title", "a"}, {"content", "b"}, {"csrf_token", ""}})
            .status == 400);

  browser cookieless(f.server.port());
  CHECK(cookieless
            .post_form("/notes/new", {{"title", "a"}, {"content", "b"}, {"csrf_token", my_token}})
            .status == 400);
  CHECK(f.stored().empty());
}

TEST_CASE("a tampered session cookie is ignored: a fresh session, never an error") {
  web_fixture f;
  const std::string token = csrf_token_in(f.user.get("/notes/new").body);
  std::string cookie = f.user.cookie();
  cookie[cookie.size() - 3] = cookie[cookie.size() - 3] == 'A' ? 'B' : 'A';
  f.user.set_cookie(cookie);
  const auto res =
      f.user.post_form("/notes/new", {{"title", "a"}, {"content", "b"}, {"csrf_token", token}});
  CHECK(res.status == 400);
  CHECK(res.header("Set-Cookie").starts_with("notes_session="));
  CHECK(f.stored().empty());

  f.user.set_cookie("notes_session=garbage");
  CHECK(f.user.get("/notes").status == 200);
  CHECK(f.user.get("/notes/new").status == 200);
}

TEST_CASE("edit and delete refuse a missing CSRF token and change nothing") {
  web_fixture f;
  const auto n = f.add("Safe", "Untouched");
  const auto edit = f.user.post_form(note_url(n) + "/edit",
                                     {{"title", "Hacked"}, {"content", "x"}, {"version", "1"}});
  CHECK(edit.status == 400);
  CHECK(contains(edit.body, "This form expired or did not come from this site"));
  CHECK(contains(edit.body, "value=\"Hacked\""));

  const auto del = f.user.post_form(note_url(n) + "/delete", {{"version", "1"}});
  CHECK(del.status == 400);
  CHECK(contains(del.body, "This form expired or did not come from this site"));
  CHECK(contains(del.body, "Delete this note?"));

  const auto stored = f.stored();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].title == "Safe");
  CHECK(stored[0].version == 1);
}

TEST_CASE("a POST with no body and no Content-Type is a CSRF refusal with the page, not a 415") {
  web_fixture f;
  const auto n = f.add("Safe", "Untouched");
  f.user.get("/notes/new");
  const auto bare_post = [&](const std::string& target) {
    return f.user.client().request("POST", target, "", {{"Cookie", f.user.cookie()}});
  };

  const auto created = bare_post("/notes/new");
  CHECK(created.status == 400);
  CHECK(contains(created.body, "did not come from this site"));
  CHECK(contains(created.body, "action=\"/notes/new\""));

  const auto edited = bare_post(note_url(n) + "/edit");
  CHECK(edited.status == 400);
  CHECK(contains(edited.body, "did not come from this site"));
  CHECK(contains(edited.body, "value=\"Safe\""));

  const auto deleted = bare_post(note_url(n) + "/delete");
  CHECK(deleted.status == 400);
  CHECK(contains(deleted.body, "did not come from this site"));
  CHECK(contains(deleted.body, "Delete this note?"));
  CHECK_FALSE(csrf_token_in(deleted.body).empty());

  const auto stored = f.stored();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].title == "Safe");
  CHECK(stored[0].version == 1);
}

TEST_CASE("the session cookie is HttpOnly and SameSite=Lax, Secure only when configured") {
  web_fixture plain;
  const std::string cookie = plain.user.get("/notes/new").header("Set-Cookie");
  CHECK(contains(cookie, "; HttpOnly"));
  CHECK(contains(cookie, "; SameSite=Lax"));
  CHECK(contains(cookie, "; Path=/"));
  CHECK_FALSE(contains(cookie, "Secure"));

  auto options = web_server_options();
  options.web.secure_cookies = true;
  web_fixture secure(options);
  CHECK(contains(secure.user.get("/notes/new").header("Set-Cookie"), "; Secure"));
}

TEST_CASE("pages without forms or flashes set no cookie") {
  web_fixture f;
  const auto n = f.add("Quiet");
  CHECK_FALSE(f.user.get("/notes").has_header("Set-Cookie"));
  // The note page has a form (Pin/Unpin), so it starts a session for its token.
  CHECK(f.user.get(note_url(n)).has_header("Set-Cookie"));
}

TEST_CASE("sessions are stateless: a second server with the same key accepts the form") {
  memory_backend store;
  test_server first(store.repositories(), web_server_options("shared secret"));
  test_server second(store.repositories(), web_server_options("shared secret"));
  test_server stranger(store.repositories(), web_server_options("another secret"));
  browser user(first.port());
  const std::string token = csrf_token_in(user.get("/notes/new").body);
  const std::vector<std::pair<std::string, std::string>> fields{
      {"title", "Balanced"}, {"content", "ok"}, {"csrf_token", token}};

  http_client to_stranger(stranger.port());
  const auto refused = to_stranger.request(
      "POST", "/notes/new", form_encode(fields),
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", user.cookie()}});
  CHECK(refused.status == 400);

  http_client to_second(second.port());
  const auto res = to_second.request(
      "POST", "/notes/new", form_encode(fields),
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", user.cookie()}});
  CHECK(res.status == 303);
  CHECK(store.inspect().count(notes::no_account).value() == 1);
}

TEST_CASE("without SECRET_KEY the server makes a random key and forms still work") {
  web_fixture f(web_server_options(""));
  const auto res =
      f.user.submit("/notes/new", "/notes/new", {{"title", "Random"}, {"content", "key"}});
  CHECK(res.status == 303);
}

TEST_CASE("<script> in a title and content is escaped on every page") {
  web_fixture f;
  const auto n = f.add(evil, evil + "\n" + evil, true);
  check_no_raw_script(f.user.get("/notes"), "list");
  check_no_raw_script(f.user.get("/notes?q=script"), "search");
  check_no_raw_script(f.user.get(note_url(n)), "detail");
  check_no_raw_script(f.user.get(note_url(n) + "/edit"), "edit form");
  check_no_raw_script(f.user.get(note_url(n) + "/delete"), "delete confirmation");
  const auto invalid =
      f.user.submit("/notes/new", "/notes/new", {{"title", evil}, {"content", ""}});
  check_no_raw_script(invalid, "invalid form");
  const auto search_box = f.user.get("/notes?q=" + form_encode({{"", evil}}).substr(1));
  CHECK(contains(search_box.body, "value=\"" + evil_escaped + "\""));
  CHECK_FALSE(contains(search_box.body, "<script>alert"));
}

TEST_CASE("every page carries the security headers") {
  web_fixture f;
  const auto n = f.add("Headers");
  for (const std::string& target :
       {std::string("/notes"), note_url(n), note_url(n) + "/edit", note_url(n) + "/delete",
        std::string("/notes/new"), std::string("/nowhere"), std::string("/notes?page=x"),
        std::string("/static/css/style.css")}) {
    check_security_headers(f.user.get(target), target);
  }
  check_security_headers(f.user.get("/"), "redirect");
  check_security_headers(f.user.client().request("PUT", "/notes"), "405");
  CHECK(f.user.get("/notes").header("Cache-Control") == "no-store");
}

TEST_CASE("pages load nothing from other origins and have no inline script") {
  web_fixture f;
  const auto n = f.add("Offline");
  for (const std::string& target :
       {std::string("/notes"), note_url(n), std::string("/notes/new")}) {
    const std::string body = f.user.get(target).body;
    CHECK_FALSE(contains(body, "http://"));
    CHECK_FALSE(contains(body, "https://"));
    CHECK_FALSE(contains(body, "<script>"));
    CHECK_FALSE(contains(body, "style=\""));
    CHECK(contains(body, "<script src=\"/static/js/local-time.js?v="));
  }
}

TEST_CASE("the stylesheet is served with a type, a strong ETag, caching, and 304 on a match") {
  web_fixture f;
  const auto res = f.user.get("/static/css/style.css");
  REQUIRE(res.status == 200);
  CHECK(res.header("Content-Type") == "text/css; charset=utf-8");
  CHECK(contains(res.body, ":root"));
  const std::string etag = res.header("ETag");
  CHECK(etag.size() == 34);
  CHECK(etag.front() == '"');
  CHECK(res.header("Cache-Control") == "public, max-age=3600");

  const auto again = f.user.client().get("/static/css/style.css", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.header("ETag") == etag);
  CHECK(f.user.client().get("/static/css/style.css", {{"If-None-Match", "\"other\""}}).status ==
        200);
}

TEST_CASE("asset links carry the content version, and such URLs may be cached for good") {
  web_fixture f;
  const std::string page = f.user.get("/notes").body;
  const std::string version = find_in(page, R"(/static/css/style\.css\?v=([0-9a-f]+))");
  REQUIRE_FALSE(version.empty());
  const auto res = f.user.get("/static/css/style.css?v=" + version);
  CHECK(res.status == 200);
  CHECK(res.header("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(f.user.get("/static/css/style.css?v=old").header("Cache-Control") ==
        "public, max-age=3600");
  CHECK(f.user.get("/static/js/local-time.js").header("Content-Type") ==
        "text/javascript; charset=utf-8");
  CHECK(f.user.get("/static/favicon.svg").header("Content-Type") == "image/svg+xml");
}

TEST_CASE("/static/ refuses every path that could leave its folder") {
  web_fixture f;
  for (const char* target :
       {"/static/../CMakeLists.txt", "/static/css/../../CMakeLists.txt",
        "/static/%2e%2e/CMakeLists.txt", "/static/%2E%2E/%2E%2E/etc/passwd",
        "/static/css/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
        "/static/%2fetc%2fpasswd", "/static//etc/passwd", "/static/..%5c..%5cetc%5cpasswd",
        "/static/css%5c..%5c..%5cCMakeLists.txt", "/static/C:/Windows/win.ini",
        "/static/css/style.css%00.txt", "/static/./css/style.css", "/static/", "/static"}) {
    const auto res = f.user.get(target);
    CHECK_MESSAGE(res.status == 404, target);
    CHECK_MESSAGE(!contains(res.body, "root:"), target);
    CHECK_MESSAGE(!contains(res.body, "cmake_minimum_required"), target);
  }
}

TEST_CASE("STATIC_DIR and TEMPLATES_DIR restyle the app without rebuilding") {
  const fs::path root = make_temp_directory("notes-web-restyle");
  fs::create_directories(root / "static" / "css");
  fs::create_directories(root / "templates");
  std::ofstream(root / "static" / "css" / "style.css") << "body { background: hotpink }";
  std::ofstream(root / "static" / "extra.txt") << "extra file";
  std::ofstream(root / "secret.txt") << "outside the folder";
  std::ofstream(root / "templates" / "error.mustache")
      << "<p class=\"custom-error\">{{status}} {{heading}}</p>";
  auto options = web_server_options();
  options.web.static_dir = (root / "static").string();
  options.web.templates_dir = (root / "templates").string();
  {
    web_fixture f(options);
    CHECK(f.user.get("/static/css/style.css").body == "body { background: hotpink }");
    CHECK(f.user.get("/static/extra.txt").body == "extra file");
    CHECK(f.user.get("/static/js/local-time.js").status == 200);
    CHECK(f.user.get("/static/../secret.txt").status == 404);
    CHECK(f.user.get("/static/%2e%2e/secret.txt").status == 404);
    const auto missing = f.user.get("/nowhere");
    CHECK(contains(missing.body, "<p class=\"custom-error\">404 Page not found</p>"));
    CHECK(contains(f.user.get("/notes").body, "Your notes"));
  }
  fs::remove_all(root);
}

TEST_CASE("a broken TEMPLATES_DIR or a missing STATIC_DIR stops the server from starting") {
  const fs::path root = make_temp_directory("notes-web-broken");
  std::ofstream(root / "layout.mustache") << "<html>no marker</html>";
  memory_backend store;
  auto bad_templates = web_server_options();
  bad_templates.web.templates_dir = root.string();
  CHECK_THROWS_WITH_AS(test_server(store.repositories(), bad_templates),
                       doctest::Contains("layout.mustache"), std::runtime_error);
  auto bad_static = web_server_options();
  bad_static.web.static_dir = (root / "missing").string();
  CHECK_THROWS_WITH_AS(test_server(store.repositories(), bad_static),
                       doctest::Contains("STATIC_DIR"), std::runtime_error);
  fs::remove_all(root);
}
