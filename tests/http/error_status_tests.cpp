// The one decision of how a failure is answered: status, what the client is told, retry.
#include "routing/error_status.hpp"

#include <doctest/doctest.h>

#include <vector>

using notes::error_code;
using notes::make_error;
using notes::http::answer_failure;
using boost::beast::http::status;

TEST_CASE("the client's own mistakes show their message and fields") {
  const std::vector<notes::field_error> fields{{"title", "Title is required."}};
  const notes::error invalid{error_code::invalid_argument, "Validation failed", fields};
  const auto answer = answer_failure(invalid);
  CHECK(answer.code == status::bad_request);
  CHECK(answer.client_fault);
  CHECK(answer.message == "Validation failed");
  REQUIRE(answer.fields.size() == 1);
  CHECK(answer.fields[0].field == "title");
  CHECK_FALSE(answer.retry_later);

  const auto missing = make_error(error_code::not_found, "Note 9 not found.").error();
  CHECK(answer_failure(missing).code == status::not_found);
  CHECK(answer_failure(missing).message == "Note 9 not found.");
  const auto stale = make_error(error_code::conflict, "Note 9 was changed.").error();
  CHECK(answer_failure(stale).code == status::conflict);
  CHECK(answer_failure(stale).client_fault);
}

TEST_CASE("the server's failures show a fixed text, never their cause") {
  const auto down = make_error(error_code::unavailable, "connection to 10.0.0.5 refused").error();
  const auto unavailable = answer_failure(down);
  CHECK(unavailable.code == status::service_unavailable);
  CHECK_FALSE(unavailable.client_fault);
  CHECK(unavailable.message == "Storage is temporarily unavailable; try again");
  CHECK(unavailable.retry_later);

  const auto broken = make_error(error_code::storage_failure, "disk I/O error at /var/x").error();
  const auto failure = answer_failure(broken);
  CHECK(failure.code == status::internal_server_error);
  CHECK_FALSE(failure.client_fault);
  CHECK(failure.message == "Internal server error");
  CHECK(failure.fields.empty());
  CHECK_FALSE(failure.retry_later);
}

TEST_CASE("Retry-After: 1 s while storage is out of reach, the error's own for rate_limited") {
  notes::error limited{error_code::rate_limited, "Too many failed sign-ins.", {}, {}};
  limited.retry_after = std::chrono::seconds(42);
  const auto refused = answer_failure(limited);
  CHECK(refused.code == status::too_many_requests);
  CHECK(refused.client_fault);
  CHECK(refused.retry_after == std::chrono::seconds(42));
  const auto down = make_error(error_code::unavailable, "locked").error();
  CHECK(answer_failure(down).retry_after == std::chrono::seconds(1));
  const auto missing = make_error(error_code::not_found, "Note 9 not found.").error();
  CHECK_FALSE(answer_failure(missing).retry_after);
  CHECK(answer_failure(make_error(error_code::unauthenticated, "no").error()).code ==
        status::unauthorized);
  CHECK(answer_failure(make_error(error_code::forbidden, "no").error()).code == status::forbidden);
}
