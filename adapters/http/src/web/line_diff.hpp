#pragma once
// A line-by-line difference between two texts, as a version's page shows it against the note's
// current text: the longest common subsequence of lines, kept and changed lines in order.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace notes::http::web {

enum class line_change { kept, removed, added };

struct diff_line {
  line_change change = line_change::kept;
  std::string_view text;  // into the compared texts, without its line break

  friend bool operator==(const diff_line&, const diff_line&) = default;
};

// The comparison's table grows with the product of the line counts that differ (after the
// common first and last lines are set aside): this caps it, and so the time and memory.
inline constexpr std::size_t max_diff_cells = 1'000'000;

// The lines split at '\n' (a "\r\n" ending loses its '\r' too); a final line break starts no
// line, and an empty text has none.
std::vector<std::string_view> split_lines(std::string_view text);

// `before` turned into `after`: removed lines before the added lines that replace them. Nothing
// when the texts are too large to compare within max_cells.
std::optional<std::vector<diff_line>> diff_lines(std::string_view before, std::string_view after,
                                                 std::size_t max_cells = max_diff_cells);

}  // namespace notes::http::web
