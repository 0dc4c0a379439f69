#include "routing/router.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "log/access_log.hpp"
#include "notes/note_service.hpp"
#include "routing/http_text.hpp"

namespace notes::http {

namespace {

// Splits "/a/b/c" into {"a", "b", "c"}; false when the path is not absolute or has too many parts.
bool split_path(std::string_view path, std::array<std::string_view, max_path_segments>& parts,
                std::size_t& count) {
  count = 0;
  if (path.empty() || path.front() != '/') return false;
  if (path.size() == 1) return true;
  std::size_t start = 1;
  while (true) {
    if (count == parts.size()) return false;
    std::size_t slash = path.find('/', start);
    parts[count++] = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// Whether `target` starts with `prefix` when each run of '/' in it counts as one. Such paths are
// not normalised for routing ("//api/notes" names no resource), but their errors should take
// the format of the part of the site they were meant for.
bool starts_with_collapsed(std::string_view target, std::string_view prefix) {
  std::size_t i = 0;
  for (char c : prefix) {
    if (i == target.size() || target[i] != c) return false;
    ++i;
    if (c == '/') {
      while (i < target.size() && target[i] == '/') ++i;
    }
  }
  return true;
}

response render_text_error(const request&, const error_info& info) {
  std::string body(info.message);
  body += '\n';
  return make_response(info.code, std::move(body), "text/plain; charset=utf-8");
}

}  // namespace

std::string_view path_params::get(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (names_[i] == name) return values_[i];
  }
  return {};
}

std::int64_t path_params::integer(std::string_view name) const noexcept {
  return parse_positive_int64(get(name)).value_or(0);
}

response make_response(status code, std::string body, std::string_view content_type) {
  response res{code, 11};
  res.set(field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

router::router() { renderers_.push_back({"", render_text_error}); }

bool router::precedes(const route& a, const route& b) {
  return std::lexicographical_compare(
      a.segments.begin(), a.segments.end(), b.segments.begin(), b.segments.end(),
      [](const segment& x, const segment& y) { return x.type < y.type; });
}

void router::add(verb method, std::string_view pattern, handler h, access who,
                 route_lane lane) {
  add_handler(method, pattern, method_handler{method, std::move(h), {}, lane, who});
}

void router::add(verb method, std::string_view pattern, deferred_handler h, route_lane lane,
                 access who) {
  add_handler(method, pattern, method_handler{method, {}, std::move(h), lane, who});
}

void router::add_handler(verb method, std::string_view pattern, method_handler h) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  if (method == verb::head || method == verb::options) {
    throw std::invalid_argument("HEAD and OPTIONS are answered by the router itself");
  }
  std::array<std::string_view, max_path_segments> parts;
  std::size_t count = 0;
  if (!split_path(pattern, parts, count)) {
    throw std::invalid_argument("route pattern has too many segments: " + std::string(pattern));
  }
  route candidate{pattern_count_, std::string(pattern), {}, {}, {}};
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view part = parts[i];
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string_view name = part.substr(1, part.size() - 2);
      auto type = segment::kind::any;
      if (name.ends_with(":int")) {
        name.remove_suffix(4);
        type = segment::kind::integer;
      }
      if (name.empty() || name.find_first_of(":{}") != std::string_view::npos) {
        throw std::invalid_argument("bad capture in route pattern: " + std::string(pattern));
      }
      candidate.segments.push_back({type, std::string(name)});
    } else if (part.empty() || part.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("bad segment in route pattern: " + std::string(pattern));
    } else {
      candidate.segments.push_back({segment::kind::literal, std::string(part)});
    }
  }

  auto existing = std::find_if(routes_.begin(), routes_.end(),
                               [&](const route& r) { return r.pattern == candidate.pattern; });
  if (existing == routes_.end()) {
    auto at = std::upper_bound(routes_.begin(), routes_.end(), candidate, precedes);
    existing = routes_.insert(at, std::move(candidate));
    ++pattern_count_;
  }
  for (const auto& m : existing->methods) {
    if (m.method == method) {
      throw std::invalid_argument("duplicate route: " + std::string(to_string(method)) + " " +
                                  std::string(pattern));
    }
  }
  existing->methods.push_back(std::move(h));

  std::string allow;
  for (const auto& m : existing->methods) {
    if (!allow.empty()) allow += ", ";
    allow += to_string(m.method);
    if (m.method == verb::get) allow += ", HEAD";
  }
  allow += ", OPTIONS";
  existing->allow = std::move(allow);
}

void router::set_error_renderer(std::string prefix, error_renderer render) {
  for (auto& entry : renderers_) {
    if (entry.prefix == prefix) {
      entry.render = std::move(render);
      return;
    }
  }
  renderers_.push_back({std::move(prefix), std::move(render)});
}

const router::route* router::find(std::span<const std::string_view> parts,
                                   path_params& params) const {
  for (const auto& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const segment& s = r.segments[i];
      switch (s.type) {
        case segment::kind::literal: ok = parts[i] == s.text; break;
        case segment::kind::any: ok = !parts[i].empty(); break;
        case segment::kind::integer: ok = parse_positive_int64(parts[i]).has_value(); break;
      }
    }
    if (!ok) continue;
    params.size_ = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (r.segments[i].type == segment::kind::literal) continue;
      params.names_[params.size_] = r.segments[i].text;
      params.values_[params.size_] = parts[i];
      ++params.size_;
    }
    return &r;
  }
  return nullptr;
}

void router::finish(response& res, const request& req) {
  // Every answer, JSON, text and error alike, is read as the type it declares, never sniffed.
  res.set("X-Content-Type-Options", "nosniff");
  auto code = res.result_int();
  if (code < 200 || code == 204 || code == 304) {
    res.body().clear();
    res.erase(field::content_length);
    return;
  }
  // HEAD keeps the Content-Length the GET body would have had (set once: finishing twice, as
  // the access gate's answers may be, changes nothing).
  const bool headed = req.method() == verb::head;
  if (!headed || !res.body().empty() || !res.has_content_length()) {
    res.content_length(res.body().size());
  }
  if (headed) res.body().clear();
}

response router::render_error(const request& req, const error_info& info) const {
  std::string_view target = req.target();
  const renderer_entry* best = &renderers_.front();
  for (const auto& entry : renderers_) {
    if (entry.prefix.size() > best->prefix.size() && starts_with_collapsed(target, entry.prefix)) {
      best = &entry;
    }
  }
  response res;
  try {
    res = best->render(req, info);
  } catch (const std::exception& e) {
    log_error("error renderer failed", e.what());
    res = render_text_error(req, info);
  }
  res.result(info.code);
  finish(res, req);
  return res;
}

std::size_t router::match_result::route() const noexcept {
  return route_ == nullptr ? no_route : route_->id;
}

route_lane router::match_result::lane() const noexcept {
  return handler_ == nullptr ? route_lane::network : handler_->lane;
}

bool router::match_result::answers_later() const noexcept {
  return handler_ != nullptr && static_cast<bool>(handler_->later);
}

router::match_result router::match(const request& req) const {
  match_result m;
  std::string_view target = req.target();
  std::size_t question = target.find('?');
  m.path_ = target.substr(0, question);
  if (question != std::string_view::npos) m.query_ = target.substr(question + 1);

  std::array<std::string_view, max_path_segments> parts;
  std::size_t count = 0;
  if (!split_path(m.path_, parts, count)) return m;
  m.route_ = find(std::span<const std::string_view>(parts.data(), count), m.params_);
  if (m.route_ == nullptr) return m;
  verb method = req.method() == verb::head ? verb::get : req.method();
  for (const auto& h : m.route_->methods) {
    if (h.method == method) m.handler_ = &h;
  }
  return m;
}

void router::add(verb method, std::string_view pattern, handler h, route_lane lane,
                 access who) {
  add(method, pattern, std::move(h), who, lane);
}

std::optional<response> router::admit(const match_result& matched, const request& req,
                                      const thread_services& services, exchange& facts,
                                      std::optional<visitor>& who,
                                      std::optional<note_service>& theirs) const {
  const route* r = matched.route_;
  if (matched.handler_->who != access::visitor || services.gate == nullptr) return std::nullopt;
  // The gate sees the request as an open route's handler would.
  const request_context asked{req,           matched.path_,     matched.query_,
                              r->pattern,    matched.params_,   services.notes,
                              nullptr,       services.accounts, services.events,
                              facts.client_address};
  try {
    auto admitted = services.gate->admit(asked, *this);
    if (!admitted) {
      finish(admitted.error(), req);
      return std::move(admitted.error());
    }
    who = std::move(*admitted);
    facts.visitor = who->name;
    theirs.emplace(services.notes.for_owner(who->id));
  } catch (const std::exception& e) {
    log_error(r->pattern, e.what());
    return render_error(req, {status::internal_server_error, "Internal server error"});
  }
  return std::nullopt;
}

request_context router::context_for(const match_result& matched, const request& req,
                                     const thread_services& services, const exchange& facts,
                                     std::optional<visitor>& who,
                                     std::optional<note_service>& theirs) {
  return {req,
          matched.path_,
          matched.query_,
          matched.route_->pattern,
          matched.params_,
          theirs ? *theirs : services.notes,
          who ? &*who : nullptr,
          services.accounts,
          services.events,
          facts.client_address};
}

response router::run(const match_result& matched, const request& req,
                     const thread_services& services, exchange& facts) const {
  facts.route = matched.route();
  const route* r = matched.route_;
  if (r == nullptr) return render_error(req, {status::not_found, "Resource not found"});
  if (matched.handler_ == nullptr) {
    if (req.method() == verb::options) {
      response res{status::no_content, 11};
      res.set(field::allow, r->allow);
      finish(res, req);
      return res;
    }
    response res = render_error(req, {status::method_not_allowed, "Method not allowed"});
    res.set(field::allow, r->allow);
    return res;
  }
  if (matched.handler_->later) {
    std::promise<reply::make_fn> answered;
    std::future<reply::make_fn> answer = answered.get_future();
    run_then(matched, req, services, facts,
             [&answered](reply::make_fn make) { answered.set_value(std::move(make)); });
    return answer.get()();
  }

  std::optional<visitor> who;
  std::optional<note_service> theirs;
  if (auto refused = admit(matched, req, services, facts, who, theirs)) return std::move(*refused);
  request_context scoped = context_for(matched, req, services, facts, who, theirs);
  response res;
  try {
    res = matched.handler_->fn(scoped);
  } catch (const std::exception& e) {
    log_error(r->pattern, e.what());
    return render_error(req, {status::internal_server_error, "Internal server error"});
  } catch (...) {
    log_error(r->pattern, "unknown exception");
    return render_error(req, {status::internal_server_error, "Internal server error"});
  }
  finish(res, req);
  return res;
}

void router::run_then(const match_result& matched, const request& req,
                      const thread_services& services, exchange& facts,
                      reply::deliver_fn deliver) const {
  if (matched.handler_ == nullptr || !matched.handler_->later) {
    return deliver([res = run(matched, req, services, facts)]() mutable { return std::move(res); });
  }
  facts.route = matched.route();
  const route* r = matched.route_;
  std::optional<visitor> who;
  std::optional<note_service> theirs;
  if (auto refused = admit(matched, req, services, facts, who, theirs)) {
    return deliver([res = std::move(*refused)]() mutable { return std::move(res); });
  }
  request_context scoped = context_for(matched, req, services, facts, who, theirs);
  // Shared between the handler's answer and the failure below: whichever comes first answers.
  auto once = std::make_shared<std::pair<std::atomic<bool>, reply::deliver_fn>>(
      false, std::move(deliver));
  const auto fail = [this, &req, r](std::string_view why) {
    log_error(r->pattern, why);
    return render_error(req, {status::internal_server_error, "Internal server error"});
  };
  // The maker finishes the response, and a maker that throws makes the 500.
  const auto deliver_once = [once, &req, fail](reply::make_fn make) {
    if (once->first.exchange(true)) return;
    once->second([make = std::move(make), &req, fail]() mutable {
      try {
        response res = make();
        finish(res, req);
        return res;
      } catch (const std::exception& e) {
        return fail(e.what());
      } catch (...) {
        return fail("unknown exception");
      }
    });
  };
  const auto failed = [&](std::string_view why) {
    deliver_once([res = fail(why)]() mutable { return std::move(res); });
  };
  try {
    matched.handler_->later(scoped, reply(deliver_once));
  } catch (const std::exception& e) {
    failed(e.what());
  } catch (...) {
    failed("unknown exception");
  }
}

response router::run(const match_result& matched, const request& req,
                     note_service& service) const {
  exchange facts;
  return run(matched, req, thread_services{service}, facts);
}

response router::handle(const request& req, const thread_services& services,
                        exchange& facts) const {
  return run(match(req), req, services, facts);
}

response router::handle(const request& req, note_service& service,
                        std::size_t* matched) const {
  const match_result m = match(req);
  if (matched != nullptr) *matched = m.route();
  return run(m, req, service);
}

bool router::needs_visitor(verb method, std::string_view pattern) const {
  for (const auto& r : routes_) {
    if (r.pattern != pattern) continue;
    for (const auto& m : r.methods) {
      if (m.method == method) return m.who == access::visitor;
    }
  }
  return false;
}

std::vector<router::route_info> router::routes() const {
  std::vector<route_info> out(pattern_count_);
  for (const auto& r : routes_) {
    out[r.id].pattern = r.pattern;
    for (const auto& m : r.methods) out[r.id].methods.push_back(m.method);
  }
  return out;
}

}  // namespace notes::http
