#include "transport/account_gate.hpp"

#include "routing/error_status.hpp"
#include "routing/http_text.hpp"
#include "web/crypto.hpp"
#include "web/form.hpp"
#include "web/web_responses.hpp"

namespace notes::http {
namespace {

// Bounds what a thread remembers: a client sending random tokens costs a lookup each, not memory.
constexpr std::size_t max_remembered = 4096;

constexpr std::string_view realm = "Bearer realm=\"notes\"";

bool is_read(verb method) noexcept { return method == verb::get || method == verb::head; }

bool is_token68_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// A failure of storage while finding the visitor, answered as error_status decides.
response storage_answer(const request& req, const router& routes, const error& e) {
  const failure_answer answer = answer_failure(e);
  response res = routes.render_error(req, {answer.code, answer.message, answer.fields});
  if (answer.retry_after) res.set(field::retry_after, std::to_string(answer.retry_after->count()));
  return res;
}

// 401 (or 403 for `insufficient_scope`) in the API's format, saying how to authenticate.
response refuse_api(const request& req, const router& routes, status code,
                    std::string_view message, std::string_view problem = {}) {
  response res = routes.render_error(req, {code, message});
  std::string challenge(realm);
  if (!problem.empty()) {
    challenge += ", error=\"";
    challenge += problem;
    challenge += '"';
  }
  res.set(field::www_authenticate, challenge);
  return res;
}

template <class Map, class Key, class Value>
void remember(Map& map, Key key, Value value) {
  if (map.size() >= max_remembered) map.clear();
  map.insert_or_assign(std::move(key), std::move(value));
}

}  // namespace

std::optional<std::string_view> bearer_secret(std::string_view authorization) {
  authorization = trim_ows(authorization);
  constexpr std::string_view scheme = "Bearer";
  if (authorization.size() <= scheme.size() ||
      !iequals_ascii(authorization.substr(0, scheme.size()), scheme) ||
      authorization[scheme.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view secret = authorization.substr(scheme.size());
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  std::size_t end = 0;
  while (end < secret.size() && is_token68_char(secret[end])) ++end;
  while (end < secret.size() && secret[end] == '=') ++end;
  if (end == 0 || end != secret.size()) return std::nullopt;
  return secret;
}

account_gate::account_gate(const web::cookie_session_codec& sessions,
                           std::chrono::seconds session_lifetime, account_service& accounts)
    : sessions_(sessions), session_lifetime_(session_lifetime), accounts_(accounts) {}

std::expected<visitor, response> account_gate::admit(const request_context& ctx,
                                                     const router& routes) {
  if (ctx.path.starts_with("/api/")) return admit_api(ctx, routes);
  return admit_page(ctx, routes);
}

std::expected<visitor, response> account_gate::admit_api(const request_context& ctx,
                                                         const router& routes) {
  const request& req = ctx.req;
  const bool writes = !is_read(req.method());
  if (const auto header = req.find(field::authorization); header != req.end()) {
    const auto secret = bearer_secret(header->value());
    if (!secret) {
      return std::unexpected(refuse_api(req, routes, status::unauthorized,
                                        "The Authorization header must be: Bearer <token>",
                                        "invalid_request"));
    }
    auto token = find_token(*secret);
    if (!token) return std::unexpected(storage_answer(req, routes, token.error()));
    std::optional<account> owner;
    if (*token) {
      auto found = find_account((*token)->owner);
      if (!found) return std::unexpected(storage_answer(req, routes, found.error()));
      owner = std::move(*found);
    }
    if (!owner) {
      return std::unexpected(refuse_api(req, routes, status::unauthorized,
                                        "Invalid or revoked token", "invalid_token"));
    }
    if (writes && (*token)->scope == token_scope::read) {
      return std::unexpected(refuse_api(req, routes, status::forbidden,
                                        "This token may only read (its scope is read)",
                                        "insufficient_scope"));
    }
    return visitor{owner->id, owner->name, owner->is_admin, true, (*token)->scope};
  }

  auto signed_in = from_session(req);
  if (!signed_in) return std::unexpected(storage_answer(req, routes, signed_in.error()));
  if (!*signed_in) {
    return std::unexpected(refuse_api(req, routes, status::unauthorized,
                                      "Sign in, or send Authorization: Bearer <token>"));
  }
  // A cookie goes with every request a browser makes, whichever site asks for it: a write must
  // also prove that it comes from this site's pages.
  if (writes && !sessions_.csrf_token_valid((*signed_in)->session, req["X-CSRF-Token"])) {
    return std::unexpected(routes.render_error(
        req, {status::forbidden,
              "A write with the session cookie needs the X-CSRF-Token header (the csrf_token of "
              "this session's pages)"}));
  }
  return std::move((*signed_in)->who);
}

std::expected<visitor, response> account_gate::admit_page(const request_context& ctx,
                                                          const router& routes) {
  auto signed_in = from_session(ctx.req);
  if (!signed_in) return std::unexpected(storage_answer(ctx.req, routes, signed_in.error()));
  if (*signed_in) return std::move((*signed_in)->who);
  std::string location = "/login";
  // Only a GET comes back: what a POST carried is not kept for after the sign-in.
  if (is_read(ctx.req.method())) {
    std::string next(ctx.path);
    if (!ctx.query.empty()) {
      next += '?';
      next += ctx.query;
    }
    location += "?next=";
    location += web::url_encode(next);
  }
  return std::unexpected(web::redirect(status::see_other, std::move(location)));
}

result<std::optional<account_gate::session_visitor>> account_gate::from_session(
    const request& req) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto session = sessions_.from_cookie_header(req[field::cookie], now);
  if (!session || !session->account) return std::nullopt;
  const web::session_account signed_in = *session->account;
  if (signed_in.signed_in_at <= now - session_lifetime_) return std::nullopt;
  auto found = find_account(signed_in.id, signed_in.generation);
  if (!found) return std::unexpected(std::move(found.error()));
  if (!*found || (*found)->session_generation != signed_in.generation) return std::nullopt;
  const account& a = **found;
  return session_visitor{visitor{a.id, a.name, a.is_admin, false, token_scope::read_write},
                         std::move(*session)};
}

result<std::optional<account>> account_gate::find_account(account_id id,
                                                          std::int64_t generation_seen) {
  const auto now = steady::now();
  if (const auto known = known_accounts_.find(id); known != known_accounts_.end()) {
    const remembered<account>& r = known->second;
    const bool outdated = r.found && r.found->session_generation < generation_seen;
    if (r.until > now && !outdated) return r.found;
  }
  auto found = accounts_.find(id);
  if (!found) return found;
  remember(known_accounts_, id, remembered<account>{*found, now + visitor_lookup_lifetime});
  return found;
}

result<std::optional<api_token>> account_gate::find_token(std::string_view secret) {
  const auto now = steady::now();
  std::string key(web::as_view(web::sha256(secret)));
  if (const auto known = known_tokens_.find(key); known != known_tokens_.end()) {
    if (known->second.until > now) return known->second.found;
  }
  auto token = accounts_.authenticate_token(secret);
  std::optional<api_token> found;
  if (token) {
    found = std::move(*token);
  } else if (token.error().code != error_code::unauthenticated) {
    return std::unexpected(std::move(token.error()));
  }
  remember(known_tokens_, std::move(key),
           remembered<api_token>{found, now + visitor_lookup_lifetime});
  return found;
}

}  // namespace notes::http
