#pragma once
// The server's log on stderr, for app/ to add its own lines (start-up, shutdown) in order with
// the access log and errors. Lines go through a bounded buffer that a background thread writes,
// so a stalled stderr never blocks the caller: lines that do not fit are dropped and counted
// (notes_log_lines_dropped_total in /metrics).
#include <chrono>
#include <string_view>

namespace notes::http {

// Logs `message` as one line: a newline is added, and control characters in it become spaces;
// at most about 2 KB are kept.
void log_message(std::string_view message);

// Waits until every line logged so far is on stderr, or `timeout` passed (stderr may be
// stalled); true when everything was written. Call it before the process exits.
bool flush_log(std::chrono::milliseconds timeout);

}  // namespace notes::http
