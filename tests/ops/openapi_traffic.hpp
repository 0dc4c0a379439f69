#pragma once
// The API traffic that both OpenAPI checks replay, in order, on a fresh in-memory server whose
// body limit is traffic_body_limit: the schema check in this process (openapi_tests.cpp) and the
// validating proxy (openapi_proxy_tests.cpp). It follows the API tests: every operation, with the
// requests they send that succeed and the ones that are refused. Ids and versions are known in
// advance because the store starts empty.
#include <string>
#include <tuple>
#include <vector>

#include "http_client.hpp"

namespace notes::testing {

struct api_call {
  std::string what;    // names the call in failure messages
  std::string method;
  std::string target;
  std::string path;    // the document's path the target is meant for; empty when there is none
  header_list headers;
  std::string body;
  unsigned status = 200;   // what the server answers
  bool conforming = true;  // the document allows the request as sent (the server may still refuse
                           // it by a rule the document words in prose, such as lengths after
                           // trimming)
  bool proxyable = true;   // prism carries it as sent (see openapi_proxy_tests.cpp for the rest)
};

inline constexpr std::size_t traffic_body_limit = 4096;

inline std::vector<api_call> api_traffic() {
  const std::string notes = "/api/notes";
  const std::string one = "/api/notes/{id}";
  const std::string search = "/api/notes/search";
  const header_list json{{"Content-Type", "application/json"}};
  const auto if_match = [&](std::string tags) {
    header_list headers = json;
    headers.emplace_back("If-Match", std::move(tags));
    return headers;
  };
  std::vector<api_call> calls;
  const auto get = [&](std::string what, std::string target, std::string path, unsigned status,
                       bool conforming = true, header_list headers = {}) {
    calls.push_back({std::move(what), "GET", std::move(target), std::move(path),
                     std::move(headers), "", status, conforming, true});
  };
  // A body with exactly `headers` (none: no Content-Type at all).
  const auto send_as = [&](std::string what, std::string method, std::string target,
                           std::string path, std::string body, unsigned status, bool conforming,
                           header_list headers) {
    calls.push_back({std::move(what), std::move(method), std::move(target), std::move(path),
                     std::move(headers), std::move(body), status, conforming, true});
  };
  const auto send = [&](std::string what, std::string method, std::string target,
                        std::string path, std::string body, unsigned status,
                        bool conforming = true) {
    send_as(std::move(what), std::move(method), std::move(target), std::move(path),
            std::move(body), status, conforming, json);
  };
  const auto broken = [&](std::string what, std::string body) {
    // A body prism cannot parse or would rewrite: replayed in this process only.
    calls.push_back({std::move(what), "POST", notes, notes, json, std::move(body), 400, false,
                     false});
  };
  const auto create = [&](std::string title, std::string content) {
    send("create " + title, "POST", notes, notes,
         R"({"title": ")" + title + R"(", "content": ")" + content + R"("})", 201);
  };

  get("the empty list", notes, notes, 200);
  send("create, text trimmed", "POST", notes, notes,
       R"({"title": "  First  ", "content": "Hello\nworld"})", 201);  // 1
  send("create pinned", "POST", notes, notes,
       R"({"title": "Pinned", "content": "x", "is_pinned": true})", 201);  // 2
  send("create with a 200-character title inside spaces", "POST", notes, notes,
       R"({"title": "   )" + std::string(200, 'T') + R"(   ", "content": "  c  "})", 201);  // 3
  send_as("create with a media type in capitals and a charset", "POST", notes, notes,
          R"({"title": "Shopping list", "content": "milk, eggs"})", 201, true,
          {{"Content-Type", "Application/JSON; charset=utf-8"}});  // 4
  create("Ideas", "Buy MILK tomorrow");    // 5
  create("Discount", "100% off");          // 6
  create("Under_score", "snake");          // 7
  create("Ärger", "über");                 // 8
  for (int i = 1; i <= 5; ++i) create("match " + std::to_string(i), "m");  // 9 to 13

  send("a blank title and no content", "POST", notes, notes, R"({"title": "   "})", 400, false);
  send("an empty object", "POST", notes, notes, "{}", 400, false);
  send("a title over 200 characters", "POST", notes, notes,
       R"({"title": ")" + std::string(201, 'x') + R"(", "content": "c"})", 400);
  send("blank content", "POST", notes, notes, R"({"title": "t", "content": " \n "})", 400);
  send("a number for the title", "POST", notes, notes, R"({"title": 5, "content": "c"})", 400,
       false);
  send("an array for the content", "POST", notes, notes, R"({"title": "t", "content": ["c"]})",
       400, false);
  send("a string for is_pinned", "POST", notes, notes,
       R"({"title": "t", "content": "c", "is_pinned": "yes"})", 400, false);
  send("null for the title", "POST", notes, notes, R"({"title": null, "content": "c"})", 400,
       false);
  send("a number for is_pinned", "POST", notes, notes,
       R"({"title": "t", "content": "c", "is_pinned": 1})", 400, false);
  send("an array body", "POST", notes, notes, "[1, 2]", 400, false);
  send("a string body", "POST", notes, notes, "\"text\"", 400, false);
  send("a null body", "POST", notes, notes, "null", 400, false);
  send("an empty body", "POST", notes, notes, "", 400, false);
  broken("JSON cut short", "{\"title\": ");
  broken("single quotes", "{'title': 'a'}");
  broken("text after the object", "{\"title\": \"a\"} x");
  broken("text that is not UTF-8", "{\"title\": \"\xff\xfe\", \"content\": \"c\"}");
  send_as("no Content-Type", "POST", notes, notes, R"({"title": "t", "content": "c"})", 415,
          false, {});
  send_as("text/plain", "POST", notes, notes, R"({"title": "t", "content": "c"})", 415, false,
          {{"Content-Type", "text/plain"}});
  send_as("a form's media type", "POST", notes, notes, R"({"title": "t", "content": "c"})", 415,
          false, {{"Content-Type", "application/x-www-form-urlencoded"}});
  send("a body over the limit", "POST", notes, notes,
       R"({"title": "big", "content": ")" + std::string(traffic_body_limit, 'c') + R"("})",
       413);

  get("one note", "/api/notes/1", one, 200);
  get("one note with its content as HTML", "/api/notes/1?include=html", one, 200);
  get("an include value the server does not know", "/api/notes/1?include=tags", one, 400,
      false);
  get("If-None-Match with the current version", "/api/notes/1", one, 304, true,
      {{"If-None-Match", "\"1\""}});
  get("If-None-Match *", "/api/notes/1", one, 304, true, {{"If-None-Match", "*"}});
  get("If-None-Match with another version", "/api/notes/1", one, 200, true,
      {{"If-None-Match", "\"7\""}});
  get("an id that is not stored", "/api/notes/999", one, 404);
  get("an id that is not a number", "/api/notes/abc", one, 404, false);
  get("id 0", "/api/notes/0", one, 404, false);
  get("a negative id", "/api/notes/-1", one, 404, false);
  get("a fractional id", "/api/notes/1.5", one, 404, false);
  get("an id over int64", "/api/notes/99999999999999999999", one, 404, false);
  get("a trailing slash", "/api/notes/1/", "", 404, false);
  get("a path no route serves", "/api/nothing", "", 404, false);

  get("the first page", notes, notes, 200);
  get("page 2 of 7 a page", "/api/notes?per_page=7&page=2", notes, 200);
  get("a page past the end", "/api/notes?page=9", notes, 200);
  get("by last change", "/api/notes?sort=updated", notes, 200);
  get("by creation, pinned first", "/api/notes?sort=created", notes, 200);
  get("an unknown sort", "/api/notes?sort=title", notes, 400, false);
  get("per_page over 100", "/api/notes?per_page=1000", notes, 200);
  get("an empty page", "/api/notes?page=", notes, 400);
  get("a page too far for the arithmetic", "/api/notes?page=9223372036854775807&per_page=100",
      notes, 400);
  for (const std::string query :
       {"page=0", "page=-1", "page=abc", "page=1.5", "per_page=0", "per_page=x"}) {
    get("list with " + query, "/api/notes?" + query, notes, 400, false);
    get("search with " + query, "/api/notes/search?q=match&" + query, search, 400, false);
  }

  get("search", "/api/notes/search?q=milk", search, 200);
  get("search for %", "/api/notes/search?q=%25", search, 200);
  get("search for _", "/api/notes/search?q=_", search, 200);
  get("search in another case, beyond ASCII", "/api/notes/search?q=%C3%84RGER", search, 200);
  get("search trimmed", "/api/notes/search?q=++MILK+", search, 200);
  get("search without matches", "/api/notes/search?q=absent", search, 200);
  get("search with snippets", "/api/notes/search?q=milk&include=snippet", search, 200);
  get("search with another include", "/api/notes/search?q=milk&include=html", search, 400,
      false);
  get("search, page 2", "/api/notes/search?q=match&page=2&per_page=2", search, 200);
  get("search without q", "/api/notes/search", search, 400, false);
  get("search with an empty q", "/api/notes/search?q=", search, 400, false);
  get("search with a blank q", "/api/notes/search?q=+++", search, 400);
  get("search with a q over 200 characters", "/api/notes/search?q=" + std::string(201, 'a'),
      search, 400);
  calls.push_back({"search with a q that is not UTF-8 (prism would rewrite it)", "GET",
                   "/api/notes/search?q=%FF", search, {}, "", 400, false, false});

  send("PUT one field", "PUT", "/api/notes/1", one, R"({"is_pinned": true})", 200);  // v2
  send("PATCH two fields", "PATCH", "/api/notes/1", one,
       R"({"title": "  New title ", "is_pinned": false})", 200);  // v3
  send_as("PATCH with the current version", "PATCH", "/api/notes/1", one,
          R"({"content": "Milk, coffee"})", 200, true, if_match("\"3\""));  // v4
  send_as("PATCH with a stale version", "PATCH", "/api/notes/1", one,
          R"({"content": "Milk, tea"})", 412, true, if_match("\"3\""));
  send_as("PATCH with a weak tag", "PATCH", "/api/notes/1", one, R"({"content": "Tea"})", 412,
          true, if_match("W/\"4\""));
  send_as("PATCH with a list holding the current version", "PATCH", "/api/notes/1", one,
          R"({"content": "Tea"})", 200, true, if_match("\"7\", \"4\""));  // v5
  send_as("PUT with If-Match *", "PUT", "/api/notes/1", one, R"({"title": "Food"})", 200, true,
          if_match("*"));  // v6
  send("PUT a blank title", "PUT", "/api/notes/1", one, R"({"title": "   "})", 400);
  send("PATCH empty content", "PATCH", "/api/notes/1", one, R"({"content": ""})", 400, false);
  send("PATCH only unknown members", "PATCH", "/api/notes/1", one, R"({"unknown": 1})", 400);
  send("PUT an empty object", "PUT", "/api/notes/1", one, "{}", 400, false);
  send("PATCH a string for is_pinned", "PATCH", "/api/notes/1", one, R"({"is_pinned": "true"})",
       400, false);
  send_as("PUT without Content-Type", "PUT", "/api/notes/1", one, R"({"title": "u"})", 415,
          false, {});
  send_as("PATCH text/json", "PATCH", "/api/notes/1", one, R"({"title": "u"})", 415, false,
          {{"Content-Type", "text/json"}});
  send("PATCH over the body limit", "PATCH", "/api/notes/1", one,
       R"({"content": ")" + std::string(traffic_body_limit, 'c') + R"("})", 413);
  send("PUT a note that is not stored", "PUT", "/api/notes/999", one, R"({"title": "x"})", 404);
  send("PATCH a note that is not stored", "PATCH", "/api/notes/999", one, R"({"title": "x"})",
       404);
  send("PUT an id that is not a number", "PUT", "/api/notes/abc", one, R"({"title": "x"})", 404,
       false);

  calls.push_back({"DELETE with a stale version", "DELETE", "/api/notes/2", one,
                   {{"If-Match", "\"9\""}}, "", 412, true, true});
  calls.push_back({"DELETE", "DELETE", "/api/notes/2", one, {}, "", 200, true, true});
  calls.push_back({"DELETE again", "DELETE", "/api/notes/2", one, {}, "", 404, true, true});
  calls.push_back({"DELETE a note never stored", "DELETE", "/api/notes/999", one, {}, "", 404,
                   true, true});
  get("GET a deleted note", "/api/notes/2", one, 404);

  calls.push_back({"DELETE the list", "DELETE", notes, notes, {}, "", 405, false, true});
  send("POST to a note", "POST", "/api/notes/1", one, "{}", 405, false);
  send("POST to search", "POST", search, search, "{}", 405, false);
  send("POST to /healthz", "POST", "/healthz", "/healthz", "{}", 405, false);
  for (const std::string& path : {notes, search, std::string("/api/notes/1"),
                                  std::string("/healthz"), std::string("/api/openapi.json")}) {
    calls.push_back({"OPTIONS " + path, "OPTIONS", path, path == "/api/notes/1" ? one : path,
                     {}, "", 204, true, true});
  }
  // prism reads the body of every JSON-typed answer but 204 as JSON, a HEAD's empty one too.
  for (auto [target, path, status] :
       {std::tuple{notes, notes, 200u}, std::tuple{std::string("/api/notes/1"), one, 200u},
        std::tuple{std::string("/api/notes/999"), one, 404u},
        std::tuple{std::string("/api/notes/search?q=x"), search, 200u},
        std::tuple{std::string("/healthz"), std::string("/healthz"), 200u}}) {
    calls.push_back({"HEAD " + target, "HEAD", target, path, {}, "", status, true, false});
  }
  calls.push_back({"HEAD with If-None-Match", "HEAD", "/api/notes/1", one,
                   {{"If-None-Match", "\"6\""}}, "", 304, true, false});

  get("headers over the limit", notes, notes, 431, true,
      {{"X-Padding", std::string(9000, 'p')}});
  get("a request line over the limit", "/api/notes/search?q=" + std::string(9000, 'a'), search,
      431);

  get("liveness", "/healthz", "/healthz", 200);
  get("readiness", "/readyz", "/readyz", 200);
  get("metrics", "/metrics", "/metrics", 200);
  get("the OpenAPI document", "/api/openapi.json", "/api/openapi.json", 200);
  return calls;
}

// Sends `call` exactly as listed.
inline http_response replay(http_client& client, const api_call& call) {
  return client.request(call.method, call.target, call.body, call.headers);
}

}  // namespace notes::testing
