#pragma once
// How a failure from the core is answered, decided once for every front end: the status (one
// table), what the client may be told, whether the server logs it and whether the client should
// retry. The API writes the answer as JSON and the pages as an error page; neither decides again.
// Boost 1.81 string_view.hpp (pulled in below) uses std::ostream without including it.
#include <chrono>
#include <optional>
#include <ostream>
#include <span>
#include <string_view>

#include <boost/beast/http/status.hpp>

#include "notes/error.hpp"

namespace notes::http {

// invalid_argument 400, not_found 404, conflict 409 (the API answers 412 instead when the client
// sent If-Match), unavailable 503, storage_failure 500, storage_full 507 (Insufficient Storage:
// nothing gets better by retrying soon, and it is no bug), read_only 503 without Retry-After
// (other servers may take the write; this one not until an operator acts), unauthenticated 401,
// forbidden 403, rate_limited 429 (the error's retry_after becomes Retry-After).
boost::beast::http::status status_for(error_code code) noexcept;

struct failure_answer {
  boost::beast::http::status code;
  // The client's own mistake (invalid_argument, not_found, conflict, unauthenticated, forbidden,
  // rate_limited): `message` and `fields` are
  // the error's and safe to show. Otherwise a fixed text that reveals nothing of the server.
  bool client_fault;
  std::string_view message;
  std::span<const field_error> fields;
  bool retry_later;  // storage out of reach for a moment: answer with Retry-After
  // The Retry-After to send, if any: 1 s when storage is out of reach, the error's own
  // retry_after for rate_limited.
  std::optional<std::chrono::seconds> retry_after = std::nullopt;
};

// Logs the failures that are the server's (unavailable, storage_failure, storage_full, and
// read_only once per message) with their cause, and says how to answer. The answer borrows from
// `e`.
failure_answer answer_failure(const error& e);

}  // namespace notes::http
