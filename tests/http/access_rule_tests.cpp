// The router's access rule, without sockets: a route needs a visitor unless it was added open;
// the gate is asked only then, and the handler's service acts for whom it let in.
#include <doctest/doctest.h>

#include <atomic>
#include <regex>
#include <string>

#include "notes/memory_note_repository.hpp"
#include "notes/note_service.hpp"
#include "ops/metrics.hpp"
#include "routing/router.hpp"
#include "test_server.hpp"
#include "transport/route_table.hpp"

using namespace notes::http;

namespace {

// Lets in account 7 as "ann" when the request carries "X-Visitor: ann"; refuses with 418
// otherwise. Counts how often it was asked.
class fake_gate final : public access_gate {
 public:
  int asked = 0;
  std::expected<visitor, response> admit(const request_context& ctx, const router&) override {
    ++asked;
    if (ctx.req["X-Visitor"] == "ann") return visitor{7, "ann", false, false, {}};
    return std::unexpected(
        make_response(status::unavailable_for_legal_reasons, "refused", "text/plain"));
  }
};

struct fixture {
  notes::memory_note_repository repository;
  notes::note_service service{repository};
  fake_gate gate;
  router r;

  fixture() {
    r.add(verb::get, "/private", [](request_context& ctx) {
      const std::string who = ctx.who == nullptr ? "nobody" : ctx.who->name;
      return make_response(status::ok, who + " " + std::to_string(ctx.service.owner()),
                           "text/plain");
    });
    r.add(
        verb::get, "/public",
        [](request_context& ctx) {
          return make_response(status::ok, ctx.who == nullptr ? "nobody" : "somebody",
                               "text/plain");
        },
        access::open);
  }

  response get(std::string_view target, std::string_view visitor_header = {},
               exchange* facts = nullptr) {
    request req{verb::get, target, 11};
    if (!visitor_header.empty()) req.set("X-Visitor", visitor_header);
    exchange own;
    return r.handle(req, thread_services{service, nullptr, &gate, nullptr},
                    facts != nullptr ? *facts : own);
  }
};

}  // namespace

TEST_CASE("access: a route needs a visitor unless added open, and the gate decides who") {
  fixture f;
  const auto refused = f.get("/private");
  CHECK(refused.result() == status::unavailable_for_legal_reasons);
  CHECK(refused.body() == "refused");
  CHECK(refused[field::content_length] == "7");
  CHECK(f.gate.asked == 1);

  exchange facts;
  const auto admitted = f.get("/private", "ann", &facts);
  CHECK(admitted.result() == status::ok);
  // The handler's service acts for the visitor.
  CHECK(admitted.body() == "ann 7");
  CHECK(facts.visitor == "ann");
  CHECK(f.gate.asked == 2);

  CHECK(f.get("/public").body() == "nobody");
  CHECK(f.gate.asked == 2);
  CHECK(f.r.needs_visitor(verb::get, "/private"));
  CHECK_FALSE(f.r.needs_visitor(verb::get, "/public"));
}

TEST_CASE("access: unknown paths, wrong methods and OPTIONS are answered without the gate") {
  fixture f;
  CHECK(f.get("/nowhere").result() == status::not_found);
  request post{verb::post, "/private", 11};
  exchange facts;
  CHECK(f.r.handle(post, thread_services{f.service, nullptr, &f.gate, nullptr}, facts).result() ==
        status::method_not_allowed);
  request options{verb::options, "/private", 11};
  CHECK(f.r.handle(options, thread_services{f.service, nullptr, &f.gate, nullptr}, facts)
            .result() == status::no_content);
  CHECK(f.gate.asked == 0);
}

TEST_CASE("access: without a gate every route runs for the shared notebook") {
  fixture f;
  const auto res = f.r.handle(request{verb::get, "/private", 11}, f.service);
  CHECK(res.result() == status::ok);
  CHECK(res.body() == "nobody 0");
}

TEST_CASE("access: the server's table opens only the sign-in pages, static files, probes and the "
          "API document, and hashes passwords on the blocking lane") {
  notes::testing::memory_backend store;
  server_metrics metrics;
  std::atomic<bool> stopping{false};
  const router table =
      build_router(notes::testing::accounts_server_options(store, true), {metrics, stopping});
  for (const auto& route : table.routes()) {
    for (const verb method : route.methods) {
      CAPTURE(route.pattern);
      const bool open = route.pattern == "/login" || route.pattern == "/logout" ||
                        route.pattern == "/signup" || route.pattern.starts_with("/static/") ||
                        route.pattern == "/healthz" || route.pattern == "/readyz" ||
                        route.pattern == "/metrics" || route.pattern == "/api/openapi.json";
      CHECK(table.needs_visitor(method, route.pattern) == !open);
    }
  }
  const auto lane = [&](verb method, std::string_view target) {
    return table.match(request{method, target, 11}).lane();
  };
  CHECK(lane(verb::post, "/login") == route_lane::blocking);
  CHECK(lane(verb::post, "/signup") == route_lane::blocking);
  CHECK(lane(verb::post, "/account/password") == route_lane::blocking);
  CHECK(lane(verb::get, "/login") == route_lane::network);
  CHECK(lane(verb::post, "/account/tokens") == route_lane::storage);
  // No request that writes waits for storage on a network thread.
  for (const auto& route : table.routes()) {
    for (const verb method : route.methods) {
      if (method == verb::get || method == verb::head) continue;
      // A target the pattern matches: each {name:int} parameter as 1.
      const std::string target =
          std::regex_replace(route.pattern, std::regex(R"(\{[^}]*\})"), "1");
      CAPTURE(target);
      CAPTURE(static_cast<int>(method));
      const auto matched = table.match(request{method, target, 11});
      REQUIRE(matched.route() != router::no_route);
      CHECK(matched.lane() != route_lane::network);
    }
  }
}
