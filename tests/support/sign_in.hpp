#pragma once
// Signing in through the real pages, as a person does: for tests of a server with accounts.
#include <string>
#include <string_view>

#include "browser.hpp"

namespace notes::testing {

inline constexpr std::string_view test_password = "correct horse battery";

// Opens /login and posts the form with its CSRF token; a success answers 303 and leaves the
// session cookie in the browser.
inline http_response sign_in(browser& b, std::string_view name,
                             std::string_view password = test_password) {
  return b.submit("/login", "/login",
                  {{"username", std::string(name)}, {"password", std::string(password)}});
}

// The CSRF token of the browser's session, as its pages carry it (for X-CSRF-Token).
inline std::string session_csrf_token(browser& b) {
  return find_in(b.get("/notes").body, R"re(<meta name="csrf-token" content="([^"]*)")re");
}

// `Authorization: Bearer <secret>`.
inline header_list bearer(std::string_view secret) {
  return {{"Authorization", "Bearer " + std::string(secret)}};
}

}  // namespace notes::testing
