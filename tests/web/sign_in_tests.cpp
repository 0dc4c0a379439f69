// The pages of a server with accounts: sign-in and its redirects, CSRF on /login and /logout,
// fresh sessions, the end of sessions (sign-out, a password change, their lifetime), the rate
// limit, sign-up, and the account page with its API tokens.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "notes/note_service.hpp"
#include "sign_in.hpp"
#include "web_fixture.hpp"

using namespace notes::testing;
using namespace std::chrono_literals;
using notes::token_scope;

namespace {

struct accounts_web_fixture {
  memory_backend store;
  account_setup setup{store};
  test_server server;
  browser user;

  explicit accounts_web_fixture(bool open_signup = false,
                                std::chrono::seconds lifetime = std::chrono::days(30))
      : server(store.repositories(),
               accounts_server_options(store, open_signup, lifetime, web_server_options())),
        user(server.port()) {}

  std::vector<notes::note> stored() { return store.inspect().all(std::nullopt).value(); }
};

bool signed_out(browser& b) {
  const auto res = b.get("/notes");
  return res.status == 303 && res.header("Location").starts_with("/login");
}

// Polls until `done` holds or `limit` passes: what other threads looked up may be remembered for
// notes::http's lookup lifetime.
template <class Done>
bool eventually(Done&& done, std::chrono::milliseconds limit = 8s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

std::string location_after_sign_in(accounts_web_fixture& f, const std::string& login_url) {
  browser b(f.server.port());
  const auto res = b.submit(login_url, "/login",
                            {{"username", "ann"}, {"password", std::string(test_password)},
                             {"next", find_in(b.get(login_url).body,
                                              R"re(name="next" value="([^"]*)")re")}});
  REQUIRE(res.status == 303);
  return res.header("Location");
}

}  // namespace

TEST_CASE("accounts: a page without a session redirects to /login, remembering where to") {
  accounts_web_fixture f;
  auto res = f.user.get("/notes?q=milk&page=2");
  CHECK(res.status == 303);
  CHECK(res.header("Location") == "/login?next=%2Fnotes%3Fq%3Dmilk%26page%3D2");
  CHECK(f.user.get("/").header("Location") == "/login?next=%2F");
  CHECK(f.user.head("/notes/new").status == 303);

  // A POST is not replayed after signing in: it just goes to /login, and nothing is done.
  res = f.user.post_form("/notes/new", {{"title", "t"}, {"content", "c"}, {"csrf_token", "x"}});
  CHECK(res.status == 303);
  CHECK(res.header("Location") == "/login");
  CHECK(f.stored().empty());

  // Open to anyone: the sign-in page itself and the stylesheet it needs.
  res = f.user.get("/login");
  CHECK(res.status == 200);
  CHECK(contains(res.body, "name=\"password\""));
  CHECK_FALSE(csrf_token_in(res.body).empty());
  CHECK(f.user.get("/static/css/style.css").status == 200);
}

TEST_CASE("accounts: signing in goes to `next` only when it is a path on this site") {
  accounts_web_fixture f;
  f.setup.add("ann");
  CHECK(location_after_sign_in(f, "/login?next=%2Fnotes%2F5%3Fx%3D1") == "/notes/5?x=1");
  CHECK(location_after_sign_in(f, "/login") == "/notes");
  for (const char* next : {"//evil.example", "https://evil.example", "/\\evil", "\\\\evil",
                           "javascript:alert(1)", "/\r\nSet-Cookie: x=1", "evil", "/ /x"}) {
    CAPTURE(next);
    browser b(f.server.port());
    // As the hidden field of a doctored form, not only through the query.
    const auto res = b.submit("/login", "/login",
                              {{"username", "ann"},
                               {"password", std::string(test_password)},
                               {"next", next}});
    REQUIRE(res.status == 303);
    CHECK(res.header("Location") == "/notes");
  }
  // The raw form of the query: %2F%2F decodes to "//".
  CHECK(location_after_sign_in(f, "/login?next=%2F%2Fevil.example") == "/notes");
  CHECK(location_after_sign_in(f, "/login?next=https%3A%2F%2Fevil.example") == "/notes");
  CHECK(location_after_sign_in(f, "/login?next=%2F%5Cevil") == "/notes");
}

TEST_CASE("accounts: a wrong password shows the form again with a message and signs nobody in") {
  accounts_web_fixture f;
  f.setup.add("ann");
  const auto wrong = f.user.submit("/login", "/login", {{"username", "ann"}, {"password", "nope"}});
  CHECK(wrong.status == 200);
  CHECK(contains(wrong.body, "Wrong username or password."));
  CHECK(contains(wrong.body, "value=\"ann\""));
  CHECK_FALSE(contains(wrong.body, "nope"));
  CHECK(signed_out(f.user));
  const auto unknown =
      f.user.submit("/login", "/login", {{"username", "nobody"}, {"password", "whatever1"}});
  CHECK(unknown.status == 200);
  CHECK(contains(unknown.body, "Wrong username or password."));
}

TEST_CASE("accounts: /login without a valid CSRF token signs nobody in") {
  accounts_web_fixture f;
  f.setup.add("ann");
  f.user.get("/login");
  const std::vector<std::pair<std::string, std::string>> credentials{
      {"username", "ann"}, {"password", std::string(test_password)}};
  CHECK(f.user.post_form("/login", credentials).status == 400);
  auto forged = credentials;
  forged.emplace_back("csrf_token", "forged");
  CHECK(f.user.post_form("/login", forged).status == 400);
  CHECK(signed_out(f.user));
  browser cookieless(f.server.port());
  const std::string token = csrf_token_in(f.user.get("/login").body);
  auto with_token = credentials;
  with_token.emplace_back("csrf_token", token);
  CHECK(cookieless.client().request("POST", "/login", form_encode(with_token),
                                    {{"Content-Type", "application/x-www-form-urlencoded"}})
            .status == 400);
}

TEST_CASE("accounts: a sign-in starts a fresh session: tokens from before it no longer work") {
  accounts_web_fixture f;
  f.setup.add("ann");
  const std::string before = csrf_token_in(f.user.get("/login").body);
  const std::string cookie_before = f.user.cookie();
  REQUIRE(sign_in(f.user, "ann").status == 303);
  CHECK(f.user.cookie() != cookie_before);
  const auto res = f.user.post_form(
      "/notes/new", {{"title", "t"}, {"content", "c"}, {"csrf_token", before}});
  CHECK(res.status == 400);
  CHECK(f.stored().empty());
  // The fixation attempt: the old cookie is still signed out.
  browser attacker(f.server.port());
  attacker.set_cookie(cookie_before);
  CHECK(signed_out(attacker));
}

TEST_CASE("accounts: the layout names who is signed in, links to /account, offers sign-out") {
  accounts_web_fixture f;
  f.setup.add("ann");
  REQUIRE(sign_in(f.user, "ann").status == 303);
  const auto page = f.user.get("/notes");
  REQUIRE(page.status == 200);
  CHECK(contains(page.body, "href=\"/account\""));
  CHECK(contains(page.body, ">ann</a>"));
  CHECK(contains(page.body, "action=\"/logout\""));
}

TEST_CASE("accounts: /logout takes a POST with the CSRF token, anything else signs nobody out") {
  accounts_web_fixture f;
  f.setup.add("ann");
  REQUIRE(sign_in(f.user, "ann").status == 303);
  CHECK(f.user.get("/logout").status == 405);
  CHECK(f.user.post_form("/logout", {}).status == 400);
  CHECK(f.user.post_form("/logout", {{"csrf_token", "forged"}}).status == 400);
  CHECK(f.user.get("/notes").status == 200);

  const std::string cookie = f.user.cookie();
  const auto res = f.user.submit("/notes", "/logout", {});
  CHECK(res.status == 303);
  CHECK(res.header("Location") == "/login");
  CHECK(signed_out(f.user));
  CHECK(contains(f.user.get("/login").body, "You are signed out."));
  // The session cookie from before is replaced, not only dropped: it still works until it ends
  // (cookies are stateless), which is why sign-out also happens on a password change.
  CHECK(f.user.cookie() != cookie);
}

TEST_CASE("accounts: a session ends its lifetime after sign-in, however active") {
  accounts_web_fixture f(false, std::chrono::seconds(2));
  f.setup.add("ann");
  REQUIRE(sign_in(f.user, "ann").status == 303);
  const auto signed_in_at = std::chrono::steady_clock::now();
  REQUIRE(f.user.get("/notes").status == 200);
  CHECK(eventually([&] { return signed_out(f.user); }, 6s));
  // Whole seconds in the cookie: the end comes between one and three seconds after sign-in.
  const auto lasted = std::chrono::steady_clock::now() - signed_in_at;
  CHECK(lasted >= 900ms);
  CHECK(lasted < 4s);
  CHECK(sign_in(f.user, "ann").status == 303);
  CHECK(f.user.get("/notes").status == 200);
}

TEST_CASE("accounts: five wrong passwords, then 429 with Retry-After, even for the right one") {
  accounts_web_fixture f;
  f.setup.add("ann");
  for (int i = 0; i < 5; ++i) {
    CHECK(f.user.submit("/login", "/login", {{"username", "ann"}, {"password", "wrong!!!"}})
              .status == 200);
  }
  const auto refused = f.user.submit(
      "/login", "/login", {{"username", "ann"}, {"password", std::string(test_password)}});
  CHECK(refused.status == 429);
  const std::string retry = refused.header("Retry-After");
  REQUIRE_FALSE(retry.empty());
  CHECK(std::all_of(retry.begin(), retry.end(), [](char c) { return c >= '0' && c <= '9'; }));
  CHECK(std::stoi(retry) > 0);
  CHECK(std::stoi(retry) <= 15 * 60);
  CHECK(contains(refused.body, "Too many failed sign-ins"));
  CHECK(contains(refused.body, "name=\"password\""));
  CHECK(signed_out(f.user));
}

TEST_CASE("accounts: a cookie from a server without accounts is a signed-out session") {
  memory_backend plain_store;
  test_server plain(plain_store.repositories(), web_server_options());
  browser b(plain.port());
  REQUIRE(b.get("/notes/new").status == 200);
  const std::string old_cookie = b.cookie();
  REQUIRE_FALSE(old_cookie.empty());

  accounts_web_fixture f;
  f.setup.add("ann");
  f.user.set_cookie(old_cookie);
  CHECK(signed_out(f.user));
  const auto login = f.user.get("/login");
  CHECK(login.status == 200);
  // The session itself still holds: its CSRF token signs in.
  CHECK(f.user.post_form("/login", {{"username", "ann"},
                                    {"password", std::string(test_password)},
                                    {"csrf_token", csrf_token_in(login.body)}})
            .status == 303);
}
