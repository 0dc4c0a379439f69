#pragma once
// The complete route table of notes-server: the JSON API, the operational endpoints and the HTML
// pages. The one place that knows every front end of the adapter.
#include "notes/http/server.hpp"
#include "ops/server_status.hpp"
#include "routing/router.hpp"

namespace notes::http {

router build_router(const server_options& options, const server_status& server);

}  // namespace notes::http
