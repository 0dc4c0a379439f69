#pragma once
// The passage of a note around what a search found in it, for result lists.
#include <cstddef>
#include <optional>
#include <string_view>

namespace notes::text {

// Three views into the searched text: the match and what surrounds it, each cut at code point
// boundaries, so each is well-formed UTF-8 on its own (and escaped on its own by a page).
struct snippet {
  std::string_view before;
  std::string_view match;
  std::string_view after;
  bool cut_before = false;  // text precedes `before`
  bool cut_after = false;   // text follows `after`
};

// The first occurrence of `query` in well-formed UTF-8 `text`, compared as search compares
// (search_key on both sides, the query trimmed), with about `width` code points around it: a
// third before the match, the rest after. The match is the code points of `text` that make it up
// ("e" + U+0301 both, for a query with U+00E9). Nothing when it does not occur (or `query` is blank).
std::optional<snippet> find_snippet(std::string_view text, std::string_view query,
                                    std::size_t width = 160);

}  // namespace notes::text
