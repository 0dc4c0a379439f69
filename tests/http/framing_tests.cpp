// HTTP/1.1 message framing by RFC 9112: raw bytes in, the exact responses and the connection's
// state out. A request whose end is in doubt is answered and its connection closed, so that its
// body can never be read as another request (request smuggling, RFC 9112 section 11.2).
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "api_fixture.hpp"
#include "transport/framing.hpp"

namespace net = boost::asio;
using namespace std::chrono_literals;
using notes::testing::api_fixture;
using notes::testing::memory_backend;

namespace {

// What came back on one connection: every byte until the server closed it or `wait` passed.
struct exchange_result {
  std::string bytes;
  bool closed = false;
  std::chrono::milliseconds took{};
};

// Sends `request` in pieces of `piece` bytes (0: all at once), a moment apart, as a slow network
// would deliver it.
exchange_result exchange(std::uint16_t port, std::string_view request,
                         std::chrono::milliseconds wait = 3s, std::size_t piece = 0) {
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  exchange_result result;
  const auto start = std::chrono::steady_clock::now();
  std::array<char, 4096> chunk;
  std::function<void()> read_more = [&] {
    socket.async_read_some(net::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
      result.bytes.append(chunk.data(), n);
      if (ec) {
        result.closed = true;
        result.took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        return;
      }
      read_more();
    });
  };
  if (piece == 0) piece = request.size();
  for (std::size_t at = 0; at < request.size(); at += piece) {
    if (at > 0) std::this_thread::sleep_for(20ms);
    const auto part = request.substr(at, piece);
    boost::system::error_code ec;  // the server may answer and close before the last piece
    net::write(socket, net::buffer(part.data(), part.size()), ec);
    if (ec) break;
  }
  read_more();
  ioc.run_for(wait);
  return result;
}

struct response {
  unsigned status = 0;
  std::string head;  // status line and fields, Date's value replaced by "*"
  std::string body;
};

// Splits what a connection received into responses (each framed by its Content-Length).
std::vector<response> responses_in(std::string_view bytes) {
  std::vector<response> out;
  while (!bytes.empty()) {
    const auto end = bytes.find("\r\n\r\n");
    REQUIRE(end != std::string_view::npos);
    response r;
    r.status = notes::testing::http_client::raw_status(bytes);
    std::string_view head = bytes.substr(0, end + 2);
    std::size_t length = 0;
    while (!head.empty()) {
      const auto eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      head.remove_prefix(eol + 2);
      if (line.starts_with("Date: ")) line = "Date: *";
      if (line.starts_with("Content-Length: ")) length = std::stoul(std::string(line.substr(16)));
      r.head.append(line).append("\r\n");
    }
    bytes.remove_prefix(end + 4);
    REQUIRE(bytes.size() >= length);
    r.body = std::string(bytes.substr(0, length));
    bytes.remove_prefix(length);
    out.push_back(std::move(r));
  }
  return out;
}

constexpr std::string_view then_get =
    "GET /api/notes/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

// The body of each smuggling attempt: what the server would run as a second request if it
// trusted the first one's framing.
constexpr std::string_view smuggled = "DELETE /api/notes/1 HTTP/1.1\r\nHost: x\r\n\r\n";

std::string post_with(std::string_view fields, std::string_view body = smuggled) {
  return "POST /api/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
         std::string(fields) + "\r\n" + std::string(body);
}

}  // namespace

TEST_CASE("a Transfer-Encoding that does not end in chunked is a 400 that closes the connection") {
  api_fixture<memory_backend> f;
  f.create("kept");
  const std::string length = "Content-Length: " + std::to_string(smuggled.size()) + "\r\n";
  for (const std::string& fields : std::vector<std::string>{
           "Transfer-Encoding: gzip\r\n",
           "Transfer-Encoding: identity\r\n",
           "Transfer-Encoding: xchunked\r\n",
           "Transfer-Encoding: chunked, gzip\r\n",
           "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
           "Transfer-Encoding: chunked, chunked\r\n",
           "Transfer-Encoding: chunked;x=1\r\n",
           "Transfer-Encoding: ,\r\n",
           "Transfer-Encoding: xchunked\r\n" + length,
           length + "Transfer-Encoding: xchunked\r\n",
       }) {
    CAPTURE(fields);
    const auto result = exchange(f.server.port(), post_with(fields));
    CHECK(result.closed);
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 400);
    CHECK(answers[0].head.find("Connection: close\r\n") != std::string::npos);
    CHECK(answers[0].head.find("Content-Type: application/json\r\n") != std::string::npos);
  }
  REQUIRE(f.stored().size() == 1);
  CHECK(f.stored()[0].title == "kept");
}

TEST_CASE("Transfer-Encoding beside Content-Length is refused and closes, in either order") {
  api_fixture<memory_backend> f;
  f.create("kept");
  const std::string chunked = "0\r\n\r\n" + std::string(smuggled);
  const std::string length = "Content-Length: " + std::to_string(chunked.size()) + "\r\n";
  const std::vector<std::string> both{"Transfer-Encoding: chunked\r\n" + length,
                                     length + "Transfer-Encoding: chunked\r\n"};
  for (const std::string& fields : both) {
    CAPTURE(fields);
    const auto result = exchange(f.server.port(), post_with(fields, chunked));
    CHECK(result.closed);
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 400);
  }
  CHECK(f.stored().size() == 1);
}

TEST_CASE("the exact answer to a smuggling attempt: one JSON 400, then the connection ends") {
  api_fixture<memory_backend> f;
  f.create("kept");
  const auto result =
      exchange(f.server.port(), post_with("Transfer-Encoding: gzip\r\n") + std::string(then_get));
  CHECK(result.closed);
  const std::string expected_body =
      R"({"error":"Transfer-Encoding must end with chunked, used once"})";
  const auto answers = responses_in(result.bytes);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].head ==
        "HTTP/1.1 400 Bad Request\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Content-Length: " + std::to_string(expected_body.size()) + "\r\n"
        "Date: *\r\n"
        "Connection: close\r\n");
  CHECK(answers[0].body == expected_body);
}

TEST_CASE("a transfer coding before chunked that the server does not implement is a 501") {
  api_fixture<memory_backend> f;
  const std::vector<std::string> codings{
      "Transfer-Encoding: gzip, chunked\r\n",
      "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"};
  for (const std::string& fields : codings) {
    CAPTURE(fields);
    const auto result = exchange(f.server.port(), post_with(fields, "2\r\n{}\r\n0\r\n\r\n"));
    CHECK(result.closed);
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 501);
    CHECK(answers[0].body == R"({"error":"Transfer coding not implemented"})");
  }
  CHECK(f.stored().empty());
}

TEST_CASE("Transfer-Encoding on an HTTP/1.0 request is refused and closes") {
  api_fixture<memory_backend> f;
  const auto result = exchange(
      f.server.port(),
      "POST /api/notes HTTP/1.0\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  CHECK(result.closed);
  const auto answers = responses_in(result.bytes);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].status == 400);
}

TEST_CASE("a well-framed chunked request is served and the connection stays open") {
  api_fixture<memory_backend> f;
  const std::string body = R"({"title": "chunked", "content": "fine"})";
  char size[8];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::vector<std::string> spellings{"chunked", "Chunked", " chunked ", ",chunked"};
  for (const std::string& coding : spellings) {
    CAPTURE(coding);
    const auto result = exchange(
        f.server.port(), post_with("Transfer-Encoding: " + coding + "\r\n",
                                   std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n") +
                             std::string(then_get));
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].status == 201);
    CHECK(answers[1].status == 200);
  }
  CHECK(f.stored().size() == 4);
}

TEST_CASE("a chunk line ended by a bare LF is a prompt 400, not a wait for the read timeout") {
  auto options = notes::testing::test_server_options();
  options.read_timeout = 10s;
  api_fixture<memory_backend> f(options);
  const std::vector<std::string> bodies{"2\n{}\n0\n\n", "2\r\n{}\r\n0\n\n",
                                        "2;ext\n{}\r\n0\r\n\r\n"};
  for (const std::string& body : bodies) {
    CAPTURE(body);
    const auto result =
        exchange(f.server.port(), post_with("Transfer-Encoding: chunked\r\n", body), 8s);
    CHECK(result.closed);
    CHECK(result.took < 5s);
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 400);
  }
  CHECK(f.stored().empty());
}

TEST_CASE("an HTTP/1.1 request needs exactly one Host, an HTTP/1.0 request none") {
  api_fixture<memory_backend> f;
  f.create("one");
  struct host_case {
    const char* what;
    std::string bytes;
    unsigned status;
    bool closed;
  };
  const std::vector<host_case> cases{
      {"no Host", "GET /api/notes/1 HTTP/1.1\r\n\r\n", 400, true},
      {"two Hosts", "GET /api/notes/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, true},
      {"one Host", "GET /api/notes/1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 200,
       true},
      {"HTTP/1.0 without Host", "GET /api/notes/1 HTTP/1.0\r\n\r\n", 200, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto result = exchange(f.server.port(), c.bytes);
    CHECK(result.closed == c.closed);
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == c.status);
  }
  const auto missing = responses_in(exchange(f.server.port(), cases[0].bytes).bytes);
  CHECK(missing.at(0).body == R"({"error":"Missing Host header"})");
}

TEST_CASE("an absolute-form target is served as its origin form") {
  api_fixture<memory_backend> f;
  f.create("absolute");
  const std::vector<std::string> targets{"http://x/api/notes/1", "HTTP://x:8080/api/notes/1",
                                         "https://x/api/notes/1"};
  for (const std::string& target : targets) {
    CAPTURE(target);
    const auto result = exchange(
        f.server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 200);
    CHECK(answers[0].body.find("\"title\":\"absolute\"") != std::string::npos);
  }
  const auto missing = responses_in(
      exchange(f.server.port(),
               "GET http://x/api/notes/99 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .bytes);
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].status == 404);
  CHECK(missing[0].head.find("Content-Type: application/json\r\n") != std::string::npos);
}

TEST_CASE("empty lines before a request line are ignored, on a new or a kept-alive connection") {
  api_fixture<memory_backend> f;
  f.create("one");
  const auto result = exchange(
      f.server.port(), "\r\n\r\nGET /api/notes/1 HTTP/1.1\r\nHost: x\r\n\r\n\r\n\n" +
                           std::string(then_get));
  CHECK(result.closed);
  const auto answers = responses_in(result.bytes);
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].status == 200);
  CHECK(answers[1].status == 200);
}

TEST_CASE("the header limit holds for the header block as a whole") {
  api_fixture<memory_backend> f;  // header_limit 8 KiB
  std::string many;
  for (int i = 0; i < 942; ++i) many += "X-" + std::to_string(i) + ": abcd\r\n";
  const std::string two = "X-A: " + std::string(1000, 'a') + "\r\nX-B: " +
                          std::string(8000, 'b') + "\r\n";
  // A long request line and fields that fit on their own but not together.
  const std::string query = "?q=" + std::string(4000, 'q');
  const std::string after_long_line = "X-A: " + std::string(5000, 'a') + "\r\n";
  const std::vector<std::pair<std::string, std::string>> too_large{
      {"", many}, {"", two}, {query, after_long_line}};
  for (const auto& [target_query, fields] : too_large) {
    // All at once, and in pieces smaller than the limit so that no single read holds too much.
    for (const std::size_t piece : {std::size_t{0}, std::size_t{1000}}) {
      CAPTURE(piece);
      const auto result = exchange(f.server.port(),
                                   "GET /api/notes" + target_query +
                                       " HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n",
                                   3s, piece);
      CHECK(result.closed);
      const auto answers = responses_in(result.bytes);
      REQUIRE(answers.size() == 1);
      CHECK(answers[0].status == 431);
    }
  }
  const std::string fits = "X-A: " + std::string(7900, 'a') + "\r\n";
  const auto result = exchange(
      f.server.port(),
      "GET /api/notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + fits + "\r\n");
  const auto answers = responses_in(result.bytes);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].status == 200);
}

TEST_CASE("field syntax RFC 9112 section 5 forbids is a 400 that closes") {
  api_fixture<memory_backend> f;
  const std::vector<std::string> forbidden{
      "GET /api/notes HTTP/1.1\r\nHost : x\r\n\r\n",
      "GET /api/notes HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
      "GET /api/notes HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}",
      "GET /api/notes HTTP/1.1\r\nHost: x\r\nContent-Length: 0x2\r\n\r\n{}"};
  for (const std::string& bytes : forbidden) {
    CAPTURE(bytes);
    const auto result = exchange(f.server.port(), bytes);
    CHECK(result.closed);
    const auto answers = responses_in(result.bytes);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 400);
  }
}

TEST_CASE("a folded field is read as one line joined by a space, as RFC 9112 section 5.2 allows") {
  api_fixture<memory_backend> f;
  f.create("one");
  // A folded Transfer-Encoding cannot hide a coding: "gzip chunked" is no list ending in chunked.
  const auto folded_coding = exchange(
      f.server.port(), post_with("Transfer-Encoding: gzip\r\n chunked\r\n", "0\r\n\r\n"));
  CHECK(folded_coding.closed);
  const auto refused = responses_in(folded_coding.bytes);
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].status == 400);

  const auto folded = exchange(
      f.server.port(), "GET /api/notes/1 HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n" +
                           std::string(then_get));
  const auto answers = responses_in(folded.bytes);
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].status == 200);
  CHECK(answers[1].status == 200);
}

TEST_CASE("pipelined requests are answered in order on one connection") {
  api_fixture<memory_backend> f;
  f.create("one");
  const auto result = exchange(
      f.server.port(),
      "GET /api/notes/1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/notes/2 HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(then_get));
  CHECK(result.closed);
  const auto answers = responses_in(result.bytes);
  REQUIRE(answers.size() == 3);
  CHECK(answers[0].status == 200);
  CHECK(answers[1].status == 404);
  CHECK(answers[2].status == 200);
}

TEST_CASE("framing helpers: origin form, empty lines, bare LF") {
  using notes::http::has_bare_lf;
  using notes::http::leading_empty_lines;
  using notes::http::origin_form;
  CHECK(origin_form("http://host/a?b").value() == "/a?b");
  CHECK(origin_form("http://host").value() == "/");
  CHECK(origin_form("http://host?q=1").value() == "/?q=1");
  CHECK(origin_form("HTTPS://host:1/x").value() == "/x");
  CHECK_FALSE(origin_form("/api/notes").has_value());
  CHECK_FALSE(origin_form("ftp://host/x").has_value());
  CHECK_FALSE(origin_form("*").has_value());
  CHECK(leading_empty_lines("\r\n\nGET") == 3);
  CHECK(leading_empty_lines("GET") == 0);
  CHECK(leading_empty_lines("\r\n") == 2);
  CHECK(has_bare_lf("5\n"));
  CHECK(has_bare_lf("\n"));
  CHECK(has_bare_lf("a\r\nb\n"));
  CHECK_FALSE(has_bare_lf("5\r\nhello\r\n"));
  CHECK_FALSE(has_bare_lf("5;x=1"));
}
