#pragma once
// The JSON API under /api/ (notes: list, search, get, create, partial update, delete; the OpenAPI
// document) and its JSON error renderer.
#include "routing/router.hpp"

namespace notes::http {

void add_api_routes(router& r);

}  // namespace notes::http
