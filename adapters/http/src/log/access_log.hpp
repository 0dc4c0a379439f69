#pragma once
// Log lines on stderr. A caller formats its line on the stack and hands it to a bounded buffer
// that one background thread writes out, so a stderr that stalls (a pipe whose reader stopped
// reading) never holds up a request: while the buffer is full, new lines are dropped and counted
// (notes_log_lines_dropped_total). Whole lines are written, never interleaved. Lines still
// buffered when the process is killed are lost; flush_log() (notes/http/log.hpp) waits for them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "notes/http/log.hpp"

namespace notes::http {

// "error: <context>: <detail>"; for faults that answer 500 and for transport trouble worth seeing.
void log_error(std::string_view context, std::string_view detail);

// "warning: <context>: <detail>"; for something that works but that an operator should change
// (a setting left unset, a fallback taken).
void log_warning(std::string_view context, std::string_view detail);

// "<method> <target> <status> <bytes> <micros>us <account>", formatted without allocating;
// the account is the signed-in visitor's name, "-" when nobody was asked or let in.
void log_access(std::string_view method, std::string_view target, unsigned status,
                std::size_t bytes, std::int64_t micros, std::string_view account = "-");

// Lines dropped since the process started because the buffer was full.
std::int64_t dropped_log_lines() noexcept;

}  // namespace notes::http
