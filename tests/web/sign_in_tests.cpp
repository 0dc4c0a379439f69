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
  CHECK(f.user.get("/account").header("Location") == "/login?next=%2Faccount");
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
  CHECK(f.user.get("/account").status == 200);
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

TEST_CASE("accounts: a password change ends every other session and keeps this one") {
  accounts_web_fixture f;
  f.setup.add("ann");
  browser other(f.server.port());
  REQUIRE(sign_in(f.user, "ann").status == 303);
  REQUIRE(sign_in(other, "ann").status == 303);
  REQUIRE(other.get("/notes").status == 200);

  const auto changed = f.user.submit("/account", "/account/password",
                                     {{"current_password", std::string(test_password)},
                                      {"password", "a new password"},
                                      {"password_confirm", "a new password"}});
  REQUIRE(changed.status == 303);
  CHECK(changed.header("Location") == "/account");
  CHECK(f.user.get("/notes").status == 200);
  CHECK(eventually([&] { return signed_out(other); }));
  for (int i = 0; i < 4; ++i) {
    f.user.client().disconnect();  // each server thread keeps this session
    CHECK(f.user.get("/notes").status == 200);
  }
  browser fresh(f.server.port());
  CHECK(sign_in(fresh, "ann").status == 200);  // the old password: the form again
  CHECK(sign_in(fresh, "ann", "a new password").status == 303);
}

TEST_CASE("accounts: the password form checks the current password and the new one twice") {
  accounts_web_fixture f;
  f.setup.add("ann");
  REQUIRE(sign_in(f.user, "ann").status == 303);
  auto res = f.user.submit("/account", "/account/password",
                           {{"current_password", "wrong password"},
                            {"password", "a new password"},
                            {"password_confirm", "a new password"}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "The current password is wrong."));
  res = f.user.submit("/account", "/account/password",
                      {{"current_password", std::string(test_password)},
                       {"password", "a new password"},
                       {"password_confirm", "another one"}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "not the same"));
  res = f.user.submit("/account", "/account/password",
                      {{"current_password", std::string(test_password)},
                       {"password", "short"},
                       {"password_confirm", "short"}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "at least 8 characters"));
  res = f.user.post_form("/account/password",
                         {{"current_password", std::string(test_password)},
                          {"password", "a new password"},
                          {"password_confirm", "a new password"}});
  CHECK(res.status == 400);
  browser check(f.server.port());
  CHECK(sign_in(check, "ann").status == 303);  // nothing changed
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
  const auto form = b.get("/notes/new");
  REQUIRE(form.status == 200);
  const std::string old_cookie = b.cookie();
  const std::string old_token = csrf_token_in(form.body);
  REQUIRE_FALSE(old_cookie.empty());

  accounts_web_fixture f;
  f.setup.add("ann");
  f.user.set_cookie(old_cookie);
  CHECK(signed_out(f.user));
  CHECK(f.user.get("/login").status == 200);
  // The session itself still holds: the CSRF token of a form from before accounts signs in.
  f.user.set_cookie(old_cookie);
  CHECK(f.user.post_form("/login", {{"username", "ann"},
                                    {"password", std::string(test_password)},
                                    {"csrf_token", old_token}})
            .status == 303);
  CHECK(f.user.get("/notes").status == 200);
}

TEST_CASE("accounts: /signup is there only when sign-up is open") {
  accounts_web_fixture closed;
  CHECK(closed.user.get("/signup").status == 404);
  CHECK_FALSE(contains(closed.user.get("/login").body, "href=\"/signup\""));
  accounts_web_fixture open(true);
  CHECK(open.user.get("/signup").status == 200);
  CHECK(contains(open.user.get("/login").body, "href=\"/signup\""));
}

TEST_CASE("accounts: sign-up says what is wrong per field, and a success signs in") {
  accounts_web_fixture f(true);
  f.setup.add("taken");
  const auto attempt = [&](std::string name, std::string password, std::string again) {
    return f.user.submit("/signup", "/signup",
                         {{"username", name}, {"password", password}, {"password_confirm", again}});
  };
  auto res = attempt("ann", "long enough", "different");
  CHECK(res.status == 400);
  CHECK(contains(res.body, "The two passwords are not the same."));
  CHECK(contains(res.body, "value=\"ann\""));
  res = attempt("ann", "short", "short");
  CHECK(res.status == 400);
  CHECK(contains(res.body, "at least 8 characters"));
  res = attempt("not a name!", "long enough", "long enough");
  CHECK(res.status == 400);
  CHECK(contains(res.body, "Username may contain only"));
  res = attempt("TAKEN", "long enough", "long enough");
  CHECK(res.status == 409);
  CHECK(contains(res.body, "That username is taken."));
  CHECK(f.user.post_form("/signup", {{"username", "ann"},
                                     {"password", "long enough"},
                                     {"password_confirm", "long enough"}})
            .status == 400);
  CHECK_FALSE(f.setup.service().find_by_name("ann").value());

  res = attempt("ann", "long enough", "long enough");
  CHECK(res.status == 303);
  CHECK(res.header("Location") == "/notes");
  const auto notes = f.user.get("/notes");
  CHECK(notes.status == 200);
  CHECK(contains(notes.body, ">ann</a>"));
  CHECK(contains(notes.body, "Welcome, ann."));
}

TEST_CASE("accounts: API tokens on /account: made with a name and a scope, shown once, revoked") {
  accounts_web_fixture f;
  f.setup.add("ann");
  REQUIRE(sign_in(f.user, "ann").status == 303);
  CHECK(contains(f.user.get("/account").body, "No tokens yet."));

  auto made = f.user.submit("/account", "/account/tokens", {{"name", "backup script"},
                                                            {"scope", "read"}});
  REQUIRE(made.status == 200);
  CHECK(contains(made.body, "it will not be shown again"));
  const std::string secret = find_in(made.body, R"re(<code class="token-secret">([^<]*)<)re");
  REQUIRE_FALSE(secret.empty());
  CHECK(made.header("Cache-Control") == "no-store");
  CHECK_FALSE(contains(f.user.cookie(), secret));

  // Listed with its name, scope and use; the secret is never on the page again.
  auto page = f.user.get("/account").body;
  CHECK(contains(page, "backup script"));
  CHECK(contains(page, "read only"));
  CHECK_FALSE(contains(page, secret));
  CHECK(contains(page, "never"));
  http_client api(f.server.port());
  CHECK(api.get("/api/notes", bearer(secret)).status == 200);
  CHECK(api.post_json("/api/notes", R"({"title":"t","content":"c"})", bearer(secret)).status ==
        403);
  page = f.user.get("/account").body;
  CHECK_FALSE(contains(page, ">never<"));

  // Refused without the form's token, then revoked with it.
  const std::string revoke = find_in(page, R"re(action="(/account/tokens/\d+/revoke)")re");
  REQUIRE_FALSE(revoke.empty());
  CHECK(f.user.post_form(revoke, {}).status == 400);
  CHECK(api.get("/api/notes", bearer(secret)).status == 200);
  const auto revoked = f.user.post_form(revoke, {{"csrf_token", csrf_token_in(page)}});
  CHECK(revoked.status == 303);
  CHECK(contains(f.user.get("/account").body, "No tokens yet."));
  // On every server thread, including the one that remembers the token for a few seconds.
  CHECK(eventually([&] {
    for (int i = 0; i < 4; ++i) {
      api.disconnect();
      if (api.get("/api/notes", bearer(secret)).status != 401) return false;
    }
    return true;
  }));
  CHECK(f.user.post_form(revoke, {{"csrf_token", csrf_token_in(page)}}).status == 404);
}

TEST_CASE("accounts: a token form without a name, a scope or the CSRF token makes no token") {
  accounts_web_fixture f;
  const auto ann = f.setup.add("ann");
  REQUIRE(sign_in(f.user, "ann").status == 303);
  auto res = f.user.submit("/account", "/account/tokens", {{"name", " "}, {"scope", "read"}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "Name is required."));
  res = f.user.submit("/account", "/account/tokens", {{"name", "x"}, {"scope", "admin"}});
  CHECK(res.status == 400);
  res = f.user.post_form("/account/tokens", {{"name", "x"}, {"scope", "read"}});
  CHECK(res.status == 400);
  CHECK(f.setup.service().tokens(ann.id).value().empty());
  res = f.user.submit("/account", "/account/tokens", {{"name", "rw"}, {"scope", "read_write"}});
  CHECK(res.status == 200);
  const auto tokens = f.setup.service().tokens(ann.id).value();
  REQUIRE(tokens.size() == 1);
  CHECK(tokens.front().scope == token_scope::read_write);
}

TEST_CASE("accounts: /metrics counts sign-ins that succeeded, failed and were refused") {
  accounts_web_fixture f;
  f.setup.add("ann");
  f.setup.add("bob");
  const auto count = [&](std::string_view outcome) {
    const std::string text = f.user.client().get("/metrics").body;
    return std::stoi(find_in(text, "\nnotes_sign_ins_total\\{outcome=\"" + std::string(outcome) +
                                       "\"\\} (\\d+)\n"));
  };
  CHECK(count("succeeded") == 0);
  CHECK(count("failed") == 0);
  CHECK(count("refused") == 0);
  browser bob(f.server.port());
  REQUIRE(sign_in(bob, "bob").status == 303);
  for (int i = 0; i < 5; ++i) REQUIRE(sign_in(f.user, "ann", "wrong password").status == 200);
  REQUIRE(sign_in(f.user, "ann").status == 429);
  REQUIRE(sign_in(f.user, "ann").status == 429);
  CHECK(count("succeeded") == 1);
  CHECK(count("failed") == 5);
  CHECK(count("refused") == 2);
}
