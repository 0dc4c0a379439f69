#include "list_cursor.hpp"

#include <charconv>
#include <chrono>
#include <cstdint>

namespace notes::http {
namespace {

// One letter per order, then the pin: "u1.<microseconds>.<id>".
constexpr std::string_view order_letters = "npu";

char letter_of(list_order order) {
  switch (order) {
    case list_order::pinned_first: return 'p';
    case list_order::pinned_recently_updated: return 'u';
    case list_order::newest_first: break;
  }
  return 'n';
}

// A whole decimal integer (a leading '-' allowed) and nothing else.
std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string encode_cursor(const list_cursor& cursor) {
  std::string out;
  out += letter_of(cursor.order);
  out += cursor.position.pinned ? '1' : '0';
  out += '.';
  out += std::to_string(cursor.position.time.time_since_epoch().count());
  out += '.';
  out += std::to_string(cursor.position.id);
  return out;
}

std::optional<list_cursor> decode_cursor(std::string_view text) {
  if (text.size() < 6 || text[2] != '.') return std::nullopt;
  const auto letter = order_letters.find(text[0]);
  if (letter == std::string_view::npos || (text[1] != '0' && text[1] != '1')) {
    return std::nullopt;
  }
  const std::string_view rest = text.substr(3);
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto time = whole_number(rest.substr(0, dot));
  const auto id = whole_number(rest.substr(dot + 1));
  if (!time || !id) return std::nullopt;
  list_cursor out;
  out.order = letter == 0   ? list_order::newest_first
              : letter == 1 ? list_order::pinned_first
                            : list_order::pinned_recently_updated;
  out.position = {text[1] == '1', timestamp{std::chrono::microseconds{*time}}, *id};
  return out;
}

}  // namespace notes::http
