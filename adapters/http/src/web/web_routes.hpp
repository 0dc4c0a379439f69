#pragma once
// The HTML interface (list, detail, create, edit and delete pages), /static/ files, and HTML
// error pages for every path outside /api/, all registered on the router the JSON API uses.
#include <memory>

#include "notes/http/server.hpp"
#include "routing/router.hpp"
#include "web/cookie_session.hpp"

namespace notes::http {

// The session cookie's codec, which the pages and the access gate share. An empty secret key is
// replaced by a random one, with a warning on stderr. With accounts a cookie is kept as long as
// a session may last.
std::shared_ptr<const web::cookie_session_codec> make_cookie_sessions(const web_options& options,
                                                                      const auth_options& auth);

// Loads the templates and static files (embedded, or overridden by the folders in `options`)
// and adds the routes (with accounts, the sign-in pages too). Throws std::runtime_error with a
// one-line reason when a template or STATIC_DIR is bad.
void add_web_routes(router& r, const web_options& options, const auth_options& auth,
                    std::shared_ptr<const web::cookie_session_codec> sessions);

}  // namespace notes::http
