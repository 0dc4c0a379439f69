#pragma once
// Response shapes shared by the HTML pages: headers every page carries, redirects.
#include <string>
#include <string_view>

#include "routing/router.hpp"

namespace notes::http::web {

// Content-Security-Policy (no inline script or style, nothing from other origins),
// X-Content-Type-Options, X-Frame-Options, Referrer-Policy and Cross-Origin-Opener-Policy.
void add_security_headers(response& res);

// A page that reflects the session (flash, CSRF token), so no cache may keep it.
response html_response(status code, std::string body);

response redirect(status code, std::string location);

}  // namespace notes::http::web
