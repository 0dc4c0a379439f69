#pragma once
// The JSON API under /api/ (the seed's API routes) and its JSON error renderer.
#include "router.hpp"

namespace notes::http {

void add_api_routes(router& r);

}  // namespace notes::http
