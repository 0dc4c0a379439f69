#pragma once
// A stateless session in a signed cookie: flash messages, the secret CSRF tokens derive from and,
// with accounts, who is signed in. Any server process holding the same SECRET_KEY accepts the
// cookie, so no shared store is needed.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notes/account.hpp"

namespace notes::http::web {

struct flash_message {
  std::string category;  // "success", "info" or "error": a CSS class suffix
  std::string text;
  friend bool operator==(const flash_message&, const flash_message&) = default;
};

// The account a session is signed in to. The session ends when the account's
// session_generation moves past `generation` (a password change) or the account is removed,
// and, whatever the activity, a session lifetime after `signed_in_at` (the access gate checks).
struct session_account {
  account_id id = no_account;
  std::int64_t generation = 0;
  std::chrono::sys_seconds signed_in_at{};
  friend bool operator==(const session_account&, const session_account&) = default;
};

struct cookie_session {
  std::string csrf_secret;  // random bytes; the CSRF token is an HMAC of it
  std::vector<flash_message> flashes;
  std::chrono::sys_seconds issued_at{};
  std::optional<session_account> account{};  // empty: signed out
};

struct cookie_session_options {
  std::chrono::seconds lifetime = std::chrono::hours(24);
  bool secure_cookie = false;
  std::string cookie_name = "notes_session";
};

// Keeps a cookie well under the 4 KiB browsers promise to store.
inline constexpr std::size_t max_flashes = 5;
inline constexpr std::size_t max_flash_length = 400;

class cookie_session_codec {
 public:
  // `secret_key` must not be empty; distinct keys are derived from it for signing and for CSRF.
  cookie_session_codec(std::string_view secret_key, cookie_session_options options);

  cookie_session fresh(std::chrono::sys_seconds now) const;

  // "<payload>.<signature>", both base64url; the payload is signed as sent. A signed-out session
  // is written in the format that came before accounts, so servers without them read it. Throws
  // std::length_error for a csrf_secret over 255 bytes (fresh() makes 32), never writes a prefix
  // that disagrees with its data.
  std::string encode(const cookie_session& s) const;

  // Empty when the value is malformed, its signature is wrong, or it is older than the lifetime.
  std::optional<cookie_session> decode(std::string_view value, std::chrono::sys_seconds now) const;

  // The session named in a Cookie header, if one there is valid.
  std::optional<cookie_session> from_cookie_header(std::string_view header,
                                            std::chrono::sys_seconds now) const;

  // A complete Set-Cookie header value carrying the session.
  std::string set_cookie(const cookie_session& s) const;

  // Past half its lifetime a session is re-issued so an active visitor never hits expiry.
  bool needs_refresh(const cookie_session& s, std::chrono::sys_seconds now) const;

  std::string csrf_token(const cookie_session& s) const;
  bool csrf_token_valid(const cookie_session& s, std::string_view token) const;

  const cookie_session_options& options() const noexcept { return options_; }

 private:
  std::string signing_key_;
  std::string csrf_key_;
  cookie_session_options options_;
};

// Adds a flash, dropping the oldest beyond max_flashes and cutting overlong text.
void add_flash(cookie_session& s, std::string category, std::string text);

// Every value of cookie `name` in a Cookie request header, in order.
std::vector<std::string_view> cookie_values(std::string_view header, std::string_view name);

}  // namespace notes::http::web
