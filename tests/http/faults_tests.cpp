// Storage faults through the real server: 503 and 500 as JSON, no internals leaked.
#include <doctest/doctest.h>

#include <atomic>

#include "api_fixture.hpp"
#include "failing_repository.hpp"

using notes::testing::http_client;
using notes::testing::test_server;

namespace {

notes::http::repository_factory failing(notes::error_code code) {
  return notes::testing::failing(code, "disk I/O error at /var/lib/secret/notes.db");
}

}  // namespace

TEST_CASE("a storage failure is a JSON 500 that does not leak the cause") {
  test_server server(failing(notes::error_code::storage_failure));
  http_client client(server.port());
  for (auto res : {client.get("/api/notes"), client.get("/api/notes/1"),
                   client.get("/api/notes/search?q=x"),
                   client.post_json("/api/notes", R"({"title": "t", "content": "c"})"),
                   client.patch_json("/api/notes/1", R"({"title": "t"})"),
                   client.del("/api/notes/1")}) {
    CHECK(res.status == 500);
    CHECK(res.body == R"({"error":"Internal server error"})");
  }
}

TEST_CASE("storage that is temporarily unavailable is a JSON 503 with Retry-After") {
  test_server server(failing(notes::error_code::unavailable));
  http_client client(server.port());
  auto res = client.get("/api/notes/1");
  CHECK(res.status == 503);
  CHECK(res.header("Retry-After") == "1");
  CHECK(res.json().at("error").is_string());
  CHECK(res.body.find("secret") == std::string::npos);
}

TEST_CASE("validation still answers 400 before storage is touched") {
  test_server server(failing(notes::error_code::storage_failure));
  http_client client(server.port());
  CHECK(client.post_json("/api/notes", R"({"title": ""})").status == 400);
  CHECK(client.get("/api/notes?page=0").status == 400);
  CHECK(client.get("/api/notes/search").status == 400);
}

TEST_CASE("a factory that fails refuses start-up") {
  notes::http::server server(notes::testing::test_server_options(),
                             []() -> std::unique_ptr<notes::note_repository> {
                               throw std::runtime_error("cannot open database");
                             });
  CHECK_THROWS_WITH(server.start(), "cannot open database");
}

TEST_CASE("each worker, blocking-pool and storage thread gets a repository of its own from the "
          "factory") {
  std::atomic<int> made{0};
  notes::memory_note_repository shared;
  auto share = notes::http::share_repository(shared);
  auto options = notes::testing::test_server_options();
  options.threads = 3;
  options.blocking_threads = 2;
  options.storage_threads = 4;
  test_server server(
      [&] {
        ++made;
        return share();
      },
      options);
  CHECK(made.load() == 3 + 2 + 4);
}
