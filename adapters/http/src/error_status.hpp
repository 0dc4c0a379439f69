#pragma once
// The one table from the core's error codes to HTTP statuses, shared by the API and the pages.
// Boost 1.81 string_view.hpp (pulled in below) uses std::ostream without including it.
#include <ostream>

#include <boost/beast/http/status.hpp>

#include "notes/error.hpp"

namespace notes::http {

// invalid_argument 400, not_found 404, conflict 409 (the API answers 412 instead when the client
// sent If-Match), unavailable 503, storage_failure 500.
boost::beast::http::status status_for(error_code code) noexcept;

}  // namespace notes::http
