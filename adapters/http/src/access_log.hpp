#pragma once
// Log lines on stderr. Each line leaves in one write(2), so lines from different threads never
// interleave and nothing is buffered when the process dies.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace notes::http {

// "error: <context>: <detail>"; for faults that answer 500 and for transport trouble worth seeing.
void log_error(std::string_view context, std::string_view detail);

// "warning: <context>: <detail>"; for something that works but that an operator should change
// (a setting left unset, a fallback taken).
void log_warning(std::string_view context, std::string_view detail);

// "<method> <target> <status> <bytes> <micros>us", formatted without allocating.
void log_access(std::string_view method, std::string_view target, unsigned status,
                std::size_t bytes, std::int64_t micros);

}  // namespace notes::http
