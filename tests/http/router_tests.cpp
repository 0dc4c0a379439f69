// The route table on its own: no sockets, requests in, responses out.
#include <doctest/doctest.h>

#include <stdexcept>

#include "notes/memory_note_repository.hpp"
#include "notes/note_service.hpp"
#include "routing/router.hpp"

using namespace notes::http;

namespace {

struct router_fixture {
  notes::memory_note_repository repository;
  notes::note_service service{repository};
  router r;

  response call(verb method, std::string_view target) {
    request req{method, target, 11};
    return r.handle(req, service);
  }
};

handler answer(std::string text) {
  return [text](request_context&) { return make_response(status::ok, text, "text/plain"); };
}

}  // namespace

TEST_CASE("router: a literal route answers its method") {
  router_fixture f;
  f.r.add(verb::get, "/", answer("root"));
  f.r.add(verb::get, "/api/notes", answer("list"));
  f.r.add(verb::post, "/api/notes", answer("create"));
  CHECK(f.call(verb::get, "/").body() == "root");
  CHECK(f.call(verb::get, "/api/notes").body() == "list");
  CHECK(f.call(verb::post, "/api/notes").body() == "create");
  CHECK(f.call(verb::get, "/api/notes?page=2&x=y").body() == "list");
  CHECK(f.call(verb::get, "/api/notes").at(field::content_length) == "4");
}

TEST_CASE("router: unknown paths are 404, known paths with another method 405 with Allow") {
  router_fixture f;
  f.r.add(verb::get, "/api/notes", answer("list"));
  f.r.add(verb::post, "/api/notes", answer("create"));
  for (const char* target : {"/api/note", "/api/notes/", "/api", "/", "", "api/notes", "*",
                             "/api/notes/1", "//api/notes"}) {
    CAPTURE(target);
    CHECK(f.call(verb::get, target).result() == status::not_found);
  }
  auto res = f.call(verb::delete_, "/api/notes");
  CHECK(res.result() == status::method_not_allowed);
  CHECK(res.at(field::allow) == "GET, HEAD, POST, OPTIONS");
}

TEST_CASE("router: HEAD is served by GET without a body and OPTIONS lists the methods") {
  router_fixture f;
  f.r.add(verb::get, "/page", answer("hello"));
  f.r.add(verb::put, "/only-put", answer("put"));
  auto head = f.call(verb::head, "/page");
  CHECK(head.result() == status::ok);
  CHECK(head.body().empty());
  CHECK(head.at(field::content_length) == "5");
  CHECK(f.call(verb::head, "/only-put").result() == status::method_not_allowed);
  auto options = f.call(verb::options, "/page");
  CHECK(options.result() == status::no_content);
  CHECK(options.at(field::allow) == "GET, HEAD, OPTIONS");
  CHECK(options.find(field::content_length) == options.end());
}

TEST_CASE("router: {name} captures a segment, {name:int} only positive int64 values") {
  router_fixture f;
  f.r.add(verb::get, "/notes/{id:int}", [](request_context& ctx) {
    return make_response(status::ok, std::to_string(ctx.params.integer("id")), "text/plain");
  });
  f.r.add(verb::get, "/tags/{name}/notes", [](request_context& ctx) {
    return make_response(status::ok, std::string(ctx.params.get("name")), "text/plain");
  });
  CHECK(f.call(verb::get, "/notes/42").body() == "42");
  CHECK(f.call(verb::get, "/notes/007").body() == "7");
  CHECK(f.call(verb::get, "/notes/9223372036854775807").body() == "9223372036854775807");
  for (const char* target : {"/notes/0", "/notes/-3", "/notes/+3", "/notes/3x", "/notes/",
                             "/notes/9223372036854775808", "/notes/99999999999999999999"}) {
    CAPTURE(target);
    CHECK(f.call(verb::get, target).result() == status::not_found);
  }
  CHECK(f.call(verb::get, "/tags/work%20stuff/notes").body() == "work%20stuff");
  CHECK(f.call(verb::get, "/tags//notes").result() == status::not_found);
}

TEST_CASE("router: a literal segment wins over a capture, whatever the registration order") {
  router_fixture f;
  f.r.add(verb::get, "/notes/{id}", answer("capture"));
  f.r.add(verb::get, "/notes/new", answer("literal"));
  f.r.add(verb::post, "/notes/{id}/edit", answer("edit"));
  CHECK(f.call(verb::get, "/notes/new").body() == "literal");
  CHECK(f.call(verb::get, "/notes/5").body() == "capture");
  // The literal route decides the methods of its own path.
  auto res = f.call(verb::post, "/notes/new");
  CHECK(res.result() == status::method_not_allowed);
  CHECK(res.at(field::allow) == "GET, HEAD, OPTIONS");
  CHECK(f.call(verb::post, "/notes/new/edit").body() == "edit");
}

TEST_CASE("router: the handler sees path, query, route and this thread's service") {
  router_fixture f;
  f.r.add(verb::get, "/api/things/{id:int}", [](request_context& ctx) {
    CHECK(ctx.path == "/api/things/3");
    CHECK(ctx.query == "a=1&b");
    CHECK(ctx.route == "/api/things/{id:int}");
    CHECK(ctx.service.count().value() == 0);
    return make_response(status::ok, "ok", "text/plain");
  });
  CHECK(f.call(verb::get, "/api/things/3?a=1&b").result() == status::ok);
}

TEST_CASE("router: errors are rendered by the longest matching path prefix") {
  router_fixture f;
  f.r.add(verb::get, "/api/x", answer("x"));
  f.r.set_error_renderer("/api/", [](const request&, const error_info& e) {
    return make_response(e.code, "json:" + std::string(e.message), "application/json");
  });
  f.r.set_error_renderer("/", [](const request&, const error_info& e) {
    return make_response(e.code, "html:" + std::string(e.message), "text/html");
  });
  CHECK(f.call(verb::get, "/api/nope").body() == "json:Resource not found");
  CHECK(f.call(verb::get, "/nope").body() == "html:Resource not found");
  CHECK(f.call(verb::post, "/api/x").body() == "json:Method not allowed");
  request req{verb::post, "/api/notes", 11};
  auto res = f.r.render_error(req, {status::payload_too_large, "too big"});
  CHECK(res.result() == status::payload_too_large);
  CHECK(res.body() == "json:too big");
  CHECK(res.at(field::content_length) == "12");
}

TEST_CASE("router: without a renderer for the path, errors are plain text") {
  router_fixture f;
  auto res = f.call(verb::get, "/missing");
  CHECK(res.result() == status::not_found);
  CHECK(res.at(field::content_type) == "text/plain; charset=utf-8");
  CHECK(res.body() == "Resource not found\n");
}

TEST_CASE("router: a handler that throws becomes a 500 that reveals nothing") {
  router_fixture f;
  f.r.set_error_renderer("/api/", [](const request&, const error_info& e) {
    return make_response(e.code, std::string(e.message), "application/json");
  });
  f.r.add(verb::get, "/api/boom", [](request_context&) -> response {
    throw std::runtime_error("secret detail");
  });
  auto res = f.call(verb::get, "/api/boom");
  CHECK(res.result() == status::internal_server_error);
  CHECK(res.body() == "Internal server error");
}

TEST_CASE("router: malformed and duplicate patterns are refused when added") {
  router r;
  r.add(verb::get, "/a/{id}", answer("a"));
  CHECK_THROWS_AS(r.add(verb::get, "/a/{id}", answer("again")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(verb::get, "a", answer("")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(verb::get, "/a//b", answer("")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(verb::get, "/{}", answer("")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(verb::get, "/{id:float}", answer("")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(verb::get, "/x{id}", answer("")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(verb::head, "/h", answer("")), std::invalid_argument);
}

TEST_CASE("router: routes() lists every pattern with its methods in registration order") {
  router r;
  r.add(verb::get, "/b", answer(""));
  r.add(verb::get, "/a/{id}", answer(""));
  r.add(verb::delete_, "/b", answer(""));
  auto routes = r.routes();
  REQUIRE(routes.size() == 2);
  CHECK(routes[0].pattern == "/b");
  CHECK(routes[0].methods == std::vector<verb>{verb::get, verb::delete_});
  CHECK(routes[1].pattern == "/a/{id}");
}

TEST_CASE("router: handle() reports the matched pattern's place in routes(), whatever the method") {
  router_fixture f;
  f.r.add(verb::get, "/api/notes/{id:int}", answer("one"));
  f.r.add(verb::get, "/api/notes/search", answer("search"));
  f.r.add(verb::get, "/", answer("root"));
  const auto routes = f.r.routes();
  auto matched_pattern = [&](verb method, std::string_view target) -> std::string {
    request req{method, target, 11};
    std::size_t matched = 12345;
    f.r.handle(req, f.service, &matched);
    return matched == router::no_route ? "none" : routes.at(matched).pattern;
  };
  CHECK(matched_pattern(verb::get, "/api/notes/7") == "/api/notes/{id:int}");
  CHECK(matched_pattern(verb::get, "/api/notes/search?q=x") == "/api/notes/search");
  CHECK(matched_pattern(verb::delete_, "/api/notes/7") == "/api/notes/{id:int}");
  CHECK(matched_pattern(verb::get, "/") == "/");
  CHECK(matched_pattern(verb::get, "/api/notes/abc") == "none");
  CHECK(matched_pattern(verb::get, "") == "none");
}

TEST_CASE("router: match() tells where the handler runs (HEAD follows GET, the router's own "
          "answers run on the network lane)") {
  router_fixture f;
  f.r.add(verb::get, "/slow", answer("slow"), route_lane::blocking);
  f.r.add(verb::post, "/slow", answer("posted"));
  f.r.add(verb::get, "/quick", answer("quick"));
  const auto routes = f.r.routes();
  auto lane_of = [&](verb method, std::string_view target) {
    const request req{method, target, 11};
    return f.r.match(req).lane();
  };
  CHECK(lane_of(verb::get, "/slow") == route_lane::blocking);
  CHECK(lane_of(verb::get, "/slow?x=1") == route_lane::blocking);
  CHECK(lane_of(verb::head, "/slow") == route_lane::blocking);
  CHECK(lane_of(verb::post, "/slow") == route_lane::network);      // the lane is per method
  CHECK(lane_of(verb::delete_, "/slow") == route_lane::network);   // 405
  CHECK(lane_of(verb::options, "/slow") == route_lane::network);   // 204 with Allow
  CHECK(lane_of(verb::get, "/missing") == route_lane::network);    // 404
  CHECK(lane_of(verb::get, "/quick") == route_lane::network);
  const request req{verb::delete_, "/slow", 11};
  CHECK(routes.at(f.r.match(req).route()).pattern == "/slow");
  const request missing{verb::get, "/missing", 11};
  CHECK(f.r.match(missing).route() == router::no_route);
}

TEST_CASE("router: run() answers a match as handle() does, with the service it is given") {
  router_fixture f;
  f.r.add(
      verb::get, "/things/{id:int}",
      [](request_context& ctx) {
        return make_response(status::ok,
                             std::string(ctx.params.get("id")) + " " + std::string(ctx.query) +
                                 " " + std::to_string(ctx.service.count().value()),
                             "text/plain");
      },
      route_lane::blocking);
  // Another thread's service over other storage, as on a blocking-pool thread.
  notes::memory_note_repository other_store;
  notes::note_service other{other_store};
  REQUIRE(other.create({"t", "c", false}).has_value());

  const request req{verb::get, "/things/42?a=b", 11};
  const auto matched = f.r.match(req);
  const response res = f.r.run(matched, req, other);
  CHECK(res.result() == status::ok);
  CHECK(res.body() == "42 a=b 1");
  CHECK(res.at(field::content_length) == "8");
  CHECK(f.call(verb::get, "/things/42?a=b").body() == "42 a=b 0");

  const request head{verb::head, "/things/42", 11};
  const response headed = f.r.run(f.r.match(head), head, other);
  CHECK(headed.body().empty());
  CHECK(headed.at(field::content_length) == "5");
}
