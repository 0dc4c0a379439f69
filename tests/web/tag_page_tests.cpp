// Tags on the pages: the form's one field, chips on cards and the note page, the list filtered
// by ?tag= with the tags and their counts, the active filter removable.
#include <doctest/doctest.h>

#include <string>

#include "web_fixture.hpp"

using namespace notes::testing;

namespace {

notes::note add_tagged(web_fixture& f, std::string title, std::vector<std::string> tags) {
  notes::note_service service(f.store.inspect());
  return service.create({std::move(title), "Some content.", false, std::move(tags)}).value();
}

}  // namespace

TEST_CASE("the form takes tags comma separated, and a bad tag comes back with its message") {
  web_fixture f;
  CHECK(contains(f.user.get("/notes/new").body, "name=\"tags\""));
  auto res = f.user.submit(
      "/notes/new", "/notes/new",
      {{"title", "t"}, {"content", "c"}, {"tags", " Work, home/garden,,work"}});
  REQUIRE(res.status == 303);
  REQUIRE(f.stored().size() == 1);
  CHECK(f.stored()[0].tags == std::vector<std::string>{"Work", "home/garden"});
  const std::string edit = "/notes/" + std::to_string(f.stored()[0].id) + "/edit";
  CHECK(contains(f.user.get(edit).body, "value=\"Work, home/garden\""));

  res = f.user.submit("/notes/new", "/notes/new",
                      {{"title", "t2"}, {"content", "c"}, {"tags", "ok, not ok"}});
  CHECK(res.status == 400);
  CHECK(contains(res.body, "id=\"tags-error\">Tag &quot;not ok&quot; may hold only letters"));
  CHECK(contains(res.body, "value=\"ok, not ok\""));
  CHECK(f.stored().size() == 1);

  res = f.user.submit(edit, edit, {{"title", "t"}, {"content", "c"}, {"tags", "home"}});
  REQUIRE(res.status == 303);
  CHECK(f.stored()[0].tags == std::vector<std::string>{"home"});
}

TEST_CASE("cards and the note page link their tags; ?tag= filters with the counts and removal") {
  web_fixture f;
  const auto one = add_tagged(f, "First", {"Work", "urgent"});
  add_tagged(f, "Second", {"work"});
  add_tagged(f, "Third", {});
  auto res = f.user.get("/notes");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "<a class=\"tag-chip\" href=\"/notes?tag=Work\">Work</a>"));
  CHECK(contains(res.body, "href=\"/notes?tag=work\">work <span class=\"tag-count\">2</span>"));
  CHECK(contains(res.body, "href=\"/notes?tag=urgent\">urgent <span class=\"tag-count\">1"));
  CHECK(contains(f.user.get("/notes/" + std::to_string(one.id)).body,
                 "<a class=\"tag-chip\" href=\"/notes?tag=urgent\">urgent</a>"));

  res = f.user.get("/notes?tag=WORK");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "First"));
  CHECK(contains(res.body, "Second"));
  CHECK_FALSE(contains(res.body, "Third"));
  CHECK(contains(res.body, "aria-label=\"Remove the filter WORK\""));
  res = f.user.get("/notes?tag=work&tag=urgent");
  CHECK_FALSE(contains(res.body, "Second"));
  CHECK(contains(res.body, "href=\"/notes?tag=urgent\" aria-label=\"Remove the filter work\""));
  CHECK(f.user.get("/notes?tag=").status == 400);
}

TEST_CASE("another account's tags and notes stay off the list's tags and the ?tag= filter") {
  other_account_fixture<memory_backend> f;
  REQUIRE(f.bobs.create({"Hidden plan", "Not ann's.", false, {"work", "bobonly"}}));
  REQUIRE(f.ann.submit("/notes/new", "/notes/new",
                       {{"title", "Own plan"}, {"content", "c"}, {"tags", "work"}})
              .status == 303);
  auto res = f.ann.get("/notes");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "href=\"/notes?tag=work\">work <span class=\"tag-count\">1</span>"));
  CHECK_FALSE(contains(res.body, "bobonly"));
  res = f.ann.get("/notes?tag=work");
  REQUIRE(res.status == 200);
  CHECK(contains(res.body, "Own plan"));
  CHECK_FALSE(contains(res.body, "Hidden plan"));
  res = f.ann.get("/notes?tag=bobonly");
  CHECK(res.status == 200);
  CHECK_FALSE(contains(res.body, "Hidden plan"));
}
