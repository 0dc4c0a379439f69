#pragma once
// A cookie-keeping HTTP client that fills and posts forms like a browser, for the HTML pages.
#include <doctest/doctest.h>

#include <cctype>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http_client.hpp"

namespace notes::testing {

inline std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    for (const std::string* part : {&name, &value}) {
      for (unsigned char c : *part) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
          out += static_cast<char>(c);
        } else if (c == ' ') {
          out += '+';
        } else {
          out += '%';
          out += digits[c >> 4];
          out += digits[c & 15];
        }
      }
      if (part == &name) out += '=';
    }
  }
  return out;
}

// The first capture of `pattern` in `html`; empty when it does not occur.
inline std::string find_in(const std::string& html, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : std::string();
}

inline std::string csrf_token_in(const std::string& html) {
  return find_in(html, R"re(name="csrf_token" value="([^"]*)")re");
}

inline std::string version_in(const std::string& html) {
  return find_in(html, R"re(name="version" value="([^"]*)")re");
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Keeps the session cookie between requests, as a browser does.
class browser {
 public:
  explicit browser(std::uint16_t port) : client_(port) {}

  http_response get(std::string_view target) {
    return remember(client_.get(target, with_cookie({})));
  }
  http_response head(std::string_view target) {
    return remember(client_.head(target, with_cookie({})));
  }

  http_response post_form(std::string_view target,
                          const std::vector<std::pair<std::string, std::string>>& fields) {
    return post_raw(target, form_encode(fields));
  }

  http_response post_raw(std::string_view target, std::string body,
                         std::string content_type = "application/x-www-form-urlencoded") {
    return remember(client_.request("POST", target, std::move(body),
                                    with_cookie({{"Content-Type", std::move(content_type)}})));
  }

  // Opens the form at `form_url`, then posts `fields` plus the form's CSRF token (and version).
  http_response submit(std::string_view form_url, std::string_view action,
                       std::vector<std::pair<std::string, std::string>> fields) {
    const http_response form = get(form_url);
    REQUIRE(form.status == 200);
    fields.emplace_back("csrf_token", csrf_token_in(form.body));
    if (const std::string v = version_in(form.body); !v.empty()) fields.emplace_back("version", v);
    return post_form(action, fields);
  }

  const std::string& cookie() const noexcept { return cookie_; }
  void set_cookie(std::string cookie) { cookie_ = std::move(cookie); }
  http_client& client() noexcept { return client_; }

 private:
  header_list with_cookie(header_list headers) const {
    if (!cookie_.empty()) headers.emplace_back("Cookie", cookie_);
    return headers;
  }

  http_response remember(http_response res) {
    const std::string set = res.header("Set-Cookie");
    if (!set.empty()) cookie_ = set.substr(0, set.find(';'));
    return res;
  }

  http_client client_;
  std::string cookie_;
};

}  // namespace notes::testing
