#pragma once
// The Date header value ("Tue, 25 Nov 2025 12:44:30 GMT"), formatted at most once per second
// per thread.
#include <string_view>

namespace notes::http {

// Valid until the calling thread's next call.
std::string_view http_date_now() noexcept;

}  // namespace notes::http
