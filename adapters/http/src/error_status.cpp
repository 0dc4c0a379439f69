#include "error_status.hpp"

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

}  // namespace notes::http
