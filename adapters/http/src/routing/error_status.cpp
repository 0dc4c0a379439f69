#include "routing/error_status.hpp"

#include "log/access_log.hpp"

namespace notes::http {

boost::beast::http::status status_for(error_code code) noexcept {
  using boost::beast::http::status;
  switch (code) {
    case error_code::invalid_argument: return status::bad_request;
    case error_code::not_found: return status::not_found;
    case error_code::conflict: return status::conflict;
    case error_code::unavailable: return status::service_unavailable;
    case error_code::storage_failure: return status::internal_server_error;
  }
  return status::internal_server_error;
}

failure_answer answer_failure(const error& e) {
  const auto code = status_for(e.code);
  switch (e.code) {
    case error_code::invalid_argument:
    case error_code::not_found:
    case error_code::conflict: return {code, true, e.message, e.fields, false};
    case error_code::unavailable:
      log_error("storage unavailable", e.message);
      return {code, false, "Storage is temporarily unavailable; try again", {}, true};
    case error_code::storage_failure: break;
  }
  log_error("storage failure", e.message);
  return {boost::beast::http::status::internal_server_error, false, "Internal server error", {},
          false};
}

}  // namespace notes::http
