#include "transport/route_table.hpp"

#include "api/api_routes.hpp"
#include "ops/ops_routes.hpp"
#include "web/web_routes.hpp"

namespace notes::http {

router build_router(const server_options& options, const server_status& server,
                    std::shared_ptr<const web::cookie_session_codec> sessions) {
  router r;
  add_api_routes(r);
  add_ops_routes(r, options.ops, server);
  add_web_routes(r, options.web, options.auth, std::move(sessions));
  return r;
}

router build_router(const server_options& options, const server_status& server) {
  return build_router(options, server, make_cookie_sessions(options.web, options.auth));
}

}  // namespace notes::http
