#pragma once
// Small pieces of HTTP syntax that the API, the router, the operational endpoints and the HTML
// routes all read or write: optional white space around header values, media types, positive
// integers in paths, queries and forms, decimal numbers in bodies, and the entity-tag lists of
// If-Match / If-None-Match. Standard library only.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace notes::http {

// Without the spaces and tabs (RFC 9110 OWS) at either end.
constexpr std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// ASCII case-insensitive equality, as HTTP compares media types, transfer codings and URI
// schemes.
constexpr bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

// Whether a Content-Type value names `essence` (e.g. "application/json"), whatever its
// parameters: type and subtype compare case-insensitively (RFC 9110 8.3.1).
constexpr bool media_type_is(std::string_view content_type, std::string_view essence) noexcept {
  return iequals_ascii(trim_ows(content_type.substr(0, content_type.find(';'))), essence);
}

// Decimal digits only (no sign, no space) whose value is from 1 to INT64_MAX; leading zeros are
// allowed.
inline std::optional<std::int64_t> parse_positive_int64(std::string_view s) noexcept {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || value < 1) return std::nullopt;
  return value;
}

// Appends `value` in decimal.
inline void append_decimal(std::string& out, std::int64_t value) {
  char buf[20];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

// One member of an If-Match / If-None-Match list (RFC 9110 8.8.3).
struct entity_tag_item {
  bool any = false;        // "*"
  bool weak = false;       // written W/"..."
  std::string_view tag;    // as written, quotes included, without W/: "\"3\""
  std::string_view opaque; // between the quotes; empty when the member is not a quoted tag
};

// Calls `visit(const entity_tag_item&)` for each non-empty member of `header`, in order. Commas
// inside quotes belong to the tag. A member that is not a valid tag is still visited, with an
// empty `opaque`, so that it matches nothing.
template <class Visit>
void for_each_entity_tag(std::string_view header, Visit&& visit) {
  while (!header.empty()) {
    std::size_t end = 0;
    bool quoted = false;
    while (end < header.size() && (quoted || header[end] != ',')) {
      if (header[end] == '"') quoted = !quoted;
      ++end;
    }
    std::string_view member = trim_ows(header.substr(0, end));
    header.remove_prefix(end == header.size() ? end : end + 1);
    if (member.empty()) continue;
    entity_tag_item item;
    if (member == "*") {
      item.any = true;
    } else {
      if (member.starts_with("W/")) {
        item.weak = true;
        member.remove_prefix(2);
      }
      if (member.size() >= 2 && member.front() == '"' && member.back() == '"' &&
          member.find('"', 1) == member.size() - 1) {
        item.opaque = member.substr(1, member.size() - 2);
      }
    }
    item.tag = member;
    visit(item);
  }
}

}  // namespace notes::http
