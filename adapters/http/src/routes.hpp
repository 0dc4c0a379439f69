#pragma once
// The complete route table of notes-server: the JSON API and, when built, the HTML interface.
#include "notes/http/server.hpp"
#include "router.hpp"

namespace notes::http {

router build_router(const server_options& options);

}  // namespace notes::http
