#include "web/web_responses.hpp"

namespace notes::http::web {

void add_security_headers(response& res) {
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
          "base-uri 'none'; object-src 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set(field::x_frame_options, "DENY");
  res.set("Referrer-Policy", "same-origin");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
}

response html_response(status code, std::string body) {
  response res = make_response(code, std::move(body), "text/html; charset=utf-8");
  res.set(field::cache_control, "no-store");
  add_security_headers(res);
  return res;
}

response redirect(status code, std::string location) {
  response res{code, 11};
  res.set(field::location, std::move(location));
  res.set(field::cache_control, "no-store");
  add_security_headers(res);
  return res;
}

}  // namespace notes::http::web
