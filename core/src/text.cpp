#include "notes/text.hpp"

#include <algorithm>
#include <cstdint>

#include "case_fold_table.hpp"
#include "utf8.hpp"

namespace notes::text {

char32_t detail::simple_fold(char32_t cp) noexcept {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  using detail::fold_runs;
  const auto* end = fold_runs + detail::fold_run_count;
  // The last run starting at or before cp is the only one that can contain it.
  const auto* it = std::upper_bound(fold_runs, end, cp,
                                    [](char32_t c, const detail::fold_run& r) { return c < r.first; });
  if (it == fold_runs) return cp;
  const auto& run = *(it - 1);
  const char32_t offset = cp - run.first;
  if (offset % run.stride != 0 || offset / run.stride >= run.count) return cp;
  return static_cast<char32_t>(static_cast<std::int64_t>(cp) + run.delta);
}

namespace {

using detail::decode;
using detail::encode;

bool is_space(char32_t cp) noexcept {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Start of the code point that ends just before `end`.
std::size_t previous_start(std::string_view s, std::size_t end) noexcept {
  std::size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

}  // namespace

std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out.push_back(decode(s, i));
  return out;
}

bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;       // no overlongs
      else if (b == 0xED) hi = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      else if (b == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    } else {
      return false;
    }
    if (i + len > n) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

bool has_control_characters(std::string_view s, std::string_view allowed) noexcept {
  return std::any_of(s.begin(), s.end(), [allowed](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 || b == 0x7F) && allowed.find(c) == std::string_view::npos;
  });
}

std::size_t code_point_count(std::string_view s) noexcept {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view trim(std::string_view s) noexcept {
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t next = begin;
    if (!is_space(decode(s, next))) break;
    begin = next;
  }
  std::size_t end = s.size();
  while (end > begin) {
    std::size_t start = previous_start(s, end);
    std::size_t probe = start;
    if (!is_space(decode(s, probe))) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

std::string fold_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>((b >= 'A' && b <= 'Z') ? b + 32 : b));
      ++i;
      continue;
    }
    encode(detail::simple_fold(decode(s, i)), out);
  }
  return out;
}

bool contains_folded(std::string_view folded_haystack, std::string_view folded_needle) noexcept {
  // Byte search is exact for UTF-8: a valid needle can only match at code point boundaries.
  return folded_haystack.find(folded_needle) != std::string_view::npos;
}

}  // namespace notes::text
