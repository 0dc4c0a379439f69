// PostgreSQL stops under a running notes-server and starts again: meanwhile the API answers 503
// JSON and the pages 503 HTML, /healthz stays 200 and /readyz turns 503; afterwards every request
// succeeds again, on every worker thread, without restarting the server. Runs alone (RUN_SERIAL):
// it stops the cluster every other PostgreSQL test shares.
#include <doctest/doctest.h>

#include <signal.h>

#include <cstdlib>

#include "browser.hpp"
#include "prometheus_text.hpp"
#include "server_processes.hpp"
#include "store_available.hpp"

using notes::testing::browser;
using notes::testing::contains;
using notes::testing::csrf_token_in;
using notes::testing::http_client;
using notes::testing::postgres_backend;
using notes::testing::server_process;

namespace {

bool control(const std::string& action) {
  const std::string command = notes::test::postgres_control_command(action);
  return !command.empty() && std::system(command.c_str()) == 0;
}

// Starts the cluster's server again however the test ends: the tests after this one need it.
struct restart_guard {
  bool stopped = false;
  ~restart_guard() {
    if (stopped) control("start-server");
  }
};

void check_json_503(const notes::testing::http_response& res) {
  CAPTURE(res.body);
  CHECK(res.status == 503);
  CHECK(res.header("Content-Type") == "application/json");
  CHECK(res.header("Retry-After") == "1");
  CHECK(res.body == R"({"error":"Storage is temporarily unavailable; try again"})");
}

void check_html_503(const notes::testing::http_response& res) {
  CHECK(res.status == 503);
  CHECK(res.header("Content-Type").starts_with("text/html"));
  CHECK(res.header("Retry-After") == "1");
  CHECK(contains(res.body, "Back in a moment"));
}

}  // namespace

TEST_CASE("while PostgreSQL is down requests answer 503, and after it returns they succeed") {
  if (!notes::testing::store_available<postgres_backend>()) return;
  if (notes::test::postgres_control_command("stop-server").empty()) {
    MESSAGE("SKIPPED: PostgreSQL connection-loss test: the server is not the test fixture's own");
    return;
  }
  postgres_backend database;
  server_process server(database.url(), {"THREADS=2"});
  http_client client(server.port);
  auto created = client.post_json("/api/notes", R"({"title": "before", "content": "the stop"})");
  REQUIRE(created.status == 201);
  const std::string url = created.header("Location");
  browser person(server.port);
  const auto form = person.get("/notes/new");  // needs no storage
  REQUIRE(form.status == 200);

  restart_guard guard;
  REQUIRE(control("stop-server"));
  guard.stopped = true;

  check_json_503(client.get("/api/notes"));
  check_json_503(client.get(url));
  check_json_503(client.get("/api/notes/search?q=before"));
  check_json_503(client.post_json("/api/notes", R"({"title": "during", "content": "the stop"})"));
  check_json_503(client.patch_json(url, R"({"title": "changed"})"));
  check_json_503(client.del(url));
  // Fresh connections reach both worker threads: each has lost its database connection.
  for (int i = 0; i < 4; ++i) check_json_503(http_client(server.port).get("/api/notes"));

  check_html_503(person.get("/notes"));
  check_html_503(person.get(url.substr(4)));  // /notes/<id>
  check_html_503(person.post_form(
      "/notes/new",
      {{"title", "during"}, {"content", "the stop"}, {"csrf_token", csrf_token_in(form.body)}}));

  CHECK(client.get("/healthz").status == 200);
  auto not_ready = client.get("/readyz");
  CHECK(not_ready.status == 503);
  CHECK(not_ready.json().at("status") == "unavailable");
  const std::string why(not_ready.json().at("error").as_string());
  CHECK_MESSAGE(why.starts_with("open PostgreSQL database '" + database.config().database_name +
                                "' on 127.0.0.1:"),
                why);

  REQUIRE(control("start-server"));
  guard.stopped = false;

  // The first request on each connection and thread succeeds: nothing is retried here.
  auto listed = client.get("/api/notes");
  CHECK(listed.status == 200);
  CHECK(listed.json().at("total") == 1);
  for (int i = 0; i < 4; ++i) {
    http_client fresh(server.port);
    auto res = fresh.post_json("/api/notes", R"({"title": "after", "content": "the start"})");
    CHECK(res.status == 201);
  }
  CHECK(client.patch_json(url, R"({"title": "changed after"})").status == 200);
  CHECK(person.get("/notes").status == 200);
  CHECK(client.get("/readyz").status == 200);
  CHECK(database.inspect().count(notes::no_account).value() == 5);

  // The same process served all of it, and counted what failed.
  CHECK(::kill(server.process->pid(), 0) == 0);
  const auto metrics = notes::testing::parse_prometheus_text(client.get("/metrics").body);
  CHECK(metrics.value("notes_storage_errors_total", {{"kind", "unavailable"}}) >= 13);
  CHECK(metrics.value("notes_http_requests_total", {{"status", "503"}}) >= 14);
}
