#pragma once
// Clocks and the RFC 3339 form of timestamps.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "notes/note.hpp"

namespace notes {

// Injected into the service so tests can fix time.
using clock_fn = std::function<timestamp()>;

// The system clock truncated to microseconds.
timestamp system_now();

// "2026-11-25T12:44:30.123456Z": always six fractional digits and a Z.
std::string to_rfc3339(timestamp t);

// The same text appended to `out`, for writers that build a larger string without a temporary.
void append_rfc3339(std::string& out, timestamp t);

// Parses what to_rfc3339 writes, plus an offset instead of Z and fewer fractional digits.
std::optional<timestamp> parse_rfc3339(std::string_view s);

}  // namespace notes
