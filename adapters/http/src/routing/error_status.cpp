#include "routing/error_status.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <string>

#include "log/access_log.hpp"

namespace notes::http {

namespace {

// A read-only database stays so until an operator acts, and every write until then fails with
// the same message: logging it once says it, logging it per request would bury the rest. The
// set is bounded; past it, messages are logged every time as other failures are.
bool first_report(const std::string& message) {
  constexpr std::size_t remembered = 64;
  static std::mutex mutex;
  static std::set<std::string, std::less<>> reported;
  std::scoped_lock lock(mutex);
  if (reported.contains(message)) return false;
  if (reported.size() < remembered) reported.insert(message);
  return true;
}

}  // namespace

boost::beast::http::status status_for(error_code code) noexcept {
  using boost::beast::http::status;
  switch (code) {
    case error_code::invalid_argument: return status::bad_request;
    case error_code::not_found: return status::not_found;
    case error_code::conflict: return status::conflict;
    case error_code::unavailable: return status::service_unavailable;
    case error_code::storage_failure: return status::internal_server_error;
    case error_code::storage_full: return status::insufficient_storage;
    case error_code::read_only: return status::service_unavailable;
    case error_code::unauthenticated: return status::unauthorized;
    case error_code::forbidden: return status::forbidden;
    case error_code::rate_limited: return status::too_many_requests;
  }
  return status::internal_server_error;
}

failure_answer answer_failure(const error& e) {
  const auto code = status_for(e.code);
  switch (e.code) {
    case error_code::invalid_argument:
    case error_code::not_found:
    case error_code::conflict:
    case error_code::unauthenticated:
    case error_code::forbidden: return {code, true, e.message, e.fields, false};
    case error_code::rate_limited:
      return {code, true, e.message, e.fields, false,
              std::max(e.retry_after.value_or(std::chrono::seconds(1)), std::chrono::seconds(1))};
    case error_code::unavailable:
      log_error("storage unavailable", e.message);
      return {code, false, "Storage is temporarily unavailable; try again", {}, true,
              std::chrono::seconds(1)};
    case error_code::storage_full:
      log_error("storage full", e.message);
      return {code, false, "Storage is full; nothing was changed", {}, false};
    case error_code::read_only:
      if (first_report(e.message)) log_error("storage read-only", e.message);
      return {code, false, "Storage accepts no changes at the moment; nothing was changed", {},
              false};
    case error_code::storage_failure: break;
  }
  log_error("storage failure", e.message);
  return {boost::beast::http::status::internal_server_error, false, "Internal server error", {},
          false};
}

}  // namespace notes::http
