// The API traffic (openapi_traffic.hpp) through a validating proxy, @stoplight/prism-cli, that
// holds every request and response against the OpenAPI document the server serves and reports
// what breaks it in an `sl-violations` header. An independent validator catches what the
// in-process schema check cannot: a document it reads differently from the JSON Schema standard.
//
// Left out (replayed in process only), because prism cannot carry them as sent: bodies that are
// not JSON (it never answers), text that is not UTF-8 (it rewrites it) and HEAD (it parses the
// empty body of every JSON-typed answer but a 204).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include <boost/json.hpp>

#include "child_process.hpp"
#include "http_client.hpp"
#include "openapi_traffic.hpp"
#include "test_server.hpp"

namespace json = boost::json;
using notes::testing::api_call;
using notes::testing::child_process;
using notes::testing::http_client;
using notes::testing::memory_backend;
using notes::testing::test_server;

namespace {

// prism proxy in front of `upstream`, checking against `document` (a URL or a file), on a free
// loopback port. It logs to stdout, so its log goes to a file that is read for the port.
class prism_proxy {
 public:
  prism_proxy(const std::string& document, const std::string& upstream)
      : dir_(notes::testing::make_temp_directory("notes-prism")) {
    const char* path = std::getenv("PATH");
    REQUIRE_MESSAGE(std::filesystem::exists(NOTES_PRISM_PATH),
                    "prism is not installed at " << NOTES_PRISM_PATH
                                                 << " (ctest installs it with npm first)");
    process_ = std::make_unique<child_process>(
        NOTES_PRISM_PATH,
        std::vector<std::string>{"proxy", document, upstream, "--host", "127.0.0.1", "--port",
                                 "0", "--cors", "false", "--errors", "false"},
        std::vector<std::string>{std::string("PATH=") + (path != nullptr ? path : "/usr/bin:/bin")},
        dir_, dir_ / "prism.log");
    const std::regex listening(R"(Prism is listening on http://127\.0\.0\.1:(\d+))");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
      std::smatch m;
      const std::string text = log();
      if (std::regex_search(text, m, listening)) {
        port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    REQUIRE_MESSAGE(port_ != 0, "prism did not start:\n" << log() << process_->stderr_text());
  }

  ~prism_proxy() {
    process_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  prism_proxy(const prism_proxy&) = delete;
  prism_proxy& operator=(const prism_proxy&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  const std::filesystem::path& dir() const noexcept { return dir_; }

  std::string log() const {
    std::ifstream in(dir_ / "prism.log");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<child_process> process_;
  std::uint16_t port_ = 0;
};

struct violations {
  std::vector<std::string> request;
  std::vector<std::string> response;
};

// prism's report: [{"location": ["request", "body", "title"], "severity": ..., "message": ...}].
violations read_violations(const notes::testing::http_response& res) {
  violations out;
  if (!res.has_header("sl-violations")) return out;
  const json::value report = json::parse(res.header("sl-violations"));
  for (const auto& v : report.as_array()) {
    const auto& location = v.at("location").as_array();
    std::string text;
    for (const auto& part : location) text += std::string(part.as_string()) + ".";
    text += " " + std::string(v.at("severity").as_string()) + ": " +
            std::string(v.at("message").as_string());
    (location.at(0) == "response" ? out.response : out.request).push_back(std::move(text));
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::string base_url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

test_server traffic_server(memory_backend& store) {
  auto options = notes::testing::test_server_options();
  options.body_limit = notes::testing::traffic_body_limit;
  return test_server(store.repositories(), options);
}

}  // namespace

TEST_CASE("through a validating proxy, no response breaks the OpenAPI document and only the "
          "requests it forbids break it") {
  memory_backend store;
  test_server server = traffic_server(store);
  const std::string upstream = base_url(server.port());
  prism_proxy proxy(upstream + "/api/openapi.json", upstream);
  http_client client(proxy.port());

  std::size_t carried = 0;
  std::size_t refused_by_document = 0;
  for (const api_call& call : notes::testing::api_traffic()) {
    if (!call.proxyable) continue;
    CAPTURE(call.what);
    CAPTURE(call.method);
    CAPTURE(call.target);
    const auto res = notes::testing::replay(client, call);
    ++carried;
    // The answer is the server's, not one prism made up.
    CHECK(res.status == call.status);
    const violations found = read_violations(res);
    CHECK_MESSAGE(found.response.empty(), joined(found.response));
    if (call.conforming) {
      CHECK_MESSAGE(found.request.empty(), joined(found.request));
    } else {
      // Proves the proxy does check requests (bodies included) against the document.
      CHECK_MESSAGE(!found.request.empty(), "the document allows this request");
      ++refused_by_document;
    }
  }
  CHECK(carried >= 80);
  CHECK(refused_by_document >= 20);
}

TEST_CASE("the validating proxy checks response bodies: a stricter note schema is reported") {
  memory_backend store;
  test_server server = traffic_server(store);
  const std::string upstream = base_url(server.port());
  http_client direct(server.port());
  REQUIRE(direct.post_json("/api/notes", R"({"title": "t", "content": "c"})").status == 201);

  // The served document, except that the note GET /api/notes/{id} answers with must have a
  // member no note has.
  json::value doc = direct.get("/api/openapi.json").json();
  doc.at("components").at("schemas").at("note_with_html").at("required").as_array().emplace_back(
      "canary");
  const auto dir = notes::testing::make_temp_directory("notes-prism-canary");
  const auto file = dir / "stricter.json";
  std::ofstream(file) << json::serialize(doc);

  prism_proxy proxy(file.string(), upstream);
  http_client client(proxy.port());
  const auto res = client.get("/api/notes/1");
  CHECK(res.status == 200);
  const violations found = read_violations(res);
  CHECK(found.request.empty());
  REQUIRE(found.response.size() == 1);
  CHECK(found.response.front().find("canary") != std::string::npos);
  std::filesystem::remove_all(dir);
}
