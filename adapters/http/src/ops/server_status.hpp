#pragma once
// What a running server lends its operational routes: its counters and whether it is stopping.
#include <atomic>

#include "ops/metrics.hpp"

namespace notes::http {

struct server_status {
  const server_metrics& metrics;
  const std::atomic<bool>& stopping;
};

}  // namespace notes::http
