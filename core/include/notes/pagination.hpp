#pragma once
// Page arithmetic shared by every front end: numbered pages from 1, and a page past the end is an
// empty page with the real totals rather than an error.
#include <cstdint>

namespace notes {

inline constexpr std::int64_t default_per_page = 10;
inline constexpr std::int64_t max_per_page = 100;

// A request for one page; page numbers start at 1.
struct page_request {
  std::int64_t page = 1;
  std::int64_t per_page = default_per_page;

  std::int64_t offset() const noexcept { return (page - 1) * per_page; }
  std::int64_t limit() const noexcept { return per_page; }
};

// What a client needs to draw pagination controls.
struct page_info {
  std::int64_t page = 1;
  std::int64_t per_page = default_per_page;
  std::int64_t total = 0;
  std::int64_t pages = 0;  // 0 when there is nothing at all, not one empty page
  bool has_prev = false;
  bool has_next = false;
};

page_info make_page_info(page_request request, std::int64_t total) noexcept;

}  // namespace notes
