#pragma once
// The complete route table of notes-server: the JSON API, the operational endpoints and, when
// built, the HTML interface.
#include <atomic>

#include "metrics.hpp"
#include "notes/http/server.hpp"
#include "router.hpp"

namespace notes::http {

// What a running server lends its operational routes.
struct server_status {
  const server_metrics& metrics;
  const std::atomic<bool>& stopping;
};

router build_router(const server_options& options, const server_status& server);

}  // namespace notes::http
