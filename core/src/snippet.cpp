#include "notes/snippet.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "normalization.hpp"
#include "notes/text.hpp"
#include "utf8.hpp"

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

// Where the chunk from `from` ends: about chunk_bytes on, before the next boundary.
std::size_t next_cut(std::string_view text, std::size_t from) noexcept {
  constexpr std::size_t chunk_bytes = 4096;
  std::size_t i = std::min(text.size(), from + chunk_bytes);
  while (i < text.size() && !starts_code_point(text[i])) ++i;
  while (i < text.size()) {
    std::size_t next = i;
    if (detail::is_boundary(detail::decode(text, next))) break;
    i = next;
  }
  return i;
}

}  // namespace

std::optional<snippet> find_snippet(std::string_view text, std::string_view query,
                                    std::size_t width) {
  const std::u32string needle = code_points(search_key(trim(query)));
  if (needle.empty()) return std::nullopt;
  // The key of the text is built a chunk at a time, each cut before a boundary (so keys of
  // chunks put together are the key of the whole), and the search stops at the first match
  // rather than folding all of a long note. Each code point of the key knows the bytes of
  // `text` it came from: NFC can join two code points of `text` into one of the key.
  // Of the key so far only its last needle.size() - 1 code points are kept for the next chunk:
  // a match may begin there.
  std::vector<detail::piece> window;
  std::size_t match_start = 0;
  std::size_t match_end = 0;
  bool found = false;
  for (std::size_t chunk_start = 0; chunk_start < text.size() && !found;) {
    const std::size_t chunk_end = next_cut(text, chunk_start);
    std::vector<detail::piece> chunk = detail::to_pieces(
        text.substr(chunk_start, chunk_end - chunk_start), static_cast<std::uint32_t>(chunk_start));
    detail::make_search_key(chunk);
    window.insert(window.end(), chunk.begin(), chunk.end());
    const auto at = std::search(window.begin(), window.end(), needle.begin(), needle.end(),
                                [](const detail::piece& p, char32_t c) { return p.cp == c; });
    if (at != window.end()) {
      found = true;
      match_start = at->begin;
      match_end = at->end;
      for (auto it = at; it != at + static_cast<std::ptrdiff_t>(needle.size()); ++it) {
        match_start = std::min<std::size_t>(match_start, it->begin);
        match_end = std::max<std::size_t>(match_end, it->end);
      }
    } else if (window.size() >= needle.size()) {
      window.erase(window.begin(),
                   window.end() - static_cast<std::ptrdiff_t>(needle.size() - 1));
    }
    chunk_start = chunk_end;
  }
  if (!found) return std::nullopt;
  const std::size_t match_length =
      code_point_count(text.substr(match_start, match_end - match_start));
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
