#include "notes/error.hpp"

namespace notes {

std::string_view to_string(error_code code) noexcept {
  switch (code) {
    case error_code::invalid_argument: return "invalid_argument";
    case error_code::not_found: return "not_found";
    case error_code::conflict: return "conflict";
    case error_code::unavailable: return "unavailable";
    case error_code::storage_failure: return "storage_failure";
    case error_code::storage_full: return "storage_full";
    case error_code::read_only: return "read_only";
    case error_code::unauthenticated: return "unauthenticated";
    case error_code::forbidden: return "forbidden";
    case error_code::rate_limited: return "rate_limited";
  }
  return "unknown";
}

}  // namespace notes
