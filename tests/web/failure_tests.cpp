// Storage faults reach the person as the 503 and 500 pages, without internals.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "failing_repository.hpp"
#include "web_fixture.hpp"

using namespace notes;
using namespace notes::testing;

namespace {

http::repository_factory failing(error_code code) {
  return notes::testing::failing(code, "disk I/O error at /var/secret/notes.db");
}

}  // namespace

TEST_CASE("storage out of reach gives the 503 page with Retry-After") {
  test_server server(failing(error_code::unavailable), web_server_options());
  browser user(server.port());
  for (const char* target :
       {"/notes", "/notes?q=x", "/notes/1", "/notes/1/edit", "/notes/1/delete"}) {
    const auto res = user.get(target);
    CHECK_MESSAGE(res.status == 503, target);
    CHECK(res.header("Retry-After") == "1");
    CHECK(contains(res.body, "Back in a moment"));
    CHECK_FALSE(contains(res.body, "/var/secret"));
  }
}

TEST_CASE("a storage failure gives the 500 page without internals") {
  test_server server(failing(error_code::storage_failure), web_server_options());
  browser user(server.port());
  const auto list = user.get("/notes");
  CHECK(list.status == 500);
  CHECK(contains(list.body, "Something went wrong"));
  CHECK_FALSE(contains(list.body, "/var/secret"));
  const auto created = user.submit("/notes/new", "/notes/new", {{"title", "t"}, {"content", "c"}});
  CHECK(created.status == 500);
  CHECK_FALSE(contains(created.body, "/var/secret"));
}

TEST_CASE("a full disk gives the 507 page: nothing was changed, no retry offered") {
  test_server server(failing(error_code::storage_full), web_server_options());
  browser user(server.port());
  const auto res = user.get("/notes/1");
  CHECK(res.status == 507);
  CHECK(contains(res.body, "No room to save"));
  CHECK(contains(res.body, "nothing was changed"));
  CHECK(res.header("Retry-After").empty());
  CHECK_FALSE(contains(res.body, "/var/secret"));
}

TEST_CASE("storage that takes no changes gives a read-only 503 page without Retry-After") {
  test_server server(failing(error_code::read_only), web_server_options());
  browser user(server.port());
  const auto res = user.get("/notes/1");
  CHECK(res.status == 503);
  CHECK(contains(res.body, "Notes are read-only"));
  CHECK(res.header("Retry-After").empty());
  CHECK_FALSE(contains(res.body, "Back in a moment"));
  CHECK_FALSE(contains(res.body, "/var/secret"));
}
