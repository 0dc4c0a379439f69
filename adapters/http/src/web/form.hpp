#pragma once
// Form bodies and query strings as the HTML pages read them (application/x-www-form-urlencoded).
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace notes::http::web {

class form_data {
 public:
  using field = std::pair<std::string, std::string>;

  form_data() = default;
  explicit form_data(std::vector<field> fields) : fields_(std::move(fields)) {}

  // The first value of `name`, as WTForms reads a repeated field.
  std::optional<std::string_view> get(std::string_view name) const noexcept;
  bool has(std::string_view name) const noexcept { return get(name).has_value(); }
  const std::vector<field>& fields() const noexcept { return fields_; }

 private:
  std::vector<field> fields_;
};

inline constexpr std::size_t max_form_fields = 100;

// Decodes `+` and %XX escapes (a malformed escape stays literal, as browsers and Python do).
// Fails with a message a person can act on when decoded text is not UTF-8 or there are too many
// fields. The body size itself is capped by the server before this runs.
std::expected<form_data, std::string> parse_form(std::string_view encoded);

// Percent-encodes everything but RFC 3986 unreserved characters: for links carrying user text.
std::string url_encode(std::string_view text);

}  // namespace notes::http::web
