#pragma once
// The OpenAPI 3.1 document of the JSON API and the operational routes, served at
// GET /api/openapi.json. Written by hand in openapi.json next to this header and compiled in;
// a test holds it and the route table to each other.
#include <string_view>

namespace notes::http {

std::string_view openapi_document() noexcept;

}  // namespace notes::http
