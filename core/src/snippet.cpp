#include "notes/snippet.hpp"

#include <string>

#include "notes/text.hpp"

namespace notes::text {
namespace {

bool starts_code_point(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// The byte offset `count` code points after `from` in `s` (or its end).
std::size_t advance(std::string_view s, std::size_t from, std::size_t count) noexcept {
  std::size_t i = from;
  while (i < s.size() && count > 0) {
    ++i;
    while (i < s.size() && !starts_code_point(s[i])) ++i;
    --count;
  }
  return i;
}

// The byte offset `count` code points before `from` in `s` (or 0).
std::size_t retreat(std::string_view s, std::size_t from, std::size_t count) noexcept {
  std::size_t i = from;
  while (i > 0 && count > 0) {
    --i;
    while (i > 0 && !starts_code_point(s[i])) --i;
    --count;
  }
  return i;
}

}  // namespace

std::optional<snippet> find_snippet(std::string_view text, std::string_view query,
                                    std::size_t width) {
  const std::string needle = fold_case(trim(query));
  if (needle.empty()) return std::nullopt;
  // The fold maps each code point to one code point, not always of the same length in bytes:
  // a match is found in the folded text and located in `text` by counting code points.
  const std::string folded = fold_case(text);
  const std::size_t found = folded.find(needle);
  if (found == std::string::npos) return std::nullopt;
  const std::size_t match_start =
      advance(text, 0, code_point_count(std::string_view(folded).substr(0, found)));
  const std::size_t match_length = code_point_count(needle);
  const std::size_t match_end = advance(text, match_start, match_length);
  const std::size_t context = width > match_length ? width - match_length : 0;
  const std::size_t start = retreat(text, match_start, context / 3);
  const std::size_t end = advance(text, match_end, context - context / 3);
  snippet s;
  s.before = text.substr(start, match_start - start);
  s.match = text.substr(match_start, match_end - match_start);
  s.after = text.substr(match_end, end - match_end);
  s.cut_before = start > 0;
  s.cut_after = end < text.size();
  return s;
}

}  // namespace notes::text
