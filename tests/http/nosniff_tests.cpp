// X-Content-Type-Options: nosniff on every answer under /api/ (successes, conditional answers,
// errors from the API, the router and the transport) and on the router's own plain-text errors,
// so no browser reads a JSON or text body as something else.
#include <doctest/doctest.h>

#include "api_fixture.hpp"
#include "notes/memory_note_repository.hpp"
#include "notes/note_service.hpp"
#include "routing/router.hpp"

using notes::testing::api_fixture;
using notes::testing::http_client;
using notes::testing::memory_backend;
using notes::testing::note_url;

namespace {

// The header block of the last response in `raw` (several when requests were pipelined).
std::string last_head(const std::string& raw) {
  const std::size_t start = raw.rfind("HTTP/1.1 ");
  if (start == std::string::npos) return {};
  return raw.substr(start, raw.find("\r\n\r\n", start) - start);
}

}  // namespace

TEST_CASE("every response under /api/ says X-Content-Type-Options: nosniff") {
  auto options = notes::testing::test_server_options();
  options.body_limit = 4096;
  api_fixture<memory_backend> f(options);
  auto n = f.create("sniffed", "<html><script>alert(1)</script>");
  const std::string url = note_url(n);
  struct exchange {
    const char* what;
    notes::testing::http_response res;
    unsigned status;
  };
  const std::vector<exchange> battery{
      {"list", f.client.get("/api/notes"), 200},
      {"search", f.client.get("/api/notes/search?q=sniffed"), 200},
      {"one note", f.client.get(url), 200},
      {"HEAD", f.client.head(url), 200},
      {"not modified", f.client.get(url, {{"If-None-Match", "\"1\""}}), 304},
      {"created", f.client.post_json("/api/notes", R"({"title": "t", "content": "c"})"), 201},
      {"invalid", f.client.post_json("/api/notes", R"({"title": 5})"), 400},
      {"not JSON", f.client.request("POST", "/api/notes", "x", {{"Content-Type", "text/plain"}}),
       415},
      {"stale", f.client.patch_json(url, R"({"title": "u"})", {{"If-Match", "\"9\""}}), 412},
      {"unknown note", f.client.get("/api/notes/999"), 404},
      {"unknown path", f.client.get("/api/nothing"), 404},
      {"wrong method", f.client.del("/api/notes"), 405},
      {"OPTIONS", f.client.request("OPTIONS", "/api/notes"), 204},
      {"too large", f.client.post_json("/api/notes", std::string(8192, ' ')), 413},
      {"deleted", f.client.del(url), 200},
      {"the OpenAPI document", f.client.get("/api/openapi.json"), 200},
  };
  for (const auto& e : battery) {
    CAPTURE(e.what);
    CHECK(e.res.status == e.status);
    CHECK(e.res.header("X-Content-Type-Options") == "nosniff");
  }

  // Errors the transport answers before any route is known.
  const std::string big(9000, 'a');
  const auto too_long = last_head(f.client.raw("GET /api/notes?" + big + " HTTP/1.1\r\n\r\n"));
  CHECK(http_client::raw_status(too_long) == 431);
  CHECK(too_long.find("X-Content-Type-Options: nosniff") != std::string::npos);
  const auto malformed =
      last_head(f.client.raw("GET /api/notes HTTP/1.1\r\nBad Header: x\r\n\r\n"));
  CHECK(http_client::raw_status(malformed) == 400);
  CHECK(malformed.find("X-Content-Type-Options: nosniff") != std::string::npos);
}

TEST_CASE("the router's own plain-text errors say X-Content-Type-Options: nosniff") {
  notes::memory_note_repository repository;
  notes::note_service service(repository);
  notes::http::router r;
  r.add(notes::http::verb::get, "/x", [](notes::http::request_context&) -> notes::http::response {
    throw std::runtime_error("boom");
  });
  for (auto [method, target] : {std::pair{notes::http::verb::get, "/nowhere"},
                                std::pair{notes::http::verb::post, "/x"},
                                std::pair{notes::http::verb::get, "/x"}}) {
    CAPTURE(target);
    const auto res = r.handle(notes::http::request{method, target, 11}, service);
    CHECK(res.result_int() >= 400);
    CHECK(res["Content-Type"] == "text/plain; charset=utf-8");
    CHECK(res["X-Content-Type-Options"] == "nosniff");
  }

  // On the real server, a target that is not a path gets the router's plain-text 404.
  api_fixture<memory_backend> f;
  const auto star = last_head(f.client.raw("GET * HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(http_client::raw_status(star) == 404);
  CHECK(star.find("text/plain") != std::string::npos);
  CHECK(star.find("X-Content-Type-Options: nosniff") != std::string::npos);
}
