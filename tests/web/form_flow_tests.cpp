// Creating, editing and deleting notes through the forms, with flash messages and validation.
#include <doctest/doctest.h>

#include <string>

#include "web_fixture.hpp"

using namespace notes::testing;

namespace {

std::string note_url(const notes::note& n) { return "/notes/" + std::to_string(n.id); }

}  // namespace

TEST_CASE("the new-note form has title, content and pin fields, labels and a CSRF token") {
  web_fixture f;
  const auto res = f.user.get("/notes/new");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "name=\"title\""));
  CHECK(contains(res.body, "name=\"content\""));
  CHECK(contains(res.body, "name=\"is_pinned\" type=\"checkbox\""));
  CHECK(contains(res.body, ">Pin this note</label>"));
  CHECK(contains(res.body, "method=\"post\" action=\"/notes/new\""));
  CHECK(csrf_token_in(res.body).size() > 20);
  CHECK(version_in(res.body).empty());
  CHECK(res.header("Set-Cookie").starts_with("notes_session="));
}

TEST_CASE("creating a note redirects to it with a flash shown exactly once") {
  web_fixture f;
  const auto res =
      f.user.submit("/notes/new", "/notes/new",
                    {{"title", "  Shopping  "}, {"content", "Milk\nEggs"}, {"is_pinned", "y"}});
  REQUIRE(res.status == 303);
  const auto stored = f.stored();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].title == "Shopping");
  CHECK(stored[0].content == "Milk\nEggs");
  CHECK(stored[0].is_pinned);
  CHECK(res.header("Location") == note_url(stored[0]));

  const auto shown = f.user.get(res.header("Location"));
  CHECK(contains(shown.body, "Note created successfully."));
  const auto again = f.user.get(res.header("Location"));
  CHECK_FALSE(contains(again.body, "Note created successfully."));
  CHECK_FALSE(contains(f.user.get("/notes").body, "Note created successfully."));
}

TEST_CASE("the checkbox follows WTForms: absent, empty or \"false\" leave a note unpinned") {
  web_fixture f;
  f.user.submit("/notes/new", "/notes/new", {{"title", "a"}, {"content", "x"}});
  f.user.submit("/notes/new", "/notes/new",
                {{"title", "b"}, {"content", "x"}, {"is_pinned", "false"}});
  f.user.submit("/notes/new", "/notes/new",
                {{"title", "c"}, {"content", "x"}, {"is_pinned", "on"}});
  const auto stored = f.stored();
  REQUIRE(stored.size() == 3);
  CHECK_FALSE(stored[0].is_pinned);
  CHECK_FALSE(stored[1].is_pinned);
  CHECK(stored[2].is_pinned);
}

TEST_CASE("invalid input re-renders the form with messages beside the fields and the text kept") {
  web_fixture f;
  const auto res =
      f.user.submit("/notes/new", "/notes/new",
                    {{"title", "   "}, {"content", "kept <b>text</b>"}, {"is_pinned", "y"}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "<p class=\"field-error\" id=\"title-error\">Title is required.</p>"));
  CHECK_FALSE(contains(res.body, "id=\"content-error\""));
  CHECK(contains(res.body, "kept &lt;b&gt;text&lt;/b&gt;</textarea>"));
  CHECK(contains(res.body, "value=\"y\" checked"));
  CHECK(f.stored().empty());

  const auto both = f.user.submit("/notes/new", "/notes/new",
                                  {{"title", std::string(201, 'T')}, {"content", ""}});
  CHECK(both.status == 400);
  CHECK(contains(both.body, "Title must be at most 200 characters."));
  CHECK(contains(both.body, "Content is required."));
  CHECK(contains(both.body, "value=\"" + std::string(201, 'T') + "\""));
  CHECK(f.stored().empty());
}

TEST_CASE("a form body that is not UTF-8 is refused with a message and nothing stored") {
  web_fixture f;
  const std::string token = csrf_token_in(f.user.get("/notes/new").body);
  const auto res = f.user.post_raw("/notes/new", "title=%FF%FE&content=x&csrf_token=" + token);
  CHECK(res.status == 400);
  CHECK(contains(res.body, "The form contains text that is not valid UTF-8."));
  CHECK(f.stored().empty());
}

TEST_CASE("a form post of another content type is refused with the form page and stores nothing") {
  web_fixture f;
  f.user.get("/notes/new");
  const auto res =
      f.user.post_raw("/notes/new", "{\"title\":\"x\",\"content\":\"y\"}", "application/json");
  CHECK(res.status == 400);
  CHECK(contains(res.body, "it was not sent as application/x-www-form-urlencoded"));
  CHECK(contains(res.body, "method=\"post\" action=\"/notes/new\""));
  CHECK_FALSE(csrf_token_in(res.body).empty());
  CHECK(f.stored().empty());
}

TEST_CASE("the form media type matches in any case and with parameters") {
  web_fixture f;
  for (const std::string type :
       {"Application/X-WWW-Form-URLEncoded", "application/x-www-form-urlencoded; charset=UTF-8",
        "application/x-www-form-urlencoded \t;charset=utf-8"}) {
    CAPTURE(type);
    const std::string token = csrf_token_in(f.user.get("/notes/new").body);
    const auto res = f.user.post_raw(
        "/notes/new", form_encode({{"title", "t"}, {"content", "x"}, {"csrf_token", token}}), type);
    CHECK(res.status == 303);
  }
  CHECK(f.stored().size() == 3);
  CHECK(f.user.post_raw("/notes/new", "title=a&content=b", "application/x-www-form-urlencodedx")
            .status == 400);
  CHECK(f.stored().size() == 3);
}

TEST_CASE("a form over the body limit is a 413 page and stores nothing") {
  auto options = web_server_options();
  options.body_limit = 2048;
  web_fixture f(options);
  const auto res = f.user.submit("/notes/new", "/notes/new",
                                 {{"title", "big"}, {"content", std::string(4096, 'x')}});
  CHECK(res.status == 413);
  CHECK(f.stored().empty());
}

TEST_CASE("the edit form holds the current note and its version") {
  web_fixture f;
  const auto n = f.add("Title <1>", "Body\nmore", true);
  const auto res = f.user.get(note_url(n) + "/edit");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "value=\"Title &lt;1&gt;\""));
  CHECK(contains(res.body, ">\nBody\nmore</textarea>"));
  CHECK(contains(res.body, "value=\"y\" checked"));
  CHECK(version_in(res.body) == "1");
  CHECK(contains(res.body, "action=\"" + note_url(n) + "/edit\""));
}

TEST_CASE("editing saves, bumps the version and redirects with \"Note updated.\"") {
  web_fixture f;
  const auto n = f.add("Old", "Old body", true);
  const auto res = f.user.submit(note_url(n) + "/edit", note_url(n) + "/edit",
                                 {{"title", "New"}, {"content", "New body"}});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == note_url(n));
  const auto stored = f.stored().at(0);
  CHECK(stored.title == "New");
  CHECK(stored.content == "New body");
  CHECK_FALSE(stored.is_pinned);
  CHECK(stored.version == 2);
  CHECK(contains(f.user.get(note_url(n)).body, "Note updated."));
}

TEST_CASE("a stale save is not an overwrite: the form shows the current note and the typed text") {
  web_fixture f;
  const auto n = f.add("Original", "Original body");
  const auto form = f.user.get(note_url(n) + "/edit");
  // Someone else saves in between.
  notes::note_service(f.store.inspect()).update(n.id, {"Theirs", "Their body", std::nullopt});
  const auto res =
      f.user.post_form(note_url(n) + "/edit", {{"title", "Mine"},
                                               {"content", "My <body>"},
                                               {"csrf_token", csrf_token_in(form.body)},
                                               {"version", version_in(form.body)}});
  CHECK(res.status == 409);
  CHECK(contains(res.body, "Someone else changed this note"));
  CHECK(contains(res.body, "value=\"Theirs\""));
  CHECK(contains(res.body, ">\nTheir body</textarea>"));
  CHECK(version_in(res.body) == "2");
  CHECK(contains(res.body, "Your changes (not saved)"));
  CHECK(contains(res.body, "My &lt;body&gt;"));
  const auto stored = f.stored().at(0);
  CHECK(stored.title == "Theirs");
  CHECK(stored.version == 2);

  // Saving again from the refreshed form goes through.
  const auto retry =
      f.user.post_form(note_url(n) + "/edit", {{"title", "Mine"},
                                               {"content", "Merged"},
                                               {"csrf_token", csrf_token_in(res.body)},
                                               {"version", version_in(res.body)}});
  CHECK(retry.status == 303);
  CHECK(f.stored().at(0).title == "Mine");
}

TEST_CASE("an edit without a version field saves, as an API update without If-Match does") {
  web_fixture f;
  const auto n = f.add("Old", "Old body");
  notes::note_service(f.store.inspect()).update(n.id, {"Newer", std::nullopt, std::nullopt});
  const std::string token = csrf_token_in(f.user.get(note_url(n) + "/edit").body);
  const auto res = f.user.post_form(
      note_url(n) + "/edit", {{"title", "Scripted"}, {"content", "From a script"},
                              {"csrf_token", token}});
  CHECK(res.status == 303);
  CHECK(res.header("Location") == note_url(n));
  const auto stored = f.stored().at(0);
  CHECK(stored.title == "Scripted");
  CHECK(stored.content == "From a script");
  CHECK(stored.version == 3);
}

TEST_CASE("an edit whose version is not a positive number is a 400 that saves nothing") {
  web_fixture f;
  const auto n = f.add("Keep", "Keep body");
  for (const std::string version : {"", "abc", "0", "-1", "1.5", "99999999999999999999"}) {
    CAPTURE(version);
    const std::string token = csrf_token_in(f.user.get(note_url(n) + "/edit").body);
    const auto res = f.user.post_form(note_url(n) + "/edit", {{"title", "Typed"},
                                                              {"content", "Typed <body>"},
                                                              {"csrf_token", token},
                                                              {"version", version}});
    CHECK(res.status == 400);
    CHECK(contains(res.body, "This form is damaged"));
    CHECK(contains(res.body, "value=\"Keep\""));
    CHECK(version_in(res.body) == "1");
    CHECK(contains(res.body, "Typed &lt;body&gt;"));
  }
  const auto stored = f.stored().at(0);
  CHECK(stored.title == "Keep");
  CHECK(stored.version == 1);
}

TEST_CASE("a delete without a version field deletes, and a malformed one is a 400") {
  web_fixture f;
  const auto n = f.add("Doomed");
  notes::note_service(f.store.inspect()).update(n.id, {"Changed", std::nullopt, std::nullopt});
  const std::string token = csrf_token_in(f.user.get(note_url(n) + "/delete").body);
  for (const std::string version : {"", "x", "0"}) {
    CAPTURE(version);
    const auto res = f.user.post_form(note_url(n) + "/delete",
                                      {{"csrf_token", token}, {"version", version}});
    CHECK(res.status == 400);
    CHECK(contains(res.body, "This form is damaged"));
  }
  CHECK(f.stored().size() == 1);
  const auto res = f.user.post_form(note_url(n) + "/delete", {{"csrf_token", token}});
  CHECK(res.status == 303);
  CHECK(res.header("Location") == "/notes");
  CHECK(f.stored().empty());
}

TEST_CASE("an invalid edit keeps the typed text and the version it started from") {
  web_fixture f;
  const auto n = f.add("Keep", "Keep body");
  const auto res = f.user.submit(note_url(n) + "/edit", note_url(n) + "/edit",
                                 {{"title", "Typed"}, {"content", " \n "}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "Content is required."));
  CHECK(contains(res.body, "value=\"Typed\""));
  CHECK(version_in(res.body) == "1");
  CHECK(f.stored().at(0).title == "Keep");
}

TEST_CASE("editing a note that is gone is a 404 page") {
  web_fixture f;
  const auto n = f.add("Soon gone");
  const auto form = f.user.get(note_url(n) + "/edit");
  REQUIRE(f.store.inspect().remove(notes::no_account, n.id, std::nullopt));
  const auto res =
      f.user.post_form(note_url(n) + "/edit", {{"title", "x"},
                                               {"content", "y"},
                                               {"csrf_token", csrf_token_in(form.body)},
                                               {"version", "1"}});
  CHECK(res.status == 404);
  CHECK(f.stored().empty());
}

TEST_CASE("the delete confirmation shows the note and posts with a token and the version") {
  web_fixture f;
  const auto n = f.add("Doomed", "Doomed body");
  const auto res = f.user.get(note_url(n) + "/delete");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "Delete this note?"));
  CHECK(contains(res.body, "Doomed"));
  CHECK(contains(res.body, "method=\"post\" action=\"" + note_url(n) + "/delete\""));
  CHECK_FALSE(csrf_token_in(res.body).empty());
  CHECK(version_in(res.body) == "1");
}

TEST_CASE("with the trash off, deleting redirects to the list with \"Note deleted.\"") {
  notes::http::server_options options = web_server_options();
  options.history = notes::history_policy{.revisions_keep = 0, .trash = false};
  options.trash_days = std::chrono::days{0};
  web_fixture f(std::move(options));
  const auto n = f.add("Doomed");
  f.add("Survivor");
  const auto res = f.user.submit(note_url(n) + "/delete", note_url(n) + "/delete", {});
  REQUIRE(res.status == 303);
  CHECK(res.header("Location") == "/notes");
  REQUIRE(f.stored().size() == 1);
  CHECK(f.stored()[0].title == "Survivor");
  const auto list = f.user.get("/notes");
  CHECK(contains(list.body, "Note deleted."));
  CHECK_FALSE(contains(f.user.get("/notes").body, "Note deleted."));
}

TEST_CASE("a delete confirmed from a stale page asks again and deletes nothing") {
  web_fixture f;
  const auto n = f.add("Changing");
  const auto page = f.user.get(note_url(n) + "/delete");
  notes::note_service(f.store.inspect()).update(n.id, {"Changed", std::nullopt, std::nullopt});
  const auto res = f.user.post_form(
      note_url(n) + "/delete",
      {{"csrf_token", csrf_token_in(page.body)}, {"version", version_in(page.body)}});
  CHECK(res.status == 409);
  CHECK(contains(res.body, "This note changed after you opened this page."));
  CHECK(contains(res.body, "Changed"));
  CHECK(version_in(res.body) == "2");
  CHECK(f.stored().size() == 1);
}

TEST_CASE("deleting twice answers 404 the second time") {
  web_fixture f;
  const auto n = f.add("Once");
  const auto page = f.user.get(note_url(n) + "/delete");
  const std::vector<std::pair<std::string, std::string>> fields{
      {"csrf_token", csrf_token_in(page.body)}};
  CHECK(f.user.post_form(note_url(n) + "/delete", fields).status == 303);
  CHECK(f.user.post_form(note_url(n) + "/delete", fields).status == 404);
}

TEST_CASE("the whole flow works on SQLite too") {
  sqlite_backend store;
  test_server server(store.repositories(), web_server_options());
  browser user(server.port());
  const auto created =
      user.submit("/notes/new", "/notes/new", {{"title", "Disk"}, {"content", "Persisted"}});
  REQUIRE(created.status == 303);
  const std::string url = created.header("Location");
  CHECK(contains(user.get(url).body, "Note created successfully."));
  CHECK(user.submit(url + "/edit", url + "/edit", {{"title", "Disk 2"}, {"content", "Again"}})
            .status == 303);
  CHECK(contains(user.get("/notes?q=disk").body, "Disk 2"));
  CHECK(user.submit(url + "/delete", url + "/delete", {}).status == 303);
  CHECK(store.inspect().count(notes::no_account).value() == 0);
}
