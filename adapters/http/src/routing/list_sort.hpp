#pragma once
// The `sort` parameter the API's and the pages' note lists share.
#include <optional>
#include <string_view>

#include "notes/note_repository.hpp"

namespace notes::http {

// "created" or "updated": pinned notes first in both, then by creation or by last change.
inline std::optional<list_order> parse_sort(std::string_view value) noexcept {
  if (value == "created") return list_order::pinned_first;
  if (value == "updated") return list_order::pinned_recently_updated;
  return std::nullopt;
}

inline constexpr std::string_view sort_choices = "must be \"updated\" or \"created\"";

}  // namespace notes::http
