#include "transport/route_table.hpp"

#include "api/api_routes.hpp"
#include "ops/ops_routes.hpp"
#include "web/web_routes.hpp"

namespace notes::http {

router build_router(const server_options& options, const server_status& server) {
  router r;
  add_api_routes(r);
  add_ops_routes(r, options.ops, server);
  add_web_routes(r, options.web);
  return r;
}

}  // namespace notes::http
