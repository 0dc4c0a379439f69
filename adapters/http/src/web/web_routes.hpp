#pragma once
// The HTML interface (list, detail, create, edit and delete pages), /static/ files, and HTML
// error pages for every path outside /api/, all registered on the router the JSON API uses.
#include "notes/http/server.hpp"
#include "routing/router.hpp"

namespace notes::http {

// Loads the templates and static files (embedded, or overridden by the folders in `options`)
// and adds the routes. An empty secret key is replaced by a random one, with a warning on
// stderr. Throws std::runtime_error with a one-line reason when a template or STATIC_DIR is bad.
void add_web_routes(router& r, const web_options& options);

}  // namespace notes::http
