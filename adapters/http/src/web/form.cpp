#include "web/form.hpp"

#include "notes/text.hpp"
#include "routing/url.hpp"

namespace notes::http::web {

std::optional<std::string_view> form_data::get(std::string_view name) const noexcept {
  for (const field& f : fields_) {
    if (f.first == name) return std::string_view(f.second);
  }
  return std::nullopt;
}

namespace {

// The fields parse_params would return (it skips empty pairs), counted without decoding any and
// only up to `limit`, so a body of a million '&' costs no more than a small form.
std::size_t count_fields(std::string_view encoded, std::size_t limit) noexcept {
  std::size_t count = 0;
  while (!encoded.empty() && count < limit) {
    const auto amp = encoded.find('&');
    if (amp != 0) ++count;
    encoded = amp == std::string_view::npos ? std::string_view{} : encoded.substr(amp + 1);
  }
  return count;
}

}  // namespace

std::expected<form_data, std::string> parse_form(std::string_view encoded) {
  if (count_fields(encoded, max_form_fields + 1) > max_form_fields) {
    return std::unexpected("The form has too many fields.");
  }
  auto fields = parse_params(encoded);
  for (const auto& [name, value] : fields) {
    if (!text::is_valid_utf8(name) || !text::is_valid_utf8(value)) {
      return std::unexpected("The form contains text that is not valid UTF-8.");
    }
  }
  return form_data(std::move(fields));
}

std::string url_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

}  // namespace notes::http::web
