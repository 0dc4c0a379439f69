// GET /api/openapi.json: the document matches the router's own table both ways, every reference
// resolves, and real requests and responses have the shapes it describes.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "failing_repository.hpp"
#include "http_client.hpp"
#include "json_schema.hpp"
#include "openapi_traffic.hpp"
#include "ops/metrics.hpp"
#include "sign_in.hpp"
#include "transport/route_table.hpp"
#include "test_server.hpp"

namespace json = boost::json;
using notes::testing::http_client;
using notes::testing::json_schema_checker;
using notes::testing::memory_backend;
using notes::testing::test_server;

namespace {

const std::set<std::string> ops_routes{"/healthz", "/readyz", "/metrics"};
const std::set<std::string> http_methods{"get", "put", "post", "delete", "options",
                                         "head", "patch", "trace"};

json::value fetch_document() {
  memory_backend store;
  test_server server(store.repositories());
  http_client client(server.port());
  auto res = client.get("/api/openapi.json");
  REQUIRE(res.status == 200);
  CHECK(res.header("Content-Type") == "application/json");
  return res.json();
}

// "/api/notes/{id:int}" -> "/api/notes/{id}": OpenAPI has no typed captures.
std::string openapi_path(std::string pattern) {
  for (std::size_t at; (at = pattern.find(":int}")) != std::string::npos;) {
    pattern.replace(at, 5, "}");
  }
  return pattern;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "GET /api/notes" for each operation the router serves under /api/ and on the ops routes.
std::set<std::string> served_operations() {
  notes::http::server_metrics metrics;
  std::atomic<bool> stopping{false};
  const auto table =
      notes::http::build_router(notes::testing::test_server_options(), {metrics, stopping});
  std::set<std::string> out;
  for (const auto& route : table.routes()) {
    if (!route.pattern.starts_with("/api/") && !ops_routes.contains(route.pattern)) continue;
    const std::string path = openapi_path(route.pattern);
    for (auto method : route.methods) {
      out.insert(std::string(boost::beast::http::to_string(method)) + " " + path);
      // The router answers HEAD with the GET handler, and OPTIONS on every route.
      if (method == boost::beast::http::verb::get) out.insert("HEAD " + path);
    }
    out.insert("OPTIONS " + path);
  }
  return out;
}

std::set<std::string> documented_operations(const json::value& doc) {
  std::set<std::string> out;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [key, operation] : item.as_object()) {
      if (!http_methods.contains(std::string(key))) continue;
      std::string method(key);
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert(method + " " + std::string(path));
    }
  }
  return out;
}

// Calls `visit` on every "$ref" value anywhere in `v`.
template <class Visit>
void each_ref(const json::value& v, Visit&& visit) {
  if (v.is_object()) {
    for (const auto& [key, member] : v.as_object()) {
      if (key == "$ref" && member.is_string()) visit(std::string(member.as_string()));
      each_ref(member, visit);
    }
  } else if (v.is_array()) {
    for (const auto& item : v.as_array()) each_ref(item, visit);
  }
}

// Holds one real exchange against the operation the document declares for it.
class conformance {
 public:
  explicit conformance(const json::value& doc) : doc_(doc), schemas_(doc) {}

  // The response object for `status` (its $ref followed), failing when it is not documented.
  // A 405 answers a method the path does not declare: any operation of the path describes it.
  const json::value& response_for(const std::string& method, const std::string& path,
                                  unsigned status) {
    const auto& item = doc_.at("paths").at(path).as_object();
    const json::value* operation = item.if_contains(lower(method));
    if (operation == nullptr && status == 405) operation = item.if_contains("get");
    REQUIRE_MESSAGE(operation != nullptr, method << " " << path << " is not documented");
    const auto& responses = operation->at("responses").as_object();
    const auto* response = responses.if_contains(std::to_string(status));
    REQUIRE_MESSAGE(response != nullptr, method << " " << path << " does not document " << status);
    if (const auto* ref = response->as_object().if_contains("$ref")) {
      response = schemas_.resolve(ref->as_string());
      REQUIRE(response != nullptr);
    }
    return *response;
  }

  void check_response(const std::string& method, const std::string& path,
                      const notes::testing::http_response& res) {
    CAPTURE(method);
    CAPTURE(path);
    CAPTURE(res.status);
    CAPTURE(res.body);
    const auto& response = response_for(method, path, res.status);
    if (const auto* headers = response.as_object().if_contains("headers")) {
      for (const auto& [name, header] : headers->as_object()) {
        // Documented headers are sent every time unless marked "required": false.
        const auto* required = header.as_object().if_contains("required");
        if (required != nullptr && !required->as_bool()) continue;
        CHECK_MESSAGE(res.has_header(name), "documented header " << std::string(name));
      }
    }
    const auto* content = response.as_object().if_contains("content");
    if (content == nullptr) {
      CHECK(res.body.empty());
      return;
    }
    const std::string type = res.header("Content-Type").substr(0, res.header("Content-Type").find(';'));
    const auto* media = content->as_object().if_contains(type);
    REQUIRE_MESSAGE(media != nullptr, "undocumented Content-Type " << type);
    if (type != "application/json") return;
    const auto problems = schemas_.check(res.json(), media->at("schema"));
    CHECK_MESSAGE(problems.empty(), joined(problems));
    ++checked_;
  }

  void check_request_body(const std::string& method, const std::string& path,
                          std::string_view body) {
    const json::value* request_body =
        &doc_.at("paths").at(path).at(lower(method)).at("requestBody");
    if (const auto* ref = request_body->as_object().if_contains("$ref")) {
      request_body = schemas_.resolve(ref->as_string());
      REQUIRE(request_body != nullptr);
    }
    const auto problems = schemas_.check(
        json::parse(body), request_body->at("content").at("application/json").at("schema"));
    CHECK_MESSAGE(problems.empty(), joined(problems));
  }

  int checked() const noexcept { return checked_; }

 private:
  const json::value& doc_;
  json_schema_checker schemas_;
  int checked_ = 0;
};

}  // namespace

TEST_CASE("GET /api/openapi.json is an OpenAPI 3.1 document of this version") {
  const json::value doc = fetch_document();
  CHECK(doc.at("openapi") == "3.1.0");
  CHECK(doc.at("info").at("version") == NOTES_VERSION);
  CHECK(doc.at("info").at("title").is_string());
}

TEST_CASE("every API and ops route the router serves is in the OpenAPI document, and vice versa") {
  const auto served = served_operations();
  const auto documented = documented_operations(fetch_document());
  // The comparison means something only if the table has the routes in the first place.
  CHECK(served.contains("GET /api/notes/{id}"));
  CHECK(served.contains("POST /api/notes"));
  CHECK(served.contains("GET /metrics"));
  CHECK(served.contains("GET /api/openapi.json"));
  for (const auto& op : served) CHECK_MESSAGE(documented.contains(op), "not documented: " << op);
  for (const auto& op : documented) CHECK_MESSAGE(served.contains(op), "not served: " << op);
}

TEST_CASE("the OpenAPI document's references resolve and every operation documents its errors") {
  const json::value doc = fetch_document();
  json_schema_checker resolver(doc);
  int refs = 0;
  each_ref(doc, [&](const std::string& ref) {
    ++refs;
    CHECK_MESSAGE(resolver.resolve(ref) != nullptr, "unresolved " << ref);
  });
  CHECK(refs > 20);

  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!http_methods.contains(std::string(method))) continue;
      CAPTURE(std::string(path));
      CAPTURE(std::string(method));
      const std::string id(operation.at("operationId").as_string());
      CHECK_MESSAGE(operation_ids.insert(id).second, "operationId twice: " << id);
      bool success = false;
      bool failure = false;
      for (const auto& [status, response] : operation.at("responses").as_object()) {
        success = success || status.starts_with("2");
        failure = failure || status.starts_with("4") || status.starts_with("5");
      }
      CHECK(success);
      // Every /api/notes operation touches storage, so it can fail.
      if (std::string_view(path).starts_with("/api/notes")) CHECK(failure);
    }
  }
}

TEST_CASE("real API requests and responses have the shapes the OpenAPI document gives") {
  const json::value doc = fetch_document();
  conformance spec(doc);
  memory_backend store;
  test_server server(store.repositories());
  http_client client(server.port());
  const std::string one = "/api/notes/{id}";

  const std::string create_body = R"({"title": "Groceries", "content": "Milk", "is_pinned": true})";
  spec.check_request_body("POST", "/api/notes", create_body);
  auto created = client.post_json("/api/notes", create_body);
  spec.check_response("POST", "/api/notes", created);
  const std::string url = created.header("Location");
  client.post_json("/api/notes", R"({"title": "Second", "content": "Eggs"})");

  spec.check_response("POST", "/api/notes", client.post_json("/api/notes", R"({"title": 5})"));
  spec.check_response("POST", "/api/notes", client.post_json("/api/notes", "[1]"));
  spec.check_response("POST", "/api/notes",
                      client.request("POST", "/api/notes", R"({"title": "t", "content": "c"})",
                                     {{"Content-Type", "text/plain"}}));
  spec.check_response("POST", "/api/notes",
                      client.post_json("/api/notes", std::string(1024 * 1024 + 10, ' ')));

  spec.check_response("GET", "/api/notes", client.get("/api/notes?per_page=1"));
  spec.check_response("GET", "/api/notes", client.get("/api/notes?page=99"));
  spec.check_response("GET", "/api/notes", client.get("/api/notes?page=0"));
  spec.check_response("GET", "/api/notes/search", client.get("/api/notes/search?q=milk"));
  spec.check_response("GET", "/api/notes/search", client.get("/api/notes/search?q=%20"));

  auto got = client.get(url);
  spec.check_response("GET", one, got);
  spec.check_response("GET", one, client.get(url, {{"If-None-Match", got.header("ETag")}}));
  spec.check_response("GET", one, client.get("/api/notes/424242"));

  const std::string patch_body = R"({"content": "Milk, coffee"})";
  spec.check_request_body("PATCH", one, patch_body);
  spec.check_response("PATCH", one, client.patch_json(url, patch_body, {{"If-Match", "\"1\""}}));
  spec.check_response("PATCH", one, client.patch_json(url, patch_body, {{"If-Match", "\"1\""}}));
  spec.check_response("PUT", one, client.put_json(url, R"({"title": "Food"})"));
  spec.check_response("PUT", one, client.put_json(url, R"({"title": ""})"));
  spec.check_response("PUT", one, client.put_json(url, "{}"));
  spec.check_response("DELETE", one, client.del(url, {{"If-Match", "\"1\""}}));
  spec.check_response("DELETE", one, client.del(url));
  spec.check_response("DELETE", one, client.del(url));

  spec.check_response("GET", "/healthz", client.get("/healthz"));
  spec.check_response("GET", "/readyz", client.get("/readyz"));
  spec.check_response("GET", "/metrics", client.get("/metrics"));
  spec.check_response("GET", "/api/openapi.json", client.get("/api/openapi.json"));

  test_server broken(notes::testing::failing(notes::error_code::unavailable, "connection refused"),
                     notes::testing::test_server_options());
  http_client down(broken.port());
  spec.check_response("GET", "/api/notes", down.get("/api/notes"));
  spec.check_response("POST", "/api/notes", down.post_json("/api/notes", create_body));
  spec.check_response("GET", one, down.get("/api/notes/1"));
  spec.check_response("DELETE", one, down.del("/api/notes/1"));
  test_server full(notes::testing::failing(notes::error_code::storage_full, "disk full"),
                   notes::testing::test_server_options());
  http_client no_room(full.port());
  spec.check_response("POST", "/api/notes", no_room.post_json("/api/notes", create_body));
  spec.check_response("DELETE", one, no_room.del("/api/notes/1"));
  test_server read_only(notes::testing::failing(notes::error_code::read_only, "file deleted"),
                        notes::testing::test_server_options());
  http_client refused(read_only.port());
  spec.check_response("POST", "/api/notes", refused.post_json("/api/notes", create_body));
  CHECK(spec.checked() >= 28);
}

namespace {

std::set<std::string> member_names(const json::value& object) {
  std::set<std::string> names;
  for (const auto& [key, value] : object.as_object()) names.insert(std::string(key));
  return names;
}

std::set<std::string> documented_members(const json::value& doc, std::string_view schema) {
  return member_names(doc.at("components").at("schemas").at(schema).at("properties"));
}

}  // namespace

TEST_CASE("the OpenAPI note schema lists exactly the members a note has") {
  const json::value doc = fetch_document();
  memory_backend store;
  test_server server(store.repositories());
  http_client client(server.port());
  auto created = client.post_json("/api/notes", R"({"title": "t", "content": "c"})").json();
  CHECK(member_names(created) == documented_members(doc, "note"));
  // GET /api/notes/{id} answers with note_with_html: the same members, content_html only when
  // asked for.
  const std::string url = "/api/notes/" + std::to_string(created.at("id").as_int64());
  std::set<std::string> with_html = member_names(created);
  with_html.insert("content_html");
  CHECK(member_names(client.get(url + "?include=html").json()) == with_html);
  CHECK(documented_members(doc, "note_with_html") == with_html);
}

TEST_CASE("the API traffic of the OpenAPI checks has the statuses and shapes the document gives") {
  const json::value doc = fetch_document();
  conformance spec(doc);
  memory_backend store;
  auto options = notes::testing::test_server_options();
  options.body_limit = notes::testing::traffic_body_limit;
  test_server server(store.repositories(), options);
  http_client client(server.port());
  std::size_t calls = 0;
  for (const auto& call : notes::testing::api_traffic()) {
    CAPTURE(call.what);
    const auto res = notes::testing::replay(client, call);
    ++calls;
    CHECK(res.status == call.status);
    CHECK(res.header("X-Content-Type-Options") == "nosniff");
    if (call.path.empty()) continue;
    spec.check_response(call.method, call.path, res);
    // What the document says of a request the server takes: lengths count after trimming.
    if (call.conforming && !call.body.empty()) {
      spec.check_request_body(call.method, call.path, call.body);
    }
  }
  CHECK(calls >= 100);
}

TEST_CASE("the OpenAPI document asks for credentials exactly where the router does") {
  const json::value doc = fetch_document();
  const auto& schemes = doc.at("components").at("securitySchemes");
  CHECK(schemes.at("bearer_token").at("type") == "http");
  CHECK(schemes.at("bearer_token").at("scheme") == "bearer");
  CHECK(schemes.at("session_cookie").at("in") == "cookie");
  // A token, the session cookie, or nothing at all (a server without accounts).
  CHECK(doc.at("security").as_array().size() == 3);

  memory_backend store;
  notes::http::server_metrics metrics;
  std::atomic<bool> stopping{false};
  const auto table = notes::http::build_router(notes::testing::accounts_server_options(store),
                                               {metrics, stopping});
  std::map<std::string, std::string> patterns;  // OpenAPI path -> router pattern
  for (const auto& route : table.routes()) patterns[openapi_path(route.pattern)] = route.pattern;
  int gated = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [key, operation] : item.as_object()) {
      if (!http_methods.contains(std::string(key))) continue;
      CAPTURE(std::string(path));
      CAPTURE(std::string(key));
      const std::string method = key == "head" ? "GET" : [&] {
        std::string upper(key);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return upper;
      }();
      const bool needs = key != "options" &&
                         table.needs_visitor(boost::beast::http::string_to_verb(method),
                                             patterns.at(std::string(path)));
      const auto* security = operation.as_object().if_contains("security");
      const bool open = security != nullptr && security->as_array().empty();
      CHECK(open == !needs);
      const auto& responses = operation.at("responses").as_object();
      if (needs) {
        ++gated;
        CHECK(responses.contains("401"));
        const bool writes = key != "get" && key != "head";
        CHECK(responses.contains("403") == writes);
      } else {
        CHECK_FALSE(responses.contains("401"));
      }
    }
  }
  CHECK(gated >= 10);
}

TEST_CASE("with accounts, real 401 and 403 answers have the shapes the OpenAPI document gives") {
  const json::value doc = fetch_document();
  conformance spec(doc);
  memory_backend store;
  notes::testing::account_setup setup(store);
  const auto ann = setup.add("ann");
  const std::string reader = setup.token(ann, notes::token_scope::read);
  const std::string writer = setup.token(ann, notes::token_scope::read_write);
  test_server server(store.repositories(), notes::testing::accounts_server_options(store));
  http_client client(server.port());
  using notes::testing::bearer;
  const std::string one = "/api/notes/{id}";
  const std::string body = R"({"title": "t", "content": "c"})";

  spec.check_response("GET", "/api/notes", client.get("/api/notes"));
  spec.check_response("GET", "/api/notes/search", client.get("/api/notes/search?q=x"));
  spec.check_response("GET", one, client.get("/api/notes/1", bearer("not a token")));
  spec.check_response("GET", one, client.get("/api/notes/1", {{"Authorization", "Basic x"}}));
  spec.check_response("POST", "/api/notes", client.post_json("/api/notes", body));
  spec.check_response("POST", "/api/notes", client.post_json("/api/notes", body, bearer(reader)));
  const auto created = client.post_json("/api/notes", body, bearer(writer));
  spec.check_response("POST", "/api/notes", created);
  const std::string url = created.header("Location");
  spec.check_response("PUT", one, client.put_json(url, body, bearer(reader)));
  spec.check_response("PATCH", one, client.patch_json(url, body, bearer(reader)));
  spec.check_response("DELETE", one, client.del(url, bearer(reader)));
  spec.check_response("GET", one, client.get(url, bearer(reader)));
  CHECK(spec.checked() >= 11);
}
