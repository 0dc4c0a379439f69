#include "routes.hpp"

#include "api_routes.hpp"
#if NOTES_HTTP_WEB
#include "../web/web_routes.hpp"
#endif

namespace notes::http {

router build_router([[maybe_unused]] const server_options& options) {
  router r;
  add_api_routes(r);
#if NOTES_HTTP_WEB
  add_web_routes(r, options.web);
#endif
  return r;
}

}  // namespace notes::http
