#pragma once
// The access gate of a server with accounts. Under /api/: an API token in
// `Authorization: Bearer <secret>`, else the session cookie (writes then need X-CSRF-Token);
// refusals are 401 with WWW-Authenticate, or 403. Pages: the session cookie only; without one a
// GET is sent to /login?next=<where it was going>, anything else to /login.
#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

#include "notes/account_service.hpp"
#include "routing/router.hpp"
#include "web/cookie_session.hpp"

namespace notes::http {

// How long a server thread trusts what it looked up of a token or an account: a revoked token, a
// changed password or a removed account stops working on every server within this time.
inline constexpr std::chrono::seconds visitor_lookup_lifetime{5};

// One per server thread, over that thread's account_service.
class account_gate final : public access_gate {
 public:
  // `sessions` is shared by every thread and must outlive the gate. A session ends
  // `session_lifetime` after its sign-in.
  account_gate(const web::cookie_session_codec& sessions, std::chrono::seconds session_lifetime,
               account_service& accounts);

  std::expected<visitor, response> admit(const request_context& ctx,
                                          const router& routes) override;

 private:
  using steady = std::chrono::steady_clock;
  template <class T>
  struct remembered {
    std::optional<T> found;
    steady::time_point until;
  };
  struct session_visitor {
    visitor who;
    web::cookie_session session;
  };

  std::expected<visitor, response> admit_api(const request_context& ctx, const router& routes);
  std::expected<visitor, response> admit_page(const request_context& ctx, const router& routes);
  // The visitor the session cookie names, while that session lasts.
  result<std::optional<session_visitor>> from_session(const request& req);
  // From what this thread looked up lately, unless that is older than visitor_lookup_lifetime or
  // older than a generation the caller has seen (a session signed in after a password change).
  result<std::optional<account>> find_account(account_id id, std::int64_t generation_seen = 0);
  result<std::optional<api_token>> find_token(std::string_view secret);

  const web::cookie_session_codec& sessions_;
  std::chrono::seconds session_lifetime_;
  account_service& accounts_;
  std::unordered_map<account_id, remembered<account>> known_accounts_;
  std::unordered_map<std::string, remembered<api_token>> known_tokens_;  // by SHA-256 of secret
};

// `Authorization: Bearer <secret>` (the scheme in any case, RFC 6750 token68 syntax): the
// secret, or nothing when the value is anything else.
std::optional<std::string_view> bearer_secret(std::string_view authorization);

}  // namespace notes::http
