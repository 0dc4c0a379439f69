#pragma once
// What operators and load balancers ask: GET /healthz (the process answers), GET /readyz (it can
// serve: storage reachable, schema current, not stopping) and GET /metrics (Prometheus).
#include "notes/http/server.hpp"
#include "ops/server_status.hpp"
#include "routing/router.hpp"

namespace notes::http {

void add_ops_routes(router& r, const ops_options& options, const server_status& server);

}  // namespace notes::http
