#pragma once
// The complete route table of notes-server: the JSON API, the operational endpoints and the HTML
// pages. The one place that knows every front end of the adapter.
#include <memory>

#include "notes/http/server.hpp"
#include "ops/server_status.hpp"
#include "routing/router.hpp"
#include "web/cookie_session.hpp"

namespace notes::http {

// `sessions` is the session cookie's codec, shared with the access gates.
router build_router(const server_options& options, const server_status& server,
                    std::shared_ptr<const web::cookie_session_codec> sessions);

// With a codec of its own (for tests that look at the table alone).
router build_router(const server_options& options, const server_status& server);

}  // namespace notes::http
