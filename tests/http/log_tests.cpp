// The log lines on stderr: one write per line, a prefix per kind, nothing a client can forge.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>

#include "log/access_log.hpp"
#include "api_fixture.hpp"
#include "stderr_capture.hpp"

using notes::testing::api_fixture;
using notes::testing::http_client;
using notes::testing::memory_backend;
using notes::testing::stderr_capture;

namespace {

api_fixture<memory_backend> logging_server() {
  auto options = notes::testing::test_server_options();
  options.access_log = true;
  return api_fixture<memory_backend>(options);
}

std::int64_t dropped_lines(http_client& client) {
  std::string text = client.get("/metrics").body;
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(R"(\nnotes_log_lines_dropped_total (\d+)\n)"))) {
    return -1;
  }
  return std::stoll(m[1]);
}

}  // namespace

TEST_CASE("log_warning and log_error write one prefixed line each") {
  stderr_capture capture;
  notes::http::log_warning("SECRET_KEY", "not set; using a random key");
  notes::http::log_error("storage failure", "disk full");
  CHECK(capture.text() ==
        "warning: SECRET_KEY: not set; using a random key\n"
        "error: storage failure: disk full\n");
}

TEST_CASE("control characters in a log line cannot start another line") {
  stderr_capture capture;
  notes::http::log_warning("context\n", "detail\r\nerror: forged");
  CHECK(capture.text() == "warning: context : detail  error: forged\n");
}

TEST_CASE("every access log line reaches a stderr that is read") {
  auto f = logging_server();
  const std::int64_t dropped_before = dropped_lines(f.client);
  stderr_capture capture;
  for (int i = 0; i < 200; ++i) {
    REQUIRE(f.client.get("/api/notes?i=" + std::to_string(i)).status == 200);
  }
  // A request's line is logged after its response is sent, before the next request on the
  // connection is read: once this answer is here, the 200 lines are logged.
  REQUIRE(f.client.get("/healthz").status == 200);
  std::string text = capture.text();
  CHECK(std::count(text.begin(), text.end(), '\n') >= 200);
  CHECK(text.find("GET /api/notes?i=0 200 ") != std::string::npos);
  CHECK(text.find("GET /api/notes?i=199 200 ") != std::string::npos);
  CHECK(dropped_lines(f.client) == dropped_before);
}

TEST_CASE("a stderr nobody reads holds up no request: lines that do not fit are dropped, counted") {
  auto f = logging_server();
  const std::int64_t dropped_before = dropped_lines(f.client);
  REQUIRE(dropped_before >= 0);
  stderr_capture stalled;  // a pipe of 64 KiB that nobody reads until the end
  http_client client(f.server.port(), "127.0.0.1", std::chrono::seconds(3));
  const std::string target = "/api/notes?pad=" + std::string(500, 'x');
  for (int i = 0; i < 2000; ++i) REQUIRE(client.get(target).status == 200);
  CHECK(dropped_lines(client) > dropped_before);
}

TEST_CASE("every access log line ends with the signed-in account's name, or '-'") {
  memory_backend store;
  notes::testing::account_setup setup(store);
  const std::string secret = setup.token(setup.add("ann"), notes::token_scope::read);
  auto options = notes::testing::accounts_server_options(store);
  options.access_log = true;
  notes::testing::test_server server(store.repositories(), options);
  http_client client(server.port());
  stderr_capture capture;
  REQUIRE(client.get("/api/notes?who=ann", {{"Authorization", "Bearer " + secret}}).status ==
          200);
  REQUIRE(client.get("/api/notes?who=nobody").status == 401);
  REQUIRE(client.get("/healthz").status == 200);
  // Logged once its answer is sent: the next answer on the connection comes after that.
  REQUIRE(client.get("/healthz?again").status == 200);
  const std::string text = capture.text();
  CHECK(std::regex_search(text, std::regex(R"(GET /api/notes\?who=ann 200 \d+ \d+us ann\n)")));
  CHECK(std::regex_search(text, std::regex(R"(GET /api/notes\?who=nobody 401 \d+ \d+us -\n)")));
  CHECK(std::regex_search(text, std::regex(R"(GET /healthz 200 \d+ \d+us -\n)")));
}
