// The trash in the pages: a delete's flash with its Undo form, /trash with Restore and Delete
// forever, emptying it behind a confirmation, CSRF refusals, other accounts, and the trash off.
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
std::string trash_url(const notes::note& n) { return "/trash/" + std::to_string(n.id); }

// Fixed deletion times that the server's own retention sweep must not purge whatever today is.
notes::http::server_options unswept_options() {
  notes::http::server_options options = web_server_options();
  options.sweep_trash = false;
  return options;
}

notes::http::server_options trash_off_options() {
  notes::http::server_options options = web_server_options();
  options.history = notes::history_policy{.revisions_keep = 0, .trash = false};
  options.trash_days = std::chrono::days{0};
  return options;
}

// Moves `n` to the trash as if deleted at `at`.
void trash_at(web_fixture& f, const notes::note& n, notes::timestamp at) {
  notes::note_service service(f.store.inspect(), [at] { return at; });
  REQUIRE(service.remove(n.id));
}

std::int64_t trashed_count(web_fixture& f) {
  return f.store.inspect().list_trash(notes::no_account, {1, 1}).value().total;
}

bool in_trash(web_fixture& f, const notes::note& n) {
  return f.store.inspect().find_trashed(notes::no_account, n.id).value().has_value();
}

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The CSRF token of the first form on the page that posts to `action`.
std::string token_for(const std::string& html, const std::string& action) {
  return find_in(html, "action=\"" + action + R"re("[^>]*>\s*<input type="hidden" )re" +
                           R"re(name="csrf_token" value="([^"]*)")re");
}

}  // namespace

TEST_CASE("trash: a delete moves the note to the trash, and the list says so with an Undo form") {
  web_fixture f;
  const auto n = f.add("Doomed");
  CHECK(contains(f.user.get(note_url(n) + "/delete").body, "It goes to the trash"));
  const auto res = f.user.submit(note_url(n) + "/delete", note_url(n) + "/delete", {});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == "/notes");
  CHECK(f.stored().empty());
  CHECK(in_trash(f, n));
  const auto list = f.user.get("/notes");
  CHECK(contains(list.body, "Note moved to the trash."));
  CHECK_FALSE(contains(list.body, "Note deleted."));
  CHECK(contains(list.body, "<form method=\"post\" action=\"" + trash_url(n) + "/restore\">"));
  CHECK(contains(list.body, ">Undo</button>"));
  const std::string token = token_for(list.body, trash_url(n) + "/restore");
  REQUIRE_FALSE(token.empty());
  CHECK_FALSE(contains(f.user.get("/notes").body, "Note moved to the trash."));

  const auto undone = f.user.post_form(trash_url(n) + "/restore", {{"csrf_token", token}});
  REQUIRE(undone.status == 303);
  CHECK(undone.header("Location") == note_url(n));
  const auto page = f.user.get(note_url(n));
  CHECK(page.status == 200);
  CHECK(contains(page.body, "Note restored."));
  REQUIRE(f.stored().size() == 1);
  CHECK(f.stored()[0].version == 2);
  CHECK_FALSE(in_trash(f, n));
}

TEST_CASE("trash: the list links to the trash, the trash lists the newest deletion first") {
  web_fixture f(unswept_options());
  CHECK(contains(f.user.get("/notes").body, "href=\"/trash\""));
  const auto t0 = std::chrono::sys_days(std::chrono::year{2026} / 11 / 25) + 12h + 44min;
  const auto older = f.add("Older <script>alert(1)</script>", "Old & body");
  const auto newer = f.add("Newer", "New body");
  trash_at(f, older, t0);
  trash_at(f, newer, t0 + 1h);
  const auto res = f.user.get("/trash");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "<h1>Trash</h1>"));
  CHECK(contains(res.body, "2 deleted notes"));
  const auto at_newer = res.body.find("Newer");
  const auto at_older = res.body.find("Older &lt;script&gt;alert(1)&lt;/script&gt;");
  REQUIRE(at_newer != std::string::npos);
  REQUIRE(at_older != std::string::npos);
  CHECK(at_newer < at_older);
  CHECK_FALSE(contains(res.body, "<script>alert(1)"));
  CHECK(contains(res.body, "Old &amp; body"));
  CHECK(contains(res.body, "Deleted <time datetime=\"2026-11-25T12:44:00"));
  CHECK(contains(res.body, "Nov 25, 2026, 12:44 UTC"));
  CHECK(contains(res.body, "action=\"" + trash_url(older) + "/restore\""));
  CHECK(contains(res.body, "action=\"" + trash_url(older) + "/delete\""));
  CHECK(contains(res.body, "Delete forever"));
  CHECK(contains(res.body, "href=\"/trash/empty\""));
  CHECK(contains(res.body, "name=\"version\" value=\"1\""));
}

TEST_CASE("trash: an empty trash says so, and the trash pages like the list") {
  web_fixture f(unswept_options());
  const auto empty = f.user.get("/trash");
  REQUIRE(empty.status == 200);
  CHECK(contains(empty.body, "Nothing in the trash"));
  CHECK_FALSE(contains(empty.body, "href=\"/trash/empty\""));

  const auto t0 = std::chrono::sys_days(std::chrono::year{2026} / 11 / 1);
  for (int i = 1; i <= 12; ++i) trash_at(f, f.add("Gone " + std::to_string(i)), t0 + i * 1min);
  const auto first = f.user.get("/trash");
  CHECK(count_of(first.body, "class=\"note-card") == 10);
  CHECK(contains(first.body, "href=\"/trash?page=2\""));
  CHECK(contains(first.body, "Gone 12"));
  const auto second = f.user.get("/trash?page=2");
  CHECK(count_of(second.body, "class=\"note-card") == 2);
  CHECK(contains(second.body, "Gone 1<"));
  const auto past = f.user.get("/trash?page=9");
  CHECK(past.status == 200);
  CHECK(contains(past.body, "Nothing on this page"));
  CHECK(f.user.get("/trash?page=x").status == 400);
}

TEST_CASE("trash: Restore brings the note back, a stale version restores nothing") {
  web_fixture f;
  const auto n = f.add("Back again");
  trash_at(f, n, notes::system_now());
  const auto page = f.user.get("/trash");
  const std::string token = token_for(page.body, trash_url(n) + "/restore");
  REQUIRE_FALSE(token.empty());
  const auto stale = f.user.post_form(trash_url(n) + "/restore",
                                      {{"csrf_token", token}, {"version", "7"}});
  CHECK(stale.status == 409);
  CHECK(contains(stale.body, "nothing was done"));
  CHECK(in_trash(f, n));
  const auto damaged = f.user.post_form(trash_url(n) + "/restore",
                                        {{"csrf_token", token}, {"version", "x"}});
  CHECK(damaged.status == 400);
  CHECK(in_trash(f, n));
  const auto res = f.user.post_form(trash_url(n) + "/restore",
                                    {{"csrf_token", token}, {"version", "1"}});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == note_url(n));
  CHECK(contains(f.user.get(note_url(n)).body, "Note restored."));
  CHECK_FALSE(in_trash(f, n));
  CHECK(f.user.post_form(trash_url(n) + "/restore", {{"csrf_token", token}}).status == 404);
}

TEST_CASE("trash: Delete forever deletes the note for good") {
  web_fixture f;
  const auto n = f.add("Gone for good");
  const auto kept = f.add("Still in the trash");
  trash_at(f, n, notes::system_now());
  trash_at(f, kept, notes::system_now());
  const std::string token = token_for(f.user.get("/trash").body, trash_url(n) + "/delete");
  REQUIRE_FALSE(token.empty());
  const auto res = f.user.post_form(trash_url(n) + "/delete",
                                    {{"csrf_token", token}, {"version", "1"}});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == "/trash");
  const auto trash = f.user.get("/trash");
  CHECK(contains(trash.body, "Note deleted for good."));
  CHECK_FALSE(contains(trash.body, "Gone for good"));
  CHECK_FALSE(in_trash(f, n));
  CHECK(in_trash(f, kept));
  CHECK(f.user.get(note_url(n)).status == 404);
}

TEST_CASE("trash: Empty trash asks first, then deletes every trashed note for good") {
  web_fixture f;
  trash_at(f, f.add("One"), notes::system_now());
  trash_at(f, f.add("Two"), notes::system_now());
  const auto live = f.add("Live");
  const auto confirm = f.user.get("/trash/empty");
  REQUIRE(confirm.status == 200);
  CHECK(contains(confirm.body, "Empty the trash?"));
  CHECK(contains(confirm.body, "The trash holds 2 notes."));
  CHECK(contains(confirm.body, "method=\"post\" action=\"/trash/empty\""));
  CHECK(trashed_count(f) == 2);
  const auto res = f.user.post_form("/trash/empty", {{"csrf_token", csrf_token_in(confirm.body)}});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == "/trash");
  const auto trash = f.user.get("/trash");
  CHECK(contains(trash.body, "2 notes were deleted for good."));
  CHECK(contains(trash.body, "Nothing in the trash"));
  CHECK(trashed_count(f) == 0);
  REQUIRE(f.stored().size() == 1);
  CHECK(f.stored()[0].id == live.id);
  CHECK(contains(f.user.get("/trash/empty").body, "already empty"));
}

TEST_CASE("trash: restore, delete forever and empty without a valid CSRF token change nothing") {
  web_fixture f;
  const auto n = f.add("Guarded");
  trash_at(f, n, notes::system_now());
  f.user.get("/trash");  // a session, so only the token is missing
  for (const std::string& action : {trash_url(n) + "/restore", trash_url(n) + "/delete",
                                   std::string("/trash/empty")}) {
    CAPTURE(action);
    for (const std::string token : {"", "forged"}) {
      const auto res = f.user.post_form(action, {{"csrf_token", token}, {"version", "1"}});
      CHECK(res.status == 400);
      CHECK(contains(res.body, "This form expired or did not come from this site"));
    }
    const auto json = f.user.post_raw(action, "{}", "application/json");
    CHECK(json.status == 400);
  }
  CHECK(in_trash(f, n));
  CHECK(f.stored().empty());
}

TEST_CASE("trash: with the trash off, a delete is for good and /trash is not there") {
  web_fixture f(trash_off_options());
  const auto n = f.add("Doomed");
  CHECK_FALSE(contains(f.user.get("/notes").body, "href=\"/trash\""));
  CHECK(contains(f.user.get(note_url(n) + "/delete").body, "This cannot be undone."));
  const auto res = f.user.submit(note_url(n) + "/delete", note_url(n) + "/delete", {});
  REQUIRE(res.status == 303);
  const auto list = f.user.get("/notes");
  CHECK(contains(list.body, "Note deleted."));
  CHECK_FALSE(contains(list.body, "Undo"));
  CHECK_FALSE(in_trash(f, n));
  const std::string token = csrf_token_in(f.user.get("/notes/new").body);
  CHECK(f.user.get("/trash").status == 404);
  CHECK(f.user.get("/trash/empty").status == 404);
  CHECK(f.user.post_form("/trash/empty", {{"csrf_token", token}}).status == 404);
  CHECK(f.user.post_form(trash_url(n) + "/restore", {{"csrf_token", token}}).status == 404);
  CHECK(f.user.post_form(trash_url(n) + "/delete", {{"csrf_token", token}}).status == 404);
}

TEST_CASE("trash: another account's trashed note is not shown and cannot be touched") {
  other_account_fixture<memory_backend> f;
  const auto secret = f.bobs.create({"Bob's secret", "Hidden", false}).value();
  REQUIRE(f.bobs.remove(secret.id));
  const auto trash = f.ann.get("/trash");
  REQUIRE(trash.status == 200);
  CHECK(contains(trash.body, "Nothing in the trash"));
  CHECK_FALSE(contains(trash.body, "Bob"));
  const std::string url = "/trash/" + std::to_string(secret.id);
  CHECK(f.ann.post_form(url + "/restore", {{"csrf_token", f.ann_token}}).status == 404);
  CHECK(f.ann.post_form(url + "/delete", {{"csrf_token", f.ann_token}}).status == 404);
  const auto emptied = f.ann.post_form("/trash/empty", {{"csrf_token", f.ann_token}});
  CHECK(emptied.status == 303);
  CHECK(f.store.inspect().find_trashed(f.bob.id, secret.id).value().has_value());
}
