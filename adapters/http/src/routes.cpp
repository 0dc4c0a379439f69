#include "routes.hpp"

#include "api_routes.hpp"
#include "ops_routes.hpp"
#if NOTES_HTTP_WEB
#include "../web/web_routes.hpp"
#endif

namespace notes::http {

router build_router(const server_options& options, const server_status& server) {
  router r;
  add_api_routes(r);
  add_ops_routes(r, options.ops, server);
#if NOTES_HTTP_WEB
  add_web_routes(r, options.web);
#endif
  return r;
}

}  // namespace notes::http
