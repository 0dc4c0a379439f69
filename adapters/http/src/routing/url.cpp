#include "routing/url.hpp"

namespace notes::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Calls fn(raw_name, raw_value) for each '&'-separated pair; stops when fn returns true.
template <class Fn>
void for_each_raw_param(std::string_view encoded, Fn&& fn) {
  while (!encoded.empty()) {
    std::size_t amp = encoded.find('&');
    std::string_view pair = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view{} : encoded.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (fn(name, value)) return;
  }
}

bool needs_decoding(std::string_view s) { return s.find_first_of("%+") != std::string_view::npos; }

}  // namespace

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> find_param(std::string_view encoded, std::string_view name) {
  std::optional<std::string> found;
  for_each_raw_param(encoded, [&](std::string_view raw_name, std::string_view raw_value) {
    bool same = needs_decoding(raw_name) ? url_decode(raw_name) == name : raw_name == name;
    if (same) found = url_decode(raw_value);
    return same;
  });
  return found;
}

std::vector<std::string> find_params(std::string_view encoded, std::string_view name) {
  std::vector<std::string> found;
  for_each_raw_param(encoded, [&](std::string_view raw_name, std::string_view raw_value) {
    if (needs_decoding(raw_name) ? url_decode(raw_name) == name : raw_name == name) {
      found.push_back(url_decode(raw_value));
    }
    return false;
  });
  return found;
}

std::vector<std::pair<std::string, std::string>> parse_params(std::string_view encoded) {
  std::vector<std::pair<std::string, std::string>> out;
  for_each_raw_param(encoded, [&](std::string_view raw_name, std::string_view raw_value) {
    out.emplace_back(url_decode(raw_name), url_decode(raw_value));
    return false;
  });
  return out;
}

}  // namespace notes::http
