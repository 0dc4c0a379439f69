#include "notes/pagination.hpp"

namespace notes {

page_info make_page_info(page_request request, std::int64_t total) noexcept {
  page_info info;
  info.page = request.page;
  info.per_page = request.per_page;
  info.total = total;
  info.pages = request.per_page > 0 ? (total + request.per_page - 1) / request.per_page : 0;
  info.has_prev = request.page > 1;
  info.has_next = request.page < info.pages;
  return info;
}

}  // namespace notes
