#pragma once
// The route table: method + path pattern -> handler. Built once before the server starts,
// then read by every server thread without locks. Tests call handle() without any socket.
//
// Registering routes (the JSON API in api_routes.cpp, the HTML pages in web/):
//   r.add(verb::get, "/api/notes/{id:int}", [](request_context& ctx) {
//     auto id = ctx.params.integer("id");   // {name:int} guarantees a positive int64
//     return make_response(status::ok, "...", "application/json");
//   });
// Errors for unknown paths (404), wrong methods (405 + Allow), request-level failures (413,
// 431, 400) and uncaught exceptions (500) go through the error renderer whose path prefix is the
// longest match: "/api/" renders JSON; the HTML interface registers "/" for its pages.
//
// A handler that may block (waits on the database outside the thread's own connection, hashes a
// password) is added on the blocking lane, so that it does not hold up the other connections of
// the network thread that read its request:
//   r.add(verb::get, "/readyz", probe, route_lane::blocking);
// The server then runs it on a thread of its blocking pool, with that thread's own service.
// Writes are added on the storage lane, a pool of its own, so that they never wait behind a
// probe or a password hash, nor starve them:
//   r.add(verb::post, "/api/notes", create_note, route_lane::storage);
// A
// connection asks match() where the handler runs and then has run() call it there; handle()
// does both at once, on the calling thread (for tests).
//
// With accounts, a route needs a signed-in visitor unless it is added as open:
//   r.add(verb::get, "/login", sign_in_form, access::open);
// Before a handler of any other route runs, the thread's access gate says who is asking (or
// answers instead: 401, a redirect to the sign-in page), and the handler's service acts for them.
#include <array>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include "notes/error.hpp"
#include "routing/access.hpp"

namespace notes {
class account_service;
class note_service;
}  // namespace notes

namespace notes::http {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;
using verb = boost::beast::http::verb;
using status = boost::beast::http::status;
using field = boost::beast::http::field;

inline constexpr std::size_t max_path_segments = 16;

// Values captured by the `{name}` segments of the matched pattern, raw (not percent-decoded).
class path_params {
 public:
  // Empty when the pattern has no such capture.
  std::string_view get(std::string_view name) const noexcept;
  // For `{name:int}` captures: the router only matches digits that fit a positive int64.
  std::int64_t integer(std::string_view name) const noexcept;

 private:
  friend class router;
  std::array<std::string_view, max_path_segments> names_{};
  std::array<std::string_view, max_path_segments> values_{};
  std::size_t size_ = 0;
};

// What a handler works with. The services belong to the thread running the handler.
struct request_context {
  const request& req;
  std::string_view path;   // the target before '?', raw
  std::string_view query;  // the target after '?', raw, possibly empty
  std::string_view route;  // the matched pattern, e.g. "/api/notes/{id:int}" (for logs, metrics)
  path_params params;
  // Acts for the visitor: sees and changes only their notes. Without accounts, and on open
  // routes, it acts for the shared notebook.
  note_service& service;
  const visitor* who = nullptr;         // set on routes that need a visitor, with accounts
  account_service* accounts = nullptr;  // null when the server runs without accounts
  account_events* events = nullptr;     // null: nothing is counted
  std::string_view client_address;      // the peer's IP address; empty when unknown
};

class router;

// Says who is asking for a route that needs a visitor. One per server thread (it may keep what
// it looked up), used by that thread only.
class access_gate {
 public:
  virtual ~access_gate() = default;
  // The visitor, or the answer that turns the request away (401, 403, a redirect to the sign-in
  // page, a storage failure); `routes` renders errors in the format of the path. The router
  // finishes the answer as it does a handler's.
  virtual std::expected<visitor, response> admit(const request_context& ctx,
                                                  const router& routes) = 0;
};

// What one server thread lends the handlers it runs, so that they need no locks.
struct thread_services {
  note_service& notes;                  // acts for the shared notebook (no_account)
  account_service* accounts = nullptr;  // null when the server runs without accounts
  access_gate* gate = nullptr;          // null: no route needs a visitor
  account_events* events = nullptr;
};

// What the transport tells handle() about a request beyond its bytes, and learns back.
struct exchange {
  std::string_view client_address;  // in: the peer's IP address
  std::size_t route = static_cast<std::size_t>(-1);  // out: the matched pattern (router::no_route)
  std::string visitor{};  // out: the visitor's account name; empty when nobody was asked
};

using handler = std::function<response(request_context&)>;

// Where a handler that answers later sends its answer: exactly once, from any thread.
class reply {
 public:
  // Makes the response; called on the thread that ran the handler, whose services it may use.
  using make_fn = std::move_only_function<response()>;
  // Takes the (finished) maker; the transport decides where it is called (see then()).
  using deliver_fn = std::move_only_function<void(make_fn)>;

  explicit reply(deliver_fn deliver) : deliver_(std::move(deliver)) {}

  // Answers with `res`.
  void operator()(response res) {
    then([res = std::move(res)]() mutable { return std::move(res); });
  }
  // Answers with what `make` returns, made on the thread that ran the handler: at once when
  // called there, otherwise once that thread gets to it (the handler's request context is
  // gone by then: `make` holds what it needs, a copy of the service included).
  void then(make_fn make) { deliver_(std::move(make)); }

 private:
  deliver_fn deliver_;
};

// A handler that hands its work on (a write handed off to storage) and answers through `done`
// when it completes. It uses `ctx` before it returns only: what it needs later it copies.
using deferred_handler = std::function<void(request_context& ctx, reply done)>;

// Where the server runs a handler: on the network thread that read the request (the default:
// anything quick, reads on that thread's own connection included), on the storage lane (writes:
// they may wait for another process's lock, and a request that no storage thread starts within
// the server's storage wait is answered 503), or on the blocking pool (anything else that may
// take long enough to stall every other connection of that thread).
enum class route_lane { network, blocking, storage };

// What an error response is made of; renderers choose the format (JSON, an HTML page, text).
struct error_info {
  status code;
  std::string_view message;
  std::span<const field_error> fields = {};
};

using error_renderer = std::function<response(const request&, const error_info&)>;

// A response with the body and Content-Type set; the router adds Content-Length.
response make_response(status code, std::string body, std::string_view content_type);

class router {
 public:
  router();

  // `pattern` is a path of '/'-separated segments: literals, `{name}` (any non-empty segment) or
  // `{name:int}` (a positive integer that fits int64). Where two patterns match one path, the one
  // with a literal earlier wins (so "/api/notes/search" beats "/api/notes/{id}"). HEAD is served
  // by the GET handler without a body; OPTIONS answers 204 with Allow. Throws
  // std::invalid_argument for a malformed pattern or a duplicate method + pattern. `who` and
  // `lane` are per method: HEAD follows GET; 404, 405 and OPTIONS answers never ask for a
  // visitor and always run on the network thread.
  void add(verb method, std::string_view pattern, handler h, access who = access::visitor,
           route_lane lane = route_lane::network);
  void add(verb method, std::string_view pattern, handler h, route_lane lane,
           access who = access::visitor);
  // A handler that answers later. On the storage lane, the server runs it on the network
  // thread when the thread's storage hands writes off (note_service::hands_off_writes), so no
  // thread waits for the write; otherwise on the storage lane like any other.
  void add(verb method, std::string_view pattern, deferred_handler h, route_lane lane,
           access who = access::visitor);

  // Requests whose path starts with `prefix` get errors from `render`; longest prefix wins.
  // The prefix "" (the default: plain text) covers everything else.
  void set_error_renderer(std::string prefix, error_renderer render);

  // A route's id is its place in routes(); no_route stands for "no pattern matched".
  static constexpr std::size_t no_route = static_cast<std::size_t>(-1);

 private:
  struct route;
  struct method_handler;

 public:
  // A request matched against the table, before anything runs. It points into the router and
  // into the request's target (the captures): both must outlive it and stay unchanged. Copyable
  // and cheap, so it can travel with the request to another thread.
  class match_result {
   public:
    // The id of the pattern the path matched (whatever the method), or no_route: for metrics.
    std::size_t route() const noexcept;
    // Where run() should be called: blocking only when a handler added on that lane will run.
    route_lane lane() const noexcept;
    // Whether the handler answers later (added as a deferred_handler).
    bool answers_later() const noexcept;

   private:
    friend class router;
    const router::route* route_ = nullptr;
    const method_handler* handler_ = nullptr;  // null: 404, 405 or OPTIONS
    std::string_view path_;
    std::string_view query_;
    path_params params_;
  };

  // Finds the route and the handler for `req`; never runs anything.
  match_result match(const request& req) const;

  // Answers `req` as `matched` says: the handler with the thread's services (asking
  // `services.gate` first when the route needs a visitor), or the 404, 405 or OPTIONS answer.
  // Returns a complete response (Content-Length and X-Content-Type-Options: nosniff set, HEAD
  // without body). Never throws: a handler's exception becomes a logged 500. Safe to call from
  // any thread; `services` must belong to the calling one. `facts.route` receives
  // match_result::route(), for metrics, and `facts.visitor` who was let in, for the access log.
  response run(const match_result& matched, const request& req, const thread_services& services,
               exchange& facts) const;
  // The same with no gate: every route is open, as without accounts.
  response run(const match_result& matched, const request& req, note_service& service) const;
  // As run(), the answer handed to `deliver` exactly once, as a maker of the finished
  // response: before returning, or later from whatever thread the handler answers on. The
  // maker must be called on the calling thread (it may use `services`): at once when `deliver`
  // runs there, else posted back. `facts` is filled before the handler runs (so `deliver` may
  // read it), and `req` must live until the maker was called. For a handler that answers
  // later, run() waits for its answer and makes it on the calling thread.
  void run_then(const match_result& matched, const request& req,
                const thread_services& services, exchange& facts,
                reply::deliver_fn deliver) const;

  // match() and run() on the calling thread, whatever the lane.
  response handle(const request& req, const thread_services& services, exchange& facts) const;
  // The same with no gate. `matched` receives match_result::route().
  response handle(const request& req, note_service& service,
                  std::size_t* matched = nullptr) const;

  // An error response for `req` from the renderer its path selects (finished as handle()'s are).
  response render_error(const request& req, const error_info& info) const;

  struct route_info {
    std::string pattern;
    std::vector<verb> methods;
  };
  // Every pattern and its methods, in registration order (for docs and OpenAPI checks).
  std::vector<route_info> routes() const;

  // Whether a request of `method` for a path matching `pattern` needs a visitor (false when no
  // such route).
  bool needs_visitor(verb method, std::string_view pattern) const;

 private:
  struct segment {
    enum class kind { literal, any, integer } type;
    std::string text;  // the literal, or the capture's name
  };
  struct method_handler {
    verb method;
    handler fn;              // or
    deferred_handler later;  // for a handler that answers later
    route_lane lane;
    access who;
  };
  struct route {
    std::size_t id;  // registration order
    std::string pattern;
    std::vector<segment> segments;
    std::vector<method_handler> methods;
    std::string allow;  // the Allow header value, kept up to date by add()
  };
  struct renderer_entry {
    std::string prefix;
    error_renderer render;
  };

  const route* find(std::span<const std::string_view> parts, path_params& params) const;
  static bool precedes(const route& a, const route& b);
  static void finish(response& res, const request& req);
  // Who is asking, for a route that needs a visitor: the refusal to answer with, or nothing
  // (then `who` and `theirs` are set when a gate let a visitor in).
  std::optional<response> admit(const match_result& matched, const request& req,
                                const thread_services& services, exchange& facts,
                                std::optional<visitor>& who,
                                std::optional<note_service>& theirs) const;
  void add_handler(verb method, std::string_view pattern, method_handler h);
  // What the matched handler works with, acting for `theirs` when a visitor was let in.
  static request_context context_for(const match_result& matched, const request& req,
                                     const thread_services& services, const exchange& facts,
                                     std::optional<visitor>& who,
                                     std::optional<note_service>& theirs);

  std::vector<route> routes_;  // kept in match precedence order
  std::size_t pattern_count_ = 0;
  std::vector<renderer_entry> renderers_;
};

}  // namespace notes::http
