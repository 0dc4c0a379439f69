#include "web/line_diff.hpp"

#include <algorithm>
#include <cstdint>
#include <span>

namespace notes::http::web {
namespace {

using lines = std::span<const std::string_view>;

// lengths[i * (m + 1) + j]: the longest common subsequence of a[i..] and b[j..].
void fill_lengths(lines a, lines b, std::vector<std::uint32_t>& lengths) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  lengths.assign((n + 1) * (m + 1), 0);
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      std::uint32_t& cell = lengths[i * (m + 1) + j];
      cell = a[i] == b[j] ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                          : std::max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1]);
    }
  }
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::optional<std::vector<diff_line>> diff_lines(std::string_view before, std::string_view after,
                                                 std::size_t max_cells) {
  const std::vector<std::string_view> old_lines = split_lines(before);
  const std::vector<std::string_view> new_lines = split_lines(after);
  lines a(old_lines);
  lines b(new_lines);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  const lines mid_a = a.subspan(prefix, a.size() - prefix - suffix);
  const lines mid_b = b.subspan(prefix, b.size() - prefix - suffix);
  if (mid_a.size() + 1 > max_cells / (mid_b.size() + 1)) return std::nullopt;

  std::vector<diff_line> out;
  out.reserve(a.size() + mid_b.size());
  for (std::size_t i = 0; i < prefix; ++i) out.push_back({line_change::kept, a[i]});
  std::vector<std::uint32_t> lengths;
  fill_lengths(mid_a, mid_b, lengths);
  const std::size_t m = mid_b.size();
  std::size_t i = 0;
  std::size_t j = 0;
  const auto at = [&](std::size_t row, std::size_t column) {
    return lengths[row * (m + 1) + column];
  };
  while (i < mid_a.size() || j < m) {
    if (i < mid_a.size() && j < m && mid_a[i] == mid_b[j]) {
      out.push_back({line_change::kept, mid_a[i]});
      ++i;
      ++j;
    } else if (j == m || (i < mid_a.size() && at(i + 1, j) >= at(i, j + 1))) {
      out.push_back({line_change::removed, mid_a[i++]});
    } else {
      out.push_back({line_change::added, mid_b[j++]});
    }
  }
  for (std::size_t k = a.size() - suffix; k < a.size(); ++k) {
    out.push_back({line_change::kept, a[k]});
  }
  return out;
}

}  // namespace notes::http::web
