#pragma once
// Times are stored as microseconds since the Unix epoch (UTC) in BIGINT columns: exact in both
// databases and free of driver time-zone handling (schema.cpp).
#include <chrono>

#include "notes/note.hpp"

namespace notes::storage::detail {

inline long long to_microseconds(timestamp t) { return t.time_since_epoch().count(); }

inline timestamp from_microseconds(long long value) {
  return timestamp{std::chrono::microseconds{value}};
}

}  // namespace notes::storage::detail
