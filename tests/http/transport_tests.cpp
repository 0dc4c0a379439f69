// The server under broken, huge, slow and abandoned requests, and its shutdown.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "api_fixture.hpp"
#include "raw_connection.hpp"

namespace net = boost::asio;
using notes::testing::api_fixture;
using notes::testing::http_client;
using notes::testing::memory_backend;
using notes::testing::raw_connection;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

namespace {

notes::http::server_options short_timeouts() {
  auto options = notes::testing::test_server_options();
  options.read_timeout = milliseconds(400);
  options.idle_timeout = milliseconds(600);
  return options;
}

void check_still_serving(api_fixture<memory_backend>& f) {
  http_client fresh(f.server.port());
  auto res = fresh.get("/api/notes");
  CHECK(res.status == 200);
  CHECK(res.json().at("total").as_int64() == static_cast<std::int64_t>(f.stored().size()));
}

}  // namespace

TEST_CASE("malformed requests get a 400 or a closed connection, and the server keeps serving") {
  api_fixture<memory_backend> f(short_timeouts());
  f.create("survivor");

  struct bad {
    const char* what;
    std::string bytes;
    unsigned status;  // 0: the server just closes
  };
  const std::vector<bad> battery{
      {"garbage request line", "HELLO\r\n\r\n", 400},
      {"missing HTTP version", "GET /api/notes\r\n\r\n", 400},
      {"bad version", "GET /api/notes HTTP/9.9\r\nHost: x\r\n\r\n", 400},
      {"space in header name", "GET /api/notes HTTP/1.1\r\nBad Header: x\r\n\r\n", 400},
      {"control character in target", std::string("GET /api/\x01notes HTTP/1.1\r\n\r\n"), 400},
      {"bad chunk size",
       "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
       400},
      {"chunk longer than announced",
       "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"title\"\r\n0\r\n\r\n",
       400},
      {"two Content-Lengths",
       "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
       400},
      {"negative Content-Length", "POST /api/notes HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"huge headers",
       "GET /api/notes HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n",
       431},
      {"huge request line", "GET /api/notes?" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n",
       431},
      {"Content-Length over the body limit",
       "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 5000000\r\n\r\n{}",
       413},
      {"truncated request line", "GET /api/no", 0},
      {"truncated headers", "GET /api/notes HTTP/1.1\r\nHost: x\r\n", 0},
      {"truncated body",
       "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 100\r\n\r\n{\"title\":",
       0},
  };
  for (const auto& b : battery) {
    CAPTURE(b.what);
    std::string answer = f.client.raw(b.bytes, std::chrono::seconds(3));
    CHECK(http_client::raw_status(answer) == b.status);
    if (b.status != 0) CHECK(answer.find("Connection: close") != std::string::npos);
  }
  check_still_serving(f);
  CHECK(f.stored().size() == 1);
}

TEST_CASE("errors for broken requests under /api/ are JSON") {
  api_fixture<memory_backend> f;
  std::string answer = f.client.raw(
      "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2000000\r\n\r\n");
  CHECK(http_client::raw_status(answer) == 413);
  CHECK(answer.find("Content-Type: application/json") != std::string::npos);
  CHECK(answer.find("{\"error\":\"Request body too large\"}") != std::string::npos);
}

TEST_CASE("errors for requests whose header cannot be read take the format of their path") {
  api_fixture<memory_backend> f;
  struct broken {
    const char* what;
    std::string bytes;
    unsigned status;
    const char* message;
  };
  const std::string long_query(9000, 'a');
  const std::vector<broken> battery{
      {"request line over the limit",
       "GET /api/notes/search?q=" + long_query + " HTTP/1.1\r\nHost: x\r\n\r\n", 431,
       "Request header too large"},
      {"request line over the limit, never finished", "GET /api/notes/search?q=" + long_query,
       431, "Request header too large"},
      {"header over the limit",
       "GET /api/notes HTTP/1.1\r\nHost: x\r\nX-Big: " + long_query + "\r\n\r\n", 431,
       "Request header too large"},
      {"space in a header name", "GET /api/notes HTTP/1.1\r\nBad Header: x\r\n\r\n", 400,
       "Malformed request"},
      {"pipelined after a good request",
       "GET /api/notes HTTP/1.1\r\nHost: x\r\n\r\n"
       "POST /api/notes HTTP/1.1\r\nBad Header: x\r\n\r\n",
       400, "Malformed request"},
      {"operational path over the limit", "GET /healthz?" + long_query + " HTTP/1.1\r\n\r\n",
       431, "Request header too large"},
  };
  for (const auto& b : battery) {
    std::string what = b.what;
    CAPTURE(what);
    std::string answer = f.client.raw(b.bytes, std::chrono::seconds(3));
    // The last response on the connection is the error.
    std::size_t last = answer.rfind("HTTP/1.1 ");
    REQUIRE(last != std::string::npos);
    std::string_view error = std::string_view(answer).substr(last);
    CHECK(http_client::raw_status(error) == b.status);
    CHECK(error.find("Content-Type: application/json") != std::string_view::npos);
    CHECK(error.ends_with("\r\n\r\n{\"error\":\"" + std::string(b.message) + "\"}"));
  }
  // Outside the API and the operational paths the format stays the pages' (or plain text).
  std::string page = f.client.raw("GET /notes?" + long_query + " HTTP/1.1\r\n\r\n");
  CHECK(http_client::raw_status(page) == 431);
  CHECK(page.find("application/json") == std::string::npos);
  check_still_serving(f);
}

TEST_CASE("duplicate slashes are not normalised, but //api/... errors are still JSON") {
  api_fixture<memory_backend> f;
  f.create("one");
  for (std::string path : {"//api/notes", "//api//notes", "///api/notes/1", "/api//notes"}) {
    CAPTURE(path);
    auto res = f.client.get(path);
    CHECK(res.status == 404);
    CHECK(res.header("Content-Type") == "application/json");
    CHECK(res.body == R"({"error":"Resource not found"})");
  }
  auto healthz = f.client.get("//healthz");
  CHECK(healthz.status == 404);
  CHECK(healthz.header("Content-Type") == "application/json");
}

TEST_CASE("a chunked body over the limit is a 413 and stores nothing") {
  auto options = notes::testing::test_server_options();
  options.body_limit = 1000;
  api_fixture<memory_backend> f(options);
  std::string chunk(600, ' ');
  char size[16];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  std::string request =
      "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += std::string(size) + "\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  CHECK(http_client::raw_status(f.client.raw(request)) == 413);
  CHECK(f.stored().empty());

  auto small = f.client.post_json("/api/notes", R"({"title": "fits", "content": "yes"})");
  CHECK(small.status == 201);
}

TEST_CASE("a body announced with Expect: 100-continue gets the go-ahead") {
  api_fixture<memory_backend> f;
  raw_connection c(f.server.port());
  std::string body = R"({"title": "expect", "content": "continue"})";
  c.send("POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n");
  std::array<char, 64> first{};
  std::size_t n = c.socket.read_some(net::buffer(first));
  CHECK(std::string_view(first.data(), n).starts_with("HTTP/1.1 100 Continue"));
  c.send(body);
  std::string rest = c.receive_all();
  CHECK(http_client::raw_status(rest) == 201);
  CHECK(f.stored().size() == 1);
}

TEST_CASE("slow and idle connections are closed after their timeouts") {
  api_fixture<memory_backend> f(short_timeouts());

  // A request that never completes is cut after read_timeout.
  raw_connection slow(f.server.port());
  auto start = clock_type::now();
  slow.send("GET /api/notes HTTP/1.1\r\nHost: x\r\n");
  CHECK(slow.receive_all().empty());
  auto slow_took = clock_type::now() - start;
  CHECK(slow_took >= milliseconds(300));
  CHECK(slow_took < milliseconds(3000));

  // A kept-alive connection with nothing to say is closed after idle_timeout.
  raw_connection idle(f.server.port());
  start = clock_type::now();
  idle.send("GET /api/notes HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string answer = idle.receive_all();
  auto idle_took = clock_type::now() - start;
  CHECK(http_client::raw_status(answer) == 200);
  CHECK(idle_took >= milliseconds(500));
  CHECK(idle_took < milliseconds(3000));

  check_still_serving(f);
}

TEST_CASE("stop() lets a request in flight finish, closes idle connections, and returns") {
  auto store = std::make_unique<memory_backend>();
  auto options = notes::testing::test_server_options();
  options.idle_timeout = std::chrono::seconds(60);
  notes::testing::test_server server(store->repositories(), options);

  raw_connection idle(server.port());
  idle.send("GET /api/notes HTTP/1.1\r\nHost: x\r\n\r\n");
  std::array<char, 4096> buf;
  CHECK(idle.socket.read_some(net::buffer(buf)) > 0);  // the answer; the connection stays open

  raw_connection busy(server.port());
  std::string body = R"({"title": "in flight", "content": "finishes"})";
  busy.send("POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  std::this_thread::sleep_for(milliseconds(100));

  auto start = clock_type::now();
  auto stopped = std::async(std::launch::async, [&] { server.stop(); });
  std::this_thread::sleep_for(milliseconds(200));
  CHECK(idle.receive_all().empty());  // closed without waiting for the idle timeout
  busy.send(body.substr(10));
  std::string answer = busy.receive_all();
  CHECK(http_client::raw_status(answer) == 201);
  CHECK(answer.find("Connection: close") != std::string::npos);
  stopped.get();
  CHECK(clock_type::now() - start < std::chrono::seconds(5));
  CHECK(store->inspect().count(notes::no_account).value() == 1);

  // Nothing listens any more.
  net::io_context ioc;
  net::ip::tcp::socket late(ioc);
  boost::system::error_code ec;
  late.connect({net::ip::make_address("127.0.0.1"), server.port()}, ec);
  CHECK(ec);
}

TEST_CASE("stop() gives up on requests that never finish after shutdown_timeout") {
  memory_backend store;
  auto options = notes::testing::test_server_options();
  options.read_timeout = std::chrono::seconds(60);
  options.shutdown_timeout = milliseconds(500);
  notes::testing::test_server server(store.repositories(), options);
  raw_connection stuck(server.port());
  stuck.send("GET /api/notes HTTP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(milliseconds(100));
  auto start = clock_type::now();
  server.stop();
  auto took = clock_type::now() - start;
  CHECK(took >= milliseconds(400));
  CHECK(took < milliseconds(3000));
  CHECK(stuck.receive_all().empty());
}

TEST_CASE("the server runs the number of threads asked for, one per core by default") {
  memory_backend store;
  auto options = notes::testing::test_server_options();
  options.threads = 3;
  notes::testing::test_server three(store.repositories(), options);
  CHECK(three.server().threads() == 3);
  options.threads = 0;
  notes::testing::test_server cores(store.repositories(), options);
  CHECK(cores.server().threads() == std::max(1u, std::thread::hardware_concurrency()));
  http_client client(cores.port());
  CHECK(client.get("/api/notes").status == 200);
}

TEST_CASE("starting on a port in use fails with a clear error") {
  memory_backend store;
  notes::testing::test_server first(store.repositories());
  auto options = notes::testing::test_server_options();
  options.port = first.port();
  notes::http::server second(options, store.repositories());
  CHECK_THROWS_WITH_AS(second.start(), doctest::Contains("cannot listen on 127.0.0.1"),
                       std::system_error);
}
